from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import B2bPricingCase


@tagged("post_install", "-at_install")
class TestSaleOrderPricing(B2bPricingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer.property_product_pricelist = cls.pricelist

    def order(self, lines, **vals):
        vals.setdefault("partner_id", self.dealer.id)
        vals.setdefault("pricelist_id", self.pricelist.id)
        vals["order_line"] = [(0, 0, {"product_id": product.id, "product_uom_qty": qty}) for product, qty in lines]
        return self.env["sale.order"].create(vals)

    def test_lines_priced_by_engine_with_explanation(self):
        rule = self.rule(name="Juice -10%", categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=10)
        order = self.order([(self.orange, 5), (self.chips, 2)])
        orange_line, chips_line = order.order_line
        self.assertAlmostEqual(orange_line.price_unit, 9.0)
        self.assertEqual(orange_line.b2b_rule_ids, rule)
        self.assertEqual(orange_line.discount, 0.0)
        self.assertIn("Juice -10%", orange_line.b2b_price_explanation_text)
        self.assertEqual(orange_line.b2b_price_explanation["rule_ids"], rule.ids)
        self.assertAlmostEqual(chips_line.price_unit, 4.0)
        self.assertFalse(chips_line.b2b_rule_ids)
        self.assertEqual(order.b2b_channel, "backoffice")

    def test_mixed_category_break_over_the_whole_order(self):
        self.rule(
            categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=10, min_quantity=50, quantity_scope="category"
        )
        order = self.order([(self.orange, 30), (self.apple, 20), (self.green_tea, 40)])
        orange_line, apple_line, tea_line = order.order_line
        self.assertAlmostEqual(orange_line.price_unit, 9.0)
        self.assertAlmostEqual(apple_line.price_unit, 7.2)
        self.assertAlmostEqual(tea_line.price_unit, 5.0)
        apple_line.product_uom_qty = 10
        self.assertAlmostEqual(orange_line.price_unit, 10.0, msg="the break follows the order's total juice")
        self.assertAlmostEqual(apple_line.price_unit, 8.0)

    def test_order_total_threshold_in_back_office_form(self):
        self.rule(min_order_amount=100, percent_price=5)
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.dealer
            with form.order_line.new() as line:
                line.product_id = self.orange
                line.product_uom_qty = 5
            with form.order_line.new() as line:
                line.product_id = self.apple
                line.product_uom_qty = 7
        order = form.save()
        # 5*10 + 7*8 = 106 >= 100
        self.assertEqual(order.order_line.mapped("price_unit"), [9.5, 7.6])

    def test_multi_currency(self):
        eur = self.env.ref("base.EUR") if self.currency != self.env.ref("base.EUR") else self.env.ref("base.USD")
        eur.active = True
        self.env["res.currency.rate"].search([("currency_id", "in", (eur | self.currency).ids)]).unlink()
        self.env["res.currency.rate"].create(
            {"currency_id": eur.id, "rate": 2.0, "name": "2020-01-01", "company_id": self.company.id}
        )
        foreign = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": eur.id})
        self.rule(pricelist_id=foreign.id, categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=10)
        self.rule(
            pricelist_id=foreign.id, product_ids=[(6, 0, self.green_tea.ids)], compute_price="fixed", fixed_price=3
        )
        order = self.order([(self.orange, 1), (self.green_tea, 1), (self.chips, 1)], pricelist_id=foreign.id)
        self.assertEqual(order.currency_id, eur)
        # list 10 -> 20 in the other currency, -10%; fixed prices are in the pricelist currency
        self.assertEqual(order.order_line.mapped("price_unit"), [18.0, 3.0, 8.0])
        result = self.engine.price_for(self.orange, dealer=self.dealer, pricelist=foreign, currency=self.currency)
        self.assertAlmostEqual(result[self.orange.id]["price"], 9.0)

    def test_price_locked_after_confirmation(self):
        rule = self.rule(categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=10)
        order = self.order([(self.orange, 5)])
        order.action_confirm()
        line = order.order_line
        self.assertTrue(line.b2b_price_locked)
        rule.percent_price = 50
        self.pricelist.b2b_combination_policy = "best"
        order.action_update_prices()
        line.product_uom_qty = 8
        self.orange.list_price = 100
        order.order_line.invalidate_recordset()
        self.assertAlmostEqual(line.price_unit, 9.0)
        salesman = self.env["res.users"].create(
            {
                "name": "Pricing Salesman",
                "login": "pricing_salesman_lock",
                "groups_id": [(6, 0, self.env.ref("sales_team.group_sale_salesman_all_leads").ids)],
            }
        )
        with self.assertRaisesRegex(UserError, "only a sales manager"):
            line.with_user(salesman).price_unit = 1.0
        # a deliberate correction by a sales manager goes through and is logged on the order
        manager = self.env["res.users"].create(
            {
                "name": "Pricing Manager",
                "login": "pricing_manager_lock",
                "groups_id": [(6, 0, self.env.ref("sales_team.group_sale_manager").ids)],
            }
        )
        line.with_user(manager).discount = 5.0
        self.assertEqual(line.discount, 5.0)
        self.assertTrue(
            any("Locked prices corrected by Pricing Manager" in body for body in order.message_ids.mapped("body"))
        )
        self.assertTrue(line.b2b_price_locked, "still never recomputed by the engine")
        # new lines on a confirmed order are priced, then locked
        order.write({"order_line": [(0, 0, {"product_id": self.apple.id, "product_uom_qty": 1})]})
        new_line = order.order_line - line
        self.assertTrue(new_line.b2b_price_locked)

    def test_prices_given_explicitly_are_kept(self):
        """RPC and core flows (down payments, imports) create lines one by one with their own
        price and discount: adding, changing or removing a sibling must not reprice them."""
        self.rule(categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=10)
        self.rule(min_order_amount=1, percent_price=5)
        order = self.env["sale.order"].create({"partner_id": self.dealer.id, "pricelist_id": self.pricelist.id})
        Line = self.env["sale.order.line"]
        given = Line.create(
            {
                "order_id": order.id,
                "product_id": self.orange.id,
                "product_uom_qty": 2,
                "price_unit": 100,
                "discount": 15,
            }
        )
        priced = Line.create({"order_id": order.id, "product_id": self.apple.id, "product_uom_qty": 3})
        engine_price = priced.price_unit
        self.assertTrue(priced.b2b_rule_ids, "the engine priced the line without a given price")
        self.assertLess(engine_price, 8.0)
        Line.create({"order_id": order.id, "product_id": self.chips.id, "product_uom_qty": 1, "price_unit": 3})
        priced.product_uom_qty = 4
        order.order_line.filtered(lambda line: line.product_id == self.chips).unlink()
        order.action_confirm()
        self.assertEqual((given.price_unit, given.discount), (100.0, 15.0))
        self.assertAlmostEqual(priced.price_unit, engine_price)

    def test_sibling_change_reprices_engine_lines_only(self):
        self.rule(min_order_amount=100, percent_price=5)
        order = self.order([(self.orange, 5)])
        line = order.order_line
        self.assertAlmostEqual(line.price_unit, 10.0)
        order.write({"order_line": [(0, 0, {"product_id": self.apple.id, "product_uom_qty": 7})]})
        # 5 * 10 + 7 * 8 = 106: the threshold now holds for the first line too
        self.assertAlmostEqual(line.price_unit, 9.5)
        line.price_unit = 9.9  # edited by hand: kept from now on
        order.order_line.filtered(lambda sibling: sibling != line).product_uom_qty = 1
        self.assertAlmostEqual(line.price_unit, 9.9)

    def test_copied_order_keeps_prices(self):
        self.rule(categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=10)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.dealer.id,
                "pricelist_id": self.pricelist.id,
                "order_line": [(0, 0, {"product_id": self.orange.id, "product_uom_qty": 2, "price_unit": 12.5})],
            }
        )
        copy = order.copy()
        self.assertEqual(copy.order_line.price_unit, 12.5)

    def test_draft_order_follows_rule_changes_on_update(self):
        rule = self.rule(categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=10)
        order = self.order([(self.orange, 5)])
        rule.percent_price = 20
        self.assertAlmostEqual(order.amount_untaxed, 45.0)
        order.action_update_prices()
        self.assertAlmostEqual(order.order_line.price_unit, 8.0)
        # computed in one batch, the totals and the stored explanation follow the new price
        self.assertAlmostEqual(order.amount_untaxed, 40.0)
        self.assertAlmostEqual(order.order_line.b2b_price_explanation["price"], 8.0)
        order.invalidate_recordset()
        self.assertAlmostEqual(order.amount_untaxed, 40.0)


