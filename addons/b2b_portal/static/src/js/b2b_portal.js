/** @odoo-module **/
/* Dealer portal: small progressive enhancements over server-rendered forms. */

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { debounce } from "@web/core/utils/timing";

publicWidget.registry.B2bPortal = publicWidget.Widget.extend({
    selector: ".o_b2b_portal",
    events: {
        "change .o_b2b_autosubmit": "_onAutosubmit",
        "submit form": "_onSubmitOnce",
    },
    start() {
        const categories = this.el.querySelector(".o_b2b_categories");
        if (categories && window.innerWidth >= 992) {
            categories.open = true;
        }
        return this._super(...arguments);
    },
    _onAutosubmit(ev) {
        ev.currentTarget.form.requestSubmit();
    },
    // A second click while the first submission is under way does nothing; the
    // server-side idempotency key covers retries and reloads.
    _onSubmitOnce(ev) {
        const form = ev.currentTarget;
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
    },
});

publicWidget.registry.B2bQuickOrder = publicWidget.Widget.extend({
    selector: ".o_b2b_quick_form",
    events: {
        "click .o_b2b_quick_add_row": "_onAddRow",
        "input .o_b2b_quick_sku": "_onSkuInput",
        "input .o_b2b_quick_qty": "_onRowChange",
        "change .o_b2b_quick_sku, .o_b2b_quick_qty": "_onRowChange",
        "paste .o_b2b_quick_sku": "_onPaste",
    },
    start() {
        this._validate = debounce(this._validate.bind(this), 300);
        this._autocomplete = debounce(this._autocomplete.bind(this), 200);
        return this._super(...arguments);
    },
    _rows() {
        return [...this.el.querySelectorAll(".o_b2b_quick_row")];
    },
    _addRow() {
        const rows = this._rows();
        const row = rows[rows.length - 1].cloneNode(true);
        const index = rows.length;
        row.className = "o_b2b_quick_row";
        row.querySelector(".o_b2b_quick_sku").name = `sku_${index}`;
        row.querySelector(".o_b2b_quick_sku").value = "";
        row.querySelector(".o_b2b_quick_qty").name = `qty_${index}`;
        row.querySelector(".o_b2b_quick_qty").value = "";
        row.querySelector(".o_b2b_quick_status").textContent = "";
        row.querySelector(".o_b2b_quick_status").dataset.status = "";
        this.el.querySelector(".o_b2b_quick_rows tbody").appendChild(row);
        return row;
    },
    _onAddRow() {
        this._addRow().querySelector(".o_b2b_quick_sku").focus();
    },
    _onSkuInput(ev) {
        this._autocomplete(ev.currentTarget.value);
        this._validate();
    },
    async _autocomplete(term) {
        if (term.trim().length < 2) {
            return;
        }
        const products = await rpc("/my/b2b/quick/autocomplete", { term });
        const datalist = this.el.querySelector("#o_b2b_skus");
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
    },
    // Pasting several spreadsheet lines into a SKU cell spreads them over the rows.
    _onPaste(ev) {
        const text = (ev.originalEvent || ev).clipboardData?.getData("text") || "";
        if (!/[\n\t,;]/.test(text.trim())) {
            return;
        }
        ev.preventDefault();
        const lines = text.split(/\r?\n/).filter((line) => line.trim());
        let row = ev.currentTarget.closest("tr");
        for (const line of lines) {
            const [sku = "", qty = ""] = line.split(/\t|;|,/);
            if (!row) {
                row = this._addRow();
            }
            row.querySelector(".o_b2b_quick_sku").value = sku.trim();
            row.querySelector(".o_b2b_quick_qty").value = qty.trim();
            row = row.nextElementSibling;
        }
        this._validate();
    },
    _onRowChange() {
        this._validate();
    },
    async _validate() {
        const rows = this._rows().filter(
            (row) => row.querySelector(".o_b2b_quick_sku").value.trim() || row.querySelector(".o_b2b_quick_qty").value.trim()
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
    },
});
