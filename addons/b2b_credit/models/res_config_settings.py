from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    b2b_credit_enforce = fields.Boolean(related="company_id.b2b_credit_enforce", readonly=False)
    b2b_credit_overdue_block = fields.Boolean(related="company_id.b2b_credit_overdue_block", readonly=False)
    b2b_credit_overdue_grace_days = fields.Integer(related="company_id.b2b_credit_overdue_grace_days", readonly=False)
    b2b_credit_overdue_max_amount = fields.Monetary(related="company_id.b2b_credit_overdue_max_amount", readonly=False)
    b2b_credit_include_pending = fields.Boolean(related="company_id.b2b_credit_include_pending", readonly=False)
    b2b_credit_manager_id = fields.Many2one(related="company_id.b2b_credit_manager_id", readonly=False)
    b2b_credit_accountant_id = fields.Many2one(related="company_id.b2b_credit_accountant_id", readonly=False)
