import base64
import io
from datetime import timedelta

from odoo import fields
from odoo.addons.b2b_logistics.providers import TrackingEvent
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import B2bPortalCase, B2bPortalHttpCase

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


class ShippedOrderMixin:
    """A dealer portal order, confirmed, shipped by a carrier with tracking events and an ETA."""

    @classmethod
    def _setup_shipping(cls):
        fee = cls.env["product.product"].create({"name": "B2B test shipping", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "B2B Test Express",
                "delivery_type": "fixed",
                "fixed_price": 0.0,
                "product_id": fee.id,
                "tracking_url": "https://tracking.example.com/?n=<shipmenttrackingnumber>",
                "b2b_tracking_provider": "generic",
                "b2b_webhook_secret": "test",
            }
        )

    @classmethod
    def _shipped_order(cls, user, number, quantities=None, events=True):
        ctx = user.with_user(user)._b2b_portal_context()
        cart = cls.env["sale.order"]._b2b_portal_new_cart(ctx)
        cart._b2b_portal_add_products(ctx, {p.id: q for p, q in (quantities or {cls.orange: 4}).items()})
        order = cart._b2b_portal_submit(ctx, f"ship-{number}", {})
        picking = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True)._action_done()
        picking.write({"carrier_id": cls.carrier.id, "carrier_tracking_ref": number})
        if events:
            now = fields.Datetime.now().replace(microsecond=0)
            cls.eta = now + timedelta(days=2)
            cls.env["b2b.shipment.event"]._b2b_insert_events(
                cls.carrier,
                [
                    TrackingEvent(number, now - timedelta(hours=6), "info_received", description="Parcel registered"),
                    TrackingEvent(
                        number,
                        now - timedelta(hours=2),
                        "in_transit",
                        description="Left the Hangzhou hub",
                        location="Hangzhou",
                        eta=cls.eta,
                    ),
                ],
            )
            picking.b2b_shipment_ids._b2b_apply_events()
        return order


@tagged("post_install", "-at_install")
class TestReceiptPortal(ShippedOrderMixin, B2bPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_shipping()
        cls.order = cls._shipped_order(cls.buyer_a, "B2BTRK1")
        cls.ctx = cls.buyer_a.with_user(cls.buyer_a)._b2b_portal_context()

    def test_tracking_on_the_order_page_data(self):
        info = self.order._b2b_portal_delivery_info(self.ctx)
        self.assertEqual(len(info["shipments"]), 1)
        shipment = info["shipments"][0]["shipment"]
        self.assertEqual(shipment.name, "B2BTRK1")
        self.assertEqual(shipment.tracking_url, "https://tracking.example.com/?n=B2BTRK1")
        self.assertEqual(
            [event.description for event in info["shipments"][0]["events"]],
            ["Left the Hangzhou hub", "Parcel registered"],
        )
        self.assertEqual(info["eta"], self.eta)
        self.assertTrue(info["can_receive"] and info["can_report"])
        self.assertFalse(info["can_rate"])
        self.assertFalse(info["append_mode"] == "append", "picking is done: no more lines on the order itself")
        viewer = self.order._b2b_portal_delivery_info(self.ctx_of(self.viewer_a))
        self.assertFalse(viewer["can_receive"] or viewer["can_report"] or viewer["append_mode"])

    def test_confirm_receipt_then_rate_once(self):
        with self.assertRaisesRegex(UserError, "confirmed its receipt"):
            self.order._b2b_portal_rate(self.ctx, 5, "Too early")
        self.order._b2b_portal_confirm_receipt(self.ctx, "All 4 cartons fine")
        self.assertEqual(self.order.b2b_logistics_state, "received")
        self.assertEqual(self.order.b2b_receipt_user_id, self.buyer_a)
        self.assertEqual(self.order.b2b_receipt_note, "All 4 cartons fine")
        self.assertTrue(self.order._b2b_portal_delivery_info(self.ctx)["can_rate"])
        for bad in (0, 6, "x", None):
            with self.assertRaises(UserError):
                self.order._b2b_portal_rate(self.ctx, bad)
        self.order._b2b_portal_rate(self.ctx, "4", "Fast, one box dented")
        self.assertEqual(self.order.b2b_rating, "4")
        self.assertEqual(self.order.b2b_rating_comment, "Fast, one box dented")
        self.assertEqual(self.order.b2b_rating_user_id, self.buyer_a)
        with self.assertRaisesRegex(UserError, "already rated"):
            self.order._b2b_portal_rate(self.ctx_of(self.admin_a), 1)
        self.assertEqual(self.order.b2b_rating, "4")
        # visible in the back office
        self.assertEqual(
            self.env["sale.order"].search([("b2b_rating", "=", "4"), ("id", "=", self.order.id)]), self.order
        )

    def test_roles_and_other_dealers(self):
        with self.assertRaises(AccessError):
            self.order._b2b_portal_confirm_receipt(self.ctx_of(self.viewer_a))
        with self.assertRaises(AccessError):
            self.order._b2b_portal_confirm_receipt(self.ctx_of(self.buyer_b))
        with self.assertRaises(AccessError):
            self.order._b2b_portal_report_problem(
                self.ctx_of(self.buyer_b), "short", {self.order.order_line.id: 1}, "", []
            )
        self.assertFalse(self.order.b2b_receipt_date)
        self.assertFalse(self.order.b2b_discrepancy_ids)

    def test_report_a_problem_with_photos(self):
        line = self.order.order_line
        discrepancy = self.order._b2b_portal_report_problem(
            self.ctx, "damaged", {line.id: "1"}, "One carton crushed", [("crushed.png", PNG_1PX)]
        )
        self.assertEqual(discrepancy.kind, "damaged")
        self.assertEqual(discrepancy.b2b_portal_request, "report")
        self.assertEqual(discrepancy.reporter_id, self.buyer_a)
        self.assertEqual(discrepancy.line_ids.quantity, 1)
        self.assertEqual(discrepancy.attachment_ids.mimetype, "image/png")
        self.assertEqual(discrepancy.return_picking_ids.state, "draft")
        self.assertIn(discrepancy, self.order._b2b_portal_delivery_info(self.ctx)["discrepancies"])

    def test_return_and_exchange_requests(self):
        line = self.order.order_line
        exchange = self.order._b2b_portal_report_problem(
            self.ctx, "wrong_item", {line.id: 2}, "Apple instead of orange", [], "exchange"
        )
        self.assertEqual(exchange.b2b_portal_request, "exchange")
        self.assertEqual(exchange.return_picking_ids.move_ids.product_uom_qty, 2)
        with self.assertRaises(UserError):
            self.order._b2b_portal_report_problem(self.ctx, "short", {line.id: 1}, "", [], "return")
        with self.assertRaises(UserError):
            self.order._b2b_portal_report_problem(self.ctx, "damaged", {line.id: 1}, "", [], "refund_me")

    def test_bad_reports(self):
        line = self.order.order_line
        big = b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024)
        bad_calls = [
            ("damaged", {line.id: 1}, [("evil.svg", SVG)]),
            ("damaged", {line.id: 1}, [("notes.txt", b"just text")]),
            ("damaged", {line.id: 1}, [("huge.png", big)]),
            ("damaged", {line.id: 1}, [(f"p{i}.png", PNG_1PX) for i in range(6)]),
            ("damaged", {}, []),
            ("damaged", {line.id: 100001}, []),
            ("damaged", {line.id: "x"}, []),
            ("damaged", {line.id: 5}, []),  # more than delivered (4)
            ("lost", {line.id: 1}, []),
            ("short", {line.id + 100000: 1}, []),
        ]
        for kind, quantities, photos in bad_calls:
            with self.subTest(kind=kind, quantities=quantities, photos=[p[0] for p in photos]):
                with self.assertRaises(UserError):  # ValidationError is a UserError
                    self.order._b2b_portal_report_problem(self.ctx, kind, quantities, "", photos)
        self.assertFalse(self.order.b2b_discrepancy_ids)


