import logging

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        """A payment reconciled on a receivable may bring dealers back within their limits:
        re-check their held orders (one evaluation for all of them)."""
        partials = super().create(vals_list)
        lines = partials.debit_move_id | partials.credit_move_id
        partners = self.env["account.move"]._b2b_receivable_partners(lines)
        if partners and not self.env.context.get("b2b_credit_no_recheck"):
            try:
                with self.env.cr.savepoint():
                    self.env["res.partner"].sudo().browse(partners.ids)._b2b_credit_recheck_held_orders()
            except (UserError, ValidationError) as error:
                # The payment must go through even if a held order cannot be confirmed now.
                _logger.warning("Automatic credit release skipped: %s", error)
        return partials
