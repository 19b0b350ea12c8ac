from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    b2b_portal_append_key = fields.Char(
        string="Append Key",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="Key of the portal request that added this line after the order was submitted.",
    )
    b2b_portal_appended_date = fields.Datetime(
        string="Added After Submit",
        copy=False,
        readonly=True,
        help="When the dealer added this line to the already submitted order (截单后追加).",
    )
