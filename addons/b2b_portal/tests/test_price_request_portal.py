from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import B2bPortalCase, B2bPortalHttpCase


@tagged("post_install", "-at_install")
class TestPriceRequestPortal(B2bPortalCase):
    def request_of(self, user, product, qty, price, note=""):
        PriceRequest = self.env["b2b.price.request"].with_user(user)
        return PriceRequest._b2b_portal_request(self.ctx_of(user), product.id, qty, price, note)

    def test_dealer_asks_a_price(self):
        request = self.request_of(self.buyer_a, self.orange, 50, 7.5, "yearly volume 2000")
        request = request.sudo()
        self.assertEqual(request.partner_id, self.dealer_a)
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.quantity, 50)
        self.assertEqual(request.requested_price, 7.5)
        self.assertEqual(request.note, "yearly volume 2000")
        self.assertEqual(
            self.env["b2b.price.request"].with_user(self.buyer_b).search([("id", "=", request.id)]).ids, []
        )

    def test_bad_input_is_refused(self):
        for qty, price in [(0, 5), (-1, 5), (1e7, 5), ("abc", 5), (1, 0), (1, -3), (1, 1e12), (1, "x"), (None, 5)]:
            with self.subTest(qty=qty, price=price), self.assertRaises(UserError):
                self.request_of(self.buyer_a, self.orange, qty, price)
        for product in (
            self.tmpl_not_sold.product_variant_id,
            self.tmpl_archived.with_context(active_test=False).product_variant_ids,
        ):
            with self.subTest(product=product.name), self.assertRaises(UserError):
                self.request_of(self.buyer_a, product, 1, 1)
        with self.assertRaises(AccessError):
            self.request_of(self.viewer_a, self.orange, 1, 1)
        self.assertFalse(self.env["b2b.price.request"].search([("partner_id", "=", self.dealer_a.id)]))

    def test_counter_offer_accepted_becomes_the_dealer_price(self):
        request = self.request_of(self.buyer_a, self.orange, 10, 6.0).sudo()
        request.counter_price = 7.0
        request.action_counter()
        mine = request.with_user(self.buyer_a)
        PriceRequest = self.env["b2b.price.request"].with_user(self.buyer_a)
        PriceRequest._b2b_portal_get(self.ctx_of(self.buyer_a), request.id)._b2b_portal_accept(
            self.ctx_of(self.buyer_a)
        )
        self.assertEqual(mine.sudo().state, "accepted")
        self.assertEqual(request.agreed_price, 7.0)
        price = self.env["b2b.price.engine"].price_for(self.orange, dealer=self.dealer_a, quantities=10, explain=False)
        self.assertAlmostEqual(price[self.orange.id]["price"], 7.0)
        # another dealer keeps its price
        price_b = self.env["b2b.price.engine"].price_for(
            self.orange, dealer=self.dealer_b, quantities=10, explain=False
        )
        self.assertAlmostEqual(price_b[self.orange.id]["price"], 8.0)

    def test_another_dealer_cannot_get_accept_or_reject(self):
        request = self.request_of(self.buyer_a, self.orange, 10, 6.0).sudo()
        request.counter_price = 7.0
        request.action_counter()
        ctx_b = self.ctx_of(self.buyer_b)
        PriceRequest = self.env["b2b.price.request"].with_user(self.buyer_b)
        with self.assertRaises(AccessError):
            PriceRequest._b2b_portal_get(ctx_b, request.id)
        with self.assertRaises(AccessError):
            request.with_user(self.buyer_b)._b2b_portal_accept(ctx_b)
        with self.assertRaises(AccessError):
            request.with_user(self.buyer_b)._b2b_portal_reject(ctx_b)
        self.assertEqual(request.state, "countered")

    def test_reject_and_no_accept_without_counter(self):
        request = self.request_of(self.buyer_a, self.orange, 10, 6.0).sudo()
        ctx = self.ctx_of(self.buyer_a)
        with self.assertRaises(UserError):
            request.with_user(self.buyer_a)._b2b_portal_accept(ctx)
        request.with_user(self.buyer_a)._b2b_portal_reject(ctx)
        self.assertEqual(request.state, "rejected")
        self.assertFalse(request.rule_id)


