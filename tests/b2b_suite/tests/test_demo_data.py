from collections import Counter

from markupsafe import escape

from odoo.tests import HttpCase, tagged

B2B_MODULES = ("b2b_pricing", "b2b_credit", "b2b_logistics", "b2b_portal", "b2b_reports")
DEMO_DEALER_COUNT = 8
# Open exposure any sane credit limit of the tier allows (see b2b_credit).
TIER_EXPOSURE_CEILING = {"T1": 500_000, "T2": 200_000, "RT": 50_000}


def ean13_is_valid(code):
    if not code or len(code) != 13 or not code.isdigit():
        return False
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(code[:12]))
    return (10 - total % 10) % 10 == int(code[12])


@tagged("post_install", "-at_install")
class TestDemoDataLoaded(HttpCase):
    """The demo story of `make demo`: catalogue, dealers, stock and a year of orders."""

    def test_demo_data_loaded_without_failure(self):
        # Odoo installs a module "without demo data" when its demo fails, with a mere warning.
        failures = self.env["ir.demo_failure"].search([("module_id.name", "in", B2B_MODULES)])
        self.assertFalse(failures, "\n".join(failures.mapped("error")))


@tagged("post_install", "-at_install")
class TestDemoStory(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer_1 = cls.env.ref("b2b_pricing.dealer_1", raise_if_not_found=False)
        if not cls.dealer_1:
            return
        cls.dealers = cls.env["res.partner"].browse(
            [cls.env.ref(f"b2b_pricing.dealer_{n}").id for n in range(1, DEMO_DEALER_COUNT + 1)]
        )
        cls.beverages = cls.env.ref("b2b_pricing.product_category_beverages")
        cls.snacks = cls.env.ref("b2b_pricing.product_category_snacks")
        cls.templates = cls.env["product.template"].search([("categ_id", "child_of", (cls.beverages | cls.snacks).ids)])
        cls.orders = cls.env["sale.order"].search([("partner_id", "child_of", cls.dealers.ids)])

    def setUp(self):
        super().setUp()
        if not self.dealer_1:
            self.skipTest("b2b_pricing demo data is not loaded")

    def test_catalogue(self):
        self.assertGreaterEqual(len(self.templates), 60)
        self.assertTrue(all(template.type == "consu" and template.sale_ok for template in self.templates))
        self.assertTrue(all(template.image_1920 for template in self.templates), "every product has a pack shot")
        variants = self.templates.product_variant_ids
        self.assertGreaterEqual(len(self.templates.filtered(lambda template: template.product_variant_count > 1)), 5)
        self.assertTrue(all(variant.default_code for variant in variants))
        barcodes = variants.mapped("barcode")
        self.assertTrue(all(ean13_is_valid(barcode) for barcode in barcodes), barcodes)
        self.assertEqual(len(set(barcodes)), len(variants))
        self.assertTrue(all(variant.lst_price > variant.standard_price > 0 for variant in variants))
        orange_juice = self.env.ref("b2b_pricing.product_orange_juice_1l")
        self.assertEqual(orange_juice.with_context(lang="en_US").name, "Orange Juice 1L")
        self.env.cr.execute("SELECT name->>'zh_CN' FROM product_template WHERE id = %s", [orange_juice.id])
        self.assertEqual(self.env.cr.fetchone()[0], "橙汁 1L")

    def test_three_level_category_tree(self):
        orange = self.env.ref("b2b_pricing.product_category_juice_orange")
        self.assertEqual(orange.parent_id, self.env.ref("b2b_pricing.product_category_juice"))
        self.assertEqual(orange.parent_id.parent_id, self.beverages)
        self.assertFalse(self.beverages.parent_id)
        for xmlid in ("juice", "tea", "water", "soft_drinks"):
            level_2 = self.env.ref(f"b2b_pricing.product_category_{xmlid}")
            self.assertEqual(level_2.parent_id, self.beverages)
            self.assertTrue(level_2.child_id, f"{xmlid} has level-3 categories")
        beverage_categories = self.templates.categ_id.filtered(
            lambda categ: categ.parent_path.startswith(f"{self.beverages.id}/")
        )
        self.assertEqual(
            {categ.parent_path.count("/") for categ in beverage_categories}, {3}, "beverages sit on level 3"
        )

    def test_tiers_dealers_and_portal_users(self):
        tiers = self.env["b2b.dealer.tier"].browse([self.env.ref(f"b2b_pricing.dealer_tier_{n}").id for n in (1, 2, 3)])
        self.assertEqual(tiers.mapped("code"), ["T1", "T2", "RT"])
        self.assertTrue(all(tier.pricelist_id and tier.payment_term_id for tier in tiers))
        product = self.env.ref("b2b_pricing.product_orange_juice_1l").product_variant_id
        prices = [tier.pricelist_id._get_product_price(product, 100) for tier in tiers]
        self.assertLess(prices[0], prices[1])
        self.assertLess(prices[1], prices[2])
        self.assertEqual(prices[2], product.lst_price)
        self.assertEqual(len(self.dealers.b2b_tier_id), 3)
        portal = self.env.ref("base.group_portal")
        salesman = self.env.ref("sales_team.group_sale_salesman")
        for dealer in self.dealers:
            self.assertTrue(dealer.is_company)
            self.assertEqual(dealer.country_id, self.env.ref("base.cn"))
            self.assertTrue(dealer.state_id and dealer.city and dealer.phone and dealer.email)
            self.assertEqual(dealer.property_product_pricelist, dealer.b2b_tier_id.pricelist_id)
            self.assertEqual(dealer.property_payment_term_id, dealer.b2b_tier_id.payment_term_id)
            self.assertIn(salesman, dealer.user_id.groups_id)
            self.assertFalse(dealer.user_id.share)
            self.assertTrue(dealer.user_id.sale_team_id, "the salesperson belongs to a regional team")
            users = dealer.child_ids.user_ids
            number = int(dealer.get_external_id()[dealer.id].rsplit("_", 1)[1])
            self.assertEqual(sorted(users.mapped("login")), [f"dealer{number}_approver", f"dealer{number}_buyer"])
            for user in users:
                self.assertTrue(user.share)
                self.assertIn(portal, user.groups_id)
                self.assertEqual(user.commercial_partner_id, dealer)
        self.assertGreaterEqual(len(self.dealers.user_id.sale_team_id), 3)

    def test_order_history_in_every_state(self):
        orders = self.orders
        self.assertGreaterEqual(len(orders), 120)
        self.assertTrue({"draft", "sent", "sale", "cancel"} <= set(orders.mapped("state")))
        confirmed = orders.filtered(lambda order: order.state == "sale")
        self.assertTrue({"pending", "partial", "full"} <= set(confirmed.mapped("delivery_status")))
        self.assertIn("to invoice", confirmed.mapped("invoice_status"))
        invoices = confirmed.invoice_ids
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        paid = invoices.filtered(lambda invoice: invoice.payment_state in ("paid", "in_payment"))
        unpaid = invoices.filtered(lambda invoice: invoice.payment_state == "not_paid")
        self.assertGreaterEqual(len(paid), 50)
        today = self.env.cr.now().date()
        self.assertTrue(unpaid.filtered(lambda invoice: invoice.invoice_date_due < today), "some invoices are overdue")
        self.assertTrue(all(invoice.invoice_date <= today for invoice in invoices))
        months = {order.date_order.strftime("%Y-%m") for order in orders}
        self.assertGreaterEqual(len(months), 10, "orders are spread over the year")
        self.assertTrue(all(order.date_order <= self.env.cr.now() for order in orders))
        lines_per_order = Counter(len(order.order_line) for order in orders)
        self.assertGreaterEqual(min(lines_per_order), 3)
        self.assertLessEqual(max(lines_per_order), 10)
        self.assertEqual(set(orders.partner_id.commercial_partner_id), set(self.dealers))
        done_pickings = confirmed.picking_ids.filtered(lambda picking: picking.state == "done")
        self.assertTrue(
            all(picking.date_done.date() < today or picking.date_done.date() == today for picking in done_pickings)
        )
        self.assertGreater(len({picking.date_done.date() for picking in done_pickings}), 30, "deliveries are backdated")

    def test_open_exposure_within_tier_credit(self):
        for dealer in self.dealers:
            orders = self.orders.filtered(lambda order, dealer=dealer: order.partner_id.commercial_partner_id == dealer)
            open_invoices = orders.invoice_ids.filtered(lambda invoice: invoice.payment_state != "paid")
            uninvoiced = sum(
                line.price_total * (line.product_uom_qty - line.qty_invoiced) / line.product_uom_qty
                for line in orders.filtered(lambda order: order.state == "sale").order_line
                if line.product_uom_qty
            )
            exposure = sum(open_invoices.mapped("amount_residual")) + uninvoiced
            self.assertLess(exposure, TIER_EXPOSURE_CEILING[dealer.b2b_tier_id.code], dealer.name)

    def test_stock_in_warehouse(self):
        warehouse = self.env.ref("stock.warehouse0")
        variants = self.templates.product_variant_ids.with_context(warehouse_id=warehouse.id)
        self.assertTrue(all(variant.is_storable for variant in variants))
        on_hand = {variant: variant.qty_available for variant in variants}
        self.assertGreaterEqual(
            len([qty for qty in on_hand.values() if qty >= 500]), 50, "most products are well stocked"
        )
        self.assertTrue([qty for qty in on_hand.values() if 0 < qty < 100], "some products run low")
        self.assertTrue([qty for qty in on_hand.values() if qty <= 0], "some products are out of stock")

    def test_every_demo_dealer_user_logs_in_to_the_portal(self):
        users = self.dealers.child_ids.user_ids
        self.assertEqual(len(users), 2 * DEMO_DEALER_COUNT)
        for user in users:
            self.authenticate(user.login, user.login)
            response = self.url_open("/my")
            self.assertEqual(response.status_code, 200, user.login)
            self.assertIn(user.partner_id.name, response.text, user.login)
            # The dealer's own account and orders, not anybody else's.
            account = self.url_open("/my/account")
            self.assertEqual(account.status_code, 200, user.login)
            self.assertIn(str(escape(user.commercial_partner_id.name)), account.text, user.login)
            orders = self.url_open("/my/orders")
            self.assertEqual(orders.status_code, 200, user.login)
            dealer_orders = self.orders.filtered(
                lambda order, user=user: order.partner_id.commercial_partner_id == user.commercial_partner_id
            )
            confirmed = dealer_orders.filtered(lambda order: order.state == "sale")
            self.assertTrue(confirmed)
            self.assertRegex(orders.text, rf"\b{confirmed[0].name}\b", user.login)
            foreign = (self.orders - dealer_orders).filtered(lambda order: order.state == "sale")
            self.assertNotRegex(orders.text, rf"\b{foreign[0].name}\b", user.login)
            self.logout()
