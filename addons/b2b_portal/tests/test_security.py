import re

from odoo import http
from odoo.tests import tagged

from .common import B2bPortalHttpCase

# Every /my/b2b route, with how to call it with ANOTHER dealer's ids. A new route that
# is not listed here fails test_every_route_is_in_the_matrix.
# (method, url, data); {cart}, {order}, {list}, {user} are dealer B's records.
ROUTE_MATRIX = [
    ("GET", "/my/b2b", None),
    ("GET", "/my/b2b/catalogue", None),
    ("GET", "/my/b2b/product/{template}", None),
    ("GET", "/my/b2b/cart", None),
    ("POST", "/my/b2b/cart/add", {"product_id": "{product}", "qty": "1"}),
    ("POST", "/my/b2b/cart/new", {"name": "x"}),
    ("POST", "/my/b2b/cart/{cart}/switch", {}),
    ("POST", "/my/b2b/cart/{cart}/rename", {"name": "x"}),
    ("POST", "/my/b2b/cart/{cart}/delete", {}),
    ("POST", "/my/b2b/cart/{cart}/line", {"line_id": "{cart_line}", "qty": "2"}),
    ("POST", "/my/b2b/cart/{cart}/save_list", {"name": "x"}),
    ("GET", "/my/b2b/checkout", None),
    ("POST", "/my/b2b/checkout/submit", {"order_id": "{cart}", "idempotency_key": "idor-1"}),
    ("GET", "/my/b2b/lists", None),
    ("POST", "/my/b2b/lists/new", {"name": "x"}),
    ("GET", "/my/b2b/lists/{list}", None),
    ("POST", "/my/b2b/lists/{list}/add", {"product_id": "{product}", "qty": "1"}),
    ("POST", "/my/b2b/lists/{list}/remove", {"line_id": "{list_line}"}),
    ("POST", "/my/b2b/lists/{list}/delete", {}),
    ("POST", "/my/b2b/reorder/order/{order}", {}),
    ("POST", "/my/b2b/reorder/list/{list}", {}),
    ("GET", "/my/b2b/quick", None),
    ("JSON", "/my/b2b/quick/autocomplete", {"term": "B2B"}),
    ("JSON", "/my/b2b/quick/validate", {"rows": []}),
    ("POST", "/my/b2b/quick/upload", {"text": ""}),
    ("POST", "/my/b2b/quick/add", {}),
    ("GET", "/my/b2b/orders", None),
    ("GET", "/my/b2b/orders/{order}", None),
    ("POST", "/my/b2b/orders/{order}/approve", {}),
    ("POST", "/my/b2b/orders/{order}/reject", {"reason": "x"}),
    ("GET", "/my/b2b/users", None),
    ("POST", "/my/b2b/users/invite", {"name": "x", "email": "x@example.com"}),
    ("POST", "/my/b2b/users/{user}/update", {"role": "admin"}),
    # portal-account (other dealers' ids: test_statement_portal / test_price_request_portal / test_notice)
    ("GET", "/my/b2b/usual", None),
    ("GET", "/my/b2b/credit", None),
    ("GET", "/my/b2b/price_requests", None),
    ("GET", "/my/b2b/price_requests/new", None),
    ("POST", "/my/b2b/price_requests/create", {"product_id": "{product}", "quantity": "1", "price": "1"}),
    ("GET", "/my/b2b/price_requests/{price_request}", None),
    ("POST", "/my/b2b/price_requests/{price_request}/accept", {}),
    ("POST", "/my/b2b/price_requests/{price_request}/reject", {}),
    ("GET", "/my/b2b/notices", None),
    ("POST", "/my/b2b/notices/{notice}/read", {}),
    ("POST", "/my/b2b/notices/read_all", {}),
    # portal-delivery
    ("POST", "/my/b2b/orders/{order}/append", {"sku_0": "B2B-OJ1", "qty_0": "1", "idempotency_key": "idor-append"}),
    ("POST", "/my/b2b/orders/{order}/receipt", {"note": "x"}),
    ("POST", "/my/b2b/orders/{order}/problem", {"kind": "short", "comment": "x"}),
    ("POST", "/my/b2b/orders/{order}/return", {"request_type": "return", "reason": "damaged"}),
    ("POST", "/my/b2b/orders/{order}/rate", {"stars": "5"}),
    # b2b_reports' portal pages, when it is installed (a sales order id is no scorecard of dealer A)
    ("GET", "/my/b2b/analysis", None),
    ("GET", "/my/b2b/scorecard/{order}", None),
]
ID_PLACEHOLDERS = re.compile(r"\{(cart|order|list|user)\}")


