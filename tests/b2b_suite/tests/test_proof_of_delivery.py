from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestProofOfDeliveryBetweenLogisticsAndCredit(TransactionCase):
    """b2b_logistics offers the dealer's receipt date, b2b_credit counts due dates from it;
    neither module depends on the other, so only this suite sees both halves together."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.b2b_credit_enforce = False
        pricelist = cls.env["product.pricelist"].create(
            {"name": "POD prices", "currency_id": cls.env.company.currency_id.id}
        )
        cls.dealer = cls.env["res.partner"].create(
            {"name": "POD Dealer", "is_company": True, "property_product_pricelist": pricelist.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "POD crate", "is_storable": True, "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.env["stock.quant"]._update_available_quantity(cls.product, warehouse.lot_stock_id, 50)
        cls.term = cls.env["account.payment.term"].create(
            {
                "name": "30 days from delivery",
                "b2b_due_from_delivery": True,
                "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
            }
        )

    def _shipped_order(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.dealer.id,
                "payment_term_id": self.term.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 5})],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.write({"quantity": 5, "picked": True})
        picking._action_done()
        self.assertEqual(picking.state, "done")
        return order

    def _invoice(self, order, invoice_date):
        invoice = order._create_invoices()
        invoice.invoice_date = invoice_date
        invoice.action_post()
        return invoice

    def test_receipt_confirmation_moves_the_due_date_of_posted_invoices(self):
        order = self._shipped_order()
        invoice_date = fields.Date.today() - timedelta(days=10)
        invoice = self._invoice(order, invoice_date)
        self.assertEqual(invoice.invoice_date_due, invoice_date + timedelta(days=30), "provisional: from invoice")
        self.assertEqual(invoice._b2b_proof_of_delivery_dates(), {})

        order._b2b_confirm_receipt(note="All cases received")

        self.assertEqual(invoice._b2b_proof_of_delivery_dates(), {invoice.id: order.b2b_receipt_date.date()})
        self.assertEqual(invoice.b2b_pod_date, order.b2b_receipt_date.date())
        receivable = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(receivable.date_maturity, invoice.b2b_pod_date + timedelta(days=30))
        self.assertEqual(invoice.invoice_date_due, invoice.b2b_pod_date + timedelta(days=30))
        self.assertEqual(invoice.amount_residual, 500.0, "only due dates move, never amounts")

    def test_invoice_posted_after_receipt_counts_from_delivery(self):
        order = self._shipped_order()
        order._b2b_confirm_receipt()
        invoice = self._invoice(order, fields.Date.today() - timedelta(days=20))
        self.assertEqual(invoice.b2b_pod_date, order.b2b_receipt_date.date())
        self.assertEqual(invoice.invoice_date_due, invoice.b2b_pod_date + timedelta(days=30))

    def test_terms_counting_from_invoice_date_are_left_alone(self):
        self.term.b2b_due_from_delivery = False
        order = self._shipped_order()
        invoice_date = fields.Date.today() - timedelta(days=10)
        invoice = self._invoice(order, invoice_date)
        order._b2b_confirm_receipt()
        self.assertFalse(invoice.b2b_pod_date)
        self.assertEqual(invoice.invoice_date_due, invoice_date + timedelta(days=30))
