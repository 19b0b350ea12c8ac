from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestReportsPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.company = env.company
        pricelist = env["product.pricelist"].create({"name": "KPI portal", "currency_id": cls.company.currency_id.id})
        cls.month = fields.Date.today().replace(day=1) - relativedelta(months=1)
        cls.dealers, cls.users, cls.cards = {}, {}, {}
        for key in ("a", "b"):
            dealer = env["res.partner"].create(
                {
                    "name": f"Portal KPI Dealer {key.upper()}",
                    "is_company": True,
                    "property_product_pricelist": pricelist.id,
                }
            )
            contact = env["res.partner"].create({"name": f"Portal KPI Buyer {key}", "parent_id": dealer.id})
            cls.users[key] = new_test_user(
                env,
                login=f"kpi_portal_{key}",
                password=f"kpi_portal_{key}",
                groups="base.group_portal",
                partner_id=contact.id,
            )
            cls.dealers[key] = dealer
            product = env["product.product"].create({"name": f"KPI Secret Product {key.upper()}", "list_price": 10.0})
            order = env["sale.order"].create(
                {
                    "partner_id": dealer.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 3, "price_unit": 41.0})
                    ],
                }
            )
            order.write({"state": "sale"})
            cls.cards[key] = env["b2b.health.scorecard"].create(
                {
                    "month": cls.month,
                    "company_id": cls.company.id,
                    "dealer_id": dealer.id,
                    "score": 71.5 if key == "a" else 33.3,
                    "line_ids": [
                        Command.create(
                            {
                                "code": "activity",
                                "name": "Activity",
                                "score": 71.5,
                                "has_score": True,
                                "effective_weight": 100.0,
                                "weighted_score": 71.5,
                            }
                        )
                    ],
                }
            )
        cls.overall = env["b2b.health.scorecard"].search(
            [("company_id", "=", cls.company.id), ("month", "=", cls.month), ("dealer_id", "=", False)]
        ) or env["b2b.health.scorecard"].create({"month": cls.month, "company_id": cls.company.id, "score": 50.0})

    def test_analysis_shows_own_purchases_only(self):
        self.authenticate("kpi_portal_a", "kpi_portal_a")
        response = self.url_open("/my/b2b/analysis")
        self.assertEqual(response.status_code, 200)
        self.assertIn("KPI Secret Product A", response.text)
        self.assertIn("123.00", response.text, "3 x 41.00")
        self.assertNotIn("KPI Secret Product B", response.text)
        self.assertIn(f"/my/b2b/scorecard/{self.cards['a'].id}", response.text)
        self.assertNotIn(f"/my/b2b/scorecard/{self.cards['b'].id}", response.text)
        self.assertIn('href="/my/b2b/analysis"', self.url_open("/my/b2b/catalogue").text, "link in the portal menu")

    def test_scorecard_idor(self):
        self.authenticate("kpi_portal_a", "kpi_portal_a")
        own = self.url_open(f"/my/b2b/scorecard/{self.cards['a'].id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn("71.5", own.text)
        for card in (self.cards["b"], self.overall):
            response = self.url_open(f"/my/b2b/scorecard/{card.id}")
            self.assertEqual(response.status_code, 404, card.display_name)
            self.assertNotIn("33.3", response.text)
        self.assertEqual(self.url_open("/my/b2b/scorecard/999999999").status_code, 404)

    def test_dashboard_tour(self):
        self.start_tour("/odoo/action-b2b_reports.action_b2b_kpi_dashboard", "b2b_reports_kpi_dashboard", login="admin")
