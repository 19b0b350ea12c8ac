/** @odoo-module **/

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("b2b_portal_tracking_receipt", {
    steps: () => [
        {
            content: "The shipment's last tracking events are listed",
            trigger: ".o_b2b_shipment .o_b2b_event:contains(Left the Hangzhou hub)",
        },
        { content: "with the carrier's tracking link", trigger: "a.o_b2b_tracking_number:contains(B2BTOUR1)" },
        { content: "and the estimated delivery", trigger: ".o_b2b_eta strong" },
        { trigger: ".o_b2b_receipt_form input[name=note]", run: "edit All cartons fine" },
        { content: "Confirm receipt (确认收货)", trigger: ".o_b2b_confirm_receipt", run: "click" },
        { content: "Received", trigger: ".o_b2b_received" },
        { trigger: ".o_b2b_flash.alert-success" },
        { content: "Give 4 stars", trigger: ".o_b2b_rate_form .o_b2b_star_4", run: "click" },
        { trigger: ".o_b2b_rate_form input[name=comment]", run: "edit Fast delivery" },
        { trigger: ".o_b2b_rate_submit", run: "click" },
        { content: "The rating is shown, the form is gone", trigger: ".o_b2b_rating:contains(Fast delivery)" },
        { trigger: "body:not(:has(.o_b2b_rate_form))" },
    ],
});

tours.add("b2b_portal_append_after_submit", {
    steps: () => [
        { content: "Open the append form", trigger: ".o_b2b_append summary", run: "click" },
        { trigger: ".o_b2b_append_row:first .o_b2b_append_sku", run: "edit B2B-AJ1" },
        { trigger: ".o_b2b_append_row:first .o_b2b_append_qty", run: "edit 2" },
        { trigger: ".o_b2b_append_submit", run: "click" },
        { content: "Added to the same order", trigger: ".o_b2b_flash.alert-success" },
        { trigger: "tr:contains(B2B Apple Juice 1L) .o_b2b_appended" },
    ],
});

tours.add("b2b_portal_cutoff_countdown", {
    steps: () => [
        {
            content: "The countdown is running in the dealer's language",
            trigger: ".o_b2b_countdown .o_b2b_countdown_left",
            run() {
                const left = document.querySelector(".o_b2b_countdown_left").textContent;
                if (!/^\d+ (d \d+ h|h \d+ min|min)$/.test(left.trim())) {
                    throw new Error(`Unexpected countdown text "${left}"`);
                }
            },
        },
        { content: "for the next delivery day", trigger: ".o_b2b_countdown_date:not(:empty)" },
    ],
});
