from odoo import fields, models


class B2bPromotionUsage(models.Model):
    """Discount a promotion granted to one confirmed order (its budget consumption)."""

    _name = "b2b.promotion.usage"
    _description = "B2B Promotion Usage"
    _order = "id desc"

    promotion_id = fields.Many2one("b2b.price.rule", required=True, ondelete="cascade", index=True)
    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="order_id.partner_id", store=True)
    amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(related="promotion_id.currency_id")
    company_id = fields.Many2one(related="order_id.company_id", store=True)
