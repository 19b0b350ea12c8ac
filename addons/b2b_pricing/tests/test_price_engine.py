from datetime import datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import B2bPricingCase


@tagged("post_install", "-at_install")
class TestPriceEngineDimensions(B2bPricingCase):
    """One test per condition type: the rule applies when it matches, not otherwise."""

    def assertPrice(self, product, expected, **kwargs):
        self.assertAlmostEqual(self.price(product, **kwargs)["price"], expected, places=4)

    def test_no_rule_is_list_price(self):
        self.assertPrice(self.orange, 10.0)

    def test_tier(self):
        self.rule(tier_ids=[(6, 0, self.tier1.ids)], percent_price=10, pricelist_id=False)
        self.assertPrice(self.orange, 9.0)
        self.assertPrice(self.orange, 10.0, dealer=self.dealer2)

    def test_dealer_contract_price(self):
        self.rule(partner_ids=[(6, 0, self.dealer.ids)], compute_price="fixed", fixed_price=7.5, pricelist_id=False)
        self.assertPrice(self.orange, 7.5)
        self.assertPrice(self.orange, 10.0, dealer=self.dealer2)
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.dealer.id})
        self.assertPrice(self.orange, 7.5, dealer=contact)

    def test_segment(self):
        self.rule(partner_category_ids=[(6, 0, self.segment.ids)], percent_price=5, pricelist_id=False)
        self.assertPrice(self.orange, 9.5)
        self.assertPrice(self.orange, 10.0, dealer=self.dealer2)

    def test_product_and_variant(self):
        self.rule(product_tmpl_ids=[(6, 0, self.orange.product_tmpl_id.ids)], compute_price="fixed", fixed_price=9)
        self.rule(product_ids=[(6, 0, self.apple.ids)], compute_price="fixed", fixed_price=7)
        self.assertPrice(self.orange, 9.0)
        self.assertPrice(self.apple, 7.0)
        self.assertPrice(self.green_tea, 5.0)

    def test_category_includes_children(self):
        self.rule(categ_ids=[(6, 0, self.categ_beverages.ids)], percent_price=20)
        self.assertPrice(self.orange, 8.0)
        self.assertPrice(self.green_tea, 4.0)
        self.assertPrice(self.chips, 4.0)

    def test_tag_brand(self):
        self.rule(product_tag_ids=[(6, 0, self.tag_brand.ids)], percent_price=50)
        self.assertPrice(self.orange, 5.0)
        self.assertPrice(self.apple, 8.0)

    def test_channel(self):
        self.rule(channel="portal", percent_price=10)
        self.assertPrice(self.orange, 9.0, channel="portal")
        self.assertPrice(self.orange, 10.0, channel="backoffice")
        self.assertPrice(self.orange, 10.0, channel="api")

    def test_region_country_state_group(self):
        self.rule(country_ids=[(6, 0, self.country_cn.ids)], percent_price=10, sequence=1)
        self.assertPrice(self.orange, 9.0)
        self.assertPrice(self.orange, 10.0, dealer=self.dealer2)
        group = self.env["res.country.group"].create({"name": "EU-ish", "country_ids": [(6, 0, self.country_fr.ids)]})
        self.rule(country_group_ids=[(6, 0, group.ids)], percent_price=30, pricelist_id=False)
        self.assertPrice(self.orange, 7.0, dealer=self.dealer2)
        self.rule(state_ids=[(6, 0, self.state_zj.ids)], percent_price=40, sequence=0)
        self.assertPrice(self.orange, 6.0)
        other_state = self.env["res.partner"].create(
            {
                "name": "Ship elsewhere",
                "country_id": self.country_cn.id,
                "parent_id": self.dealer.id,
                "type": "delivery",
            }
        )
        self.assertPrice(self.orange, 9.0, shipping_partner=other_state)

    def test_date_window(self):
        self.rule(date_start=datetime(2026, 7, 1), date_end=datetime(2026, 7, 31, 23, 59), percent_price=10)
        self.assertPrice(self.orange, 9.0)
        self.assertPrice(self.orange, 10.0, date=datetime(2026, 8, 1))
        self.assertPrice(self.orange, 10.0, date=datetime(2026, 6, 30))

    def test_season_months(self):
        self.rule(season_months="6-8, 12", percent_price=10)
        self.assertPrice(self.orange, 9.0)
        self.assertPrice(self.orange, 9.0, date=datetime(2025, 12, 2))
        self.assertPrice(self.orange, 10.0, date=datetime(2026, 9, 1))

    def test_quantity_breaks_per_line(self):
        self.rule(categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=5, min_quantity=10)
        self.rule(categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=10, min_quantity=50)
        self.assertPrice(self.orange, 10.0, qty=9)
        self.assertPrice(self.orange, 9.5, qty=10)
        self.assertPrice(self.orange, 9.0, qty=50)

    def test_quantity_break_mixed_across_category(self):
        """Any 50 cases of juice: orange and apple quantities add up."""
        self.rule(
            categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=10, min_quantity=50, quantity_scope="category"
        )
        result = self.engine.price_for(
            self.orange, dealer=self.dealer, quantities=30, date=self.now, order_lines=[(self.apple, 20, None)]
        )
        self.assertAlmostEqual(result[self.orange.id]["price"], 9.0)
        result = self.engine.price_for(
            self.orange, dealer=self.dealer, quantities=30, date=self.now, order_lines=[(self.green_tea, 20, None)]
        )
        self.assertAlmostEqual(result[self.orange.id]["price"], 10.0)

    def test_products_priced_together_do_not_add_up(self):
        """A catalogue prices products side by side: they are not one order."""
        self.rule(
            categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=10, min_quantity=50, quantity_scope="category"
        )
        self.rule(min_order_amount=500, percent_price=3, sequence=99)
        results = self.engine.price_for(self.orange | self.apple, dealer=self.dealer, quantities=30, date=self.now)
        self.assertAlmostEqual(results[self.orange.id]["price"], 10.0)
        self.assertAlmostEqual(results[self.apple.id]["price"], 8.0)

    def test_order_total_threshold(self):
        self.rule(min_order_amount=500, percent_price=3)
        self.assertPrice(self.orange, 10.0, qty=49)
        self.assertPrice(self.orange, 9.7, qty=50)

    def test_uom(self):
        self.rule(uom_ids=[(6, 0, self.uom_dozen.ids)], percent_price=10)
        self.assertPrice(self.orange, 10.0)
        # priced per dozen: 12 x 10 = 120, -10%
        self.assertPrice(self.orange, 108.0, uom=self.uom_dozen)

    def test_packaging_whole_cases_only(self):
        packaging = self.env["product.packaging"].create({"name": "Case", "product_id": self.orange.id, "qty": 12})
        self.rule(packaging_required=True, percent_price=10)
        ctx = self.engine._b2b_make_context(self.dealer, self.pricelist, date=self.now, channel="backoffice")

        def price(qty, pack):
            ctx.lines = self.engine._b2b_make_lines(
                [{"key": 1, "product": self.orange, "qty": qty, "uom": self.uom_unit, "packaging": pack}]
            )
            ctx.order_amount = None
            ctx._qty_cache = {}
            return self.engine._b2b_evaluate(self.pricelist, ctx)[1]["price"]

        self.assertAlmostEqual(price(24, packaging), 9.0)
        self.assertAlmostEqual(price(25, packaging), 10.0)
        self.assertAlmostEqual(price(24, self.env["product.packaging"]), 10.0)

    def test_payment_term(self):
        self.rule(payment_term_ids=[(6, 0, self.term_immediate.ids)], percent_price=2)
        self.assertPrice(self.orange, 9.8, payment_term=self.term_immediate)
        self.assertPrice(self.orange, 10.0, payment_term=self.term_30)


