from odoo import api, fields, models


class B2bCreditHistory(models.Model):
    """Audit trail of every credit decision: who changed what, when, from what to what."""

    _name = "b2b.credit.history"
    _description = "Dealer Credit History"
    _order = "create_date desc, id desc"
    _rec_name = "field_description"

    partner_id = fields.Many2one("res.partner", string="Dealer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one("res.users", string="Changed By", default=lambda self: self.env.user, readonly=True)
    create_date = fields.Datetime(string="Date", readonly=True)
    field_description = fields.Char(string="What", required=True)
    old_value = fields.Char()
    new_value = fields.Char()
    note = fields.Text(string="Reason")
    order_id = fields.Many2one("sale.order", index="btree_not_null", ondelete="set null")

    @api.model
    def _log_values(self, entries):
        """Create history rows from dicts (partner_id, field_description, old_value, new_value, ...)."""
        return self.sudo().create(entries)
