from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import B2bPricingCase


@tagged("post_install", "-at_install")
class TestPortalSecurity(B2bPricingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer.property_product_pricelist = cls.pricelist
        cls.dealer2.property_product_pricelist = cls.pricelist_t2
        contact = cls.env["res.partner"].create({"name": "Buyer One", "parent_id": cls.dealer.id})
        cls.portal_user = new_test_user(
            cls.env, login="b2b_portal_buyer", groups="base.group_portal", partner_id=contact.id
        )
        cls.Rule.create(
            {"name": "Dealer 2 contract", "partner_ids": [(6, 0, cls.dealer2.ids)], "compute_price": "fixed",
             "fixed_price": 1.0}
        )  # fmt: skip
        cls.Rule.create(
            {"name": "Dealer 1 contract", "partner_ids": [(6, 0, cls.dealer.ids)], "compute_price": "fixed",
             "fixed_price": 7.0}
        )  # fmt: skip

    def test_portal_gets_own_prices_only(self):
        engine = self.engine.with_user(self.portal_user)
        result = engine.price_for_portal(self.orange.with_user(self.portal_user))
        self.assertAlmostEqual(result[self.orange.id]["price"], 7.0)
        with self.assertRaises(AccessError):
            engine.price_for(self.orange, dealer=self.dealer2)
        # no dealer given: still the user's own company
        own = engine.price_for(self.orange.sudo(), dealer=None)
        self.assertAlmostEqual(own[self.orange.id]["price"], 7.0)

    def test_portal_catalogue_prices(self):
        table = self.env["b2b.price.table"].with_user(self.portal_user)
        prices = table.with_context(b2b_dealer_id=self.dealer2.id).b2b_catalogue_prices(self.products)
        self.assertAlmostEqual(prices[self.orange.id], 7.0, msg="the dealer always comes from the user")

    def test_portal_cannot_read_rules_or_other_requests(self):
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.portal_user).search([])
        foreign = self.env["b2b.price.request"].create(
            {"partner_id": self.dealer2.id, "product_id": self.orange.id, "quantity": 10, "requested_price": 5}
        )
        Request = self.env["b2b.price.request"].with_user(self.portal_user)
        self.assertFalse(Request.search([("id", "=", foreign.id)]))
        with self.assertRaises(AccessError):
            foreign.with_user(self.portal_user).b2b_portal_reject()
        with self.assertRaises(AccessError):
            foreign.with_user(self.portal_user).write({"state": "accepted"})

    def test_pricing_user_reads_and_simulates_but_cannot_edit(self):
        user = new_test_user(self.env, login="b2b_pricing_reader", groups="b2b_pricing.group_b2b_pricing_user")
        rules = self.Rule.with_user(user).search([])
        self.assertTrue(rules)
        with self.assertRaises(AccessError):
            rules[0].write({"percent_price": 1})
        wizard = (
            self.env["b2b.price.simulator"]
            .with_user(user)
            .create(
                {"partner_ids": [(6, 0, self.dealer.ids)], "product_ids": [(6, 0, self.orange.ids)], "quantities": "1"}
            )
        )
        wizard.action_simulate()
        self.assertAlmostEqual(wizard.line_ids.price, 7.0)


@tagged("post_install", "-at_install")
class TestNegotiation(B2bPricingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer.property_product_pricelist = cls.pricelist
        contact = cls.env["res.partner"].create({"name": "Buyer One", "parent_id": cls.dealer.id})
        cls.portal_user = new_test_user(
            cls.env, login="b2b_negotiating_buyer", groups="base.group_portal", partner_id=contact.id
        )

    def test_dealer_asks_salesperson_counters_dealer_accepts(self):
        Request = self.env["b2b.price.request"].with_user(self.portal_user)
        request = Request.b2b_portal_create(self.orange.id, 100, 7.0, note="Competitor at 7")
        self.assertEqual(request.sudo().partner_id, self.dealer)
        self.assertEqual(request.sudo().state, "submitted")
        self.assertAlmostEqual(request.sudo().current_price, 10.0)
        back_office = request.with_user(self.env.user)
        back_office.counter_price = 8.0
        back_office.action_counter()
        self.assertEqual(back_office.state, "countered")
        request.b2b_portal_accept_counter()
        self.assertEqual(back_office.state, "accepted")
        rule = back_office.rule_id
        self.assertEqual(rule.rule_type, "contract")
        self.assertEqual(rule.partner_ids, self.dealer)
        self.assertAlmostEqual(rule.fixed_price, 8.0)
        self.assertEqual(rule.date_end.date(), back_office.contract_end_date)
        self.assertAlmostEqual(
            self.engine.price_for(self.orange, dealer=self.dealer, quantities=100)[self.orange.id]["price"], 8.0
        )
        self.assertAlmostEqual(
            self.engine.price_for(self.orange, dealer=self.dealer, quantities=10)[self.orange.id]["price"], 10.0
        )
        after_end = fields.Datetime.to_datetime(back_office.contract_end_date) + timedelta(days=1)
        expired = self.engine.price_for(self.orange, dealer=self.dealer, quantities=100, date=after_end)
        self.assertAlmostEqual(expired[self.orange.id]["price"], 10.0)
        self.assertTrue(back_office.message_ids)

    def test_salesperson_accepts_and_rejects(self):
        request = self.env["b2b.price.request"].create(
            {"partner_id": self.dealer.id, "product_id": self.apple.id, "quantity": 5, "requested_price": 6}
        )
        with self.assertRaises(UserError):
            request.action_accept()  # still a draft
        request.action_submit()
        request.action_accept()
        self.assertAlmostEqual(request.rule_id.fixed_price, 6.0)
        other = self.env["b2b.price.request"].create(
            {"partner_id": self.dealer.id, "product_id": self.apple.id, "quantity": 5, "requested_price": 1}
        )
        other.action_submit()
        other.action_reject()
        self.assertEqual(other.state, "rejected")
        self.assertFalse(other.rule_id)
        with self.assertRaises(UserError):
            other.with_user(self.portal_user).b2b_portal_accept_counter()

    def test_expiry_and_bad_input(self):
        request = self.env["b2b.price.request"].create(
            {"partner_id": self.dealer.id, "product_id": self.apple.id, "quantity": 5, "requested_price": 6,
             "validity_date": date.today() - timedelta(days=1)}
        )  # fmt: skip
        request.action_submit()
        self.env["b2b.price.request"]._cron_expire()
        self.assertEqual(request.state, "expired")
        Request = self.env["b2b.price.request"].with_user(self.portal_user)
        with self.assertRaises(UserError):
            Request.b2b_portal_create(self.apple.id, -1, 5)
        with self.assertRaises(UserError):
            Request.b2b_portal_create(self.apple.id, "ten", 5)


@tagged("post_install", "-at_install")
class TestApiChannel(HttpCase):
    def test_order_created_over_xmlrpc_is_api_channel(self):
        partner = self.env["res.partner"].create({"name": "RPC dealer", "is_company": True})
        order_id = self.xmlrpc_object.execute(
            self.env.cr.dbname, self.env.ref("base.user_admin").id, "admin", "sale.order", "create",
            {"partner_id": partner.id},
        )  # fmt: skip
        self.assertEqual(self.env["sale.order"].browse(order_id).b2b_channel, "api")