@tagged("post_install", "-at_install")
class TestPriceEngineActions(B2bPricingCase):
    def test_formula_over_cost_with_rounding_and_margins(self):
        self.rule(compute_price="formula", base="standard_price", price_discount=-50, price_round=0.5)
        # cost 6 + 50% = 9.0
        self.assertAlmostEqual(self.price(self.orange)["price"], 9.0)
        # cost 5 + 50% = 7.5
        self.assertAlmostEqual(self.price(self.apple)["price"], 7.5)
        rule = self.rule(
            compute_price="formula",
            base="list_price",
            price_discount=30,
            price_surcharge=0.15,
            price_round=0.1,
            price_min_margin=-2.5,
            sequence=1,
        )
        # 10 - 30% = 7.0 + 0.15 = 7.15, but not below 10 - 2.5 = 7.5
        self.assertAlmostEqual(self.price(self.orange)["price"], 7.5)
        rule.write({"price_min_margin": 0, "price_max_margin": -3.5})
        self.assertAlmostEqual(self.price(self.orange)["price"], 6.5)

    def test_formula_over_other_pricelist(self):
        base = self.env["product.pricelist"].create({"name": "Base", "currency_id": self.currency.id})
        self.rule(pricelist_id=base.id, percent_price=10)
        self.rule(compute_price="formula", base="pricelist", base_pricelist_id=base.id, price_discount=10)
        self.assertAlmostEqual(self.price(self.orange)["price"], 8.1)

    def test_core_items_price_unmatched_products(self):
        self.env["product.pricelist.item"].create(
            {"pricelist_id": self.pricelist.id, "compute_price": "fixed", "fixed_price": 3.3, "applied_on": "3_global"}
        )
        self.rule(product_ids=[(6, 0, self.orange.ids)], compute_price="fixed", fixed_price=9)
        self.assertAlmostEqual(self.price(self.orange)["price"], 9.0)
        result = self.price(self.apple)
        self.assertAlmostEqual(result["price"], 3.3)
        self.assertTrue(result["core_item_id"])
        self.assertEqual(result["trace"][0]["status"], "fallback")

    def test_same_prices_as_core_chain(self):
        """A core pricelist and its B2B translation give identical prices."""
        core = self.env["product.pricelist"].create({"name": "Core", "currency_id": self.currency.id})
        base = self.env["product.pricelist"].create({"name": "Core base", "currency_id": self.currency.id})
        item = self.env["product.pricelist.item"]
        item.create(
            {
                "pricelist_id": base.id,
                "applied_on": "2_product_category",
                "categ_id": self.categ_beverages.id,
                "compute_price": "percentage",
                "percent_price": 7,
            }
        )
        for min_qty, discount in ((0, 5), (10, 8), (50, 12)):
            item.create(
                {
                    "pricelist_id": core.id,
                    "applied_on": "2_product_category",
                    "categ_id": self.categ_juice.id,
                    "compute_price": "formula",
                    "base": "pricelist",
                    "base_pricelist_id": base.id,
                    "price_discount": discount,
                    "price_round": 0.05,
                    "min_quantity": min_qty,
                }
            )
        item.create(
            {
                "pricelist_id": core.id,
                "applied_on": "0_product_variant",
                "product_id": self.apple.id,
                "compute_price": "fixed",
                "fixed_price": 6.66,
            }
        )
        item.create(
            {
                "pricelist_id": core.id,
                "applied_on": "1_product",
                "product_tmpl_id": self.green_tea.product_tmpl_id.id,
                "compute_price": "percentage",
                "percent_price": 15,
                "date_start": datetime(2026, 7, 1),
                "date_end": datetime(2026, 7, 31),
            }
        )
        ours = self.env["product.pricelist"].create({"name": "Ours", "currency_id": self.currency.id})
        our_base = self.env["product.pricelist"].create({"name": "Ours base", "currency_id": self.currency.id})
        self.rule(pricelist_id=our_base.id, categ_ids=[(6, 0, self.categ_beverages.ids)], percent_price=7)
        for min_qty, discount in ((0, 5), (10, 8), (50, 12)):
            self.rule(
                pricelist_id=ours.id,
                categ_ids=[(6, 0, self.categ_juice.ids)],
                compute_price="formula",
                base="pricelist",
                base_pricelist_id=our_base.id,
                price_discount=discount,
                price_round=0.05,
                min_quantity=min_qty,
            )
        self.rule(pricelist_id=ours.id, product_ids=[(6, 0, self.apple.ids)], compute_price="fixed", fixed_price=6.66)
        self.rule(
            pricelist_id=ours.id,
            product_tmpl_ids=[(6, 0, self.green_tea.product_tmpl_id.ids)],
            percent_price=15,
            date_start=datetime(2026, 7, 1),
            date_end=datetime(2026, 7, 31),
        )
        for qty in (1, 10, 49, 50, 100):
            for date in (self.now, datetime(2026, 8, 2)):
                expected = core._get_products_price(self.products, qty, date=date)
                ours_prices = self.engine.price_for(
                    self.products, pricelist=ours, quantities=qty, date=date, explain=False
                )
                for product in self.products:
                    self.assertAlmostEqual(
                        ours_prices[product.id]["price"], expected[product.id], places=6,
                        msg=f"{product.name} qty {qty} {date}",
                    )  # fmt: skip


