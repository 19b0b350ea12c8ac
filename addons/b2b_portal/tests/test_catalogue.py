from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import B2bPortalCase


@tagged("post_install", "-at_install")
class TestDealerContext(B2bPortalCase):
    def test_context_is_the_users_dealer(self):
        ctx = self.ctx_of(self.buyer_a)
        self.assertEqual(ctx["dealer"], self.dealer_a)
        self.assertEqual(ctx["pricelist"], self.pricelist)
        self.assertEqual(ctx["role"], "buyer")
        self.assertIn("order", ctx["rights"])
        self.assertNotIn("approve", ctx["rights"])
        self.assertEqual(self.ctx_of(self.viewer_a)["rights"], {"view"})
        self.assertIn("manage", self.ctx_of(self.admin_a)["rights"])

    def test_public_user_has_no_dealer(self):
        public = self.env.ref("base.public_user")
        with self.assertRaises(AccessError):
            public.with_user(public)._b2b_portal_context()

    def test_admin_manages_own_users_only(self):
        Users = self.env(user=self.admin_a)["res.users"]
        ctx = self.ctx_of(self.admin_a)
        new_user = Users._b2b_portal_invite_user(ctx, "New Buyer", "new.buyer.a@example.com", "approver")
        self.assertEqual(new_user.partner_id.commercial_partner_id, self.dealer_a)
        self.assertEqual(new_user.b2b_portal_role, "approver")
        self.assertTrue(new_user.share)
        self.assertIn(new_user, Users._b2b_portal_dealer_users(ctx))
        new_user._b2b_portal_set_role(ctx, role="viewer")
        self.assertEqual(new_user.b2b_portal_role, "viewer")
        with self.assertRaises(AccessError):
            self.buyer_b._b2b_portal_set_role(ctx, role="admin")
        with self.assertRaises(AccessError):
            Users._b2b_portal_invite_user(self.ctx_of(self.buyer_a), "X", "x.a@example.com", "buyer")
        from odoo.exceptions import UserError

        with self.assertRaises(UserError):
            self.admin_a._b2b_portal_set_role(ctx, role="buyer")


