from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # The portal filters every catalogue page by category (child_of): without an index
    # PostgreSQL scans all templates twice per page (count and page).
    categ_id = fields.Many2one(index=True)

    b2b_portal_sold_qty = fields.Float(
        string="Sold Quantity (Portal Popularity)",
        default=0.0,
        readonly=True,
        copy=False,
        index=True,
        help="Quantity sold over confirmed orders, refreshed by a scheduled action; "
        "the dealer portal sorts its catalogue by it.",
    )
