from datetime import timedelta
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from .common import B2bCreditCommon


@tagged("post_install", "-at_install")
class TestPaymentTermProofOfDelivery(B2bCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_pod = cls.env["account.payment.term"].create(
            {
                "name": "30 days after delivery",
                "b2b_due_from_delivery": True,
                "line_ids": [Command.create({"value": "percent", "value_amount": 100.0, "nb_days": 30})],
            }
        )

    def _invoice_with_term(self, term):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.dealer.id,
                "invoice_date": self._days(-20),
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [Command.create({"name": "Goods", "price_unit": 100.0, "tax_ids": []})],
            }
        )
        move.action_post()
        return move

    def test_due_date_counts_from_proof_of_delivery(self):
        invoice = self._invoice_with_term(self.term_pod)
        normal = self._invoice_with_term(self.env.ref("account.account_payment_term_30days"))
        # Provisional: counted from the invoice date until the receipt is confirmed.
        self.assertEqual(invoice.invoice_date_due, self._days(10))
        pod_date = self._days(-5)
        dates = {invoice.id: pod_date, normal.id: pod_date}
        Move = type(self.env["account.move"])
        with patch.object(Move, "_b2b_proof_of_delivery_dates", lambda self: dates, create=True):
            (invoice | normal)._b2b_proof_of_delivery_confirmed()
        self.assertEqual(invoice.b2b_pod_date, pod_date)
        self.assertEqual(invoice.invoice_date_due, pod_date + timedelta(days=30))
        receivable = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(receivable.date_maturity, pod_date + timedelta(days=30))
        self.assertEqual(normal.invoice_date_due, self._days(10), "other terms are untouched")
        # A later, corrected receipt date moves the due date again.
        dates[invoice.id] = pod_date + timedelta(days=2)
        with patch.object(Move, "_b2b_proof_of_delivery_dates", lambda self: dates, create=True):
            invoice._b2b_proof_of_delivery_confirmed()
        self.assertEqual(invoice.invoice_date_due, pod_date + timedelta(days=32))

    def test_hook_without_dates_keeps_provisional_due_date(self):
        invoice = self._invoice_with_term(self.term_pod)
        invoice._b2b_proof_of_delivery_confirmed()
        self.assertFalse(invoice.b2b_pod_date)
        self.assertEqual(invoice.invoice_date_due, self._days(10))
        self.assertEqual(self.env["account.move"]._b2b_proof_of_delivery_dates(), {})