@tagged("post_install", "-at_install")
class TestCombinationPolicies(B2bPricingCase):
    def setUp(self):
        super().setUp()
        self.fixed = self.rule(name="Fixed 9.5", compute_price="fixed", fixed_price=9.5, sequence=1)
        self.discount = self.rule(
            name="Juice -10%", categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=10, sequence=2
        )
        self.discount2 = self.rule(
            name="Brand -20%", product_tag_ids=[(6, 0, self.tag_brand.ids)], percent_price=20, sequence=3
        )

    def test_first_match_by_priority(self):
        self.pricelist.b2b_combination_policy = "first"
        result = self.price(self.orange)
        self.assertAlmostEqual(result["price"], 9.5)
        self.assertEqual(result["rule_ids"], self.fixed.ids)
        skipped = {entry["rule_id"] for entry in result["trace"] if entry["status"] == "skipped"}
        self.assertEqual(skipped, {self.discount.id, self.discount2.id})

    def test_best_price(self):
        self.pricelist.b2b_combination_policy = "best"
        result = self.price(self.orange)
        self.assertAlmostEqual(result["price"], 8.0)
        self.assertEqual(result["rule_ids"], self.discount2.ids)

    def test_cumulative_with_cap(self):
        self.pricelist.b2b_combination_policy = "cumulative"
        result = self.price(self.orange)
        # 9.5 * 0.9 * 0.8 = 6.84
        self.assertAlmostEqual(result["price"], 6.84)
        self.assertEqual(set(result["rule_ids"]), {self.fixed.id, self.discount.id, self.discount2.id})
        self.pricelist.b2b_discount_cap = 25
        result = self.price(self.orange)
        self.assertAlmostEqual(result["price"], 9.5 * 0.75)
        self.assertIn("capped", [entry["status"] for entry in result["trace"]])


