from collections import defaultdict

from markupsafe import Markup

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

    # Changing these on one line can change the engine price of its siblings (mixed quantity
    # breaks over a category, order total thresholds).
    B2B_ORDER_PRICE_INPUTS = ("product_id", "product_uom", "product_uom_qty", "product_packaging_id")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda line: line.order_id.state == "sale")._b2b_lockable().write({"b2b_price_locked": True})
        lines.order_id._b2b_reprice_engine_lines()
        return lines

    B2B_PRICE_INFO_EMPTY = {
        "b2b_rule_ids": [],
        "b2b_promotion_ids": [],
        "b2b_promotion_discount": 0.0,
        "b2b_price_explanation": False,
        "b2b_price_explanation_text": False,
    }

    def _add_precomputed_values(self, vals_list):
        """A line created with its own price (RPC, down payments, combo items, imports) is
        not priced by the engine: give it empty price information up front, so computing that
        information at creation does not run the price computation on a line whose price
        core would never compute (e.g. a combo item whose combo line is created with it)."""
        for vals in vals_list:
            if "price_unit" not in vals:
                continue
            # the form sends the computed price back with technical_price_unit equal to it
            given = vals.get("technical_price_unit") != vals["price_unit"]
            if given or vals.get("combo_item_id") or vals.get("display_type") or vals.get("is_downpayment"):
                for name, empty in self.B2B_PRICE_INFO_EMPTY.items():
                    vals.setdefault(name, empty)
        return super()._add_precomputed_values(vals_list)

    def copy_data(self, default=None):
        """A copied line keeps its price, as in core: it is given, not to be repriced."""
        vals_list = super().copy_data(default=default)
        for vals in vals_list:
            if "technical_price_unit" not in (default or {}):
                vals.pop("technical_price_unit", None)
        return vals_list

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        orders.exists()._b2b_reprice_engine_lines()
        return res

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
        """Locked prices are never recomputed. By hand, only a sales manager may still correct
        one (as Odoo allows on confirmed orders), and the correction is logged on the order;
        anyone else, through any door, gets an error."""
        corrections = self._b2b_locked_price_corrections(vals)
        res = super().write(vals)
        if set(self.B2B_ORDER_PRICE_INPUTS) & set(vals):
            self.order_id._b2b_reprice_engine_lines()
        self._b2b_log_price_corrections(corrections)
        return res

    def _b2b_locked_price_corrections(self, vals):
        """[(line, field label, old, new)] of the locked prices ``vals`` changes, or an error
        for users who may not correct them."""
        names = [name for name in ("price_unit", "discount") if name in vals]
        if not names or self.env.context.get("b2b_unlock_prices"):
            return []
        corrections = [
            (line, line._fields[name]._description_string(self.env), line[name], vals[name] or 0.0)
            for line in self.filtered("b2b_price_locked")
            for name in names
            if line.currency_id.compare_amounts(line[name], vals[name] or 0.0) != 0
        ]
        if corrections and not (self.env.su or self.env.user.has_group("sales_team.group_sale_manager")):
            line = corrections[0][0]
            raise UserError(
                _(
                    "The price of %(product)s on %(order)s was locked when the order was confirmed; "
                    "only a sales manager can correct it.",
                    product=line.product_id.display_name,
                    order=line.order_id.name,
                )
            )
        return corrections

    def _b2b_log_price_corrections(self, corrections):
        by_order = defaultdict(list)
        for line, label, old, new in corrections:
            by_order[line.order_id].append(
                _(
                    "%(product)s: %(field)s %(old)s → %(new)s",
                    product=line.product_id.display_name,
                    field=label,
                    old=old,
                    new=new,
                )
            )
        for order, changes in by_order.items():
            order._message_log(
                body=Markup("%s<ul>%s</ul>")
                % (
                    _("Locked prices corrected by %(user)s:", user=self.env.user.name),
                    Markup("").join(Markup("<li>%s</li>") % change for change in changes),
                )
            )

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

    @api.depends("product_packaging_id")
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

    @api.depends("product_packaging_id")
    def _compute_discount(self):
        """A price from B2B rules is net: no pricelist discount on top."""
        locked = self.filtered("b2b_price_locked")
        by_rules = (self - locked)._b2b_engine_lines().filtered("b2b_rule_ids")
        by_rules.discount = 0.0
        return super(SaleOrderLine, self - locked - by_rules)._compute_discount()

    # ------------------------------------------------------------------
    # Quantity rules
    # ------------------------------------------------------------------
    def _b2b_quantity_problems_by_order(self):
        """{order: [messages]} for lines breaking a quantity rule, quantities summed per product
        over each order (for the maximum); one rule search per dealer tier, not per order."""
        totals = defaultdict(float)
        for line in self.filtered(lambda line: line.product_id and not line.display_type):
            totals[line.order_id, line.product_id] += line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id, raise_if_failure=False
            )
        engine = self.env["b2b.price.engine"]
        rule_model = self.env["b2b.quantity.rule"]
        rows_by_tier = defaultdict(list)
        for (order, product), quantity in totals.items():
            dealer = engine._b2b_resolve_dealer(order.partner_id)
            rows_by_tier[dealer.b2b_tier_id].append((order, product.sudo(), quantity))
        problems = defaultdict(list)
        for tier, rows in rows_by_tier.items():
            products = self.env["product.product"].sudo().concat(*{product for _order, product, _qty in rows})
            rules = rule_model._b2b_rules_for(products, tier or None)
            for order, product, quantity in rows:
                check = rule_model._b2b_check_against_rule(product, quantity, rules.get(product.id))
                if not check["ok"]:
                    problems[order].append(check["message"])
        return problems

    def _b2b_quantity_problems(self):
        return [message for messages in self._b2b_quantity_problems_by_order().values() for message in messages]

    @api.onchange("product_uom_qty", "product_uom", "product_id")
    def _onchange_b2b_quantity_rule(self):
        if self.product_id and self.product_uom_qty:
            problems = self._b2b_quantity_problems()
            if problems:
                return {"warning": {"title": self.env._("Quantity rule"), "message": "\n".join(problems)}}
        return None
