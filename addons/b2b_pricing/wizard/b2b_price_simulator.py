from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.b2b_price_rule import CHANNELS


class B2bPriceSimulator(models.TransientModel):
    """Back-office price simulator: dealers or tiers x products x quantities."""

    _name = "b2b.price.simulator"
    _description = "B2B Price Simulator"

    partner_ids = fields.Many2many("res.partner", string="Dealers", domain="[('is_company', '=', True)]")
    tier_ids = fields.Many2many("b2b.dealer.tier", string="Dealer Tiers")
    product_ids = fields.Many2many("product.product", string="Products", required=True)
    quantities = fields.Char(default="1", required=True, help="Comma separated, e.g. 1, 10, 50")
    date = fields.Datetime(default=fields.Datetime.now, required=True)
    channel = fields.Selection(CHANNELS, default="backoffice", required=True)
    pricelist_id = fields.Many2one(
        "product.pricelist", string="Force Pricelist", help="Default: the dealer's or the tier's pricelist."
    )
    line_ids = fields.One2many("b2b.price.simulator.line", "simulator_id", readonly=True)

    def _parse_quantities(self):
        try:
            quantities = [float(part) for part in (self.quantities or "").replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise UserError(_("Quantities must be numbers separated by commas, e.g. 1, 10, 50.")) from None
        if not quantities or any(qty <= 0 for qty in quantities):
            raise UserError(_("Enter at least one positive quantity."))
        return quantities

    def action_simulate(self):
        self.ensure_one()
        if not (self.partner_ids or self.tier_ids):
            raise UserError(_("Choose at least one dealer or one tier."))
        quantities = self._parse_quantities()
        engine = self.env["b2b.price.engine"]
        targets = [(partner, None) for partner in self.partner_ids] + [(None, tier) for tier in self.tier_ids]
        lines = [fields.Command.clear()]
        for partner, tier in targets:
            pricelist = self.pricelist_id or (partner.property_product_pricelist if partner else tier.pricelist_id)
            for qty in quantities:
                results = engine.price_for(
                    self.product_ids,
                    dealer=partner or self.env["res.partner"],
                    tier=tier,
                    quantities=qty,
                    date=self.date,
                    channel=self.channel,
                    pricelist=pricelist,
                )
                for product in self.product_ids:
                    result = results[product.id]
                    lines.append(
                        fields.Command.create(
                            {
                                "partner_id": partner.id if partner else False,
                                "tier_id": tier.id if tier else (partner.b2b_tier_id.id if partner else False),
                                "pricelist_id": pricelist.id if pricelist else False,
                                "product_id": product.id,
                                "quantity": qty,
                                "price": result["price"],
                                "list_price": result["list_price"],
                                "currency_id": result["currency_id"],
                                "rule_ids": [fields.Command.set(result["rule_ids"])],
                                "explanation": result["text"],
                            }
                        )
                    )
        self.line_ids = lines
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Price Simulator"),
        }


class B2bPriceSimulatorLine(models.TransientModel):
    _name = "b2b.price.simulator.line"
    _description = "B2B Price Simulator Result"
    _order = "id"

    simulator_id = fields.Many2one("b2b.price.simulator", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Dealer")
    tier_id = fields.Many2one("b2b.dealer.tier")
    pricelist_id = fields.Many2one("product.pricelist")
    product_id = fields.Many2one("product.product")
    quantity = fields.Float(digits="Product Unit of Measure")
    price = fields.Monetary(currency_field="currency_id")
    list_price = fields.Monetary(currency_field="currency_id", string="Sales Price")
    discount = fields.Float(string="Discount (%)", compute="_compute_discount")
    currency_id = fields.Many2one("res.currency")
    rule_ids = fields.Many2many("b2b.price.rule", string="Applied Rules")
    explanation = fields.Text()

    @api.depends("price", "list_price")
    def _compute_discount(self):
        for line in self:
            line.discount = (1 - line.price / line.list_price) * 100 if line.list_price else 0.0
