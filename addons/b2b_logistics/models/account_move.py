from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _b2b_proof_of_delivery_dates(self):
        """{move.id: date} of dealer-confirmed receipt for these invoices.

        Cooperative hook shared with b2b_credit (neither module depends on the other). An invoice
        gets a date once every sale order it bills is confirmed as received: the latest date.
        """
        parent = getattr(super(), "_b2b_proof_of_delivery_dates", None)
        dates = parent() if parent else {}
        for move in self.sudo():
            orders = move.invoice_line_ids.sale_line_ids.order_id
            if orders and all(orders.mapped("b2b_receipt_date")):
                dates[move.id] = max(orders.mapped("b2b_receipt_date")).date()
        return dates

    def _b2b_proof_of_delivery_confirmed(self):
        """Called by logistics on the invoices of an order when its receipt is confirmed."""
        parent = getattr(super(), "_b2b_proof_of_delivery_confirmed", None)
        return parent() if parent else None
