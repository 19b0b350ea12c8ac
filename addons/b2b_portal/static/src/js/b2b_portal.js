/** @odoo-module ignore **/
/* Dealer portal: small progressive enhancements over server-rendered forms.
 *
 * Plain script of the lean bundle b2b_portal.assets_lean (no framework, no module loader):
 * the /my/b2b pages work without it, and a dealer's first page load stays light. */
(function () {
    "use strict";

    function debounce(func, delay) {
        let timer;
        return function (...args) {
            clearTimeout(timer);
            timer = setTimeout(() => func.apply(this, args), delay);
        };
    }

    async function rpc(url, params) {
        const response = await fetch(url, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            credentials: "same-origin",
            body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: Date.now(), params }),
        });
        const data = await response.json();
        if (data.error) {
            throw new Error(data.error.data?.message || data.error.message);
        }
        return data.result;
    }

    function setupPortal(root) {
        const categories = root.querySelector(".o_b2b_categories");
        if (categories && window.innerWidth >= 992) {
            categories.open = true;
        }
        root.addEventListener("change", (ev) => {
            if (ev.target.matches(".o_b2b_autosubmit")) {
                ev.target.form.requestSubmit();
            }
        });
        // A second click while the first submission is under way does nothing; the
        // server-side idempotency key covers retries and reloads.
        root.addEventListener("submit", (ev) => {
            const form = ev.target;
            if (form.dataset.b2bSubmitted) {
                ev.preventDefault();
                return;
            }
            if (form.method.toLowerCase() === "post") {
                form.dataset.b2bSubmitted = "1";
                form.querySelectorAll("button[type=submit], button:not([type])").forEach((button) => {
                    button.classList.add("disabled");
                });
            }
        });
    }

    function setupQuickOrder(form) {
        const rowsOf = () => [...form.querySelectorAll(".o_b2b_quick_row")];

        function addRow() {
            const rows = rowsOf();
            const row = rows[rows.length - 1].cloneNode(true);
            const index = rows.length;
            row.className = "o_b2b_quick_row";
            row.querySelector(".o_b2b_quick_sku").name = `sku_${index}`;
            row.querySelector(".o_b2b_quick_sku").value = "";
            row.querySelector(".o_b2b_quick_qty").name = `qty_${index}`;
            row.querySelector(".o_b2b_quick_qty").value = "";
            row.querySelector(".o_b2b_quick_status").textContent = "";
            row.querySelector(".o_b2b_quick_status").dataset.status = "";
            form.querySelector(".o_b2b_quick_rows tbody").appendChild(row);
            return row;
        }

        const validate = debounce(async () => {
            const rows = rowsOf().filter(
                (row) =>
                    row.querySelector(".o_b2b_quick_sku").value.trim() ||
                    row.querySelector(".o_b2b_quick_qty").value.trim()
            );
            const payload = rows.map((row) => ({
                sku: row.querySelector(".o_b2b_quick_sku").value,
                qty: row.querySelector(".o_b2b_quick_qty").value,
            }));
            if (!payload.length) {
                return;
            }
            const result = await rpc("/my/b2b/quick/validate", { rows: payload });
            if (result.error) {
                return;
            }
            result.rows.forEach((res, i) => {
                const row = rows[i];
                const status = row.querySelector(".o_b2b_quick_status");
                row.classList.toggle("table-danger", res.status === "error");
                row.classList.toggle("table-warning", res.status === "warning");
                status.dataset.status = res.status;
                status.replaceChildren();
                if (res.name) {
                    const name = document.createElement("div");
                    name.textContent = res.name;
                    status.appendChild(name);
                }
                const message = document.createElement("span");
                message.textContent = res.message;
                status.appendChild(message);
            });
        }, 300);

        const autocomplete = debounce(async (term) => {
            if (term.trim().length < 2) {
                return;
            }
            const products = await rpc("/my/b2b/quick/autocomplete", { term });
            const datalist = form.querySelector("#o_b2b_skus");
            datalist.replaceChildren(
                ...products
                    .filter((p) => p.sku)
                    .map((p) => {
                        const option = document.createElement("option");
                        option.value = p.sku;
                        option.label = p.name;
                        return option;
                    })
            );
        }, 200);

        form.addEventListener("click", (ev) => {
            if (ev.target.closest(".o_b2b_quick_add_row")) {
                addRow().querySelector(".o_b2b_quick_sku").focus();
            }
        });
        form.addEventListener("input", (ev) => {
            if (ev.target.matches(".o_b2b_quick_sku")) {
                autocomplete(ev.target.value);
                validate();
            } else if (ev.target.matches(".o_b2b_quick_qty")) {
                validate();
            }
        });
        form.addEventListener("change", (ev) => {
            if (ev.target.matches(".o_b2b_quick_sku, .o_b2b_quick_qty")) {
                validate();
            }
        });
        // Pasting several spreadsheet lines into a SKU cell spreads them over the rows.
        form.addEventListener("paste", (ev) => {
            if (!ev.target.matches(".o_b2b_quick_sku")) {
                return;
            }
            const text = ev.clipboardData?.getData("text") || "";
            if (!/[\n\t,;]/.test(text.trim())) {
                return;
            }
            ev.preventDefault();
            const lines = text.split(/\r?\n/).filter((line) => line.trim());
            let row = ev.target.closest("tr");
            for (const line of lines) {
                const [sku = "", qty = ""] = line.split(/\t|;|,/);
                if (!row) {
                    row = addRow();
                }
                row.querySelector(".o_b2b_quick_sku").value = sku.trim();
                row.querySelector(".o_b2b_quick_qty").value = qty.trim();
                row = row.nextElementSibling;
            }
            validate();
        });
    }

    function start() {
        document.querySelectorAll(".o_b2b_portal").forEach(setupPortal);
        document.querySelectorAll(".o_b2b_quick_form").forEach(setupQuickOrder);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
