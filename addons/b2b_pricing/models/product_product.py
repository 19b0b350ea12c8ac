from odoo import models

from .product_template import PRODUCT_PRICING_FIELDS


class ProductProduct(models.Model):
    _inherit = "product.product"

    def write(self, vals):
        res = super().write(vals)
        if PRODUCT_PRICING_FIELDS & set(vals):
            self.env["b2b.price.table"].sudo()._mark_dirty(products=self)
        return res
