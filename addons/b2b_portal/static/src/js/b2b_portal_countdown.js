/** @odoo-module ignore **/
/* Dealer portal: the cut-off countdown ("order within 2 h 14 min for delivery on Tue, Nov 24").
 * The server computes the deadline and renders the first text; this only counts down, using
 * the server's clock (data-now) so a wrong phone clock does not matter, and the server's
 * translated patterns. Plain script of the lean bundle b2b_portal.assets_lean (no module loader). */
(function () {
    "use strict";

    const MINUTE = 60 * 1000;

    function format(el, minutes) {
        const data = el.dataset;
        const days = Math.floor(minutes / (24 * 60));
        const hours = Math.floor((minutes % (24 * 60)) / 60);
        const rest = minutes % 60;
        const pattern = days ? data.formatD : hours ? data.formatH : data.formatM;
        return (pattern || "")
            .replace("{d}", String(days))
            .replace("{h}", String(hours))
            .replace("{m}", String(rest));
    }

    function start(el) {
        const deadline = Date.parse(el.dataset.deadline);
        const serverNow = Date.parse(el.dataset.now);
        if (Number.isNaN(deadline)) {
            return;
        }
        const offset = Number.isNaN(serverNow) ? 0 : serverNow - Date.now();
        let timer = null;
        const tick = () => {
            const left = deadline - (Date.now() + offset);
            if (left <= 0) {
                clearInterval(timer);
                el.classList.replace("alert-info", "alert-warning");
                const text = el.querySelector(".o_b2b_countdown_text");
                if (text) {
                    text.textContent = el.dataset.expired || "";
                }
                return;
            }
            const target = el.querySelector(".o_b2b_countdown_left");
            if (target) {
                target.textContent = format(el, Math.floor(left / MINUTE));
            }
        };
        timer = setInterval(tick, MINUTE / 2);
        tick();
    }

    function init() {
        document.querySelectorAll(".o_b2b_countdown[data-deadline]").forEach(start);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
