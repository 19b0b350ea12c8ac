/** @odoo-module **/
/* Dealer portal: the cut-off countdown ("order within 2 h 14 min for delivery on Tue, Nov 24").
 * The server computes the deadline and renders the first text; this only counts down, using
 * the server's clock (data-now) so a wrong phone clock does not matter, and the server's
 * translated patterns. */

import publicWidget from "@web/legacy/js/public/public_widget";

const MINUTE = 60 * 1000;

publicWidget.registry.B2bCutoffCountdown = publicWidget.Widget.extend({
    selector: ".o_b2b_countdown[data-deadline]",
    start() {
        const deadline = Date.parse(this.el.dataset.deadline);
        const serverNow = Date.parse(this.el.dataset.now);
        if (Number.isNaN(deadline)) {
            return this._super(...arguments);
        }
        this.deadline = deadline;
        this.offset = Number.isNaN(serverNow) ? 0 : serverNow - Date.now();
        this.timer = setInterval(() => this._tick(), MINUTE / 2);
        this._tick();
        return this._super(...arguments);
    },
    destroy() {
        clearInterval(this.timer);
        this._super(...arguments);
    },
    _format(minutes) {
        const data = this.el.dataset;
        const days = Math.floor(minutes / (24 * 60));
        const hours = Math.floor((minutes % (24 * 60)) / 60);
        const rest = minutes % 60;
        const pattern = days ? data.formatD : hours ? data.formatH : data.formatM;
        return (pattern || "")
            .replace("{d}", String(days))
            .replace("{h}", String(hours))
            .replace("{m}", String(rest));
    },
    _tick() {
        const left = this.deadline - (Date.now() + this.offset);
        const target = this.el.querySelector(".o_b2b_countdown_left");
        if (left <= 0) {
            clearInterval(this.timer);
            this.el.classList.replace("alert-info", "alert-warning");
            this.el.querySelector(".o_b2b_countdown_text").textContent = this.el.dataset.expired || "";
            return;
        }
        if (target) {
            target.textContent = this._format(Math.floor(left / MINUTE));
        }
    },
});
