from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestKpiDemo(TransactionCase):
    """The demo shows figures: the demo order history gives the dashboard values and the
    demo generated the last months' scorecards."""

    def setUp(self):
        super().setUp()
        if not self.env["ir.module.module"].search([("name", "=", "b2b_reports")]).demo:
            self.skipTest("no demo data")

    def test_demo_dashboard_and_scorecards(self):
        company = self.env.ref("base.main_company")
        today = fields.Date.today()
        month = today.replace(day=1) - relativedelta(months=1)
        overall = self.env["b2b.health.scorecard"].search(
            [("company_id", "=", company.id), ("month", "=", month), ("dealer_id", "=", False)]
        )
        self.assertEqual(len(overall), 1)
        self.assertGreater(overall.dealer_count, 0)
        self.assertGreater(overall.score, 0)
        dashboard = self.env["b2b.kpi"].with_company(company).b2b_kpi_dashboard(month - relativedelta(months=5), today)
        values = dashboard["values"]
        self.assertGreater(values["order_count"], 0)
        self.assertIsNotNone(values["online_rate"])
        self.assertIsNotNone(values["processing_minutes"])
        self.assertGreater(values["portal_dealer_count"], 0)
