/** @odoo-module **/

import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";

const { DateTime } = luxon;

function periodDates(period) {
    const today = DateTime.local().startOf("day");
    switch (period) {
        case "last_month": {
            const start = today.startOf("month").minus({ months: 1 });
            return [start, start.endOf("month")];
        }
        case "quarter":
            return [today.startOf("month").minus({ months: 2 }), today];
        case "year":
            return [today.startOf("month").minus({ months: 11 }), today];
        default:
            return [today.startOf("month"), today];
    }
}

export class KpiDashboard extends Component {
    static template = "b2b_reports.KpiDashboard";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ period: "month", data: null, loading: true });
        this.periods = [
            ["month", _t("This month")],
            ["last_month", _t("Last month")],
            ["quarter", _t("Last 3 months")],
            ["year", _t("Last 12 months")],
        ];
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        const [from, to] = periodDates(this.state.period);
        this.state.data = await this.orm.call("b2b.kpi", "b2b_kpi_dashboard", [], {
            date_from: from.toISODate(),
            date_to: to.toISODate(),
        });
        this.state.loading = false;
    }

    async setPeriod(period) {
        this.state.period = period;
        await this.load();
    }

    format(value, unit) {
        if (value === null || value === undefined || value === false) {
            return "–";
        }
        return unit === "minutes" ? `${value.toFixed(1)} ${_t("min")}` : `${value.toFixed(1)} %`;
    }

    formatAmount(value) {
        return (value || 0).toLocaleString(undefined, { maximumFractionDigits: 0 });
    }

    barHeight(kpi, point) {
        const values = kpi.trend.map((p) => p.value || 0).concat([kpi.target]);
        const max = Math.max(...values) || 1;
        return Math.max(2, Math.round((100 * (point.value || 0)) / max));
    }

    monthLabel(iso) {
        return DateTime.fromISO(iso).toFormat("yy-MM");
    }

    openReport(xmlid) {
        this.action.doAction(xmlid);
    }
}

registry.category("actions").add("b2b_reports.kpi_dashboard", KpiDashboard);