@tagged("post_install", "-at_install")
class TestExplanationAndBulk(B2bPricingCase):
    def test_explanation_content(self):
        applied = self.rule(
            name="Juice T1",
            tier_ids=[(6, 0, self.tier1.ids)],
            categ_ids=[(6, 0, self.categ_juice.ids)],
            percent_price=10,
            sequence=5,
        )
        outranked = self.rule(name="Juice all", categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=3, sequence=9)
        other_tier = self.rule(
            name="Juice T2",
            tier_ids=[(6, 0, self.tier2.ids)],
            categ_ids=[(6, 0, self.categ_juice.ids)],
            percent_price=30,
            sequence=1,
        )
        big_qty = self.rule(
            name="Juice x100", categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=40, min_quantity=100, sequence=1
        )
        result = self.price(self.orange)
        by_rule = {entry["rule_id"]: entry for entry in result["trace"]}
        self.assertEqual(by_rule[applied.id]["status"], "applied")
        self.assertEqual(by_rule[outranked.id]["status"], "skipped")
        self.assertIn("Juice T1", by_rule[outranked.id]["reason"])
        self.assertEqual(by_rule[other_tier.id]["status"], "not_matched")
        self.assertIn("tier", by_rule[other_tier.id]["reason"].lower())
        self.assertEqual(by_rule[big_qty.id]["status"], "not_matched")
        self.assertIn("break", by_rule[big_qty.id]["reason"])
        self.assertIn("Juice T1", result["text"])
        self.assertIn("9.0", result["text"])

    def test_bounded_queries_independent_of_n(self):
        for index in range(20):
            self.rule(
                name=f"R{index}", categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=index, min_quantity=index
            )
        self.rule(
            compute_price="formula",
            base="standard_price",
            price_discount=-30,
            tier_ids=[(6, 0, self.tier1.ids)],
            categ_ids=[(6, 0, self.categ_tea.ids)],
        )

        def create(count, offset):
            categs = (self.categ_juice, self.categ_tea, self.categ_snacks)
            return self.env["product.product"].create(
                [
                    {"name": f"Bulk {offset + i}", "list_price": 5 + i, "categ_id": categs[i % 3].id}
                    for i in range(count)
                ]
            )

        few = create(3, 0)  # one of each category: same rule kinds as the big set
        many = create(90, 3) | few

        def count(products):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.engine.price_for(products, dealer=self.dealer, quantities=10, date=self.now)
            return self.env.cr.sql_log_count - before

        count(few)  # warm caches that do not depend on N (translations, rates...)
        self.assertLessEqual(count(many), count(few) + 1)


