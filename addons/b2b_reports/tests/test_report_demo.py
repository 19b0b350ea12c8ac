from odoo.tests import TransactionCase, tagged

REPORTS = [
    "b2b.report.sales",
    "b2b.report.product.stock",
    "b2b.report.promotion",
    "b2b.report.dealer.activity",
    "b2b.report.salesperson",
    "b2b.report.forecast",
]


@tagged("post_install", "-at_install", "b2b_demo")
class TestReportsOnDemoData(TransactionCase):
    """With the demo data (a year of orders of 8 dealers) every report shows figures."""

    def test_every_report_has_rows(self):
        if not self.env.ref("b2b_pricing.dealer_1", raise_if_not_found=False):
            self.skipTest("demo data not installed")
        self.env["b2b.report.sales"]._refresh_reports()
        company = self.env.company
        for model in REPORTS:
            self.assertTrue(self.env[model].search_count([("company_id", "=", company.id)]), f"{model} has rows")
        sales = self.env["b2b.report.sales"]._read_group(
            [("company_id", "=", company.id)], ["date:month"], ["amount:sum"]
        )
        self.assertGreaterEqual(len(sales), 10, "a year of monthly trend")
        self.assertTrue(all(amount > 0 for _month, amount in sales))
        activity = self.env["b2b.report.dealer.activity"].search(
            [("company_id", "=", company.id), ("order_count", ">", 0)]
        )
        self.assertGreaterEqual(len(activity.dealer_id), 8)
        performance = self.env["b2b.report.salesperson"]._read_group(
            [("company_id", "=", company.id)],
            [],
            ["amount_invoiced:sum", "amount_collected:sum", "new_dealer_count:sum"],
        )[0]
        self.assertTrue(all(value > 0 for value in performance), performance)
        forecast = self.env["b2b.report.forecast"].search([("company_id", "=", company.id), ("kind", "=", "forecast")])
        self.assertTrue(forecast.filtered(lambda row: row.amount > 0))
        juice = self.env["b2b.report.promotion"].search(
            [("promotion_id", "=", self.env.ref("b2b_reports.promotion_spring_juice").id)]
        )
        self.assertTrue(juice.filtered("amount_before") and juice.filtered("amount_during"), "both windows have sales")
