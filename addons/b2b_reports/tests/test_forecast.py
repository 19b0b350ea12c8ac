from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.addons.b2b_reports.tools.forecast import forecast, holt, holt_winters
from odoo.tests import TransactionCase, tagged

from .report_common import B2bReportCase

SEASON = [30, 10, 20, 25, 40, 55, 80, 90, 60, 35, 20, 35]  # sums to 500: an average of 500/12 per month


@tagged("post_install", "-at_install")
class TestForecastMethod(TransactionCase):
    """The smoothing methods on series whose future is known."""

    def assertSeries(self, actual, expected, places=6):
        self.assertEqual(len(actual), len(expected))
        for got, wanted in zip(actual, expected, strict=True):
            self.assertAlmostEqual(got, wanted, places=places)

    def test_constant(self):
        self.assertSeries(forecast([50.0] * 7, 3), [50.0] * 3)
        self.assertSeries(forecast([50.0] * 30, 3), [50.0] * 3)

    def test_linear_trend(self):
        history = [100 + 20 * month for month in range(8)]  # 100 .. 240
        self.assertSeries(forecast(history, 3), [260.0, 280.0, 300.0])
        self.assertSeries(holt(history, 2, alpha=0.9, beta=0.5), [260.0, 280.0])

    def test_seasonal(self):
        history = SEASON * 3
        self.assertSeries(forecast(history, 12), SEASON)

    def test_seasonal_with_trend(self):
        history = [value + 5 * month for month, value in enumerate(SEASON * 2 + SEASON[:6])]  # 30 months
        expected = [SEASON[(30 + step) % 12] + 5 * (30 + step) for step in range(6)]
        self.assertSeries(forecast(history, 6), expected)
        self.assertSeries(holt_winters(history, 6, alpha=0.8, beta=0.6, gamma=0.9), expected)

    def test_noisy_seasonal_follows_the_season(self):
        history = [value + (3 if month % 2 else -3) for month, value in enumerate(SEASON * 3)]
        result = forecast(history, 12)
        self.assertGreater(result[7], result[1] + 50, "August stays far above February")

    def test_short_histories(self):
        self.assertEqual(forecast([], 3), [])
        self.assertEqual(forecast([42], 2), [42.0, 42.0])
        self.assertEqual(forecast([1, 2, 3], 0), [])
        with self.assertRaises(ValueError):
            holt_winters([1.0] * 23, 1)

    def test_linear_in_the_data(self):
        """Forecasts of two series add up to the forecast of their sum (fixed constants)."""
        first = [10, 40, 25, 30, 80, 15, 60, 20, 45, 50, 35, 70] * 2 + [33, 44]
        second = [5 * month % 17 for month in range(26)]
        total = [a + b for a, b in zip(first, second, strict=True)]
        self.assertSeries(
            [a + b for a, b in zip(forecast(first, 4), forecast(second, 4), strict=True)], forecast(total, 4)
        )


@tagged("post_install", "-at_install")
class TestForecastReport(B2bReportCase):
    """The forecast report on a company of its own with three months of rising sales."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Report Forecast Co", "currency_id": cls.currency.id})
        if "b2b_credit_enforce" in cls.company_b._fields:
            cls.company_b.b2b_credit_enforce = False
        cls.service = cls.env["product.product"].create(
            {
                "name": "Report Fruit Service",
                "type": "service",
                "categ_id": cls.categ_fruit.id,
                "taxes_id": [Command.clear()],
            }
        )
        cls.today = fields.Date.today()
        cls.month = cls.today.replace(day=1)
        for back, amount in ((3, 100.0), (2, 200.0), (1, 300.0)):
            day = cls.month - relativedelta(months=back) + relativedelta(days=14)
            cls._order(
                cls.north,
                datetime.combine(day, datetime.min.time()),
                [(cls.service, 1, amount)],
                company_id=cls.company_b.id,
            )
        cls._order(cls.north, fields.Datetime.now(), [(cls.service, 1, 5000.0)], company_id=cls.company_b.id)

    def _series(self, level):
        rows = self.env["b2b.report.forecast"].search(
            [("company_id", "=", self.company_b.id), ("level", "=", level)], order="date"
        )
        return [(row.date, row.kind, row.amount, row.dealer_user_id) for row in rows]

    def test_category_and_product_forecast(self):
        self._refresh()
        self.env["b2b.report.forecast"]._refresh_forecast(today=self.today)
        months = [self.month + relativedelta(months=offset) for offset in range(-3, 3)]
        expected = [
            (month, kind, amount, self.alice)
            for month, kind, amount in zip(
                months, ["actual"] * 3 + ["forecast"] * 3, [100.0, 200.0, 300.0, 400.0, 500.0, 600.0], strict=True
            )
        ]
        self.assertEqual(self._series("category"), expected, "the open month is forecast, not history")
        self.assertEqual(self._series("product"), expected)
        categories = self.env["b2b.report.forecast"].search([("company_id", "=", self.company_b.id)]).categ_id
        self.assertEqual(categories, self.categ_fruit)

    def test_refresh_replaces_rows(self):
        Forecast = self.env["b2b.report.forecast"]
        self._refresh()
        Forecast._refresh_forecast(today=self.today)
        count = Forecast.search_count([("company_id", "=", self.company_b.id)])
        Forecast._refresh_forecast(today=self.today)
        self.assertEqual(Forecast.search_count([("company_id", "=", self.company_b.id)]), count)
