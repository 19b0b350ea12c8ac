from odoo import Command, http
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import B2bPortalCase, B2bPortalHttpCase


class RecommendationDataMixin:
    @classmethod
    def _setup_history(cls):
        env = cls.env
        cls.tier = env["b2b.dealer.tier"].create({"name": "B2B Reco Tier", "code": "B2B-RECO"})
        cls.dealer_c = env["res.partner"].create({"name": "B2B Dealer C", "is_company": True})
        cls.dealer_d = env["res.partner"].create({"name": "B2B Dealer D", "is_company": True})
        # Dealer A: orange + apple twice, orange alone once (orange 3 times, last qty 9)
        cls._confirmed_sale(cls.dealer_a, {cls.orange: 5, cls.apple: 1}, days_ago=30)
        cls._confirmed_sale(cls.buyer_a.partner_id, {cls.orange: 7, cls.apple: 2}, days_ago=20)
        cls._confirmed_sale(cls.dealer_a, {cls.orange: 9}, days_ago=10)
        # Dealer B shares orange with A and also bought chips and the red S shirt
        cls.shirt_variant = cls.tmpl_shirt.product_variant_ids[0]
        cls._confirmed_sale(cls.dealer_b, {cls.orange: 1, cls.chips: 6, cls.shirt_variant: 1})
        # Dealer D shares orange and apple with A (weight 2) and bought chips too
        cls._confirmed_sale(cls.dealer_d, {cls.orange: 1, cls.apple: 1, cls.chips: 6})
        # Dealer C shares nothing with A and bought the service only
        cls._confirmed_sale(cls.dealer_c, {cls.service: 1})
        # A draft order does not count
        env["sale.order"].create(
            {
                "partner_id": cls.dealer_b.id,
                "order_line": [Command.create({"product_id": p.id}) for p in (cls.orange, cls.service)],
            }
        )
        env["b2b.product.copurchase"]._b2b_refresh()


