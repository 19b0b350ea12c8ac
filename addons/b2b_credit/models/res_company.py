from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    b2b_credit_enforce = fields.Boolean(
        string="Block Orders Over Credit",
        default=True,
        help="Orders that exceed the dealer's available credit or hit the overdue policy go on "
        "credit hold instead of being confirmed (Odoo alone only shows a warning).",
    )
    b2b_credit_overdue_block = fields.Boolean(
        string="Block on Overdue Invoices",
        default=True,
    )
    b2b_credit_overdue_grace_days = fields.Integer(
        string="Overdue Grace Days",
        default=15,
        help="An invoice unpaid this many days after its due date blocks new orders.",
    )
    b2b_credit_overdue_max_amount = fields.Monetary(
        string="Maximum Overdue Amount",
        currency_field="currency_id",
        help="Block new orders when the overdue amount exceeds this figure (0 = no amount rule).",
    )
    b2b_credit_include_pending = fields.Boolean(
        string="Count Orders Awaiting Approval",
        help="Include quotations waiting for the dealer's internal approval in the exposure.",
    )
    b2b_credit_manager_id = fields.Many2one(
        "res.users",
        string="Credit Manager",
        help="Receives an activity for every order put on credit hold.",
    )
    b2b_credit_accountant_id = fields.Many2one(
        "res.users",
        string="Statement Accountant",
        help="Receives an activity when a dealer disputes a statement of account.",
    )
