from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .report_common import B2bReportCase


@tagged("post_install", "-at_install")
class TestReportProductStock(B2bReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now().replace(microsecond=0)
        Product = cls.env["product.product"]
        cls.dusty = Product.create({"name": "Report Dusty Box", "categ_id": cls.categ_fruit.id, "is_storable": True})
        cls.fresh = Product.create({"name": "Report Fresh Milk", "categ_id": cls.categ_drinks.id, "is_storable": True})
        stock = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1).lot_stock_id
        Quant = cls.env["stock.quant"]
        for product, qty in ((cls.apple, 500), (cls.dusty, 30), (cls.fresh, 10)):
            Quant._update_available_quantity(product, stock, qty)
        cls._order(cls.north, now - timedelta(days=10), [(cls.apple, 30, 10.0)])
        cls._order(cls.south, now - timedelta(days=60), [(cls.apple, 60, 10.0), (cls.fresh, 30, 2.0)])
        cls._order(cls.north, now - timedelta(days=200), [(cls.apple, 100, 10.0)])
        cls._order(cls.north, now - timedelta(days=20), [(cls.tea, 10, 20.0)])
        cls._order(cls.north, now - timedelta(days=400), [(cls.dusty, 5, 1.0)])
        cls._order(cls.south, now - timedelta(days=3), [(cls.dusty, 25, 1.0)])._action_cancel()

    def setUp(self):
        super().setUp()
        self._refresh()

    def _row(self, product):
        rows = self.env["b2b.report.product.stock"].search(
            [("product_id", "=", product.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(rows), 1)
        return rows

    def test_slow_mover_by_cover(self):
        row = self._row(self.apple)
        self.assertEqual(
            (row.qty_on_hand, row.qty_sold_30, row.qty_sold_90, row.qty_sold_365, row.amount_365, row.order_count_365),
            (500.0, 30.0, 90.0, 190.0, 1900.0, 3),
        )
        self.assertAlmostEqual(row.avg_daily_qty, 1.0)
        self.assertAlmostEqual(row.cover_days, 500.0)
        self.assertEqual((row.movement, row.slow_mover, row.days_since_sale), ("slow", True, 10))
        self.assertEqual(row.brand_id, self.brand)

    def test_no_sales_is_slow(self):
        row = self._row(self.dusty)
        self.assertEqual(
            (row.qty_on_hand, row.qty_sold_365, row.movement, row.slow_mover), (30.0, 0.0, "no_sales", True)
        )
        self.assertFalse(row.cover_days)
        self.assertFalse(row.sales_rank)
        self.assertEqual(row.days_since_sale, 400, "the last sale, even older than a year")

    def test_normal_and_out_of_stock(self):
        fresh = self._row(self.fresh)
        self.assertAlmostEqual(fresh.cover_days, 30.0)
        self.assertEqual((fresh.movement, fresh.slow_mover), ("normal", False))
        tea = self._row(self.tea)
        self.assertEqual(
            (tea.qty_on_hand, tea.qty_sold_90, tea.movement, tea.slow_mover), (0.0, 10.0, "out_of_stock", False)
        )

    def test_ranking(self):
        apple, tea, fresh = self._row(self.apple), self._row(self.tea), self._row(self.fresh)
        self.assertLess(apple.sales_rank, tea.sales_rank)
        self.assertLess(tea.sales_rank, fresh.sales_rank)
        slow = self.env["b2b.report.product.stock"].search(
            [("slow_mover", "=", True), ("product_id", "in", (self.apple | self.dusty | self.fresh | self.tea).ids)]
        )
        self.assertEqual(slow.product_id, self.apple | self.dusty)
