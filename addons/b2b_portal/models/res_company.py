from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    b2b_portal_price_display = fields.Selection(
        [("tax_excluded", "Tax excluded"), ("tax_included", "Tax included")],
        string="Portal Prices",
        default="tax_excluded",
        required=True,
    )
    b2b_portal_stock_display = fields.Selection(
        [("level", "In stock / low / out"), ("exact", "Exact quantity")],
        string="Portal Stock Display",
        default="level",
        required=True,
    )
    b2b_portal_low_stock_threshold = fields.Float(
        string="Low Stock Threshold",
        default=10.0,
        help="At or below this free quantity, the portal shows a product as low in stock.",
    )
    b2b_portal_new_product_days = fields.Integer(
        string="New Product Period (days)",
        default=30,
        help="Products created within this many days carry the 'new' badge and filter.",
    )
    b2b_portal_block_out_of_stock = fields.Boolean(
        string="Refuse Portal Orders Beyond Stock",
        help="When set, dealers cannot order more than the free quantity; "
        "otherwise the shortage is shown as a warning and backordered.",
    )
