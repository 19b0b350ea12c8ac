from odoo import fields, models


class B2bCreditPolicy(models.Model):
    """A named credit policy shared by many dealers (typically one per dealer tier).

    Credit does not know pricing's tiers; the portal/reports layer maps a tier to a policy.
    """

    _name = "b2b.credit.policy"
    _description = "Dealer Credit Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Default Payment Term",
        check_company=True,
        help="Used on orders of dealers of this policy who have no payment term of their own.",
    )
    override_overdue = fields.Boolean(
        string="Own Overdue Rules", help="Use the overdue rules below instead of the company's."
    )
    overdue_block = fields.Boolean(string="Block on Overdue Invoices", default=True)
    overdue_grace_days = fields.Integer(default=15)
    overdue_max_amount = fields.Monetary(string="Maximum Overdue Amount", currency_field="currency_id")
    default_credit_limit = fields.Monetary(
        string="Suggested Credit Limit",
        currency_field="currency_id",
        help="Indicative limit for dealers of this policy; the dealer's own limit always rules.",
    )
    note = fields.Text(translate=True)

    _sql_constraints = [
        ("grace_days_positive", "CHECK(overdue_grace_days >= 0)", "Grace days cannot be negative."),
        ("max_amount_positive", "CHECK(overdue_max_amount >= 0)", "The maximum overdue amount cannot be negative."),
    ]

    def _overdue_rules(self, company):
        """(block, grace_days, max_amount) for this policy, falling back to the company."""
        if self and self.override_overdue:
            return self.overdue_block, self.overdue_grace_days, self.overdue_max_amount
        return (
            company.b2b_credit_overdue_block,
            company.b2b_credit_overdue_grace_days,
            company.b2b_credit_overdue_max_amount,
        )
