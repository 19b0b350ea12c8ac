from datetime import timedelta

from odoo import Command, fields, http
from odoo.tests import tagged

from .common import B2bPortalHttpCase


@tagged("post_install", "-at_install")
class TestStatementPortal(B2bPortalHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.date_from = cls.today - timedelta(days=60)
        cls.invoice_a = cls._invoice(cls.dealer_a, 1234.5, cls.today - timedelta(days=40))
        cls.invoice_a2 = cls._invoice(cls.dealer_a, 100.0, cls.today - timedelta(days=5))
        cls.invoice_b = cls._invoice(cls.dealer_b, 777.0, cls.today - timedelta(days=10))
        Statement = cls.env["b2b.credit.statement"]
        cls.statement_a = Statement._b2b_generate(cls.dealer_a, cls.date_from, cls.today)
        cls.statement_b = Statement._b2b_generate(cls.dealer_b, cls.date_from, cls.today)
        (cls.statement_a | cls.statement_b).action_send()
        cls.draft_a = Statement._b2b_generate(cls.dealer_a, cls.date_from - timedelta(days=30), cls.date_from)

    @classmethod
    def _invoice(cls, partner, amount, date):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": date,
                "date": date,
                "invoice_payment_term_id": False,
                "invoice_date_due": date + timedelta(days=30),
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "quantity": 1.0, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        return move

    def post(self, url, data=None):
        payload = {**(data or {}), "csrf_token": http.Request.csrf_token(self)}
        return self.url_open(url, data=payload, allow_redirects=False)

    def test_list_detail_and_pdf(self):
        self.assertEqual(self.statement_a.access_url, f"/my/statements/{self.statement_a.id}")
        self.authenticate(self.buyer_a.login, "x")
        html = self.url_open("/my/statements").text
        self.assertIn(self.statement_a.name, html)
        self.assertNotIn(self.statement_b.name, html)
        self.assertNotIn(self.draft_a.name, html, "draft statements are not shown to the dealer")
        response = self.url_open(self.statement_a.access_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice_a.name, response.text)
        self.assertIn(self.invoice_a2.name, response.text)
        self.assertIn("1,334.50", response.text)  # closing balance
        self.assertNotIn("o_b2b_statement_confirm", response.text, "a buyer does not answer statements")
        response = self.url_open(f"{self.statement_a.access_url}?report_type=pdf&download=1")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")

    def test_dealer_confirms(self):
        self.authenticate(self.approver_a.login, "x")
        self.assertIn("o_b2b_statement_confirm", self.url_open(self.statement_a.access_url).text)
        response = self.post(f"/my/statements/{self.statement_a.id}/confirm")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.statement_a.state, "confirmed")
        self.assertEqual(self.statement_a.response_user_id, self.approver_a)
        # answered once only
        response = self.post(f"/my/statements/{self.statement_a.id}/dispute", {})
        self.assertEqual(self.statement_a.state, "confirmed")

    def test_buyer_cannot_answer(self):
        self.authenticate(self.buyer_a.login, "x")
        response = self.post(f"/my/statements/{self.statement_a.id}/confirm")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.statement_a.state, "sent")

    def test_dealer_disputes_a_line_with_a_comment(self):
        line = self.statement_a.line_ids.filtered(lambda line: line.move_id == self.invoice_a)
        self.authenticate(self.admin_a.login, "x")
        # a ticked line without a remark is refused, nothing changes
        response = self.post(f"/my/statements/{self.statement_a.id}/dispute", {f"dispute_{line.id}": "1"})
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"/my/statements/{self.statement_a.id}", response.headers["Location"])
        self.assertEqual(self.statement_a.state, "sent")
        response = self.post(
            f"/my/statements/{self.statement_a.id}/dispute",
            {f"dispute_{line.id}": "1", f"comment_{line.id}": "Paid on the 3rd", f"comment_{line.id + 999}": "x"},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.statement_a.state, "disputed")
        self.assertTrue(line.disputed)
        self.assertEqual(line.dispute_comment, "Paid on the 3rd")
        self.assertFalse((self.statement_a.line_ids - line).filtered("disputed"))
        self.assertIn("Paid on the 3rd", self.url_open(self.statement_a.access_url).text)

    def test_other_dealers_statement_is_404(self):
        self.authenticate(self.admin_a.login, "x")
        other = self.statement_b
        line_b = other.line_ids[:1]
        for method, url, data in [
            ("GET", f"/my/statements/{other.id}", None),
            ("GET", f"/my/statements/{other.id}?report_type=pdf&download=1", None),
            ("GET", f"/my/statements/{self.draft_a.id}", None),
            ("GET", "/my/statements/999999999", None),
            ("POST", f"/my/statements/{other.id}/confirm", {}),
            ("POST", f"/my/statements/{other.id}/dispute", {f"dispute_{line_b.id}": "1", f"comment_{line_b.id}": "x"}),
        ]:
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False) if method == "GET" else self.post(url, data)
                self.assertEqual(response.status_code, 404)
        self.assertEqual(other.state, "sent")
        self.assertFalse(other.line_ids.filtered("disputed"))

    def test_credit_page(self):
        self.dealer_a.credit_limit = 5000.0
        self.authenticate(self.buyer_a.login, "x")
        response = self.url_open("/my/b2b/credit")
        self.assertEqual(response.status_code, 200)
        data = self.dealer_a.with_user(self.buyer_a)._b2b_credit_portal_data()
        self.assertEqual(data["limit"], 5000.0)
        html = response.text
        self.assertIn("5,000.00", html)
        self.assertIn("{:,.2f}".format(data["exposure"]), html)
        self.assertIn("{:,.2f}".format(data["available"]), html)
        self.assertIn("o_b2b_aging", html)
        self.assertIn(self.statement_a.name, html)
        self.assertNotIn(self.statement_b.name, html)

    def test_order_page_links_invoices(self):
        order = self._confirmed_sale(self.dealer_a, {self.orange: 1})
        self.authenticate(self.buyer_a.login, "x")
        html = self.url_open(f"/my/b2b/orders/{order.id}").text
        self.assertIn('href="/my/invoices"', html)
