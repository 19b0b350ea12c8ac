from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import B2bCreditCommon


@tagged("post_install", "-at_install")
class TestCreditEnforcement(B2bCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = (
            cls.env["payment.provider"]
            .sudo()
            .create({"name": "Test provider", "code": "none", "state": "test", "company_id": cls.company.id})
        )

    def _assert_held(self, order, text):
        self.assertIn(order.state, ("draft", "sent"))
        self.assertTrue(order.b2b_credit_hold)
        self.assertIn(text, order.b2b_credit_hold_reason)

    # ------------------------------------------------------------------ doors
    def test_back_office_confirmation_within_limit(self):
        order = self._order(self.dealer, qty=10)  # exactly the limit
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.b2b_credit_hold)

    def test_back_office_confirmation_over_limit_goes_on_hold(self):
        self._invoice(self.dealer, 600.0)
        order = self._order(self.dealer, qty=5)  # 600 + 500 > 1000
        order.action_confirm()
        self._assert_held(order, "exceeds the available credit")
        self.assertEqual(order.b2b_credit_hold_exposure, 600.0)
        self.assertEqual(order.b2b_credit_hold_available, 400.0)
        self.assertEqual(order.b2b_credit_hold_amount, 500.0)
        self.assertEqual(order.b2b_credit_hold_limit, 1000.0)
        activity = order.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.credit_manager)
        self.assertTrue(
            self.env["b2b.credit.history"].search([("order_id", "=", order.id)]),
            "the hold is in the credit history",
        )
        # Confirming again does not add a second activity.
        order.action_confirm()
        self.assertEqual(len(order.activity_ids), 1)

    def test_rpc_confirmation_as_salesman(self):
        """An external RPC call lands on action_confirm with the caller's rights: same rule."""
        order = self._order(self.dealer, qty=11, user_id=self.salesman.id).with_user(self.salesman)
        order.action_confirm()
        self._assert_held(order, "exceeds the available credit")

    def test_batch_confirmation_cannot_jointly_exceed(self):
        first = self._order(self.dealer, qty=6)
        second = self._order(self.dealer, qty=6)
        (first | second).action_confirm()
        self.assertEqual(first.state, "sale")
        self._assert_held(second, "exceeds the available credit")

    def test_payment_link_transaction_confirmation(self):
        """Core confirms a quotation when a transaction reaches the required amount (payment link,
        prepayment). The unpaid remainder still needs credit."""
        order = self._order(self.dealer, qty=15, require_payment=True, prepayment_percent=0.3)
        tx = self._transaction(order, 450.0)  # 30 % paid online, 1050 on credit > 1000
        confirmed = tx._check_amount_and_confirm_order()
        self.assertTrue(confirmed, "core did try to confirm it")
        self._assert_held(order, "exceeds the available credit")
        self.assertEqual(order.b2b_credit_hold_amount, 1050.0)
        # Paid in full online: no credit needed, the order is confirmed even over the limit.
        paid = self._order(self.dealer, qty=15, require_payment=True, prepayment_percent=1.0)
        tx_paid = self._transaction(paid, 1500.0)
        tx_paid._check_amount_and_confirm_order()
        self.assertEqual(paid.state, "sale")

    def _transaction(self, order, amount):
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                    "amount": amount,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_id.id,
                    "reference": f"TEST-{order.id}",
                    "operation": "online_redirect",
                    "sale_order_ids": [(6, 0, order.ids)],
                }
            )
        )
        tx._set_done()
        return tx

    def test_portal_model_door(self):
        """The method the portal controller calls: own orders only, same credit rule."""
        portal_user = self.env["res.users"].create(
            {
                "name": "Dealer buyer",
                "login": "b2b_credit_enforcement_portal",
                "partner_id": self.dealer_contact.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        small = self._order(self.dealer_contact, qty=2)
        big = self._order(self.dealer_contact, qty=20)
        (small | big).message_subscribe(self.dealer_contact.ids)  # how portal users see orders
        result = (small | big).with_user(portal_user)._b2b_portal_confirm()
        self.assertEqual(result[small.id], {"confirmed": True, "held": False, "reason": ""})
        self.assertFalse(result[big.id]["confirmed"])
        self.assertTrue(result[big.id]["held"])
        self.assertIn("exceeds the available credit", result[big.id]["reason"])
        foreign = self._order(self.other_dealer, qty=1)
        with self.assertRaises(AccessError):
            foreign.with_user(portal_user)._b2b_portal_confirm()
        self.assertEqual(foreign.state, "draft")

    def test_validate_order_door(self):
        """`_validate_order` (used by checkout flows) also goes through the credit check."""
        order = self._order(self.dealer, qty=20)
        order._validate_order()
        self._assert_held(order, "exceeds the available credit")

    def test_duplicate_does_not_carry_release(self):
        order = self._order(self.dealer, qty=20)
        order.action_confirm()
        order.with_user(self.credit_manager)._b2b_credit_release("Known customer, bank guarantee")
        self.assertEqual(order.state, "sale")
        copy = order.copy()
        self.assertFalse(copy.b2b_credit_released)
        self.assertFalse(copy.b2b_credit_hold)
        copy.action_confirm()
        self._assert_held(copy, "exceeds the available credit")

    # ------------------------------------------------------------------ hold and release
    def test_release_by_credit_manager_with_reason(self):
        order = self._order(self.dealer, qty=20)
        order.action_confirm()
        self.assertTrue(order.b2b_credit_hold)
        with self.assertRaises(UserError):
            order.with_user(self.salesman)._b2b_credit_release("I want it")
        wizard = (
            self.env["b2b.credit.release.wizard"]
            .with_user(self.credit_manager)
            .create({"order_ids": [(6, 0, order.ids)], "reason": "  "})
        )
        with self.assertRaises(UserError):
            wizard.action_release()
        wizard.reason = "Guarantee received"
        wizard.action_release()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.b2b_credit_hold)
        self.assertTrue(order.b2b_credit_released)
        self.assertEqual(order.b2b_credit_released_by_id, self.credit_manager)
        log = self.env["b2b.credit.history"].search([("order_id", "=", order.id), ("note", "=", "Guarantee received")])
        self.assertEqual(log.user_id, self.credit_manager)
        self.assertFalse(order.activity_ids, "the review activity is done")

    def test_automatic_release_on_payment(self):
        invoice = self._invoice(self.dealer, 800.0)
        order = self._order(self.dealer, qty=5)
        order.action_confirm()
        self._assert_held(order, "exceeds the available credit")
        self._pay(invoice, amount=200.0)  # 600 + 500 still > 1000
        self.assertTrue(order.b2b_credit_hold)
        self._pay(invoice)  # the rest: 0 + 500 fits
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.b2b_credit_hold)
        self.assertTrue(
            self.env["b2b.credit.history"].search([("order_id", "=", order.id), ("new_value", "=", "Confirmed")])
        )

    def test_manual_hold_blocks_everything(self):
        self.dealer.write({"b2b_credit_manual_hold": True, "b2b_credit_hold_reason": "Legal dispute"})
        order = self._order(self.dealer_contact, qty=1)
        order.action_confirm()
        self._assert_held(order, "Legal dispute")
        # A payment does not lift a manual hold.
        self._invoice(self.dealer, 10.0)
        self.assertTrue(order.b2b_credit_hold)

    # ------------------------------------------------------------------ overdue policy
    def test_overdue_beyond_grace_days(self):
        self._invoice(self.dealer, 100.0, self._days(-50), due_date=self._days(-20))  # 20 days > 15
        order = self._order(self.dealer, qty=1)
        order.action_confirm()
        self._assert_held(order, "20 days overdue")
        # A policy with a longer grace period lets the dealer order.
        policy = self.env["b2b.credit.policy"].create(
            {"name": "Patient", "override_overdue": True, "overdue_block": True, "overdue_grace_days": 30}
        )
        self.dealer.b2b_credit_policy_id = policy
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_overdue_rules_overridden_per_dealer(self):
        """Dealer rules beat the policy's, which beat the company's."""
        self._invoice(self.dealer, 100.0, self._days(-50), due_date=self._days(-20))
        policy = self.env["b2b.credit.policy"].create(
            {"name": "Strict", "override_overdue": True, "overdue_block": True, "overdue_grace_days": 5}
        )
        self.dealer.write(
            {
                "b2b_credit_policy_id": policy.id,
                "b2b_credit_overdue_override": True,
                "b2b_credit_overdue_grace_days": 45,
            }
        )
        order = self._order(self.dealer, qty=1)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.dealer.b2b_credit_overdue_override = False  # back to the policy: 20 > 5 days
        second = self._order(self.dealer, qty=1)
        second.action_confirm()
        self._assert_held(second, "grace period: 5 days")

    def test_overdue_within_grace_but_amount_too_high(self):
        self._invoice(self.dealer, 300.0, self._days(-20), due_date=self._days(-5))
        self.company.b2b_credit_overdue_max_amount = 250.0
        order = self._order(self.dealer, qty=1)
        order.action_confirm()
        self._assert_held(order, "exceeds the allowed")
        self.company.b2b_credit_overdue_max_amount = 500.0
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_overdue_rule_can_be_disabled(self):
        self._invoice(self.dealer, 100.0, self._days(-90), due_date=self._days(-60))
        self.company.b2b_credit_overdue_block = False
        order = self._order(self.dealer, qty=1)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_enforcement_can_be_switched_off(self):
        self.company.b2b_credit_enforce = False
        order = self._order(self.dealer, qty=50)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
