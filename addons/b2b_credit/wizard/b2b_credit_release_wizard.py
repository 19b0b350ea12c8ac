from odoo import fields, models


class B2bCreditReleaseWizard(models.TransientModel):
    _name = "b2b.credit.release.wizard"
    _description = "Release Orders from Credit Hold"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    reason = fields.Text(required=True)

    def action_release(self):
        self.ensure_one()
        self.order_ids._b2b_credit_release(self.reason)
        return {"type": "ir.actions.act_window_close"}
