from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPromotionBudgetAcrossCreditHold(TransactionCase):
    """b2b_pricing spends a promotion's budget when an order is confirmed; b2b_credit may hold
    that confirmation. The budget must be spent once: at the real confirmation, not at the hold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company.account_use_credit_limit = True
        company.b2b_credit_enforce = True
        pricelist = cls.env["product.pricelist"].create({"name": "Promo prices", "currency_id": company.currency_id.id})
        cls.dealer = cls.env["res.partner"].create(
            {
                "name": "Promo Dealer",
                "is_company": True,
                "credit_limit": 10.0,
                "property_product_pricelist": pricelist.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Promo crate", "type": "service", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        now = fields.Datetime.now()
        cls.promotion = cls.env["b2b.price.rule"].create(
            {
                "name": "Crate week",
                "rule_type": "promotion",
                "partner_ids": [Command.set(cls.dealer.ids)],
                "product_ids": [Command.set(cls.product.ids)],
                "percent_price": 10,
                "date_start": now - timedelta(days=1),
                "date_end": now + timedelta(days=7),
                "promotion_budget": 1000,
            }
        )

    def test_held_order_spends_the_budget_once_when_released(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.dealer.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 5})],
            }
        )
        self.assertEqual(order.order_line.b2b_promotion_ids, self.promotion)
        order.action_confirm()
        self.assertTrue(order.b2b_credit_hold)
        self.assertNotEqual(order.state, "sale")
        self.assertEqual(self.promotion.promotion_budget_used, 0.0, "a held order spends no budget")
        self.assertFalse(order.order_line.b2b_price_locked, "a held order keeps editable prices")

        self.env["b2b.credit.release.wizard"].create(
            {"order_ids": [Command.set(order.ids)], "reason": "Prepaid"}
        ).action_release()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.promotion.promotion_budget_used, 50.0, "10 off x 5, spent once")
        self.assertEqual(self.promotion.promotion_usage_count, 1)
        self.assertTrue(order.order_line.b2b_price_locked)
