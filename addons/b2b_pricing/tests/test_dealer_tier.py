from psycopg2 import IntegrityError

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestDealerTier(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pricelist = cls.env["product.pricelist"].create({"name": "Tier 1 prices"})
        cls.term = cls.env.ref("account.account_payment_term_30days")
        cls.tier = cls.env["b2b.dealer.tier"].create(
            {"name": "Tier 1", "code": "TEST-T1", "pricelist_id": cls.pricelist.id, "payment_term_id": cls.term.id}
        )

    def test_new_dealer_takes_tier_defaults(self):
        dealer = self.env["res.partner"].create({"name": "Dealer", "is_company": True, "b2b_tier_id": self.tier.id})
        self.assertEqual(dealer.property_product_pricelist, self.pricelist)
        self.assertEqual(dealer.property_payment_term_id, self.term)
        self.assertEqual(self.tier.partner_count, 1)

    def test_explicit_values_win_over_tier_defaults(self):
        other = self.env["product.pricelist"].create({"name": "Negotiated"})
        dealer = self.env["res.partner"].create(
            {"name": "Dealer", "is_company": True, "b2b_tier_id": self.tier.id, "property_product_pricelist": other.id}
        )
        self.assertEqual(dealer.property_product_pricelist, other)

    def test_contacts_follow_company_tier(self):
        dealer = self.env["res.partner"].create({"name": "Dealer", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": dealer.id})
        dealer.b2b_tier_id = self.tier
        self.assertEqual(contact.b2b_tier_id, self.tier)
        self.assertEqual(contact.b2b_commercial_tier_id, self.tier)
        self.assertEqual(dealer.property_product_pricelist, self.pricelist)

    def test_tier_code_unique(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["b2b.dealer.tier"].create({"name": "Copy", "code": "TEST-T1"})
