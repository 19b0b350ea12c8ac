import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import format_amount

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_credit_hold = fields.Boolean(string="On Credit Hold", copy=False, readonly=True, index=True, tracking=True)
    b2b_credit_hold_reason = fields.Text(string="Credit Hold Reason", copy=False, readonly=True)
    b2b_credit_hold_date = fields.Datetime(string="Held On", copy=False, readonly=True)
    b2b_credit_company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")
    b2b_credit_hold_limit = fields.Monetary(
        string="Limit at Hold", copy=False, readonly=True, currency_field="b2b_credit_company_currency_id"
    )
    b2b_credit_hold_exposure = fields.Monetary(
        string="Exposure at Hold", copy=False, readonly=True, currency_field="b2b_credit_company_currency_id"
    )
    b2b_credit_hold_available = fields.Monetary(
        string="Available at Hold", copy=False, readonly=True, currency_field="b2b_credit_company_currency_id"
    )
    b2b_credit_hold_amount = fields.Monetary(
        string="Credit Needed", copy=False, readonly=True, currency_field="b2b_credit_company_currency_id"
    )
    b2b_credit_released = fields.Boolean(string="Credit Released", copy=False, readonly=True, tracking=True)
    b2b_credit_release_reason = fields.Text(string="Release Reason", copy=False, readonly=True)
    b2b_credit_released_by_id = fields.Many2one("res.users", string="Released By", copy=False, readonly=True)
    b2b_credit_released_date = fields.Datetime(string="Released On", copy=False, readonly=True)

    # ------------------------------------------------------------------ hooks for other modules
    @api.model
    def _b2b_credit_pending_order_domain(self):
        """Quotations that already commit credit although not confirmed (e.g. waiting for the
        dealer's internal approval). Credit knows no approval flow: the portal layer extends this."""
        return expression.FALSE_DOMAIN

    # ------------------------------------------------------------------ evaluation
    def _b2b_credit_amount_needed(self):
        """Credit this order would consume, in company currency: total minus online payments."""
        self.ensure_one()
        remaining = max(self.amount_total - self.sudo().amount_paid, 0.0)
        return self.company_id.currency_id.round(remaining / (self.currency_rate or 1.0))

    def _b2b_credit_evaluate(self, lock=False):
        """Credit verdict per order: ``{order.id: {"allowed", "reasons", "limit", "exposure",
        "available", "order_amount", "has_limit", "currency"}}``.

        Orders of one dealer evaluated together are counted cumulatively (in date order), so
        confirming a batch cannot exceed the limit either. With ``lock``, the dealers' rows are
        locked first (see ``res.partner._b2b_credit_lock``).
        """
        result = {}
        Partner = self.env["res.partner"].sudo()
        for company, orders in self.grouped("company_id").items():
            commercial = orders.partner_id.commercial_partner_id
            if lock:
                Partner.browse(commercial.ids)._b2b_credit_lock()
            figures = Partner.with_company(company)._b2b_credit_exposure(
                commercial, company=company, exclude_order_ids=orders.ids
            )
            consumed = {}
            for order in orders.sorted(lambda o: (o.date_order or fields.Datetime.now(), o.id)):
                pid = order.partner_id.commercial_partner_id.id
                row = dict(figures[pid])
                row["exposure"] += consumed.get(pid, 0.0)
                amount = order._b2b_credit_amount_needed()
                reasons = Partner.with_company(company)._b2b_credit_blocking_reasons(row, amount, company)
                allowed = not reasons
                if allowed:
                    consumed[pid] = consumed.get(pid, 0.0) + amount
                result[order.id] = {
                    "allowed": allowed,
                    "reasons": reasons,
                    "has_limit": row["has_limit"],
                    "limit": row["total_limit"],
                    "exposure": row["exposure"],
                    "available": (row["total_limit"] - row["exposure"]) if row["has_limit"] else None,
                    "order_amount": amount,
                    "currency": company.currency_id.name,
                    "pay_on_account": row["pay_on_account"],
                }
        return result

    def _b2b_pay_on_account_check(self):
        """May these orders be paid on account at checkout? (contract with the portal)

        Returns ``{order.id: {"allowed", "reason", "limit", "exposure", "available",
        "order_amount", "currency"}}``; amounts in company currency, the reason in plain,
        translated language (empty when allowed). Read-only: nothing is locked or written.
        """
        evaluation = self.sudo()._b2b_credit_evaluate(lock=False)
        result = {}
        for order in self:
            verdict = evaluation[order.id]
            reasons = list(verdict["reasons"])
            if not verdict["pay_on_account"]:
                reasons.insert(0, _("Your company is not enabled to pay on account; please pay online."))
            result[order.id] = {
                "allowed": not reasons,
                "reason": " ".join(reasons),
                "limit": verdict["limit"],
                "exposure": verdict["exposure"],
                "available": verdict["available"],
                "order_amount": verdict["order_amount"],
                "currency": verdict["currency"],
            }
        return result

    # ------------------------------------------------------------------ enforcement
    def action_confirm(self):
        """Every door (back office, portal, RPC, payment transactions) ends here: orders that
        exceed the dealer's credit or hit the overdue policy go on credit hold instead."""
        to_check = self.filtered(
            lambda o: o.state in ("draft", "sent")
            and not o.b2b_credit_released
            and o.company_id.b2b_credit_enforce
            and not o._confirmation_error_message()
        )
        blocked = self.browse()
        if to_check:
            evaluation = to_check._b2b_credit_evaluate(lock=True)
            blocked = to_check.filtered(lambda o: not evaluation[o.id]["allowed"])
            blocked._b2b_credit_put_on_hold(evaluation)
        to_confirm = self - blocked
        if to_confirm:
            to_confirm.filtered("b2b_credit_hold").sudo().write({"b2b_credit_hold": False})
            return super(SaleOrder, to_confirm).action_confirm()
        return True

    def _b2b_portal_confirm(self):
        """What the portal checkout calls to confirm orders: the dealer's access is checked, then
        the orders go through ``action_confirm`` (the one credit-checked door) as superuser,
        since portal users cannot write orders. Returns ``{order.id: {"confirmed", "held",
        "reason"}}`` so the page can tell the dealer what happened."""
        self.check_access("read")
        orders = self.sudo()
        orders.filtered(lambda o: o.state in ("draft", "sent")).action_confirm()
        return {
            order.id: {
                "confirmed": order.state == "sale",
                "held": order.b2b_credit_hold,
                "reason": order.b2b_credit_hold_reason or "",
            }
            for order in orders
        }

    def _b2b_credit_put_on_hold(self, evaluation):
        if not self:
            return
        newly_held = self.filtered(lambda o: not o.b2b_credit_hold)
        now = fields.Datetime.now()
        for order in self:
            verdict = evaluation[order.id]
            reason = "\n".join(verdict["reasons"])
            order.sudo().write(
                {
                    "b2b_credit_hold": True,
                    "b2b_credit_hold_reason": reason,
                    "b2b_credit_hold_date": now,
                    "b2b_credit_hold_limit": verdict["limit"],
                    "b2b_credit_hold_exposure": verdict["exposure"],
                    "b2b_credit_hold_available": verdict["available"] or 0.0,
                    "b2b_credit_hold_amount": verdict["order_amount"],
                }
            )
            order.sudo().message_post(body=_("Order put on credit hold instead of being confirmed:\n%s", reason))
        self.env["b2b.credit.history"]._log_values(
            [
                {
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "company_id": order.company_id.id,
                    "order_id": order.id,
                    "field_description": _("Order on credit hold"),
                    "old_value": order.name,
                    "new_value": format_amount(
                        self.env, evaluation[order.id]["order_amount"], order.company_id.currency_id
                    ),
                    "note": order.b2b_credit_hold_reason,
                }
                for order in self
            ]
        )
        for order in newly_held:
            manager = order.company_id.b2b_credit_manager_id or order.user_id or self.env.user
            order.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Credit hold: review order %s", order.name),
                note=order.b2b_credit_hold_reason,
                user_id=manager.id,
            )

    def _b2b_credit_release(self, reason):
        """Credit Manager decision: confirm held orders despite the credit check (logged)."""
        if not self.env.su and not self.env.user.has_group("b2b_credit.group_b2b_credit_manager"):
            raise UserError(_("Only a Credit Manager can release an order from credit hold."))
        if not (reason or "").strip():
            raise UserError(_("Please give the reason for releasing the order."))
        not_held = self.filtered(lambda o: not o.b2b_credit_hold or o.state not in ("draft", "sent"))
        if not_held:
            raise UserError(_("These orders are not on credit hold: %s", ", ".join(not_held.mapped("name"))))
        self.sudo().write(
            {
                "b2b_credit_released": True,
                "b2b_credit_release_reason": reason,
                "b2b_credit_released_by_id": self.env.user.id,
                "b2b_credit_released_date": fields.Datetime.now(),
            }
        )
        self._b2b_credit_log_release(_("Released by a Credit Manager"), reason)
        # The manager's decision is the access check: confirm whoever owns the order.
        return self.sudo().action_confirm()

    def _b2b_credit_log_release(self, what, reason):
        self.env["b2b.credit.history"]._log_values(
            [
                {
                    "partner_id": order.partner_id.commercial_partner_id.id,
                    "company_id": order.company_id.id,
                    "order_id": order.id,
                    "field_description": what,
                    "old_value": order.name,
                    "new_value": _("Confirmed"),
                    "note": reason,
                }
                for order in self
            ]
        )
        for order in self:
            order.sudo().message_post(body=_("%(what)s: %(reason)s", what=what, reason=reason))
            order.sudo().activity_unlink(["mail.mail_activity_data_todo"])

    def _b2b_credit_try_release_automatically(self):
        """Confirm the held orders that now fit (payment received); returns the confirmed ones."""
        held = self.filtered(lambda o: o.b2b_credit_hold and o.state in ("draft", "sent"))
        if not held:
            return held
        evaluation = held._b2b_credit_evaluate(lock=True)
        fitting = held.filtered(lambda o: evaluation[o.id]["allowed"])
        if fitting:
            reason = _("A payment brought the dealer back within the credit limits.")
            fitting.write(
                {
                    "b2b_credit_released": True,
                    "b2b_credit_release_reason": reason,
                    "b2b_credit_released_by_id": False,
                    "b2b_credit_released_date": fields.Datetime.now(),
                }
            )
            fitting._b2b_credit_log_release(_("Released automatically"), reason)
            fitting.action_confirm()  # already checked under the dealer lock just above
        return fitting

    def _send_order_confirmation_mail(self):
        # Never tell a dealer an order is confirmed while it waits on credit hold.
        return super(SaleOrder, self.filtered(lambda o: not o.b2b_credit_hold))._send_order_confirmation_mail()

    def action_draft(self):
        res = super().action_draft()
        self.filtered("b2b_credit_released").write({"b2b_credit_released": False})
        return res

    def action_b2b_credit_release_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Release Credit Hold"),
            "res_model": "b2b.credit.release.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": [(6, 0, self.ids)]},
        }

    # ------------------------------------------------------------------ payment term by policy
    @api.depends("partner_id")
    def _compute_payment_term_id(self):
        res = super()._compute_payment_term_id()
        for order in self.filtered(lambda o: not o.payment_term_id and o.partner_id):
            policy = order.partner_id.commercial_partner_id.with_company(order.company_id).sudo().b2b_credit_policy_id
            if policy.payment_term_id:
                order.payment_term_id = policy.payment_term_id
        return res
