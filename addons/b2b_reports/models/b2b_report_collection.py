from odoo import fields, models
from odoo.tools import SQL


class B2bReportCollection(models.Model):
    """One row per amount falling due: the receivable line of a posted customer invoice,
    dated by its due date, with what was collected on it so far (payments and credit notes
    reconciled) and what is still open. Amounts in company currency.

    The collection rate (回款率), DSO, exposure and aging of the dashboard are b2b_credit's
    own computations (``res.partner._b2b_credit_collection_rate`` and friends); this view
    is the detail behind them.
    """

    _name = "b2b.report.collection"
    _inherit = "b2b.kpi.report.mixin"
    _description = "Collection Report"
    _auto = False
    _order = "date desc"
    _b2b_category_path = "move_id.invoice_line_ids.product_id.categ_id"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    invoice_date = fields.Date(readonly=True)
    amount_due = fields.Float(readonly=True)
    amount_collected = fields.Float("Collected", readonly=True)
    amount_open = fields.Float("Open", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")

    def _b2b_view_query(self):
        return SQL(
            """
            SELECT aml.id AS id,
                   aml.move_id AS move_id,
                   aml.date_maturity::timestamp AS date,
                   m.invoice_date AS invoice_date,
                   aml.company_id AS company_id,
                   %(dealer)s,
                   m.invoice_user_id AS user_id,
                   m.team_id AS team_id,
                   NULL AS channel,
                   aml.balance AS amount_due,
                   COALESCE((SELECT SUM(apr.amount) FROM account_partial_reconcile apr
                              WHERE apr.debit_move_id = aml.id), 0) AS amount_collected,
                   aml.amount_residual AS amount_open,
                   CASE WHEN aml.amount_residual > 0 AND aml.date_maturity < CURRENT_DATE
                        THEN CURRENT_DATE - aml.date_maturity ELSE 0 END AS days_overdue
              FROM account_move_line aml
              JOIN account_move m ON m.id = aml.move_id
              JOIN account_account aa ON aa.id = aml.account_id
              JOIN res_partner p ON p.id = aml.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
             WHERE aml.parent_state = 'posted'
               AND aa.account_type = 'asset_receivable'
               AND aml.balance > 0
               AND m.move_type = 'out_invoice'
               AND aml.date_maturity IS NOT NULL
            """,
            dealer=self._b2b_dealer_columns(),
        )
