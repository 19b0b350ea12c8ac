from odoo import Command
from odoo.tests import tagged

from .report_common import B2bReportCase

REPORTS = {
    "b2b.report.sales": "dealer_id",
    "b2b.report.dealer.activity": "dealer_id",
    "b2b.report.salesperson": "dealer_id",
    "b2b.report.promotion": "dealer_id",
}


@tagged("post_install", "-at_install")
class TestReportSecurity(B2bReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._user("Maggie Report", "b2b_report_manager", cls.env.ref("sales_team.group_sale_manager"))
        cls._order(cls.north, "2025-03-03 10:00:00", [(cls.apple, 10, 10.0)])
        cls._order(cls.south, "2025-03-04 10:00:00", [(cls.tea, 5, 20.0)])
        # Alice sold once to Bob's dealer: she sees that order, not South's others
        cls.alice_south = cls._order(cls.south, "2025-03-05 10:00:00", [(cls.apple, 1, 10.0)], user=cls.alice)
        cls.company_b = cls.env["res.company"].create({"name": "Report Other Co", "currency_id": cls.currency.id})
        if "b2b_credit_enforce" in cls.company_b._fields:
            cls.company_b.b2b_credit_enforce = False
        service = cls.env["product.product"].create(
            {"name": "Report Other Service", "type": "service", "taxes_id": [Command.clear()]}
        )
        cls._order(cls.north, "2025-03-06 10:00:00", [(service, 1, 999.0)], company_id=cls.company_b.id)
        cls.env["b2b.price.rule"].create(
            {
                "name": "Report security promo",
                "rule_type": "promotion",
                "percent_price": 5,
                "date_start": "2025-03-01 00:00:00",
                "date_end": "2025-03-31 00:00:00",
                "product_ids": [Command.set((cls.apple | cls.tea).ids)],
            }
        )

    def setUp(self):
        super().setUp()
        self._refresh()
        self.dealers = (self.north | self.south).ids

    def _sales(self, user):
        rows = self.env["b2b.report.sales"].with_user(user).search([("dealer_id", "in", self.dealers)])
        return {(row.dealer_id.id, row.amount) for row in rows}

    def test_without_setting_salespeople_see_all_dealers(self):
        self.assertEqual(
            self._sales(self.alice), {(self.north.id, 100.0), (self.south.id, 100.0), (self.south.id, 10.0)}
        )

    def test_own_dealers_setting(self):
        self.env["res.config.settings"].create({"group_b2b_reports_own_dealers": True}).execute()
        self.assertTrue(self.alice.has_group("b2b_reports.group_b2b_reports_own_dealers"))
        self.assertEqual(self._sales(self.alice), {(self.north.id, 100.0), (self.south.id, 10.0)})
        self.assertEqual(self._sales(self.bob), {(self.south.id, 100.0), (self.south.id, 10.0)})
        everything = {(self.north.id, 100.0), (self.south.id, 100.0), (self.south.id, 10.0)}
        self.assertEqual(self._sales(self.manager), everything, "managers keep everything")
        for model, field in REPORTS.items():
            Report = self.env[model]
            seen = Report.with_user(self.alice).search([(field, "in", self.dealers)])
            self.assertTrue(seen, model)
            for row in seen:
                self.assertTrue(
                    row.dealer_user_id == self.alice or ("user_id" in Report._fields and row.user_id == self.alice),
                    f"{model}: Alice sees a row of another salesperson's dealer",
                )
            self.assertEqual(
                Report.with_user(self.manager).search_count([(field, "in", self.dealers)]),
                Report.search_count([(field, "in", self.dealers), ("company_id", "=", self.company.id)]),
                model,
            )
        forecast = self.env["b2b.report.forecast"]
        forecast._refresh_forecast()
        self.assertEqual(set(forecast.with_user(self.alice).search([]).mapped("dealer_user_id")) - {self.alice}, set())

    def test_other_company_invisible(self):
        for user in (self.alice, self.manager):
            amounts = (
                self.env["b2b.report.sales"]
                .with_user(user)
                .search([("dealer_id", "=", self.north.id)])
                .mapped("amount")
            )
            self.assertNotIn(999.0, amounts)
        self.assertIn(999.0, self.env["b2b.report.sales"].search([("dealer_id", "=", self.north.id)]).mapped("amount"))
        self.manager.write({"company_ids": [Command.link(self.company_b.id)]})
        seen = (
            self.env["b2b.report.sales"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, self.company_b.id])
            .search([("dealer_id", "=", self.north.id)])
        )
        self.assertIn(999.0, seen.mapped("amount"))
