/** @odoo-module **/

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("b2b_portal_browse", {
    steps: () => [
        {
            content: "Search the catalogue",
            trigger: ".o_b2b_catalogue_search input[name=search]",
            run: "edit Orange Juice",
        },
        { trigger: ".o_b2b_catalogue_search button[type=submit]", run: "click" },
        { content: "Results page loaded", trigger: ".o_b2b_catalogue_search input[value='Orange Juice']" },
        {
            content: "The orange juice card shows the dealer price",
            trigger: ".o_b2b_card:contains(B2B Orange Juice 1L) .o_b2b_price",
        },
        { trigger: ".o_b2b_card:contains(B2B Orange Juice 1L) input[name=qty]", run: "edit 3" },
        { trigger: ".o_b2b_card:contains(B2B Orange Juice 1L) .o_b2b_add_btn", run: "click" },
        { content: "Added", trigger: ".o_b2b_flash.alert-success" },
        { trigger: ".o_b2b_cart_count:contains(1)" },
    ],
});

tours.add("b2b_portal_quick_paste", {
    steps: () => [
        {
            content: "Paste spreadsheet rows, one of them unknown",
            trigger: "textarea.o_b2b_quick_paste",
            run() {
                document.querySelector("textarea.o_b2b_quick_paste").value = "B2B-OJ1\t2\nNOPE-404\t1\nB2B-AJ1\t1";
            },
        },
        { trigger: ".o_b2b_quick_check", run: "click" },
        { content: "The bad row is flagged", trigger: ".o_b2b_quick_row.table-danger:contains(NOPE-404)" },
        { trigger: ".o_b2b_quick_status[data-status=ok]:contains(B2B Orange Juice)" },
        { content: "Confirm the valid rows", trigger: ".o_b2b_quick_confirm", run: "click" },
        { content: "Invalid row kept for correction", trigger: ".o_b2b_flash.alert-warning" },
        { trigger: ".o_b2b_quick_row input.o_b2b_quick_sku[value='NOPE-404']" },
        {
            content: "Correct it live to a SKU sold by cartons of 6",
            trigger: ".o_b2b_quick_row input.o_b2b_quick_sku[value='NOPE-404']",
            run: "edit B2B-CH1",
        },
        { trigger: ".o_b2b_quick_row:first input.o_b2b_quick_qty", run: "edit 4" },
        { content: "Live check explains the rule", trigger: ".o_b2b_quick_status[data-status=error]:contains(6)" },
    ],
});

tours.add("b2b_portal_reorder", {
    steps: () => [
        { trigger: ".o_b2b_orders a:first", run: "click" },
        { trigger: ".o_b2b_reorder", run: "click" },
        { content: "Back in the cart", trigger: ".o_b2b_cart_line:contains(B2B Orange Juice)" },
    ],
});

tours.add("b2b_portal_checkout", {
    steps: () => [
        { trigger: ".o_b2b_checkout", run: "click" },
        { trigger: "input[name=client_order_ref]", run: "edit PO-TOUR" },
        { trigger: "textarea[name=note]", run: "edit Please deliver in the morning" },
        { trigger: ".o_b2b_submit_order", run: "click" },
        { content: "Waiting for approval", trigger: ".o_b2b_order_state:contains(Waiting Approval)" },
    ],
});

tours.add("b2b_portal_approve", {
    steps: () => [
        { trigger: ".o_b2b_approve", run: "click" },
        { content: "Approved and confirmed", trigger: ".o_b2b_order_state:contains(Confirmed)" },
    ],
});

tours.add("b2b_portal_mobile", {
    steps: () => [
        {
            content: "The page fits a 375 px screen",
            trigger: ".o_b2b_cards",
            run() {
                const overflow = document.documentElement.scrollWidth - window.innerWidth;
                if (window.innerWidth > 400 || overflow > 1) {
                    throw new Error(`Catalogue does not fit: width ${window.innerWidth}, overflow ${overflow}`);
                }
            },
        },
        { content: "Open the categories", trigger: ".o_b2b_categories summary", run: "click" },
        { trigger: ".o_b2b_categories a:contains(B2B Test Orange)", run: "click" },
        { trigger: ".o_b2b_card:contains(B2B Orange Juice 1L) .o_b2b_add_btn", run: "click" },
        { trigger: ".o_b2b_flash.alert-success" },
    ],
});
