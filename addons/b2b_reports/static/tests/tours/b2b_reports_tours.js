/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("b2b_reports_kpi_dashboard", {
    url: "/odoo/action-b2b_reports.action_b2b_kpi_dashboard",
    steps: () => [
        {
            content: "The five KPI cards are shown",
            trigger: ".o_b2b_kpi_dashboard .o_b2b_kpi[data-kpi='online_rate'] .o_b2b_kpi_value",
        },
        {
            content: "Twelve months of trend",
            trigger: ".o_b2b_kpi[data-kpi='on_time_rate'] .o_b2b_kpi_bar_wrap:nth-child(12)",
        },
        {
            content: "Switch to the last 12 months",
            trigger: ".o_b2b_kpi_periods button[data-period='year']",
            run: "click",
        },
        {
            content: "The period button is active",
            trigger: ".o_b2b_kpi_periods button[data-period='year'].btn-primary",
        },
        {
            content: "The receivables card is shown",
            trigger: ".o_b2b_kpi_credit td",
        },
    ],
});
