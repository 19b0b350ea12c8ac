from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    b2b_portal_price_display = fields.Selection(related="company_id.b2b_portal_price_display", readonly=False)
    b2b_portal_stock_display = fields.Selection(related="company_id.b2b_portal_stock_display", readonly=False)
    b2b_portal_low_stock_threshold = fields.Float(related="company_id.b2b_portal_low_stock_threshold", readonly=False)
    b2b_portal_new_product_days = fields.Integer(related="company_id.b2b_portal_new_product_days", readonly=False)
    b2b_portal_block_out_of_stock = fields.Boolean(related="company_id.b2b_portal_block_out_of_stock", readonly=False)
