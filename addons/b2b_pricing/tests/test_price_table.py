from odoo.tests import tagged

from .common import B2bPricingCase


@tagged("post_install", "-at_install")
class TestPriceTable(B2bPricingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Table = cls.env["b2b.price.table"]
        cls.juice_rule = cls.Rule.create(
            {"name": "Juice", "pricelist_id": cls.pricelist.id, "categ_ids": [(6, 0, cls.categ_juice.ids)],
             "percent_price": 10, "tier_ids": [(6, 0, cls.tier1.ids)]}
        )  # fmt: skip

    def rows(self):
        return {row.product_id: row for row in self.Table.search([("pricelist_id", "=", self.pricelist.id)])}

    def test_reader_fills_rows_then_reads_in_one_query(self):
        prices = self.Table._b2b_get_table_prices(self.pricelist, self.products)
        self.assertAlmostEqual(prices[self.orange.id], 9.0, msg="the table prices for the pricelist's tier")
        self.assertAlmostEqual(prices[self.chips.id], 4.0)
        self.assertEqual(len(self.rows()), 4)
        more = self.env["product.product"].create(
            [{"name": f"P{i}", "list_price": i, "categ_id": self.categ_juice.id} for i in range(1, 45)]
        )
        self.Table._b2b_get_table_prices(self.pricelist, more)
        page = more | self.products
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            prices = self.Table._b2b_get_table_prices(self.pricelist, page)
        self.assertEqual(len(prices), 48)

    def test_only_affected_rows_are_invalidated(self):
        self.Table._b2b_get_table_prices(self.pricelist, self.products)
        self.juice_rule.percent_price = 20
        rows = self.rows()
        self.assertTrue(rows[self.orange].dirty and rows[self.apple].dirty)
        self.assertFalse(rows[self.green_tea].dirty or rows[self.chips].dirty)
        prices = self.Table._b2b_get_table_prices(self.pricelist, self.products)
        self.assertAlmostEqual(prices[self.orange.id], 8.0)
        self.assertFalse(self.rows()[self.orange].dirty)

        self.chips.list_price = 6
        rows = self.rows()
        self.assertTrue(rows[self.chips].dirty)
        self.assertFalse(rows[self.orange].dirty)
        self.green_tea.categ_id = self.categ_juice
        self.assertTrue(self.rows()[self.green_tea].dirty)
        self.env["b2b.price.table"]._cron_refresh_dirty()
        rows = self.rows()
        self.assertFalse(any(row.dirty for row in rows.values()))
        self.assertAlmostEqual(rows[self.chips].price, 6.0)
        self.assertAlmostEqual(rows[self.green_tea].price, 4.0)

    def test_tier_and_pricelist_changes(self):
        self.Table._b2b_get_table_prices(self.pricelist, self.products)
        self.tier1.pricelist_id = self.pricelist_t2
        self.assertTrue(all(row.dirty for row in self.rows().values()))
        prices = self.Table._b2b_get_table_prices(self.pricelist, self.products)
        self.assertAlmostEqual(prices[self.orange.id], 10.0, msg="no tier uses the pricelist any more")
        self.pricelist.b2b_combination_policy = "best"
        self.assertTrue(all(row.dirty for row in self.rows().values()))

    def test_dated_rows_expire(self):
        from datetime import timedelta

        from odoo import fields

        now = fields.Datetime.now()
        self.Rule.create(
            {
                "name": "Soon",
                "pricelist_id": self.pricelist.id,
                "percent_price": 50,
                "date_start": now + timedelta(days=2),
            }
        )
        self.Table._b2b_get_table_prices(self.pricelist, self.products)
        self.assertEqual(self.rows()[self.chips].expires_at, (now + timedelta(days=2)).replace(microsecond=0))

    def test_dealer_specific_rules_applied_on_top(self):
        self.Rule.create(
            {"name": "Contract", "partner_ids": [(6, 0, self.dealer.ids)], "product_ids": [(6, 0, self.apple.ids)],
             "compute_price": "fixed", "fixed_price": 5.0, "sequence": 1}
        )  # fmt: skip
        self.dealer.property_product_pricelist = self.pricelist
        prices = self.Table.with_context(b2b_dealer_id=self.dealer.id).b2b_catalogue_prices(self.products)
        self.assertAlmostEqual(prices[self.apple.id], 5.0)
        self.assertAlmostEqual(prices[self.orange.id], 9.0)
