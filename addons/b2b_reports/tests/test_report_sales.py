from datetime import date

from odoo.tests import tagged

from .report_common import B2bReportCase


@tagged("post_install", "-at_install")
class TestReportSales(B2bReportCase):
    """Purchase preferences, trend, ranking and regional figures of the sales analysis."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # January's last evening and February's first night: two months
        cls.o1 = cls._order(cls.north, "2025-01-31 23:30:00", [(cls.apple, 10, 10.0), (cls.tea, 5, 20.0)])
        cls.o2 = cls._order(cls.north_buyer, "2025-02-01 00:30:00", [(cls.apple, 4, 10.0)])
        # 200 in a currency worth half: 100 in the company currency
        cls.o3 = cls._order(
            cls.south, "2025-02-15 10:00:00", [(cls.tea, 10, 20.0)], pricelist_id=cls.foreign_pricelist.id
        )
        cancelled = cls._order(cls.south, "2025-02-16 10:00:00", [(cls.apple, 100, 10.0)])
        cancelled._action_cancel()
        cls._order(cls.south, "2025-02-17 10:00:00", [(cls.apple, 7, 10.0)], confirm=False)

    def setUp(self):
        super().setUp()
        self._refresh()
        self.domain = [("dealer_id", "in", (self.north | self.south | self.idle).ids)]

    def test_by_dealer(self):
        groups = self._groups(
            "b2b.report.sales", self.domain, ["dealer_id"], ["amount:sum", "qty:sum", "order_id:count_distinct"]
        )
        self.assertEqual(groups, {self.north.id: (240.0, 19.0, 2), self.south.id: (100.0, 10.0, 1)})

    def test_preferences_by_category_brand(self):
        by_categ = self._groups("b2b.report.sales", self.domain, ["dealer_id", "categ_id"], ["amount:sum", "qty:sum"])
        self.assertEqual(
            by_categ,
            {
                (self.north.id, self.categ_fruit.id): (140.0, 14.0),
                (self.north.id, self.categ_drinks.id): (100.0, 5.0),
                (self.south.id, self.categ_drinks.id): (100.0, 10.0),
            },
        )
        by_brand = self._groups("b2b.report.sales", self.domain, ["brand_id"], ["amount:sum"])
        self.assertEqual(by_brand, {self.brand.id: (140.0,), False: (200.0,)})

    def test_trend_by_month(self):
        by_month = self._groups("b2b.report.sales", self.domain, ["date:month"], ["amount:sum"])
        self.assertEqual(
            {key.date() if hasattr(key, "date") else key: value for key, value in by_month.items()},
            {date(2025, 1, 1): (200.0,), date(2025, 2, 1): (140.0,)},
        )

    def test_product_ranking(self):
        rows = self.env["b2b.report.sales"]._read_group(
            self.domain, ["product_id"], ["amount:sum"], order="amount:sum desc"
        )
        self.assertEqual([(product, amount) for product, amount in rows], [(self.tea, 200.0), (self.apple, 140.0)])

    def test_regional_table(self):
        groups = self._groups("b2b.report.sales", self.domain, ["country_id", "state_id", "tier_id"], ["amount:sum"])
        cn = self.env.ref("base.cn").id
        self.assertEqual(
            groups,
            {(cn, self.region_north.id, self.tier.id): (240.0,), (cn, self.region_south.id, False): (100.0,)},
        )
        codes = self.env["b2b.report.sales"].search([*self.domain, ("dealer_id", "=", self.north.id)])
        self.assertEqual(set(codes.mapped("state_code")), {self.region_north.code})
        self.assertEqual(set(codes.mapped("country_code")), {"CN"})

    def test_salesperson_dimensions(self):
        groups = self._groups("b2b.report.sales", self.domain, ["user_id", "dealer_user_id"], ["amount:sum"])
        self.assertEqual(groups, {(self.alice.id, self.alice.id): (240.0,), (self.bob.id, self.bob.id): (100.0,)})

    def test_refresh_picks_up_new_orders(self):
        """The materialized view shows a new order only after a refresh."""
        self._order(self.south, "2025-03-01 08:00:00", [(self.apple, 1, 10.0)])
        self.env.flush_all()
        self.env["b2b.report.sales"].invalidate_model()
        before = self._groups("b2b.report.sales", self.domain, ["dealer_id"], ["amount:sum"])
        self.assertEqual(before[self.south.id], (100.0,))
        self.env["b2b.report.sales"]._refresh_report(concurrently=True)
        after = self._groups("b2b.report.sales", self.domain, ["dealer_id"], ["amount:sum"])
        self.assertEqual(after[self.south.id], (110.0,))