@tagged("post_install", "-at_install")
class TestPriceRequestPages(B2bPortalHttpCase):
    def post(self, url, data):
        return self.url_open(url, data={**data, "csrf_token": http.Request.csrf_token(self)}, allow_redirects=False)

    def test_ask_counter_accept_over_http(self):
        self.authenticate(self.buyer_a.login, "x")
        html = self.url_open(f"/my/b2b/price_requests/new?product_id={self.orange.id}&qty=12").text
        self.assertIn('name="price"', html)
        response = self.post(
            "/my/b2b/price_requests/create",
            {"product_id": self.orange.id, "quantity": "12", "price": "6.5", "note": "big order"},
        )
        self.assertEqual(response.status_code, 303)
        request = self.env["b2b.price.request"].search([("partner_id", "=", self.dealer_a.id)])
        self.assertEqual(len(request), 1)
        self.assertIn(f"/my/b2b/price_requests/{request.id}", response.headers["Location"])
        self.assertEqual((request.quantity, request.requested_price, request.state), (12, 6.5, "submitted"))
        request.counter_price = 7.25
        request.action_counter()
        html = self.url_open(f"/my/b2b/price_requests/{request.id}").text
        self.assertIn("o_b2b_price_request_accept", html)
        self.assertIn("o_b2b_counter_price", html)
        self.assertIn(request.name, self.url_open("/my/b2b/price_requests").text)
        response = self.post(f"/my/b2b/price_requests/{request.id}/accept", {})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(request.state, "accepted")
        self.assertEqual(request.agreed_price, 7.25)

    def test_bad_form_keeps_nothing_and_flashes(self):
        self.authenticate(self.buyer_a.login, "x")
        response = self.post(
            "/my/b2b/price_requests/create", {"product_id": self.orange.id, "quantity": "1e9", "price": "1"}
        )
        self.assertEqual(response.status_code, 303)
        response = self.post("/my/b2b/price_requests/create", {"product_id": "abc", "quantity": "1", "price": "1"})
        self.assertEqual(response.status_code, 303)
        self.assertFalse(self.env["b2b.price.request"].search([("partner_id", "=", self.dealer_a.id)]))
        # product of no catalogue: 404 on the form
        response = self.url_open(f"/my/b2b/price_requests/new?product_id={self.tmpl_not_sold.product_variant_id.id}")
        self.assertEqual(response.status_code, 404)

    def test_product_page_has_the_price_request_form(self):
        self.authenticate(self.buyer_a.login, "x")
        html = self.url_open(f"/my/b2b/product/{self.tmpl_shirt.id}").text
        self.assertIn("o_b2b_price_request_form", html)
        for variant in self.tmpl_shirt.product_variant_ids:
            self.assertIn(f'<option value="{variant.id}"', html)
        self.authenticate(self.viewer_a.login, "x")
        html = self.url_open(f"/my/b2b/product/{self.tmpl_shirt.id}").text
        self.assertNotIn("o_b2b_price_request_form", html)

    def test_other_dealers_request_is_404(self):
        PriceRequest = self.env["b2b.price.request"].with_user(self.buyer_b)
        request_b = PriceRequest._b2b_portal_request(self.ctx_of(self.buyer_b), self.orange.id, 10, 6.0).sudo()
        request_b.counter_price = 7.0
        request_b.action_counter()
        self.authenticate(self.admin_a.login, "x")
        self.assertEqual(self.url_open(f"/my/b2b/price_requests/{request_b.id}").status_code, 404)
        self.assertEqual(self.url_open("/my/b2b/price_requests/999999999").status_code, 404)
        self.assertEqual(self.post(f"/my/b2b/price_requests/{request_b.id}/accept", {}).status_code, 404)
        self.assertEqual(self.post(f"/my/b2b/price_requests/{request_b.id}/reject", {}).status_code, 404)
        self.assertNotIn(request_b.name, self.url_open("/my/b2b/price_requests").text)
        self.assertEqual(request_b.state, "countered")
        # without the CSRF token nothing happens either
        self.authenticate(self.buyer_b.login, "x")
        response = self.url_open(
            f"/my/b2b/price_requests/{request_b.id}/accept", data={"x": "1"}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(request_b.state, "countered")
