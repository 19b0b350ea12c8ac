from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # Computed with the price (same method) so they are precomputed at creation with it.
    b2b_rule_ids = fields.Many2many(
        "b2b.price.rule",
        "b2b_sale_line_rule_rel",
        string="Applied Price Rules",
        compute="_compute_price_unit",
        store=True,
        precompute=True,
        copy=False,
    )
    b2b_promotion_ids = fields.Many2many(
        "b2b.price.rule",
        "b2b_sale_line_promotion_rel",
        string="Promotions",
        compute="_compute_price_unit",
        store=True,
        precompute=True,
        copy=False,
    )
    b2b_promotion_discount = fields.Float(
        string="Promotion Discount (unit)",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        precompute=True,
        copy=False,
    )
    b2b_price_explanation = fields.Json(compute="_compute_price_unit", store=True, precompute=True, copy=False)
    b2b_price_explanation_text = fields.Text(
        string="Price Explanation", compute="_compute_price_unit", store=True, precompute=True, copy=False
    )
    b2b_price_locked = fields.Boolean(
        string="Price Locked", readonly=True, copy=False, help="Set at confirmation: the price never changes again."
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda line: line.order_id.state == "sale")._b2b_lockable().write({"b2b_price_locked": True})
        return lines

    def _b2b_lockable(self):
        """Lines whose price the confirmation freezes: product lines priced from the catalogue,
        not core's own flows (down payments and delivery costs keep being adjusted)."""
        return self.filtered(
            lambda line: line.product_id
            and not line.display_type
            and not line.is_downpayment
            and not line._is_delivery()  # a carrier's real cost is set when the goods leave
        )

    def write(self, vals):
        """Prices locked at confirmation cannot be edited, whatever the door."""
        if {"price_unit", "discount"} & set(vals) and not self.env.context.get("b2b_unlock_prices"):
            for line in self.filtered("b2b_price_locked"):
                for name in {"price_unit", "discount"} & set(vals):
                    if line.currency_id.compare_amounts(line[name], vals[name] or 0.0) != 0:
                        raise UserError(
                            _(
                                "The price of %(product)s on %(order)s was locked when the order was confirmed.",
                                product=line.product_id.display_name,
                                order=line.order_id.name,
                            )
                        )
        return super().write(vals)

    def _b2b_engine_lines(self):
        return self.filtered(
            lambda line: line.order_id
            and line.product_id
            and line.product_uom
            and not line.display_type
            and not line.b2b_price_locked
            and line.product_type != "combo"
            and not line.combo_item_id
            and not (line.product_id.expense_policy == "cost" and line.is_expense)
        )

    @api.depends("order_id.order_line.product_uom_qty", "product_packaging_id")
    def _compute_price_unit(self):
        """The B2B engine prices the whole order at once; lines no B2B rule matches
        keep core's computation (core pricelist items), locked lines never change."""
        locked = self.filtered("b2b_price_locked")
        candidates = self._b2b_engine_lines()
        results = candidates.order_id._b2b_compute_prices(candidates) if candidates else {}
        by_rules = self.browse()
        force = self.env.context.get("force_price_recomputation")
        stored = self.browse()
        for line in candidates:
            result = results.get(line)
            manual = (line.technical_price_unit != line.price_unit and not force) or line.qty_invoiced > 0
            if not result or manual:
                continue
            line._b2b_store_result(result)
            stored |= line
            if result["rule_ids"]:
                by_rules |= line
        for line in self - stored:
            line._b2b_keep_price_info()
        res = super(SaleOrderLine, self - locked - by_rules)._compute_price_unit()
        for line in by_rules:
            price = results[line]["price"]
            company_line = line.with_context(sale_write_from_compute=True).with_company(line.company_id)
            company = company_line.env.company
            company_line.price_unit = line.product_id._get_tax_included_unit_price_from_price(
                price,
                product_taxes=line.product_id.taxes_id.filtered(lambda tax, company=company: tax.company_id == company),
                fiscal_position=line.order_id.fiscal_position_id,
            )
            company_line.technical_price_unit = company_line.price_unit
        return res

    def _b2b_keep_price_info(self):
        """Locked, manually priced or unpriceable lines keep what they have."""
        self.b2b_rule_ids = self.b2b_rule_ids
        self.b2b_promotion_ids = self.b2b_promotion_ids
        self.b2b_promotion_discount = self.b2b_promotion_discount
        self.b2b_price_explanation = self.b2b_price_explanation
        self.b2b_price_explanation_text = self.b2b_price_explanation_text

    def _b2b_store_result(self, result):
        self.b2b_rule_ids = [Command.set(result["rule_ids"])]
        self.b2b_promotion_ids = [Command.set(result["promotion_ids"])]
        self.b2b_promotion_discount = result["promotion_discount"]
        self.b2b_price_explanation = {
            "price": result["price"],
            "list_price": result["list_price"],
            "currency_id": result["currency_id"],
            "policy": result["policy"],
            "rule_ids": result["rule_ids"],
            "core_item_id": result["core_item_id"],
            "trace": result["trace"],
        }
        self.b2b_price_explanation_text = result["text"]

    @api.depends("order_id.order_line.product_uom_qty", "product_packaging_id")
    def _compute_discount(self):
        """A price from B2B rules is net: no pricelist discount on top."""
        locked = self.filtered("b2b_price_locked")
        by_rules = (self - locked).filtered("b2b_rule_ids")
        by_rules.discount = 0.0
        return super(SaleOrderLine, self - locked - by_rules)._compute_discount()

    # ------------------------------------------------------------------
    # Quantity rules
    # ------------------------------------------------------------------
    def _b2b_quantity_problems(self):
        """Messages for lines breaking a quantity rule (quantities summed per product
        over the order, for the maximum)."""
        lines = self.filtered(lambda line: line.product_id and not line.display_type)
        if not lines:
            return []
        rule_model = self.env["b2b.quantity.rule"]
        problems = []
        totals = defaultdict(float)
        for line in lines:
            totals[line.order_id, line.product_id] += line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id, raise_if_failure=False
            )
        by_order = defaultdict(list)
        for (order, product), quantity in totals.items():
            by_order[order].append((product, quantity))
        for order, pairs in by_order.items():
            checks = rule_model.b2b_check_quantities(pairs, partner=order.partner_id)
            problems.extend(check["message"] for check in checks if not check["ok"])
        return problems

    @api.onchange("product_uom_qty", "product_uom", "product_id")
    def _onchange_b2b_quantity_rule(self):
        if self.product_id and self.product_uom_qty:
            problems = self._b2b_quantity_problems()
            if problems:
                return {"warning": {"title": self.env._("Quantity rule"), "message": "\n".join(problems)}}
        return None
