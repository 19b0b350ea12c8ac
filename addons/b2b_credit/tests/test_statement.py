from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import date_utils

from .common import B2bCreditCommon


@tagged("post_install", "-at_install")
class TestStatement(B2bCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.b2b_credit_accountant_id = cls.credit_manager
        # Hand-computed example, period = [-30, -1]:
        #   opening: invoice A 1000 (dated -45, due -15)
        #   period:  invoice B +500 (due +10), credit note C -100, payment on A -600
        #   closing: 1000 + 500 - 100 - 600 = 800
        #   ageing at -1: A 400 open, 14 days late -> 1-30; B 500 + C -100 -> current 400
        cls.invoice_a = cls._invoice(cls.dealer, 1000.0, cls._days(-45), due_date=cls._days(-15))
        cls.invoice_b = cls._invoice(cls.dealer, 500.0, cls._days(-20), due_date=cls._days(10))
        cls.credit_note = cls._invoice(cls.dealer, 100.0, cls._days(-10), move_type="out_refund")
        cls._pay(cls.invoice_a, amount=600.0, date=cls._days(-5))
        cls._invoice(cls.dealer, 70.0, cls.today)  # after the period
        cls.statement = cls.env["b2b.credit.statement"]._b2b_generate(cls.dealer, cls._days(-30), cls._days(-1))
        portal_group = cls.env.ref("base.group_portal")
        cls.portal_user = cls.env["res.users"].create(
            {
                "name": "Dealer buyer",
                "login": "b2b_credit_portal_1",
                "partner_id": cls.dealer_contact.id,
                "groups_id": [Command.set([portal_group.id])],
            }
        )
        other_contact = cls.env["res.partner"].create(
            {"name": "Other buyer", "parent_id": cls.other_dealer.id, "email": "other@example.com"}
        )
        cls.other_portal_user = cls.env["res.users"].create(
            {
                "name": "Other buyer",
                "login": "b2b_credit_portal_2",
                "partner_id": other_contact.id,
                "groups_id": [Command.set([portal_group.id])],
            }
        )

    def test_balances_against_hand_computed_example(self):
        statement = self.statement
        self.assertEqual(len(statement), 1)
        self.assertEqual(statement.opening_balance, 1000.0)
        self.assertEqual(statement.total_invoiced, 500.0)
        self.assertEqual(statement.total_credit_notes, 100.0)
        self.assertEqual(statement.total_payments, 600.0)
        self.assertEqual(statement.closing_balance, 800.0)
        self.assertEqual(statement.line_ids.mapped("line_type"), ["invoice", "credit_note", "payment"])
        self.assertEqual(statement.line_ids.mapped("balance"), [1500.0, 1400.0, 800.0])
        self.assertEqual(statement.aging_current, 400.0)
        self.assertEqual(statement.aging_days_1_30, 400.0)
        self.assertEqual(statement.aging_days_31_60 + statement.aging_days_61_90 + statement.aging_days_90_plus, 0)
        # Generating the same period again keeps the existing statement.
        again = self.env["b2b.credit.statement"]._b2b_generate(self.dealer, self._days(-30), self._days(-1))
        self.assertFalse(again)

    def test_pdf_and_portal_data(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("b2b_credit.report_b2b_credit_statement", self.statement.ids)[0]
            .decode()
        )
        self.assertIn("Noto Sans CJK SC", html)
        self.assertIn(self.invoice_b.name, html)
        self.statement.action_send()
        data = self.statement.with_user(self.portal_user)._b2b_portal_data()
        self.assertEqual(data["closing_balance"], 800.0)
        self.assertEqual(data["aging"]["days_1_30"], 400.0)
        self.assertEqual(data["lines"][0]["document"], self.invoice_b.name)
        self.assertTrue(data["can_answer"])

    def test_dealer_confirms_own_statement_only(self):
        statement = self.statement
        with self.assertRaises(AccessError):  # draft statements are not shown to dealers
            statement.with_user(self.portal_user).action_dealer_confirm()
        statement.action_send()
        with self.assertRaises(AccessError):
            statement.with_user(self.other_portal_user).action_dealer_confirm()
        statement.with_user(self.portal_user).action_dealer_confirm()
        self.assertEqual(statement.state, "confirmed")
        self.assertEqual(statement.response_user_id, self.portal_user)
        with self.assertRaises(UserError):
            statement.with_user(self.portal_user).action_dealer_confirm()
        self.assertEqual(self.env["b2b.credit.statement"].with_user(self.other_portal_user).search_count([]), 0)

    def test_dispute_flow(self):
        statement = self.statement
        statement.action_send()
        credit_line = statement.line_ids.filtered(lambda line: line.line_type == "credit_note")
        with self.assertRaises(UserError):
            statement.with_user(self.portal_user).action_dealer_dispute({credit_line.id: "   "})
        with self.assertRaises(UserError):
            statement.with_user(self.portal_user).action_dealer_dispute({999999999: "not mine"})
        statement.with_user(self.portal_user).action_dealer_dispute(
            [{"line_id": credit_line.id, "comment": "We were promised 150"}]
        )
        self.assertEqual(statement.state, "disputed")
        self.assertTrue(credit_line.disputed)
        self.assertEqual(credit_line.dispute_comment, "We were promised 150")
        activity = statement.activity_ids
        self.assertEqual(activity.user_id, self.credit_manager)
        self.assertIn("We were promised 150", activity.note)

    def test_monthly_cron(self):
        next_month = date_utils.start_of(self.today, "month") + relativedelta(months=1)
        statements = self.env["b2b.credit.statement"]._cron_generate_monthly(today=next_month)
        mine = statements.filtered(lambda s: s.partner_id == self.dealer)
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine.state, "sent")
        self.assertEqual(mine.date_from, date_utils.start_of(self.today, "month"))
        self.assertFalse(statements.filtered(lambda s: s.partner_id == self.other_dealer))
        self.assertFalse(self.env["b2b.credit.statement"]._cron_generate_monthly(today=next_month))
