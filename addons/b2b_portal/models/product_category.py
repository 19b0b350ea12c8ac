from odoo import api, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    def _b2b_portal_clear_category_cache(self):
        """The portal caches the category tree (b2b.portal.catalogue); drop it on change."""
        self.env.registry.clear_cache()

    @api.model_create_multi
    def create(self, vals_list):
        categories = super().create(vals_list)
        self._b2b_portal_clear_category_cache()
        return categories

    def write(self, vals):
        result = super().write(vals)
        if {"name", "parent_id"} & set(vals):
            self._b2b_portal_clear_category_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self._b2b_portal_clear_category_cache()
        return result