@tagged("post_install", "-at_install")
class TestRecommendation(RecommendationDataMixin, B2bPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_history()

    def pair(self, a, b):
        return self.env["b2b.product.copurchase"].search([("product_a_id", "=", a.id), ("product_b_id", "=", b.id)])

    def test_copurchase_counts_confirmed_orders(self):
        self.assertEqual(self.pair(self.orange, self.apple).order_count, 3)  # A twice, D once
        self.assertEqual(self.pair(self.apple, self.orange).order_count, 3)
        self.assertEqual(self.pair(self.orange, self.chips).order_count, 2)
        self.assertEqual(self.pair(self.chips, self.shirt_variant).order_count, 1)
        self.assertFalse(self.pair(self.orange, self.orange))
        self.assertFalse(self.pair(self.orange, self.service), "draft orders are not purchases")
        # a full refresh rebuilds, it does not add up
        self.env["b2b.product.copurchase"]._b2b_refresh()
        self.assertEqual(self.pair(self.orange, self.apple).order_count, 3)
        # a new confirmed order shows after the refresh
        self._confirmed_sale(self.dealer_c, {self.orange: 1, self.service: 1})
        self.env["b2b.product.copurchase"]._b2b_refresh()
        self.assertEqual(self.pair(self.orange, self.service).order_count, 1)

    def test_frequently_bought_together_ranked_orderable_at_dealer_prices(self):
        ctx = self.ctx_of(self.buyer_a)
        Copurchase = self.env["b2b.product.copurchase"].with_user(self.buyer_a)
        cards = Copurchase._b2b_portal_bought_together(ctx, self.orange)
        self.assertEqual([card["template"] for card in cards[:2]], [self.tmpl_apple, self.tmpl_chips])
        self.assertNotIn(self.tmpl_orange, [card["template"] for card in cards])
        # the dealer's pricelist (20% off) applies: apple 12 -> 9.6
        self.assertAlmostEqual(cards[0]["price"]["price"], 9.6)
        # a product no longer sold disappears
        self.tmpl_apple.sale_ok = False
        cards = Copurchase._b2b_portal_bought_together(ctx, self.orange)
        self.assertNotIn(self.tmpl_apple, [card["template"] for card in cards])
        self.tmpl_chips.active = False
        cards = Copurchase._b2b_portal_bought_together(ctx, self.orange)
        self.assertNotIn(self.tmpl_chips, [card["template"] for card in cards])

    def test_recommended_for_you_from_similar_dealers(self):
        ctx = self.ctx_of(self.buyer_a)
        Copurchase = self.env["b2b.product.copurchase"].with_user(self.buyer_a)
        templates = [card["template"] for card in Copurchase._b2b_portal_recommended(ctx)]
        # chips: bought by D (shares 2 products) and B (shares 1) -> first; the shirt by B only
        self.assertEqual(templates[:2], [self.tmpl_chips, self.tmpl_shirt])
        self.assertNotIn(self.tmpl_orange, templates, "already bought by the dealer")
        self.assertNotIn(self.tmpl_apple, templates, "already bought by the dealer")
        self.assertNotIn(self.tmpl_service, templates, "dealer C is not similar")
        # the same tier makes dealer C a peer
        (self.dealer_a | self.dealer_c).b2b_tier_id = self.tier
        templates = [card["template"] for card in Copurchase._b2b_portal_recommended(ctx)]
        self.assertIn(self.tmpl_service, templates)

    def test_recommendations_kept_until_history_changes(self):
        ctx = self.ctx_of(self.buyer_a)
        Copurchase = self.env["b2b.product.copurchase"].with_user(self.buyer_a)
        Recommendation = self.env["b2b.product.recommendation"]
        first = [card["template"] for card in Copurchase._b2b_portal_recommended(ctx)]
        kept = Recommendation.search([("dealer_id", "=", self.dealer_a.id)])
        self.assertEqual(len(kept), 1)
        # the kept list is what the next page shows, without recomputing
        kept.product_ids_json = [self.tmpl_shirt.product_variant_id.id]
        self.env.invalidate_all()
        self.assertEqual([card["template"] for card in Copurchase._b2b_portal_recommended(ctx)], [self.tmpl_shirt])
        # stale after a day: recomputed
        self.env.cr.execute(
            "UPDATE b2b_product_recommendation SET computed_at = computed_at - interval '25 hours' WHERE id = %s",
            [kept.id],
        )
        self.env.invalidate_all()
        self.assertEqual([card["template"] for card in Copurchase._b2b_portal_recommended(ctx)], first)
        # the daily co-purchase refresh drops every kept list
        self.env["b2b.product.copurchase"]._b2b_refresh()
        self.assertFalse(Recommendation.search_count([]))
        Copurchase._b2b_portal_recommended(ctx)
        self.assertEqual(Recommendation.search_count([("dealer_id", "=", self.dealer_a.id)]), 1)

    def test_my_usual_products_with_last_quantity(self):
        ctx = self.ctx_of(self.buyer_a)
        rows = self.env["b2b.product.copurchase"].with_user(self.buyer_a)._b2b_portal_usual(ctx)
        self.assertEqual([row["product"] for row in rows], [self.orange, self.apple])
        self.assertEqual(rows[0]["times"], 3)
        self.assertEqual(rows[0]["last_qty"], 9)
        self.assertEqual(rows[1]["last_qty"], 2)
        self.assertAlmostEqual(rows[0]["price"]["price"], 8.0)
        # dealer B's usual products are its own
        rows_b = self.env["b2b.product.copurchase"]._b2b_portal_usual(self.ctx_of(self.buyer_b))
        self.assertNotIn(self.apple, [row["product"] for row in rows_b])
        self.tmpl_apple.sale_ok = False
        rows = self.env["b2b.product.copurchase"]._b2b_portal_usual(ctx)
        self.assertEqual([row["product"] for row in rows], [self.orange])

    def test_portal_users_cannot_read_copurchases_by_rpc(self):
        with self.assertRaises(AccessError):
            self.env["b2b.product.copurchase"].with_user(self.buyer_a).search([])


@tagged("post_install", "-at_install")
class TestRecommendationPages(RecommendationDataMixin, B2bPortalHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_history()

    def test_pages_show_recommendations(self):
        self.authenticate(self.buyer_a.login, "x")
        html = self.url_open("/my/b2b/catalogue").text
        self.assertIn("o_b2b_recommended", html)
        self.assertIn("o_b2b_home_usual", html)
        self.assertIn("B2B Potato Chips", html)
        # not on a search page
        html = self.url_open("/my/b2b/catalogue?search=B2B").text
        self.assertNotIn("o_b2b_recommended", html)
        html = self.url_open(f"/my/b2b/product/{self.tmpl_orange.id}").text
        self.assertIn("o_b2b_together", html)
        self.assertIn(f'data-product-id="{self.apple.id}"', html)
        html = self.url_open("/my/b2b/usual").text
        self.assertIn("o_b2b_usual_add", html)

    def test_usual_product_one_click_add_and_cart_suggestions(self):
        self.authenticate(self.buyer_a.login, "x")
        response = self.url_open(
            "/my/b2b/cart/add",
            data={"product_id": self.orange.id, "qty": "9", "csrf_token": self.csrf_token()},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        cart = self.env["sale.order"]._b2b_portal_current_cart(self.ctx_of(self.buyer_a))
        self.assertEqual(cart.order_line.product_uom_qty, 9)
        html = self.url_open("/my/b2b/cart").text
        self.assertIn("o_b2b_together", html)
        self.assertIn(f'data-product-id="{self.apple.id}"', html)
        self.assertIn(f"/my/b2b/price_requests/new?product_id={self.orange.id}", html)

    def csrf_token(self):
        return http.Request.csrf_token(self)
