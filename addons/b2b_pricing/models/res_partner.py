from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_tier_id = fields.Many2one(
        "b2b.dealer.tier",
        string="Dealer Tier",
        index="btree_not_null",
        tracking=True,
        help="Tier of this dealer; contacts follow their company's tier.",
    )
    b2b_commercial_tier_id = fields.Many2one(
        "b2b.dealer.tier",
        string="Commercial Tier",
        related="commercial_partner_id.b2b_tier_id",
        store=True,
        index="btree_not_null",
    )

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "b2b_tier_id"]

    @api.model_create_multi
    def create(self, vals_list):
        tiers = self.env["b2b.dealer.tier"].browse(
            {vals["b2b_tier_id"] for vals in vals_list if vals.get("b2b_tier_id")}
        )
        defaults_by_tier = {tier.id: tier._partner_defaults() for tier in tiers}
        for vals in vals_list:
            for key, value in defaults_by_tier.get(vals.get("b2b_tier_id"), {}).items():
                vals.setdefault(key, value)
        return super().create(vals_list)

    def write(self, vals):
        """A dealer moved to another tier takes that tier's defaults,
        unless the same write sets them explicitly."""
        if vals.get("b2b_tier_id"):
            tier = self.env["b2b.dealer.tier"].browse(vals["b2b_tier_id"])
            vals = {**tier._partner_defaults(), **vals}
        return super().write(vals)
