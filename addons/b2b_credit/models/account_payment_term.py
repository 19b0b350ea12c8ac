from odoo import fields, models


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    b2b_due_from_delivery = fields.Boolean(
        string="Count from Proof of Delivery",
        help="Due dates count from the date the dealer or carrier confirms receipt instead of the "
        "invoice date. Until that date is known the invoice date is used (provisional due date).",
    )
