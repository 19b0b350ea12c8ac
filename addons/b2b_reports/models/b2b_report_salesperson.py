from odoo import fields, models


class B2bReportSalesperson(models.Model):
    """Salesperson performance: one row per confirmed order, posted customer invoice or credit
    note, and customer payment, so that orders, revenue, new and active dealers and collection
    add up over any period.

    Revenue is invoiced revenue (credit notes negative); collection is customer payments
    received (refunds paid out negative); both untaxed/as paid in the company currency.
    A new dealer is counted on its first confirmed order in the company. A plain view.
    """

    _name = "b2b.report.salesperson"
    _inherit = ["b2b.report.abstract"]
    _description = "Salesperson Performance Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "user_id"

    date = fields.Date(readonly=True)
    kind = fields.Selection(
        [("order", "Order"), ("invoice", "Invoice / Credit Note"), ("payment", "Payment")], "Type", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    dealer_user_id = fields.Many2one("res.users", "Dealer's Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    dealer_id = fields.Many2one("res.partner", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", "Region", readonly=True)
    tier_id = fields.Many2one("b2b.dealer.tier", "Dealer Tier", readonly=True)
    order_count = fields.Integer("Orders", readonly=True)
    amount_ordered = fields.Monetary("Ordered (Untaxed)", readonly=True)
    amount_invoiced = fields.Monetary("Revenue (Invoiced, Untaxed)", readonly=True)
    amount_collected = fields.Monetary("Collected", readonly=True)
    new_dealer_count = fields.Integer("New Dealers", readonly=True)
    active_dealer_id = fields.Many2one(
        "res.partner", "Active Dealers", readonly=True, aggregator="count_distinct", help="Dealers who ordered."
    )

    def _report_query(self):
        return """
            WITH docs AS (
                SELECT o.id::bigint * 3 AS id, 'order' AS kind, o.date_order::date AS date,
                       o.company_id, o.user_id, o.team_id, COALESCE(p.commercial_partner_id, p.id) AS dealer_id,
                       1 AS order_count,
                       o.amount_untaxed / CASE COALESCE(o.currency_rate, 0) WHEN 0 THEN 1.0
                                          ELSE o.currency_rate END AS amount_ordered,
                       0.0 AS amount_invoiced, 0.0 AS amount_collected,
                       CASE WHEN ROW_NUMBER() OVER (
                                PARTITION BY COALESCE(p.commercial_partner_id, p.id), o.company_id
                                ORDER BY o.date_order, o.id) = 1 THEN 1 ELSE 0 END AS new_dealer_count
                  FROM sale_order o
                  JOIN res_partner p ON p.id = o.partner_id
                 WHERE o.state = 'sale'
                 UNION ALL
                SELECT m.id::bigint * 3 + 1, 'invoice', m.invoice_date, m.company_id, m.invoice_user_id, m.team_id,
                       COALESCE(p.commercial_partner_id, p.id), 0, 0.0, m.amount_untaxed_signed, 0.0, 0
                  FROM account_move m
                  JOIN res_partner p ON p.id = m.partner_id
                 WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
                 UNION ALL
                SELECT pay.id::bigint * 3 + 2, 'payment', pay.date, pay.company_id, d.user_id, NULL,
                       d.id, 0, 0.0, 0.0, pay.amount_company_currency_signed, 0
                  FROM account_payment pay
                  JOIN res_partner p ON p.id = pay.partner_id
                  JOIN res_partner d ON d.id = COALESCE(p.commercial_partner_id, p.id)
                 WHERE pay.partner_type = 'customer' AND pay.state IN ('in_process', 'paid')
            )
            SELECT docs.id, docs.kind, docs.date, docs.company_id, c.currency_id, docs.user_id,
                   d.user_id AS dealer_user_id, docs.team_id, docs.dealer_id, d.country_id, d.state_id,
                   d.b2b_tier_id AS tier_id, docs.order_count, docs.amount_ordered, docs.amount_invoiced,
                   docs.amount_collected, docs.new_dealer_count,
                   CASE WHEN docs.kind = 'order' THEN docs.dealer_id END AS active_dealer_id
              FROM docs
              JOIN res_partner d ON d.id = docs.dealer_id
              JOIN res_company c ON c.id = docs.company_id
        """
