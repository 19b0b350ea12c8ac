from odoo import fields, models


class B2bCreditStatementLine(models.Model):
    _name = "b2b.credit.statement.line"
    _description = "Dealer Statement Line"
    _order = "statement_id, date, id"

    statement_id = fields.Many2one("b2b.credit.statement", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="statement_id.company_id", store=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    move_id = fields.Many2one("account.move", string="Document", readonly=True, ondelete="set null")
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    line_type = fields.Selection(
        [("invoice", "Invoice"), ("credit_note", "Credit Note"), ("payment", "Payment"), ("other", "Other")],
        string="Type",
        readonly=True,
    )
    debit = fields.Monetary(readonly=True)
    credit = fields.Monetary(readonly=True)
    balance = fields.Monetary(string="Running Balance", readonly=True)
    disputed = fields.Boolean(readonly=True)
    dispute_comment = fields.Text(readonly=True)