@tagged("post_install", "-at_install")
class TestPortalSecurity(B2bPortalHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        ctx_b = cls.buyer_b.with_user(cls.buyer_b)._b2b_portal_context()
        SaleOrder = env["sale.order"]
        cls.cart_b = SaleOrder._b2b_portal_new_cart(ctx_b, "B cart")
        cls.cart_b._b2b_portal_add_products(ctx_b, {cls.orange.id: 1})
        cls.dealer_b.b2b_approval_amount = 1.0
        cls.order_b = SaleOrder._b2b_portal_new_cart(ctx_b)
        cls.order_b._b2b_portal_add_products(ctx_b, {cls.orange.id: 2})
        cls.order_b._b2b_portal_submit(ctx_b, "b-key", {})
        cls.list_b = env["b2b.order.list"]._b2b_portal_create(ctx_b, "B list", {cls.orange.id: 1})
        cls.values_b = {
            "cart": cls.cart_b.id,
            "cart_line": cls.cart_b.order_line.id,
            "order": cls.order_b.id,
            "list": cls.list_b.id,
            "list_line": cls.list_b.line_ids.id,
            "user": cls.buyer_b.id,
            "product": cls.orange.id,
            "template": cls.tmpl_orange.id,
        }

    def _call(self, method, url, data, values, csrf=True):
        url = url.format(**values)
        if method == "GET":
            return self.url_open(url, allow_redirects=False)
        if method == "JSON":
            return self.url_open(
                url,
                data=http.json.dumps({"jsonrpc": "2.0", "method": "call", "params": data}).encode(),
                headers={"Content-Type": "application/json"},
            )
        payload = {key: str(value).format(**values) for key, value in data.items()}
        if csrf:
            payload["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=payload, allow_redirects=False)

    def test_every_route_is_in_the_matrix(self):
        listed = {re.sub(r"\{\w+\}", "<id>", url) for _method, url, _data in ROUTE_MATRIX}
        routes = set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            if rule.rule.startswith("/my/b2b"):
                routes.add(re.sub(r"<[^>]+>", "<id>", rule.rule))
        self.assertEqual(routes - listed, set(), "add the new routes to ROUTE_MATRIX")

    def test_other_dealers_ids_give_404(self):
        """Dealer A's admin (all rights) tries every route with dealer B's records."""
        self.authenticate(self.admin_a.login, "x")
        checked = 0
        for method, url, data in ROUTE_MATRIX:
            if not ID_PLACEHOLDERS.search(url):
                continue
            with self.subTest(url=url):
                response = self._call(method, url, data or {}, self.values_b)
                self.assertIn(response.status_code, (403, 404), f"{method} {url} answered {response.status_code}")
                checked += 1
        self.assertGreaterEqual(checked, 14)
        # nothing of dealer B changed
        self.assertEqual(self.cart_b.b2b_portal_state, "cart")
        self.assertEqual(self.cart_b.order_line.product_uom_qty, 1)
        self.assertTrue(self.list_b.exists())
        self.assertEqual(self.order_b.b2b_portal_state, "to_approve")
        self.assertEqual(self.buyer_b.b2b_portal_role, "buyer")
        self.assertEqual(self.order_b.order_line.product_uom_qty, 2)
        self.assertFalse(self.order_b.b2b_supplementary_order_ids or self.order_b.b2b_rating)

    def test_own_routes_answer(self):
        """The same matrix with the dealer's own records works (so the 404s above mean something)."""
        ctx_a = self.admin_a.with_user(self.admin_a)._b2b_portal_context()
        cart = self.env["sale.order"]._b2b_portal_new_cart(ctx_a, "A cart")
        cart._b2b_portal_add_products(ctx_a, {self.orange.id: 1})
        order_list = self.env["b2b.order.list"]._b2b_portal_create(ctx_a, "A list", {self.orange.id: 1})
        past = self._confirmed_sale(self.buyer_a.partner_id, {self.orange: 1})
        own = {
            **self.values_b,
            "cart": cart.id,
            "cart_line": cart.order_line.id,
            "list": order_list.id,
            "list_line": order_list.line_ids.id,
            "order": past.id,
            "user": self.buyer_a.id,
        }
        self.authenticate(self.admin_a.login, "x")
        for method, url in [
            ("GET", "/my/b2b/orders/{order}"),
            ("GET", "/my/b2b/lists/{list}"),
            ("GET", "/my/b2b/catalogue"),
        ]:
            response = self._call(method, url, {}, own)
            self.assertEqual(response.status_code, 200, url)
        response = self._call("POST", "/my/b2b/cart/{cart}/line", {"line_id": "{cart_line}", "qty": "4"}, own)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(cart.order_line.product_uom_qty, 4)
        response = self._call("POST", "/my/b2b/users/{user}/update", {"role": "approver"}, own)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.buyer_a.b2b_portal_role, "approver")

    def test_post_without_csrf_token_fails(self):
        self.authenticate(self.buyer_a.login, "x")
        response = self._call(
            "POST", "/my/b2b/cart/add", {"product_id": "{product}", "qty": "1"}, self.values_b, csrf=False
        )
        self.assertEqual(response.status_code, 400)
        cart = self.env["sale.order"]._b2b_portal_current_cart(
            self.buyer_a.with_user(self.buyer_a)._b2b_portal_context()
        )
        self.assertFalse(cart.order_line)
        response = self._call("POST", "/my/b2b/cart/add", {"product_id": "{product}", "qty": "1"}, self.values_b)
        self.assertEqual(response.status_code, 303)

    def test_browser_prices_are_ignored(self):
        self.authenticate(self.buyer_a.login, "x")
        self._call(
            "POST",
            "/my/b2b/cart/add",
            {"product_id": "{product}", "qty": "3", "price_unit": "0.01", "price": "0.01", "discount": "99"},
            self.values_b,
        )
        ctx = self.buyer_a.with_user(self.buyer_a)._b2b_portal_context()
        cart = self.env["sale.order"]._b2b_portal_current_cart(ctx)
        self.assertAlmostEqual(cart.order_line.price_unit, 8.0)
        self.assertEqual(cart.order_line.discount, 0.0)
        response = self._call(
            "POST",
            "/my/b2b/checkout/submit",
            {"order_id": cart.id, "idempotency_key": "http-1", "amount_total": "1", "price_unit": "0.01"},
            self.values_b,
        )
        self.assertEqual(response.status_code, 303)
        self.assertAlmostEqual(cart.amount_untaxed, 24.0)
        # the same key again (double click / retry) lands on the same order
        self._call("POST", "/my/b2b/checkout/submit", {"order_id": cart.id, "idempotency_key": "http-1"}, self.values_b)
        self.assertEqual(self.env["sale.order"].search_count([("b2b_portal_idempotency_key", "=", "http-1")]), 1)

    def test_quantity_bounds_over_http(self):
        self.authenticate(self.buyer_a.login, "x")
        self._call("POST", "/my/b2b/cart/add", {"product_id": "{product}", "qty": "1000000"}, self.values_b)
        ctx = self.buyer_a.with_user(self.buyer_a)._b2b_portal_context()
        self.assertFalse(self.env["sale.order"]._b2b_portal_current_cart(ctx).order_line)

    def test_viewer_cannot_order_and_buyer_cannot_manage(self):
        self.authenticate(self.viewer_a.login, "x")
        self._call("POST", "/my/b2b/cart/add", {"product_id": "{product}", "qty": "1"}, self.values_b)
        self.assertFalse(self.env["sale.order"].search([("b2b_portal_dealer_id", "=", self.dealer_a.id)]).order_line)
        self.authenticate(self.buyer_a.login, "x")
        self.assertEqual(self.url_open("/my/b2b/users", allow_redirects=False).status_code, 404)

    def test_portal_speaks_chinese(self):
        self.env["ir.module.module"]._load_module_terms(["b2b_portal"], ["zh_CN"], overwrite=True)
        self.buyer_a.lang = "zh_CN"
        self.authenticate(self.buyer_a.login, "x")
        html = self.url_open("/my/b2b/catalogue").text
        self.assertIn("商品目录", html)
        self.assertIn("快速下单", html)

    def test_json_routes_stay_in_the_dealer_scope(self):
        self.authenticate(self.buyer_a.login, "x")
        result = self.make_jsonrpc_request("/my/b2b/quick/autocomplete", {"term": "B2B-O"})
        self.assertIn("B2B-OJ1", [row["sku"] for row in result])
        self.assertNotIn("B2B-OLD", [row["sku"] for row in result])
        result = self.make_jsonrpc_request("/my/b2b/quick/validate", {"text": "B2B-OJ1\t2\nNOPE\t1"})
        self.assertEqual([row["status"] for row in result["rows"]], ["ok", "error"])

    def test_pages_render_and_stay_light(self):
        self.authenticate(self.buyer_a.login, "x")
        urls = ["/my/b2b/catalogue", "/my/b2b/catalogue?search=B2B&sort=price_asc&in_stock=1", "/my/b2b/quick",
                "/my/b2b/cart", "/my/b2b/lists", "/my/b2b/orders", f"/my/b2b/product/{self.tmpl_shirt.id}"]  # fmt: skip
        for url in urls:
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertLess(len(response.content), 150 * 1024, url)
        html = self.url_open("/my/b2b/catalogue?search=B2B").text
        self.assertIn('loading="lazy"', html)
        self.assertIn(f"/web/image/product.product/{self.orange.id}/image_256", html)

    def test_credit_limit_holds_at_the_portal_checkout(self):
        """b2b_credit's limit is obeyed through the portal door: an order over the dealer's
        available credit is not confirmed, and confirming it anyway puts it on credit hold."""
        self.dealer_a.credit_limit = 10.0
        self.authenticate(self.buyer_a.login, "x")
        self._call("POST", "/my/b2b/cart/add", {"product_id": "{product}", "qty": "3"}, self.values_b)
        ctx = self.buyer_a.with_user(self.buyer_a)._b2b_portal_context()
        cart = self.env["sale.order"]._b2b_portal_current_cart(ctx)
        response = self._call(
            "POST", "/my/b2b/checkout/submit", {"order_id": cart.id, "idempotency_key": "credit-1"}, self.values_b
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(cart.b2b_portal_state, "review")
        self.assertNotEqual(cart.state, "sale")
        self.assertTrue(cart.b2b_portal_review_reasons)
        # the salesperson confirming it regardless meets the same rule in the model
        cart.action_confirm()
        self.assertNotEqual(cart.state, "sale")
        self.assertTrue(cart.b2b_credit_hold)
        # a Credit Manager's release (with its reason) confirms it, and the portal follows
        self.env["b2b.credit.release.wizard"].create(
            {"order_ids": [(6, 0, cart.ids)], "reason": "Paid by bank transfer"}
        ).action_release()
        self.assertEqual(cart.state, "sale")
        self.assertEqual(cart.b2b_portal_state, "confirmed")
