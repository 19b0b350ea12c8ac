from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_is_zero, float_round


class B2bQuantityRule(models.Model):
    """Minimum, multiple (case pack) and maximum per order for a product, a category
    or a tier. The most specific rule wins: product, then the deepest category, then
    none; at the same level a rule for the dealer's tier beats a rule for all tiers."""

    _name = "b2b.quantity.rule"
    _description = "B2B Quantity Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(compute="_compute_name", store=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    product_tmpl_id = fields.Many2one("product.template", string="Product", index=True, tracking=True)
    categ_id = fields.Many2one("product.category", string="Product Category", index=True, tracking=True)
    tier_id = fields.Many2one("b2b.dealer.tier", string="Dealer Tier", tracking=True)
    min_qty = fields.Float(string="Minimum", digits="Product Unit of Measure", tracking=True)
    multiple_qty = fields.Float(
        string="Multiple Of", digits="Product Unit of Measure", tracking=True, help="Case pack: quantity step."
    )
    max_qty = fields.Float(string="Maximum per Order", digits="Product Unit of Measure", tracking=True)

    _sql_constraints = [
        (
            "quantities_positive",
            "CHECK(min_qty >= 0 AND multiple_qty >= 0 AND max_qty >= 0)",
            "Quantities of a quantity rule cannot be negative.",
        ),
    ]

    @api.depends("product_tmpl_id", "categ_id", "tier_id")
    def _compute_name(self):
        for rule in self:
            target = rule.product_tmpl_id.display_name or rule.categ_id.display_name or _("All products")
            rule.name = f"{target} / {rule.tier_id.name}" if rule.tier_id else target

    @api.constrains("min_qty", "max_qty", "multiple_qty")
    def _check_quantities(self):
        for rule in self:
            if rule.max_qty and rule.min_qty and rule.max_qty < rule.min_qty:
                raise ValidationError(_("Quantity rule %(rule)s: the maximum is below the minimum.", rule=rule.name))
            if not (rule.min_qty or rule.multiple_qty or rule.max_qty):
                raise ValidationError(
                    _("Quantity rule %(rule)s: set a minimum, a multiple or a maximum.", rule=rule.name)
                )

    @api.model
    def _b2b_rules_for(self, products, tier):
        """{product_id: rule} of the most specific rule per product (one search)."""
        rules = self.sudo().search(
            [
                ("company_id", "in", [self.env.company.id, False]),
                ("tier_id", "in", [tier.id, False] if tier else [False]),
                "|",
                "|",
                ("product_tmpl_id", "in", products.product_tmpl_id.ids),
                ("categ_id", "parent_of", products.categ_id.ids),
                "&",
                ("product_tmpl_id", "=", False),
                ("categ_id", "=", False),
            ]
        )
        result = {}
        for product in products:
            best, best_key = None, None
            path = [int(part) for part in product.categ_id.parent_path.split("/") if part]
            for rule in rules:
                if rule.product_tmpl_id:
                    if rule.product_tmpl_id != product.product_tmpl_id:
                        continue
                    level = 0
                elif rule.categ_id:
                    if rule.categ_id.id not in path:
                        continue
                    level = 1 + len(path) - path.index(rule.categ_id.id)
                else:
                    level = 1000
                key = (level, 0 if rule.tier_id else 1, rule.sequence, rule.id)
                if best_key is None or key < best_key:
                    best, best_key = rule, key
            if best:
                result[product.id] = best
        return result

    @api.model
    def b2b_check_quantity(self, product, quantity, uom=None, partner=None):
        """Validate a (product, quantity) pair for a dealer.

        For the portal and quick order: a share user is always checked as its own
        company. Returns {"ok", "message", "min", "multiple", "max", "suggested_qty"}
        (quantities in the product unit of measure).
        """
        if isinstance(product, int):
            product = self.env["product.product"].browse(product)
        product = product.sudo()
        if uom and uom != product.uom_id:
            quantity = uom._compute_quantity(quantity, product.uom_id, raise_if_failure=False)
        return self.b2b_check_quantities([(product, quantity)], partner=partner)[0]

    @api.model
    def b2b_check_quantities(self, pairs, partner=None):
        """Validate many (product, quantity) pairs (product unit of measure) for a dealer
        with one rule search: quick order files, reorders and order confirmation.
        Returns the results of ``b2b_check_quantity`` in the order of ``pairs``."""
        partner = self.env["b2b.price.engine"]._b2b_resolve_dealer(partner)
        products = self.env["product.product"].sudo().browse(list({product.id for product, _qty in pairs}))
        rules = self._b2b_rules_for(products, partner.b2b_tier_id if partner else None)
        return [
            self._b2b_check_against_rule(product.sudo(), quantity, rules.get(product.id)) for product, quantity in pairs
        ]

    @api.model
    def _b2b_check_against_rule(self, product, quantity, rule):
        result = {"ok": True, "message": "", "min": 0.0, "multiple": 0.0, "max": 0.0, "suggested_qty": quantity}
        if not rule:
            return result
        digits = product.uom_id.rounding
        result.update(min=rule.min_qty, multiple=rule.multiple_qty, max=rule.max_qty)
        uom_name = product.uom_id.name
        if rule.min_qty and float_compare(quantity, rule.min_qty, precision_rounding=digits) < 0:
            result.update(
                ok=False,
                suggested_qty=rule.min_qty,
                message=_(
                    "%(product)s: order at least %(min)s %(uom)s (you have %(qty)s).",
                    product=product.display_name,
                    min=rule.min_qty,
                    uom=uom_name,
                    qty=quantity,
                ),
            )
        elif rule.multiple_qty:
            packs = quantity / rule.multiple_qty
            if not float_is_zero(packs - round(packs), precision_digits=6):
                suggested = float_round(
                    -(-quantity // rule.multiple_qty) * rule.multiple_qty, precision_rounding=digits
                )
                result.update(
                    ok=False,
                    suggested_qty=suggested,
                    message=_(
                        "%(product)s is sold by %(multiple)s %(uom)s: order %(suggested)s instead of %(qty)s.",
                        product=product.display_name,
                        multiple=rule.multiple_qty,
                        uom=uom_name,
                        suggested=suggested,
                        qty=quantity,
                    ),
                )
        if result["ok"] and rule.max_qty and float_compare(quantity, rule.max_qty, precision_rounding=digits) > 0:
            result.update(
                ok=False,
                suggested_qty=rule.max_qty,
                message=_(
                    "%(product)s: at most %(max)s %(uom)s per order (you have %(qty)s).",
                    product=product.display_name,
                    max=rule.max_qty,
                    uom=uom_name,
                    qty=quantity,
                ),
            )
        return result