@tagged("post_install", "-at_install")
class TestPromotions(B2bPricingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer.property_product_pricelist = cls.pricelist
        cls.dealer2.property_product_pricelist = cls.pricelist
        now = fields.Datetime.now()
        cls.promo = cls.Rule.create(
            {
                "name": "Summer juice",
                "rule_type": "promotion",
                "tier_ids": [(6, 0, cls.tier1.ids)],
                "categ_ids": [(6, 0, cls.categ_juice.ids)],
                "percent_price": 20,
                "sequence": 1,
                "date_start": now - timedelta(days=1),
                "date_end": now + timedelta(days=10),
                "promotion_budget": 50,
            }
        )

    def order(self, partner, qty):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "pricelist_id": self.pricelist.id,
                "order_line": [(0, 0, {"product_id": self.orange.id, "product_uom_qty": qty})],
            }
        )

    def test_shown_to_targeted_dealers_only(self):
        promos = self.Rule.b2b_active_promotions(self.dealer)
        self.assertEqual([promo["id"] for promo in promos], self.promo.ids)
        self.assertFalse(self.Rule.b2b_active_promotions(self.dealer2))
        self.promo.date_end = fields.Datetime.now() - timedelta(hours=1)
        self.promo.date_start = fields.Datetime.now() - timedelta(days=2)
        self.assertFalse(self.Rule.b2b_active_promotions(self.dealer))

    def test_budget_consumed_at_confirmation_and_exhausted(self):
        order = self.order(self.dealer, 10)  # 10 x (10 - 8) = 20 of discount
        line = order.order_line
        self.assertAlmostEqual(line.price_unit, 8.0)
        self.assertEqual(line.b2b_promotion_ids, self.promo)
        self.assertAlmostEqual(line.b2b_promotion_discount, 2.0)
        self.assertEqual(self.promo.promotion_budget_used, 0.0)
        order.action_confirm()
        self.assertAlmostEqual(self.promo.promotion_budget_used, 20.0)
        self.assertEqual(self.promo.promotion_usage_count, 1)
        self.assertAlmostEqual(order.b2b_promotion_usage_ids.amount, 20.0)
        too_big = self.order(self.dealer, 20)  # 40 > 30 left
        with self.assertRaisesRegex(UserError, "budget left"):
            too_big.action_confirm()
        self.assertEqual(too_big.state, "draft")
        fits = self.order(self.dealer, 15)  # 30: exactly the rest
        fits.action_confirm()
        self.assertAlmostEqual(self.promo.promotion_budget_used, 50.0)
        after = self.order(self.dealer, 5)
        self.assertAlmostEqual(after.order_line.price_unit, 10.0, msg="an exhausted promotion is not offered")
        self.assertFalse(self.Rule.b2b_active_promotions(self.dealer))
        fits._action_cancel()
        self.assertAlmostEqual(self.promo.promotion_budget_used, 20.0, msg="cancelling gives the budget back")

    def test_usage_cap(self):
        self.promo.write({"promotion_budget": 0, "promotion_usage_cap": 1})
        first = self.order(self.dealer, 1)
        second = self.order(self.dealer, 1)
        first.action_confirm()
        with self.assertRaisesRegex(UserError, "limit of 1 orders"):
            second.action_confirm()

    def test_lock_is_taken_on_the_promotion_row(self):
        order = self.order(self.dealer, 1)
        queries = []
        original = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            queries.append(str(query.code if hasattr(query, "code") else query))
            return original(cr, query, params, log_exceptions)

        from unittest.mock import patch

        with patch.object(type(self.env.cr), "execute", spy):
            order.action_confirm()
        self.assertTrue(any("FOR UPDATE" in q and "b2b_price_rule" in q for q in queries))


