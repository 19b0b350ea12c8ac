from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import B2bCreditCommon


@tagged("post_install", "-at_install")
class TestCreditExposure(B2bCreditCommon):
    def test_exposure_composition(self):
        """Receivable residual + draft invoices + uninvoiced confirmed orders (tax incl., prorata)."""
        Partner = self.env["res.partner"]
        invoice = self._invoice(self.dealer, 500.0)
        self._pay(invoice, amount=200.0)  # receivable residual 300
        self._invoice(self.dealer_contact, 50.0, post=False)  # draft invoice on a contact: 50
        order = self._order(self.dealer, qty=10, price=100.0)
        order.order_line.tax_id = self.tax_sale_a
        self.dealer.credit_limit = 100000.0
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # Invoice 4 of the 10 units (draft): 60 % of the order stays "to invoice".
        order_invoice = order._create_invoices()
        order_invoice.invoice_line_ids.quantity = 4
        quotation = self._order(self.dealer, qty=3)  # a quotation is not exposure
        figures = Partner._b2b_credit_exposure(self.dealer_contact)
        row = figures[self.dealer.id]
        self.assertAlmostEqual(row["receivable"], 300.0)
        self.assertAlmostEqual(row["draft_invoices"], 50.0 + order_invoice.amount_total_signed)
        self.assertAlmostEqual(row["to_invoice"], order.amount_total * 0.6, places=2)
        self.assertGreater(order.amount_total, order.amount_untaxed, "the tax must be included")
        self.assertAlmostEqual(
            row["exposure"], 300.0 + 50.0 + order_invoice.amount_total_signed + order.amount_total * 0.6, places=2
        )
        self.assertEqual(row["pending_orders"], 0.0)
        self.assertAlmostEqual(row["available"], 100000.0 - row["exposure"], places=2)
        self.assertNotIn(quotation.id, figures)
        # The computed fields of the partner show the same figures.
        self.dealer.invalidate_recordset()
        self.assertAlmostEqual(self.dealer.b2b_credit_exposure, row["exposure"], places=2)

    def test_exposure_pending_orders_hook_and_increase(self):
        """Temporary increases in force raise the limit; the pending-order hook is counted on demand."""
        self.env["b2b.credit.increase"].create(
            [
                {
                    "partner_id": self.dealer.id,
                    "amount": 400.0,
                    "date_from": self._days(-1),
                    "date_to": self._days(5),
                    "reason": "Trade fair",
                },
                {
                    "partner_id": self.dealer.id,
                    "amount": 9999.0,
                    "date_from": self._days(-30),
                    "date_to": self._days(-2),
                    "reason": "Expired",
                },
            ]
        )
        quotation = self._order(self.dealer, qty=2)
        Order = type(self.env["sale.order"])
        with self.patch_pending_domain(Order, [("id", "=", quotation.id)]):
            row = self.env["res.partner"]._b2b_credit_exposure(self.dealer, include_pending=True)[self.dealer.id]
        self.assertEqual(row["temporary_increase"], 400.0)
        self.assertEqual(row["total_limit"], 1400.0)
        self.assertEqual(row["pending_orders"], 200.0)
        self.assertEqual(row["available"], 1200.0)

    def patch_pending_domain(self, Order, domain):
        from unittest.mock import patch

        return patch.object(Order, "_b2b_credit_pending_order_domain", lambda self: domain, create=True)

    def test_exposure_is_set_based(self):
        """Many dealers cost the same number of queries as one."""
        Partner = self.env["res.partner"]
        dealers = Partner.create([{"name": f"Bulk dealer {i}", "is_company": True} for i in range(30)])
        for dealer in dealers[:5]:
            self._invoice(dealer, 10.0)
        self.env.flush_all()
        Partner._b2b_credit_exposure(dealers[:1])  # warm caches
        counts = []
        for subset in (dealers[1:2], dealers):
            Partner._b2b_credit_exposure(subset)  # same cache state for both measures
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            figures = Partner._b2b_credit_exposure(subset)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertLessEqual(counts[1], counts[0], "30 dealers must not cost more queries than one")
        self.assertLessEqual(counts[1], 12)
        self.assertEqual(len(figures), 30)
        self.assertEqual(figures[dealers[0].id]["receivable"], 10.0)

    def test_credit_fields_need_credit_manager_and_are_logged(self):
        with self.assertRaises(AccessError):
            self.dealer.with_user(self.salesman).write({"credit_limit": 99999.0})
        self.dealer.with_user(self.credit_manager).write(
            {"credit_limit": 2500.0, "b2b_credit_manual_hold": True, "b2b_credit_hold_reason": "Cheque bounced"}
        )
        history = self.env["b2b.credit.history"].search([("partner_id", "=", self.dealer.id)])
        by_field = {h.field_description: h for h in history}
        limit_entry = by_field[self.env["res.partner"]._fields["credit_limit"]._description_string(self.env)]
        self.assertEqual(limit_entry.user_id, self.credit_manager)
        self.assertIn("1,000.00", limit_entry.old_value)
        self.assertIn("2,500.00", limit_entry.new_value)
        self.assertEqual(len(history), 3)
        # A contact under the dealer follows the commercial fields without a history of its own.
        contact = self.env["res.partner"].create({"name": "New buyer", "parent_id": self.dealer.id})
        self.assertTrue(contact.b2b_credit_manual_hold)

    def test_pay_on_account_check(self):
        order = self._order(self.dealer, qty=5)  # 500 of 1000
        verdict = order._b2b_pay_on_account_check()[order.id]
        self.assertTrue(verdict["allowed"], verdict["reason"])
        self.assertEqual(verdict["available"], 1000.0)
        self.assertEqual(verdict["order_amount"], 500.0)
        self.assertEqual(verdict["currency"], self.company.currency_id.name)
        big = self._order(self.dealer, qty=15)
        verdict = big._b2b_pay_on_account_check()[big.id]
        self.assertFalse(verdict["allowed"])
        self.assertIn("exceeds the available credit", verdict["reason"])
        not_listed = self._order(self.other_dealer, qty=1)
        verdict = not_listed._b2b_pay_on_account_check()[not_listed.id]
        self.assertFalse(verdict["allowed"])
        self.assertIn("not enabled to pay on account", verdict["reason"])
        # Nothing was written: the check is a question, not a decision.
        self.assertFalse(big.b2b_credit_hold)

    def test_report_figures(self):
        """Aging, collection rate and DSO per dealer (set-based, hand-computed)."""
        Partner = self.env["res.partner"]
        inv_old = self._invoice(self.dealer, 1000.0, self._days(-100), due_date=self._days(-95))
        self._invoice(self.dealer, 300.0, self._days(-40), due_date=self._days(-35))
        self._invoice(self.dealer, 200.0, self._days(-5), due_date=self._days(10))
        self._pay(inv_old, amount=400.0, date=self._days(-50))
        aging = Partner._b2b_credit_aging(self.dealer)[self.dealer.id]
        self.assertEqual(aging["days_90_plus"], 600.0)
        self.assertEqual(aging["days_31_60"], 300.0)
        self.assertEqual(aging["current"], 200.0)
        self.assertEqual(aging["total"], 1100.0)
        # As of 60 days ago the payment did not exist yet.
        past = Partner._b2b_credit_aging(self.dealer, as_of=self._days(-60))[self.dealer.id]
        self.assertEqual(past["days_31_60"], 1000.0)
        self.assertEqual(past["total"], 1000.0)
        # Due in the last 120 days: 1000 + 300 (the 200 is not due yet); collected 400.
        rate = Partner._b2b_credit_collection_rate(self.dealer, self._days(-120), self.today)[self.dealer.id]
        self.assertEqual(rate["due"], 1300.0)
        self.assertEqual(rate["collected"], 400.0)
        self.assertAlmostEqual(rate["rate"], 400.0 / 1300.0)
        # DSO over 90 days: balance 1100 / sales 500 (300 + 200) * 90.
        dso = Partner._b2b_credit_dso(self.dealer, days=90)[self.dealer.id]
        self.assertEqual(dso["sales"], 500.0)
        self.assertAlmostEqual(dso["dso"], 1100.0 / 500.0 * 90)
        self.assertIsNone(
            Partner._b2b_credit_collection_rate(self.other_dealer, self._days(-10), self.today)[self.other_dealer.id][
                "rate"
            ]
        )

    def test_default_payment_term_from_policy(self):
        term = self.env.ref("account.account_payment_term_30days")
        policy = self.env["b2b.credit.policy"].create({"name": "Tier 1", "payment_term_id": term.id})
        partner = self.env["res.partner"].create({"name": "No term dealer", "is_company": True})
        partner.b2b_credit_policy_id = policy
        order = self.env["sale.order"].create(
            {"partner_id": partner.id, "order_line": [Command.create({"product_id": self.product.id})]}
        )
        self.assertEqual(order.payment_term_id, term)

    def test_portal_sees_only_own_credit(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal buyer",
                "login": "b2b_credit_exposure_portal",
                "partner_id": self.dealer_contact.id,
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        own = self.env["b2b.credit.increase"].create(
            {
                "partner_id": self.dealer.id,
                "amount": 100.0,
                "date_from": self.today,
                "date_to": self._days(3),
                "reason": "Promotion",
            }
        )
        self.env["b2b.credit.increase"].create(
            {
                "partner_id": self.other_dealer.id,
                "amount": 100.0,
                "date_from": self.today,
                "date_to": self._days(3),
                "reason": "Promotion",
            }
        )
        self.assertEqual(self.env["b2b.credit.increase"].with_user(portal).search([]), own)
        with self.assertRaises(AccessError):
            self.other_dealer.with_user(portal).read(["b2b_credit_exposure"])
        with self.assertRaises(AccessError):
            self.env["b2b.credit.history"].with_user(portal).search([])
        data = self.dealer_contact.with_user(portal)._b2b_credit_portal_data()
        self.assertEqual(data["total_limit"], 1100.0)
        self.assertEqual(data["available"], 1100.0)
        self.assertTrue(data["pay_on_account"])
        self.assertEqual(len(data["increases"]), 1)
        with self.assertRaises(AccessError):
            self.other_dealer.with_user(portal)._b2b_credit_portal_data()
