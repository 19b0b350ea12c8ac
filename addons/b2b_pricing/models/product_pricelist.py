from odoo import api, fields, models


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    b2b_rule_ids = fields.One2many("b2b.price.rule", "pricelist_id", string="B2B Price Rules")
    b2b_rule_count = fields.Integer(compute="_compute_b2b_rule_count")
    b2b_combination_policy = fields.Selection(
        [
            ("first", "First matching rule by priority"),
            ("best", "Best price for the dealer"),
            ("cumulative", "Cumulative discounts"),
        ],
        string="Combination Policy",
        default="first",
        required=True,
        help="How B2B rules matching the same line combine. Cumulative: the first fixed/formula rule gives the "
        "starting price, then every matching discount applies on top, up to the cap.",
    )
    b2b_discount_cap = fields.Float(
        string="Discount Cap (%)", help="Cumulative policy: maximum total discount on the starting price; 0 = none."
    )

    _sql_constraints = [
        (
            "b2b_discount_cap_range",
            "CHECK(b2b_discount_cap >= 0 AND b2b_discount_cap <= 100)",
            "The discount cap must be between 0 and 100%.",
        ),
    ]

    @api.depends("b2b_rule_ids")
    def _compute_b2b_rule_count(self):
        counts = dict(
            self.env["b2b.price.rule"]._read_group([("pricelist_id", "in", self.ids)], ["pricelist_id"], ["__count"])
        )
        for pricelist in self:
            pricelist.b2b_rule_count = counts.get(pricelist, 0)

    def write(self, vals):
        res = super().write(vals)
        if {"b2b_combination_policy", "b2b_discount_cap", "currency_id", "item_ids", "active"} & set(vals):
            self.env["b2b.price.table"].sudo()._mark_dirty(pricelists=self)
            self.env["b2b.price.table"].sudo()._mark_dependent_pricelists_dirty(self)
        return res

    def action_view_b2b_rules(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_pricing.b2b_price_rule_action")
        action["domain"] = [("pricelist_id", "=", self.id)]
        action["context"] = {"default_pricelist_id": self.id}
        return action


class ProductPricelistItem(models.Model):
    _inherit = "product.pricelist.item"

    @api.model_create_multi
    def create(self, vals_list):
        items = super().create(vals_list)
        items._b2b_invalidate_price_table()
        return items

    def write(self, vals):
        self._b2b_invalidate_price_table()
        res = super().write(vals)
        self._b2b_invalidate_price_table()
        return res

    def unlink(self):
        self._b2b_invalidate_price_table()
        return super().unlink()

    def _b2b_invalidate_price_table(self):
        """Core items price what no B2B rule matches: their pricelist's rows follow."""
        if self.pricelist_id:
            table = self.env["b2b.price.table"].sudo()
            table._mark_dirty(pricelists=self.pricelist_id)
            table._mark_dependent_pricelists_dirty(self.pricelist_id)
