from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .report_common import B2bReportCase


@tagged("post_install", "-at_install")
class TestReportPromotion(B2bReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now().replace(microsecond=0)
        day = timedelta(days=1)
        # The promotion runs from 10 days ago to in 20 days: "before" is the 10 days before it.
        cls._order(cls.north, now - 25 * day, [(cls.apple, 10, 10.0)])  # too early for "before"
        cls._order(cls.north, now - 15 * day, [(cls.apple, 5, 10.0), (cls.tea, 3, 20.0)])  # before: 50 / tea 60
        cls._order(cls.south, now - 14 * day, [(cls.apple, 2, 10.0)])  # before: 20
        cls.during = cls._order(cls.north, now - 5 * day, [(cls.apple, 12, 10.0)])  # during: 120
        cls._order(cls.south, now - 4 * day, [(cls.apple, 40, 10.0)])._action_cancel()
        # created after the orders, so that they are priced without it
        Rule = cls.env["b2b.price.rule"]
        common = {"rule_type": "promotion", "percent_price": 10, "date_start": now - 10 * day}
        cls.promo_apple = Rule.create(
            {
                **common,
                "name": "Report apple days",
                "date_end": now + 20 * day,
                "product_ids": [Command.set(cls.apple.ids)],
                "promotion_budget": 1000.0,
            }
        )
        cls.promo_goods = Rule.create(
            {
                **common,
                "name": "Report goods for Gold",
                "date_end": now + 20 * day,
                "categ_ids": [Command.set(cls.categ_root.ids)],
                "tier_ids": [Command.set(cls.tier.ids)],
            }
        )
        cls.promo_future = Rule.create(
            {
                **common,
                "name": "Report future",
                "date_start": now + 5 * day,
                "date_end": now + 9 * day,
                "product_ids": [Command.set(cls.apple.ids)],
            }
        )
        cls.env["b2b.promotion.usage"].create(
            {"promotion_id": cls.promo_apple.id, "order_id": cls.during.id, "amount": 15.0}
        )

    def setUp(self):
        super().setUp()
        self._refresh()

    def _rows(self, promotion):
        return self._groups(
            "b2b.report.promotion",
            [("promotion_id", "=", promotion.id)],
            ["dealer_id"],
            [
                "amount_before:sum",
                "amount_during:sum",
                "uplift_amount:sum",
                "qty_before:sum",
                "qty_during:sum",
                "order_count_during:sum",
                "discount_granted:sum",
            ],
        )

    def test_product_promotion_uplift_and_budget(self):
        self.assertEqual(
            self._rows(self.promo_apple),
            {
                self.north.id: (50.0, 120.0, 70.0, 5.0, 12.0, 1, 15.0),
                self.south.id: (20.0, 0.0, -20.0, 2.0, 0.0, 0, 0.0),
            },
        )
        total = self.env["b2b.report.promotion"]._read_group(
            [("promotion_id", "=", self.promo_apple.id)], [], ["uplift_amount:sum", "promotion_budget:max"]
        )
        self.assertEqual(total, [(50.0, 1000.0)])

    def test_category_and_tier_scope(self):
        """Sub-categories are in the scope; only Gold dealers (North) count."""
        self.assertEqual(self._rows(self.promo_goods), {self.north.id: (110.0, 120.0, 10.0, 8.0, 12.0, 1, 0.0)})

    def test_future_promotion_has_no_rows(self):
        self.assertEqual(self._rows(self.promo_future), {})
