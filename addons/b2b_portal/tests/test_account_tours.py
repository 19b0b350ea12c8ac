from odoo.tests import tagged

from .common import B2bPortalHttpCase


@tagged("post_install", "-at_install")
class TestAccountTours(B2bPortalHttpCase):
    def test_tour_ask_price_counter_accept(self):
        """A dealer opens a product, sees "frequently bought together", asks for a price;
        the salesperson counters; the dealer accepts on the portal (on a phone)."""
        self._confirmed_sale(self.dealer_b, {self.orange: 2, self.apple: 2})
        self.env["b2b.product.copurchase"]._b2b_refresh()
        self.browser_size = "375x812"
        self.start_tour(
            f"/my/b2b/product/{self.tmpl_orange.id}", "b2b_portal_account_ask_price", login=self.buyer_a.login
        )
        request = self.env["b2b.price.request"].search([("partner_id", "=", self.dealer_a.id)])
        self.assertEqual(len(request), 1)
        self.assertEqual((request.product_id, request.quantity, request.requested_price), (self.orange, 40, 6.0))
        self.assertEqual(request.note, "Weekly volume")
        self.assertEqual(request.state, "submitted")
        # the salesperson counters in the back office
        request.counter_price = 7.0
        request.action_counter()
        self.start_tour("/my/b2b/price_requests", "b2b_portal_account_accept_offer", login=self.buyer_a.login)
        self.assertEqual(request.state, "accepted")
        self.assertEqual(request.agreed_price, 7.0)
        self.assertTrue(request.rule_id)
