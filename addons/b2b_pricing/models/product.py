from odoo import models

PRODUCT_PRICING_FIELDS = {
    "list_price",
    "standard_price",
    "categ_id",
    "product_tag_ids",
    "additional_product_tag_ids",
    "uom_id",
    "currency_id",
    "price_extra",
    "active",
}


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        res = super().write(vals)
        if PRODUCT_PRICING_FIELDS & set(vals):
            self.env["b2b.price.table"].sudo()._mark_dirty(
                products=self.with_context(active_test=False).product_variant_ids
            )
        return res


class ProductProduct(models.Model):
    _inherit = "product.product"

    def write(self, vals):
        res = super().write(vals)
        if PRODUCT_PRICING_FIELDS & set(vals):
            self.env["b2b.price.table"].sudo()._mark_dirty(products=self)
        return res


class ProductTemplateAttributeValue(models.Model):
    _inherit = "product.template.attribute.value"

    def write(self, vals):
        res = super().write(vals)
        if "price_extra" in vals:
            self.env["b2b.price.table"].sudo()._mark_dirty(
                products=self.with_context(active_test=False).ptav_product_variant_ids
            )
        return res
