from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from .b2b_price_engine import channel_from_request
from .b2b_price_rule import CHANNELS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_channel = fields.Selection(
        CHANNELS,
        string="Sales Channel",
        default=lambda self: channel_from_request(),
        tracking=True,
        help="Where the order was placed; price rules can depend on it.",
    )
    b2b_promotion_usage_ids = fields.One2many("b2b.promotion.usage", "order_id", string="Promotion Usage")

    # ------------------------------------------------------------------
    # Pricing the whole order at once
    # ------------------------------------------------------------------
    def _b2b_pricing_context(self):
        self.ensure_one()
        engine = self.env["b2b.price.engine"]
        return engine._b2b_make_context(
            partner=self.partner_id,
            pricelist=self.pricelist_id,
            date=self.date_order or fields.Datetime.now(),
            channel=self.b2b_channel or channel_from_request(),
            payment_term=self.payment_term_id,
            shipping_partner=self.partner_shipping_id or None,
        )

    def _b2b_compute_prices(self, extra_lines=None):
        """{order line: engine result} for every priceable line of these orders,
        each order evaluated in one engine call (mixed breaks, order thresholds).
        ``extra_lines``: lines being created, not yet in ``order_line``."""
        engine = self.env["b2b.price.engine"]
        results = {}
        for order in self:
            lines = order.order_line
            if extra_lines:
                lines |= extra_lines.filtered(lambda line, order=order: line.order_id == order)
            lines = lines.filtered(lambda line: line.product_id and line.product_uom and not line.display_type)
            if not lines:
                continue
            ctx = order._b2b_pricing_context()
            ctx.lines = engine._b2b_make_lines(
                [
                    {
                        "key": line,
                        "product": line.product_id,
                        "qty": line.product_uom_qty or 1.0,
                        "uom": line.product_uom,
                        "packaging": line.product_packaging_id,
                    }
                    for line in lines
                ]
            )
            order_results = engine._b2b_evaluate(order.pricelist_id, ctx)
            for line, result in order_results.items():
                result["text"] = engine._b2b_format_trace(result)
                results[line] = result
        return results

    def _b2b_reprice_engine_lines(self):
        """Queue a new engine price for the lines the engine priced, when a sibling line changed.

        Not a dependency on ``order_line.product_uom_qty``: that would also reprice lines whose
        price was given explicitly (RPC, down payments, core flows), which must keep it. Lines
        priced by the engine carry an explanation; a price edited by hand differs from
        ``technical_price_unit`` and is kept, as in core."""
        lines = self.order_line.filtered(
            lambda line: line.b2b_price_explanation
            and not line.b2b_price_locked
            and not line.qty_invoiced
            and line.technical_price_unit == line.price_unit
        )
        if not lines:
            return
        line_fields = lines._fields
        for field in {
            *self.pool.field_computed.get(line_fields["price_unit"], [line_fields["price_unit"]]),
            *self.pool.field_computed.get(line_fields["discount"], [line_fields["discount"]]),
        }:
            self.env.add_to_compute(field, lines)

    def _recompute_prices(self):
        """Core calls the price computation directly, so each field the engine sets (price,
        rules, promotions, explanation) becomes one ``write`` per line: 1,400 writes for a
        200-line portal order. Run it the way the ORM runs a computation (values cached and
        flushed in one batch), then tell the ORM what changed (totals, taxes)."""
        lines = self._get_update_prices_lines()
        computed_together = self.pool.field_computed.get(lines._fields["price_unit"], [])
        with self.env.protecting(computed_together, lines):
            res = super()._recompute_prices()
        lines.modified([field.name for field in computed_together])
        return res

    def _get_update_prices_lines(self):
        """'Update prices' never touches prices locked at confirmation."""
        return super()._get_update_prices_lines().filtered(lambda line: not line.b2b_price_locked)

    # ------------------------------------------------------------------
    # Confirmation: quantity rules, promotion budgets, price lock
    # ------------------------------------------------------------------
    def action_confirm(self):
        self._b2b_check_quantity_rules()
        self._b2b_consume_promotions(spend=False)
        res = super().action_confirm()
        # Only orders really confirmed spend promotion budgets and freeze their prices: an order
        # another module kept back (e.g. a credit hold) does both when it is confirmed later.
        confirmed = self.filtered(lambda order: order.state == "sale")
        confirmed._b2b_consume_promotions()
        confirmed.order_line._b2b_lockable().filtered(lambda line: not line.b2b_price_locked).write(
            {"b2b_price_locked": True}
        )
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._b2b_release_promotions()
        return res

    def _b2b_check_quantity_rules(self):
        problems = self.order_line._b2b_quantity_problems_by_order()
        for order in self.filtered(lambda order: problems.get(order)):
            raise UserError(
                _(
                    "Order %(order)s cannot be confirmed:\n%(problems)s",
                    order=order.name,
                    problems="\n".join(problems[order]),
                )
            )

    def _b2b_lock_promotions(self, promotions):
        """Row-lock the promotions so two confirmations cannot both spend the last budget."""
        if promotions:
            self.env.cr.execute(
                SQL("SELECT id FROM b2b_price_rule WHERE id IN %s ORDER BY id FOR UPDATE", tuple(promotions.ids))
            )
            promotions.invalidate_recordset(["promotion_budget_used", "promotion_usage_count"])

    def _b2b_consume_promotions(self, spend=True):
        """Check the promotion budgets and caps these orders need (rows locked), and with
        ``spend`` record the usage; without it only check, so nothing is spent twice."""
        usage = defaultdict(float)  # (order, promotion) -> discount granted
        for line in self.order_line:
            if line.b2b_price_locked or not line.b2b_promotion_ids:
                continue
            share = line.b2b_promotion_discount * line.product_uom_qty / len(line.b2b_promotion_ids)
            for promotion in line.b2b_promotion_ids:
                usage[line.order_id, promotion] += share
        if not usage:
            return
        promotions = self.env["b2b.price.rule"].sudo().concat(*{promotion for _order, promotion in usage})
        self._b2b_lock_promotions(promotions)
        vals_by_promotion = {}
        usage_vals = []
        for (order, promotion_record), granted in usage.items():
            promotion = promotion_record.sudo()
            used, count = vals_by_promotion.get(
                promotion, (promotion.promotion_budget_used, promotion.promotion_usage_count)
            )
            amount = order.currency_id._convert(granted, promotion.currency_id, order.company_id, order.date_order)
            if promotion.promotion_budget and (
                float_compare(
                    used + amount, promotion.promotion_budget, precision_rounding=promotion.currency_id.rounding
                )
                > 0
            ):
                raise UserError(
                    _(
                        "Promotion '%(promotion)s' has %(left)s of budget left, this order needs %(needed)s. "
                        "Update the prices of %(order)s to continue without it.",
                        promotion=promotion.name,
                        left=promotion.currency_id.format(max(promotion.promotion_budget - used, 0.0)),
                        needed=promotion.currency_id.format(amount),
                        order=order.name,
                    )
                )
            if promotion.promotion_usage_cap and count + 1 > promotion.promotion_usage_cap:
                raise UserError(
                    _(
                        "Promotion '%(promotion)s' reached its limit of %(cap)s orders. "
                        "Update the prices of %(order)s to continue without it.",
                        promotion=promotion.name,
                        cap=promotion.promotion_usage_cap,
                        order=order.name,
                    )
                )
            vals_by_promotion[promotion] = (used + amount, count + 1)
            usage_vals.append({"promotion_id": promotion.id, "order_id": order.id, "amount": amount})
        if not spend:
            return
        self.env["b2b.promotion.usage"].sudo().create(usage_vals)
        for promotion, (used, count) in vals_by_promotion.items():
            promotion.write({"promotion_budget_used": used, "promotion_usage_count": count})

    def _b2b_release_promotions(self):
        usages = self.env["b2b.promotion.usage"].sudo().search([("order_id", "in", self.ids)])
        if not usages:
            return
        self._b2b_lock_promotions(usages.promotion_id)
        for promotion in usages.promotion_id:
            mine = usages.filtered(lambda usage, promotion=promotion: usage.promotion_id == promotion)
            promotion.write(
                {
                    "promotion_budget_used": max(promotion.promotion_budget_used - sum(mine.mapped("amount")), 0.0),
                    "promotion_usage_count": max(promotion.promotion_usage_count - len(mine.order_id), 0),
                }
            )
        usages.unlink()

    @api.model
    def b2b_check_quantity(self, product, quantity, uom=None, partner=None):
        """Shortcut for the portal / quick order (see b2b.quantity.rule)."""
        return self.env["b2b.quantity.rule"].b2b_check_quantity(product, quantity, uom=uom, partner=partner)
