from odoo.tests import tagged

from .common import B2bPortalHttpCase
from .test_receipt_portal import ShippedOrderMixin


@tagged("post_install", "-at_install")
class TestDeliveryTours(ShippedOrderMixin, B2bPortalHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_shipping()

    def test_tour_tracking_and_receipt_confirmation(self):
        order = self._shipped_order(self.buyer_a, "B2BTOUR1")
        self.start_tour(f"/my/b2b/orders/{order.id}", "b2b_portal_tracking_receipt", login=self.buyer_a.login)
        self.assertEqual(order.b2b_logistics_state, "received")
        self.assertEqual(order.b2b_receipt_note, "All cartons fine")
        self.assertEqual(order.b2b_rating, "4")
        self.assertEqual(order.b2b_rating_comment, "Fast delivery")

    def test_tour_append_after_submit(self):
        ctx = self.buyer_a.with_user(self.buyer_a)._b2b_portal_context()
        cart = self.env["sale.order"]._b2b_portal_new_cart(ctx)
        cart._b2b_portal_add_products(ctx, {self.orange.id: 2})
        order = cart._b2b_portal_submit(ctx, "tour-append", {})
        self.assertEqual(order.state, "sale")
        self.start_tour(f"/my/b2b/orders/{order.id}", "b2b_portal_append_after_submit", login=self.buyer_a.login)
        line = order.order_line.filtered(lambda sol: sol.product_id == self.apple)
        self.assertEqual(line.product_uom_qty, 2)
        self.assertTrue(line.b2b_portal_appended_date)
        self.assertIn(self.apple, order.picking_ids.move_ids.product_id)

    def test_tour_cutoff_countdown(self):
        self.env["b2b.delivery.schedule"].create(
            {"name": "Tour calendar", "sequence": 0, "warehouse_id": self.warehouse.id, "tz": "Asia/Shanghai"}
        )
        self.start_tour("/my/b2b/catalogue", "b2b_portal_cutoff_countdown", login=self.buyer_a.login)
