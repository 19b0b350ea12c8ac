from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .report_common import B2bReportCase


@tagged("post_install", "-at_install")
class TestReportDealerActivity(B2bReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        cls.now = now
        # North: every 30 days, last 10 days ago -> active, low risk
        for days in (100, 70, 40):
            cls._order(cls.north, now - timedelta(days=days), [(cls.apple, 1, 10.0)])
        cls._order(cls.north_buyer, now - timedelta(days=10), [(cls.tea, 1, 20.0)])
        # South: every 50 days, silent for 150 days -> dormant, high risk; its cancelled order does not count
        cls._order(cls.south, now - timedelta(days=200), [(cls.apple, 3, 10.0)])
        cls._order(cls.south, now - timedelta(days=150), [(cls.apple, 2, 10.0)])
        cls._order(cls.south, now - timedelta(days=5), [(cls.apple, 9, 10.0)])._action_cancel()
        # Medium: every 30 days, silent for 50 days -> still active, medium risk
        cls.medium = cls.env["res.partner"].create(
            {"name": "Report Medium Mart", "is_company": True, "user_id": cls.bob.id}
        )
        cls._order(cls.medium, now - timedelta(days=80), [(cls.apple, 1, 10.0)])
        cls._order(cls.medium, now - timedelta(days=50), [(cls.apple, 1, 10.0)])

    def setUp(self):
        super().setUp()
        self._refresh()

    def _row(self, dealer):
        rows = self.env["b2b.report.dealer.activity"].search(
            [("dealer_id", "=", dealer.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(rows), 1)
        return rows

    def test_active_dealer(self):
        row = self._row(self.north)
        self.assertEqual(
            (row.order_count, row.order_count_90, row.order_count_365, row.days_since_last_order),
            (4, 3, 4, 10),
        )
        self.assertAlmostEqual(row.avg_interval_days, 30.0)
        self.assertAlmostEqual(row.orders_per_month, 4 / 12)
        self.assertAlmostEqual(row.amount_365, 50.0)
        self.assertEqual(row.last_order_date, self.now - timedelta(days=10))
        self.assertEqual(row.first_order_date, self.now - timedelta(days=100))
        self.assertEqual((row.status, row.churn_risk), ("active", "low"))
        self.assertEqual((row.dealer_user_id, row.user_id, row.tier_id), (self.alice, self.alice, self.tier))

    def test_dormant_dealer_ignores_cancelled_orders(self):
        row = self._row(self.south)
        self.assertEqual((row.order_count, row.order_count_90, row.days_since_last_order), (2, 0, 150))
        self.assertAlmostEqual(row.avg_interval_days, 50.0)
        self.assertEqual((row.status, row.churn_risk), ("dormant", "high"))

    def test_medium_risk(self):
        row = self._row(self.medium)
        self.assertEqual((row.status, row.churn_risk, row.days_since_last_order), ("active", "medium", 50))

    def test_dealer_without_orders(self):
        row = self._row(self.idle)
        self.assertEqual((row.order_count, row.status, row.churn_risk), (0, "never", False))
        self.assertFalse(row.last_order_date)
        self.assertFalse(row.days_since_last_order)

    def test_status_counts(self):
        dealers = (self.north | self.south | self.idle | self.medium).ids
        domain = [("dealer_id", "in", dealers), ("company_id", "=", self.company.id)]
        groups = self._groups("b2b.report.dealer.activity", domain, ["status"], ["__count"])
        self.assertEqual(groups, {"active": (2,), "dormant": (1,), "never": (1,)})