@tagged("post_install", "-at_install")
class TestSimulator(B2bPricingCase):
    def test_dealers_and_tiers_across_products_and_quantities(self):
        self.rule(tier_ids=[(6, 0, self.tier1.ids)], categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=10)
        self.rule(categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=20, min_quantity=12, sequence=1)
        wizard = self.env["b2b.price.simulator"].create(
            {
                "partner_ids": [(6, 0, self.dealer2.ids)],
                "tier_ids": [(6, 0, self.tier1.ids)],
                "product_ids": [(6, 0, (self.orange | self.chips).ids)],
                "quantities": "1, 12",
                "date": self.now,
            }
        )
        wizard.action_simulate()
        prices = {
            (line.partner_id.id, line.tier_id.id, line.product_id.id, line.quantity): line.price
            for line in wizard.line_ids
        }
        self.assertEqual(len(prices), 8)
        self.assertAlmostEqual(prices[False, self.tier1.id, self.orange.id, 1], 9.0)
        self.assertAlmostEqual(prices[False, self.tier1.id, self.orange.id, 12], 8.0)
        self.assertAlmostEqual(prices[self.dealer2.id, self.tier2.id, self.orange.id, 1], 10.0)
        self.assertAlmostEqual(prices[self.dealer2.id, self.tier2.id, self.chips.id, 12], 4.0)
        line = wizard.line_ids.filtered(
            lambda res: res.tier_id == self.tier1 and res.quantity == 12 and res.product_id == self.orange
        )
        self.assertIn("Skipped", line.explanation)

    def test_bad_quantities_refused(self):
        from odoo.exceptions import UserError

        wizard = self.env["b2b.price.simulator"].create(
            {"tier_ids": [(6, 0, self.tier1.ids)], "product_ids": [(6, 0, self.orange.ids)], "quantities": "ten"}
        )
        with self.assertRaises(UserError):
            wizard.action_simulate()


@tagged("post_install", "-at_install")
class TestRuleValidation(B2bPricingCase):
    def test_end_before_start_refused(self):
        with self.assertRaises(ValidationError):
            self.rule(date_start=datetime(2026, 5, 1), date_end=datetime(2026, 4, 1))

    @mute_logger("odoo.sql_db")
    def test_negative_prices_refused(self):
        from psycopg2 import IntegrityError

        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.rule(compute_price="fixed", fixed_price=-1)
        with self.assertRaises(ValidationError):
            self.rule(percent_price=150)

    def test_bad_season_refused(self):
        with self.assertRaises(ValidationError):
            self.rule(season_months="13")
        with self.assertRaises(ValidationError):
            self.rule(season_months="summer")

    def test_contradicting_rules_flagged(self):
        first = self.rule(name="A", categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=5)
        second = self.rule(name="B", categ_ids=[(6, 0, self.categ_juice.ids)], percent_price=7)
        self.assertIn("A", second.conflict_warning)
        self.assertTrue(first.conflict_warning)
        second.sequence = 11
        (first | second).invalidate_recordset(["conflict_warning"])
        self.assertFalse(second.conflict_warning)
        self.assertFalse(first.conflict_warning)

    def test_base_pricelist_loop_refused_not_crash(self):
        other = self.env["product.pricelist"].create({"name": "Other"})
        self.rule(compute_price="formula", base="pricelist", base_pricelist_id=other.id)
        self.rule(pricelist_id=other.id, compute_price="formula", base="pricelist", base_pricelist_id=self.pricelist.id)
        from odoo.exceptions import UserError

        with self.assertRaises(UserError):
            self.price(self.orange)

    def test_changes_are_tracked(self):
        rule = self.Rule.with_context(tracking_disable=False).create(
            {"name": "Tracked", "pricelist_id": self.pricelist.id, "percent_price": 5}
        )
        self.env.cr.precommit.run()
        rule.with_context(tracking_disable=False).percent_price = 8
        self.env.cr.precommit.run()
        values = rule.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "percent_price")
        last = values.sorted("id")[-1]
        self.assertEqual((last.old_value_float, last.new_value_float), (5, 8))
        self.assertEqual(last.mail_message_id.author_id, self.env.user.partner_id)
