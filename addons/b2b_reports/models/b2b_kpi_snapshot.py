import json

from odoo import api, fields, models, tools


class B2bKpiSnapshot(models.Model):
    """The KPI values of a closed month, kept so that the dashboard's 12-month trend reads
    twelve rows instead of recomputing a year of orders, shipments and receivables on every
    opening (on a million order lines that trend was most of the dashboard's time).

    One row per company, month and scope (all dealers, or the dealers of one salesperson for
    salespeople restricted to their own dealers). Written only by ``b2b.kpi`` (lazily for the
    months a dashboard asks for, and by the monthly cron, which recomputes the last closed
    months so late deliveries, payments and credit notes are counted)."""

    _name = "b2b.kpi.snapshot"
    _description = "Dealer KPIs of a Closed Month"
    _order = "month desc, id"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    salesperson_id = fields.Many2one(
        "res.users",
        string="Salesperson Scope",
        readonly=True,
        ondelete="cascade",
        help="Empty: all dealers of the company; else only this salesperson's dealers.",
    )
    month = fields.Date(required=True, readonly=True, help="First day of the month.")
    values = fields.Json(string="KPI Values", readonly=True)
    computed_at = fields.Datetime(required=True, readonly=True)

    def init(self):
        tools.create_unique_index(
            self.env.cr,
            "b2b_kpi_snapshot_scope_month_uniq",
            self._table,
            ["company_id", "COALESCE(salesperson_id, 0)", "month"],
        )

    @api.model
    def _b2b_read(self, company, salesperson, months):
        """{month: values} of the kept months among ``months``."""
        self.flush_model()
        self.env.cr.execute(
            """SELECT month, "values" FROM b2b_kpi_snapshot
                WHERE company_id = %s AND COALESCE(salesperson_id, 0) = %s AND month = ANY(%s)""",
            [company.id, salesperson.id if salesperson else 0, list(months)],
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _b2b_store(self, company, salesperson, values_by_month):
        """Keep (or replace) the values of closed months, in one statement."""
        if not values_by_month:
            return
        payload = json.dumps(
            [{"month": month.isoformat(), "values": values} for month, values in values_by_month.items()],
            default=float,  # numeric sums come back as Decimal
        )
        self.flush_model()
        self.env.cr.execute(
            """INSERT INTO b2b_kpi_snapshot (company_id, salesperson_id, month, "values", computed_at)
               SELECT %s, %s, r.month, r."values", %s
                 FROM jsonb_to_recordset(%s::jsonb) AS r(month date, "values" jsonb)
               ON CONFLICT (company_id, COALESCE(salesperson_id, 0), month)
               DO UPDATE SET "values" = EXCLUDED."values", computed_at = EXCLUDED.computed_at""",
            [company.id, salesperson.id if salesperson else None, fields.Datetime.now(), payload],
        )
        self.invalidate_model()

    @api.model
    def _b2b_forget(self, company, months=None):
        """Drop the kept months of a company (all, or ``months``): recomputed when needed."""
        self.flush_model()
        if months is None:
            self.env.cr.execute("DELETE FROM b2b_kpi_snapshot WHERE company_id = %s", [company.id])
        else:
            self.env.cr.execute(
                "DELETE FROM b2b_kpi_snapshot WHERE company_id = %s AND month = ANY(%s)", [company.id, list(months)]
            )
        self.invalidate_model()
