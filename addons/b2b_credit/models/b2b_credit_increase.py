from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class B2bCreditIncrease(models.Model):
    """A temporary credit increase: extra limit for a dealer between two dates."""

    _name = "b2b.credit.increase"
    _description = "Temporary Credit Increase"
    _inherit = ["mail.thread"]
    _order = "date_to desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        string="Dealer",
        required=True,
        index=True,
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, currency_field="currency_id", tracking=True)
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today, tracking=True)
    date_to = fields.Date(string="Until", required=True, tracking=True)
    reason = fields.Text(required=True)
    approved_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    is_current = fields.Boolean(compute="_compute_is_current", string="In Force")

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "A temporary increase must be a positive amount."),
        ("dates_ordered", "CHECK(date_to >= date_from)", "The increase must end on or after its start date."),
    ]

    @api.depends("date_from", "date_to", "active")
    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for increase in self:
            increase.is_current = increase.active and increase.date_from <= today <= increase.date_to

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        for increase in self:
            if increase.partner_id != increase.partner_id.commercial_partner_id:
                raise ValidationError(_("Credit is granted to the dealer company, not to one of its contacts."))

    @api.model_create_multi
    def create(self, vals_list):
        increases = super().create(vals_list)
        self.env["b2b.credit.history"].sudo().create(
            [
                {
                    "partner_id": inc.partner_id.id,
                    "company_id": inc.company_id.id,
                    "field_description": _("Temporary increase"),
                    "old_value": "",
                    "new_value": _(
                        "%(amount)s from %(date_from)s to %(date_to)s",
                        amount=inc.amount,
                        date_from=inc.date_from,
                        date_to=inc.date_to,
                    ),
                    "note": inc.reason,
                }
                for inc in increases
            ]
        )
        return increases