@tagged("post_install", "-at_install")
class TestCatalogue(B2bPortalCase):
    def search(self, user=None, **kw):
        user = user or self.buyer_a
        return self.env(user=user)["b2b.portal.catalogue"]._b2b_portal_search(self.ctx_of(user), **kw)

    def names(self, result):
        return {card["template"].id for card in result["cards"]}

    def test_search_by_name_code_barcode_and_chinese(self):
        self.assertIn(self.tmpl_orange.id, self.names(self.search(search="Orange Juice")))
        self.assertEqual(self.names(self.search(search="B2B-AJ1")), {self.tmpl_apple.id})
        self.assertEqual(self.names(self.search(search="6901234500017")), {self.tmpl_orange.id})
        self.buyer_a.lang = "zh_CN"
        result = self.search(search="橙汁", category_id=self.categ_juice.id)
        self.assertEqual(self.names(result), {self.tmpl_orange.id})
        self.assertEqual(result["cards"][0]["name"], "B2B 橙汁 1升")
        # archived and non-sale products never show
        self.assertFalse(self.search(search="B2B Old Soda")["cards"])
        self.assertFalse(self.search(search="B2B-RAW")["cards"])

    def test_category_tree_and_filter(self):
        tree = self.env(user=self.buyer_a)["b2b.portal.catalogue"]._b2b_portal_category_tree(self.ctx_of(self.buyer_a))
        root = next(node for node in tree if node["id"] == self.categ_root.id)
        juice = root["children"][0]
        self.assertEqual(juice["id"], self.categ_juice.id)
        self.assertEqual(juice["children"][0]["id"], self.categ_orange.id)
        result = self.search(category_id=self.categ_juice.id)
        self.assertEqual(self.names(result), {self.tmpl_orange.id, self.tmpl_apple.id})

    def test_category_rows_cached_and_refreshed(self):
        Catalogue = self.env(user=self.buyer_a)["b2b.portal.catalogue"]
        ctx = self.ctx_of(self.buyer_a)
        rows = Catalogue._b2b_portal_category_rows(ctx)
        by_id = {row[0]: row for row in rows}
        self.assertEqual(by_id[self.categ_orange.id][2], by_id[self.categ_juice.id][2] + 1)
        ids = [row[0] for row in rows]
        self.assertLess(ids.index(self.categ_juice.id), ids.index(self.categ_orange.id))
        # a new or renamed category shows on the next page, not after a restart
        new = self.env["product.category"].create({"name": "B2B Tea", "parent_id": self.categ_root.id})
        self.assertIn(new.id, [row[0] for row in Catalogue._b2b_portal_category_rows(ctx)])
        new.name = "B2B Green Tea"
        names = {row[0]: row[1] for row in Catalogue._b2b_portal_category_rows(ctx)}
        self.assertEqual(names[new.id], "B2B Green Tea")

    def test_card_prices_formatted_like_the_monetary_widget(self):
        from odoo.tools.misc import format_amount

        ctx = self.ctx_of(self.buyer_a)
        money = self.env(user=self.buyer_a)["b2b.portal.catalogue"]._b2b_portal_money(ctx)
        for amount in (0.0, 3.5, 1234567.891, -42.0):
            self.assertEqual(money(amount), format_amount(self.env, amount, ctx["currency"], ctx["lang"]))
        card = self.search(search="B2B Orange Juice")["cards"][0]
        self.assertEqual(card["price_text"], money(card["price"]["price"]))
        self.buyer_a.lang = "zh_CN"
        ctx = self.ctx_of(self.buyer_a)
        money = self.env(user=self.buyer_a)["b2b.portal.catalogue"]._b2b_portal_money(ctx)
        self.assertEqual(money(1234.5), format_amount(self.env, 1234.5, ctx["currency"], "zh_CN"))

    def test_filters_in_stock_new_promo(self):
        in_stock = self.names(self.search(category_id=self.categ_snacks.id, filters=("in_stock",)))
        self.assertNotIn(self.tmpl_chips.id, in_stock)  # storable, no stock
        self.assertIn(self.tmpl_shirt.id, in_stock)
        self.assertIn(self.tmpl_service.id, in_stock)  # not stored: always available
        self.env.cr.execute(
            "UPDATE product_template SET create_date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(days=90), self.tmpl_apple.id],
        )
        self.env["product.template"].invalidate_model(["create_date"])
        new = self.names(self.search(category_id=self.categ_juice.id, filters=("new",)))
        self.assertEqual(new, {self.tmpl_orange.id})
        self.assertFalse(self.search(category_id=self.categ_juice.id, filters=("promo",))["cards"])
        # a b2b_pricing promotion targeted at this dealer only
        self.env["b2b.price.rule"].create(
            {
                "name": "Apple week",
                "rule_type": "promotion",
                "partner_ids": [Command.set(self.dealer_a.ids)],
                "product_tmpl_ids": [Command.set(self.tmpl_apple.ids)],
                "compute_price": "fixed",
                "fixed_price": 6.0,
                "date_start": fields.Datetime.now() - timedelta(days=1),
                "date_end": fields.Datetime.now() + timedelta(days=7),
            }
        )
        promo = self.search(category_id=self.categ_juice.id, filters=("promo",))
        self.assertEqual(self.names(promo), {self.tmpl_apple.id})
        # a promotion on a brand (product tag) marks that brand only, not the whole catalogue
        brand = self.env["product.tag"].create({"name": "B2B Test Brand"})
        self.tmpl_orange.product_tag_ids = brand
        self.env["b2b.price.rule"].create(
            {
                "name": "Brand week",
                "rule_type": "promotion",
                "partner_ids": [Command.set(self.dealer_a.ids)],
                "product_tag_ids": [Command.set(brand.ids)],
                "percent_price": 5,
                "date_start": fields.Datetime.now() - timedelta(days=1),
                "date_end": fields.Datetime.now() + timedelta(days=7),
            }
        )
        both = self.search(filters=("promo",))
        self.assertEqual(self.names(both), {self.tmpl_apple.id, self.tmpl_orange.id})
        self.assertTrue(promo["cards"][0]["is_promo"])
        self.assertEqual(promo["cards"][0]["price"]["price"], 6.0)

    def test_my_usual_products(self):
        self.assertFalse(self.search(filters=("usual",))["cards"])
        self._confirmed_sale(self.buyer_a.partner_id, {self.apple: 1})
        self._confirmed_sale(self.dealer_b, {self.orange: 1})  # another dealer's habits do not count
        self.assertEqual(self.names(self.search(filters=("usual",))), {self.tmpl_apple.id})

    def test_prices_tax_and_stock_display(self):
        card = self.search(search="B2B-OJ1")["cards"][0]
        self.assertAlmostEqual(card["price"]["price"], 8.0)  # 10 - 20 %
        self.assertEqual(card["price"]["discount"], 20)
        self.assertEqual(card["stock"]["level"], "in")
        self.company.b2b_portal_price_display = "tax_included"
        card = self.search(search="B2B-OJ1")["cards"][0]
        self.assertAlmostEqual(card["price"]["price"], 8.8)
        apple = self.search(search="B2B-AJ1")["cards"][0]
        self.assertEqual(apple["stock"]["level"], "low")
        chips = self.search(search="B2B-CH1")["cards"][0]
        self.assertEqual(chips["stock"]["level"], "out")
        self.assertEqual(chips["rule"]["multiple"], 6)
        self.company.b2b_portal_stock_display = "exact"
        apple = self.search(search="B2B-AJ1")["cards"][0]
        self.assertIn("5", apple["stock"]["label"])

    def test_sorts_and_pagination(self):
        self._confirmed_sale(self.dealer_b, {self.apple: 40, self.chips: 6})
        self._confirmed_sale(self.dealer_b, {self.apple: 2})
        self.env["b2b.portal.catalogue"]._b2b_portal_refresh_popularity()
        self.assertEqual(self.tmpl_apple.b2b_portal_sold_qty, 42)
        self.assertEqual(self.tmpl_orange.b2b_portal_sold_qty, 0)
        popular = self.search(category_id=self.categ_juice.id, sort="popular")["cards"]
        self.assertEqual(popular[0]["template"], self.tmpl_apple)
        by_price = self.search(category_id=self.categ_juice.id, sort="price_desc")["cards"]
        self.assertEqual(by_price[0]["template"], self.tmpl_apple)
        by_price = self.search(category_id=self.categ_juice.id, sort="price_asc")["cards"]
        self.assertEqual(by_price[0]["template"], self.tmpl_orange)
        self.env["product.template"].create(
            [{"name": f"B2B Bulk {i:03d}", "categ_id": self.categ_snacks.id, "list_price": 1 + i} for i in range(60)]
        )
        first = self.search(category_id=self.categ_snacks.id, sort="name")
        self.assertEqual(len(first["cards"]), 48)
        self.assertEqual(first["page_count"], 2)
        second = self.search(category_id=self.categ_snacks.id, sort="name", page=2)
        self.assertEqual(len(second["cards"]), first["total"] - 48)
        self.assertFalse(self.names(first) & self.names(second))

    def test_catalogue_page_query_count_is_flat(self):
        """A catalogue page costs the same number of queries for 10 or 48 products."""
        self.env["product.template"].create(
            [{"name": f"B2B Flat {i:03d}", "categ_id": self.categ_snacks.id, "list_price": 1 + i,
              "is_storable": True, "taxes_id": [Command.set(self.tax.ids)]} for i in range(60)]
        )  # fmt: skip
        Catalogue = self.env(user=self.buyer_a)["b2b.portal.catalogue"]
        ctx = self.ctx_of(self.buyer_a)

        def count(limit_names):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Catalogue._b2b_portal_search(ctx, category_id=self.categ_snacks.id, search=limit_names, sort="popular")
            return self.env.cr.sql_log_count - before

        small = count("B2B Flat 00")  # 10 products
        big = count("B2B Flat")  # 48 products on the page
        self.assertLessEqual(big, small + 3, "queries must not grow with the products on the page")
        # fixed costs only: category tree, search, stock, price table and the dealer's own rules
        self.assertLessEqual(big, 80)

    def test_variant_matrix(self):
        ctx = self.ctx_of(self.buyer_a)
        matrix = self.env(user=self.buyer_a)["b2b.portal.catalogue"]._b2b_portal_variant_matrix(ctx, self.tmpl_shirt)
        self.assertEqual(len(matrix["matrix"]), 3)  # sizes
        self.assertEqual(len(matrix["cols"]), 2)  # colours
        variants = {cell["variant"] for row in matrix["matrix"] for cell in row["cells"]}
        self.assertEqual(len(variants), 6)
        self.assertAlmostEqual(matrix["matrix"][0]["cells"][0]["price"]["price"], 16.0)