@tagged("post_install", "-at_install")
class TestQuantityRules(B2bPricingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        QtyRule = cls.env["b2b.quantity.rule"]
        QtyRule.create({"categ_id": cls.categ_beverages.id, "min_qty": 6})
        QtyRule.create({"categ_id": cls.categ_juice.id, "multiple_qty": 12, "max_qty": 120})
        QtyRule.create({"product_tmpl_id": cls.green_tea.product_tmpl_id.id, "min_qty": 24, "tier_id": cls.tier1.id})

    def check(self, product, qty, partner=None):
        return self.env["b2b.quantity.rule"].b2b_check_quantity(product, qty, partner=partner or self.dealer)

    def test_multiple_and_max(self):
        result = self.check(self.orange, 13)
        self.assertFalse(result["ok"])
        self.assertEqual(result["suggested_qty"], 24)
        self.assertIn("sold by 12", result["message"])
        self.assertTrue(self.check(self.orange, 24)["ok"])
        result = self.check(self.orange, 132)
        self.assertFalse(result["ok"])
        self.assertIn("at most 120", result["message"])

    def test_most_specific_rule_and_tier(self):
        self.assertFalse(self.check(self.green_tea, 12)["ok"])  # tier 1 product rule: min 24
        self.assertTrue(self.check(self.green_tea, 12, partner=self.dealer2)["ok"])  # category rule: min 6
        self.assertFalse(self.check(self.green_tea, 5, partner=self.dealer2)["ok"])
        self.assertTrue(self.check(self.chips, 1)["ok"])

    def test_enforced_at_confirmation_with_clear_message(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.dealer.id,
                "order_line": [
                    (0, 0, {"product_id": self.orange.id, "product_uom_qty": 10}),
                    (0, 0, {"product_id": self.chips.id, "product_uom_qty": 1}),
                ],
            }
        )
        with self.assertRaisesRegex(UserError, "Orange Juice 1L is sold by 12"):
            order.action_confirm()
        order.order_line[0].product_uom_qty = 12
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_many_orders_checked_in_one_pass(self):
        """Confirming orders in batch: one rule search per dealer tier, the failing order named."""
        Order = self.env["sale.order"]
        good = Order.create(
            {
                "partner_id": self.dealer.id,
                "order_line": [(0, 0, {"product_id": self.orange.id, "product_uom_qty": 24})],
            }
        )
        bad = Order.create(
            {"partner_id": self.dealer.id, "order_line": [(0, 0, {"product_id": self.orange.id, "product_uom_qty": 5})]}
        )
        orders = good | bad
        self.env.flush_all()

        def rule_queries(lines):
            self.env.invalidate_all()
            with self.assertLogs("odoo.sql_db", level="DEBUG") as logs:
                problems = lines._b2b_quantity_problems_by_order()
            return sum('FROM "b2b_quantity_rule"' in line for line in logs.output), problems

        one_order, _problems = rule_queries(bad.order_line)
        two_orders, problems = rule_queries(orders.order_line)
        self.assertTrue(one_order)
        self.assertEqual(two_orders, one_order, "one rule search per dealer tier, not per order")
        self.assertEqual(list(problems), [bad])
        with self.assertRaisesRegex(UserError, bad.name):
            orders.action_confirm()

    def test_maximum_sums_lines_of_the_same_product(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.dealer.id,
                "order_line": [(0, 0, {"product_id": self.orange.id, "product_uom_qty": 72}) for _i in range(2)],
            }
        )
        with self.assertRaisesRegex(UserError, "at most 120"):
            order.action_confirm()

    def test_quantity_in_other_uom(self):
        result = self.env["b2b.quantity.rule"].b2b_check_quantity(
            self.orange, 2, uom=self.uom_dozen, partner=self.dealer
        )
        self.assertTrue(result["ok"])


@tagged("post_install", "-at_install")
class TestChannelFromRequest(B2bPricingCase):
    def test_default_outside_requests_is_backoffice(self):
        from ..models.b2b_price_engine import channel_from_request

        self.assertEqual(channel_from_request(), "backoffice")
        order = self.env["sale.order"].create({"partner_id": self.dealer.id, "date_order": datetime(2026, 1, 1)})
        self.assertEqual(order.b2b_channel, "backoffice")
