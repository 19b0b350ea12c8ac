from odoo.tests import tagged

from .common import B2bPortalHttpCase


@tagged("post_install", "-at_install")
class TestPortalTours(B2bPortalHttpCase):
    def cart_of(self, user):
        return self.env["sale.order"]._b2b_portal_current_cart(user.with_user(user)._b2b_portal_context())

    def test_tour_browse_search_add(self):
        self.start_tour("/my/b2b/catalogue", "b2b_portal_browse", login=self.buyer_a.login)
        cart = self.cart_of(self.buyer_a)
        self.assertEqual(cart.order_line.product_id, self.orange)
        self.assertEqual(cart.order_line.product_uom_qty, 3)

    def test_tour_quick_order_paste_with_bad_rows(self):
        self.start_tour("/my/b2b/quick", "b2b_portal_quick_paste", login=self.buyer_a.login)
        cart = self.cart_of(self.buyer_a)
        self.assertEqual(cart.order_line.product_id, self.orange | self.apple)

    def test_tour_reorder(self):
        self._confirmed_sale(self.buyer_a.partner_id, {self.orange: 4})
        self.start_tour("/my/b2b/orders", "b2b_portal_reorder", login=self.buyer_a.login)
        self.assertEqual(self.cart_of(self.buyer_a).order_line.product_uom_qty, 4)

    def test_tour_checkout_and_approval(self):
        self.dealer_a.b2b_approval_amount = 1.0
        ctx = self.buyer_a.with_user(self.buyer_a)._b2b_portal_context()
        cart = self.env["sale.order"]._b2b_portal_new_cart(ctx)
        cart._b2b_portal_add_products(ctx, {self.orange.id: 2})
        self.start_tour("/my/b2b/cart", "b2b_portal_checkout", login=self.buyer_a.login)
        self.assertEqual(cart.b2b_portal_state, "to_approve")
        self.assertEqual(cart.client_order_ref, "PO-TOUR")
        self.start_tour(f"/my/b2b/orders/{cart.id}", "b2b_portal_approve", login=self.approver_a.login)
        self.assertEqual(cart.b2b_portal_state, "confirmed")

    def test_tour_catalogue_on_a_phone(self):
        self.browser_size = "375x812"
        self.start_tour("/my/b2b/catalogue", "b2b_portal_mobile", login=self.buyer_a.login)
        self.assertEqual(self.cart_of(self.buyer_a).order_line.product_id, self.orange)
