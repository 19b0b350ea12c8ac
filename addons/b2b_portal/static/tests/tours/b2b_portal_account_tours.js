/** @odoo-module **/

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

function checkNoHorizontalScroll(page) {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    if (overflow > 1) {
        throw new Error(`${page} does not fit: width ${window.innerWidth}, overflow ${overflow}`);
    }
}

tours.add("b2b_portal_account_ask_price", {
    steps: () => [
        {
            content: "The product page suggests what is bought with it",
            trigger: ".o_b2b_together .o_b2b_card:contains(B2B Apple Juice 1L)",
            run() {
                checkNoHorizontalScroll("Product page");
            },
        },
        { content: "Open the price request form", trigger: ".o_b2b_ask_price", run: "click" },
        { trigger: ".o_b2b_price_request_form input[name=quantity]", run: "edit 40" },
        { trigger: ".o_b2b_price_request_form input[name=price]", run: "edit 6" },
        { trigger: ".o_b2b_price_request_form input[name=note]", run: "edit Weekly volume" },
        { trigger: ".o_b2b_price_request_send", run: "click" },
        { content: "Request sent", trigger: ".o_b2b_flash.alert-success" },
        { trigger: ".o_b2b_price_request_state:contains(Submitted)" },
    ],
});

tours.add("b2b_portal_account_accept_offer", {
    steps: () => [
        { content: "The counter offer is listed", trigger: ".o_b2b_price_requests a:contains(Countered)", run: "click" },
        {
            content: "The offer is shown",
            trigger: ".o_b2b_counter_price",
            run() {
                checkNoHorizontalScroll("Price request page");
            },
        },
        { trigger: ".o_b2b_price_request_accept", run: "click" },
        { content: "Accepted", trigger: ".o_b2b_price_request_state:contains(Accepted)" },
        { trigger: ".o_b2b_agreed_price" },
    ],
});