@tagged("post_install", "-at_install")
class TestReceiptPortalHttp(ShippedOrderMixin, B2bPortalHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_shipping()
        cls.order = cls._shipped_order(cls.buyer_a, "B2BTRK2")

    def post(self, url, data, files=None):
        data = {**data, "csrf_token": self.csrf(), "redirect": f"/my/b2b/orders/{self.order.id}"}
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def csrf(self):
        from odoo import http

        return http.Request.csrf_token(self)

    def test_order_page_shows_tracking_and_actions(self):
        self.authenticate(self.buyer_a.login, "x")
        html = self.url_open(f"/my/b2b/orders/{self.order.id}").text
        self.assertIn("https://tracking.example.com/?n=B2BTRK2", html)
        self.assertIn("Left the Hangzhou hub", html)
        self.assertIn("o_b2b_eta", html)
        self.assertIn("o_b2b_confirm_receipt", html)
        self.assertIn("o_b2b_problem", html)
        self.assertNotIn("o_b2b_rate_form", html)
        self.authenticate(self.viewer_a.login, "x")
        html = self.url_open(f"/my/b2b/orders/{self.order.id}").text
        self.assertIn("Left the Hangzhou hub", html)
        self.assertNotIn("o_b2b_confirm_receipt", html)

    def test_problem_report_upload_over_http(self):
        self.authenticate(self.buyer_a.login, "x")
        url = f"/my/b2b/orders/{self.order.id}/problem"
        line = self.order.order_line
        response = self.post(
            url,
            {"kind": "short", f"qty_{line.id}": "1", "comment": "One missing"},
            files=[("photos", ("a.png", io.BytesIO(PNG_1PX), "image/png"))],
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.order.b2b_discrepancy_ids.kind, "short")
        self.assertEqual(len(self.order.b2b_discrepancy_ids.attachment_ids), 1)
        # an SVG disguised as a PNG: refused with a message, nothing created
        response = self.post(
            url,
            {"kind": "damaged", f"qty_{line.id}": "1"},
            files=[("photos", ("b.png", io.BytesIO(SVG), "image/png"))],
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(len(self.order.b2b_discrepancy_ids), 1)
        page = self.url_open(f"/my/b2b/orders/{self.order.id}").text
        self.assertIn("is not a photo", page)
        # without CSRF token: rejected
        response = self.url_open(url, data={"kind": "short", f"qty_{line.id}": "1"}, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(len(self.order.b2b_discrepancy_ids), 1)

    def test_receipt_and_rating_over_http(self):
        self.authenticate(self.viewer_a.login, "x")
        self.post(f"/my/b2b/orders/{self.order.id}/receipt", {"note": "viewer"})
        self.assertFalse(self.order.b2b_receipt_date)
        self.authenticate(self.buyer_a.login, "x")
        self.assertEqual(self.post(f"/my/b2b/orders/{self.order.id}/receipt", {"note": "ok"}).status_code, 303)
        self.assertTrue(self.order.b2b_receipt_date)
        self.post(f"/my/b2b/orders/{self.order.id}/rate", {"stars": "5", "comment": "Great"})
        self.assertEqual(self.order.b2b_rating, "5")
        self.post(f"/my/b2b/orders/{self.order.id}/rate", {"stars": "1"})
        self.assertEqual(self.order.b2b_rating, "5")
