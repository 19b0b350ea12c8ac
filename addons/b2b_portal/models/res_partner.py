from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_approval_amount = fields.Float(
        string="Approval Above Amount",
        help="Portal orders of this dealer above this total (tax included, order currency) "
        "wait for the approval of one of the dealer's approvers. 0 disables the rule.",
    )
    b2b_approval_category_ids = fields.Many2many(
        "product.category",
        "b2b_partner_approval_category_rel",
        "partner_id",
        "category_id",
        string="Approval Categories",
        help="Portal orders containing products of these categories (or their "
        "sub-categories) need the approval of one of the dealer's approvers.",
    )
    b2b_approval_new_products = fields.Boolean(
        string="Approve New Products",
        help="Portal orders containing a product this dealer never ordered before need "
        "the approval of one of the dealer's approvers.",
    )

    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "b2b_approval_amount",
            "b2b_approval_category_ids",
            "b2b_approval_new_products",
        ]

    def write(self, vals):
        result = super().write(vals)
        if "b2b_tier_id" in vals:
            # a tier change makes other dealers peers (or not): recommendations are recomputed
            self.env["b2b.product.recommendation"].sudo()._b2b_forget()
        return result
