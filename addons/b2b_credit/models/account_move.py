from odoo import _, api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    b2b_due_from_delivery = fields.Boolean(related="invoice_payment_term_id.b2b_due_from_delivery")
    b2b_pod_date = fields.Date(
        string="Proof of Delivery",
        copy=False,
        readonly=True,
        help="Receipt date the due dates were counted from. Empty: due dates are provisional, "
        "counted from the invoice date.",
    )
    b2b_dunning_log_ids = fields.One2many("b2b.dunning.log", "move_id", string="Reminders Sent")

    # ------------------------------------------------------------------ shared hook pair
    def _b2b_proof_of_delivery_dates(self):
        """{move.id: date} of dealer-confirmed receipt for these invoices."""
        parent = getattr(super(), "_b2b_proof_of_delivery_dates", None)
        dates = parent() if parent else {}
        # Credit has no delivery knowledge of its own: logistics supplies the dates.
        return dates

    def _b2b_proof_of_delivery_confirmed(self):
        """Called by logistics on the invoices of an order when its receipt is confirmed."""
        parent = getattr(super(), "_b2b_proof_of_delivery_confirmed", None)
        result = parent() if parent else None
        self._b2b_apply_proof_of_delivery_due_dates()
        return result

    # ------------------------------------------------------------------ due dates
    def _b2b_apply_proof_of_delivery_due_dates(self):
        """Recount the due dates of posted customer invoices whose term counts from delivery."""
        moves = self.filtered(
            lambda m: m.state == "posted"
            and m.is_sale_document(include_receipts=True)
            and m.invoice_payment_term_id.b2b_due_from_delivery
        )
        if not moves:
            return moves
        dates = moves._b2b_proof_of_delivery_dates()
        changed = self.browse()
        for move in moves:
            pod_date = fields.Date.to_date(dates.get(move.id))
            if not pod_date or pod_date == move.b2b_pod_date:
                continue
            term = move.invoice_payment_term_id
            old_ref = move.b2b_pod_date or move.invoice_date or move.date
            old_dates = [line._get_due_date(old_ref) for line in term.line_ids]
            new_dates = [line._get_due_date(pod_date) for line in term.line_ids]
            mapping = {}
            for old, new in zip(old_dates, new_dates, strict=True):
                mapping.setdefault(old, new)
            shift = pod_date - old_ref
            term_lines = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
            # Posted invoice: only the due dates move, the accounting lines stay as they are.
            for line in term_lines.with_context(skip_invoice_sync=True, check_move_validity=False):
                line.date_maturity = mapping.get(line.date_maturity, line.date_maturity + shift)
            move.with_context(skip_invoice_sync=True).write(
                {"b2b_pod_date": pod_date, "invoice_date_due": max(term_lines.mapped("date_maturity"))}
            )
            move.message_post(
                body=_(
                    "Proof of delivery dated %(date)s: due dates now count from delivery (due %(due)s).",
                    date=pod_date,
                    due=move.invoice_date_due,
                )
            )
            changed |= move
        return changed

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # An invoice issued after the receipt was confirmed starts from the known delivery date.
        posted._b2b_apply_proof_of_delivery_due_dates()
        return posted

    @api.model
    def _b2b_receivable_partners(self, lines):
        return lines.filtered(lambda line: line.account_type == "asset_receivable").partner_id.commercial_partner_id
