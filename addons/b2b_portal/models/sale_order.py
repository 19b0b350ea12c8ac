import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero

_logger = logging.getLogger(__name__)

PORTAL_STATES = [
    ("cart", "Cart"),
    ("to_approve", "Waiting Approval"),
    ("rejected", "Rejected"),
    ("submitted", "Submitted"),
    ("review", "In Review"),
    ("confirmed", "Confirmed"),
]
# Quantities a portal line may carry: bounded so a typo cannot create an absurd order.
MAX_PORTAL_QTY = 100000


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_portal_state = fields.Selection(
        PORTAL_STATES,
        string="Portal Status",
        index="btree_not_null",
        copy=False,
        tracking=True,
        help="Where a dealer portal order stands: cart (暂存), waiting for the dealer's "
        "approver, submitted to the supplier, in review by the salesperson, confirmed.",
    )
    b2b_portal_dealer_id = fields.Many2one(
        "res.partner",
        string="Portal Dealer",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="Commercial partner the portal order was created for.",
    )
    b2b_portal_cart_name = fields.Char(string="Cart Name", copy=False)
    b2b_portal_idempotency_key = fields.Char(
        string="Submission Key",
        copy=False,
        readonly=True,
        help="Key of the portal submission: the same key never submits twice.",
    )
    b2b_portal_submitted_by_id = fields.Many2one("res.users", string="Submitted By", copy=False, readonly=True)
    b2b_portal_submitted_date = fields.Datetime(string="Submitted On", copy=False, readonly=True)
    b2b_portal_approver_id = fields.Many2one("res.users", string="Approved By", copy=False, readonly=True)
    b2b_portal_approval_date = fields.Datetime(string="Approved On", copy=False, readonly=True)
    b2b_portal_approval_reasons = fields.Text(string="Why Approval Is Needed", copy=False, readonly=True)
    b2b_portal_review_reasons = fields.Text(string="Review Reasons", copy=False, readonly=True)
    b2b_portal_payment_mode = fields.Selection(
        [("on_account", "On account"), ("prepayment", "Prepayment")],
        string="Portal Payment",
        copy=False,
    )
    b2b_portal_note = fields.Text(string="Dealer Note", copy=False)

    _sql_constraints = [
        (
            "b2b_portal_idempotency_uniq",
            "unique(b2b_portal_dealer_id, b2b_portal_idempotency_key)",
            "This order was already submitted.",
        ),
    ]

    # ------------------------------------------------------------------ carts (暂存)

    @api.model
    def _b2b_portal_order_domain(self, ctx):
        return [("b2b_portal_dealer_id", "=", ctx["dealer"].id)]

    @api.model
    def _b2b_portal_get(self, ctx, order_id, states=None):
        """The dealer's portal order `order_id` (sudo), or AccessError.

        Portal routes only ever touch orders through here, so another dealer's id gives
        the same answer as an id that does not exist.
        """
        try:
            order_id = int(order_id)
        except (TypeError, ValueError):
            order_id = 0
        domain = [("id", "=", order_id), *self._b2b_portal_order_domain(ctx)]
        if states:
            domain.append(("b2b_portal_state", "in", states))
        order = self.sudo().search(domain, limit=1)
        if not order:
            raise AccessError(_("This order does not exist or is not yours."))
        return order

    @api.model
    def _b2b_portal_carts(self, ctx):
        return self.sudo().search(
            [*self._b2b_portal_order_domain(ctx), ("b2b_portal_state", "=", "cart")],
            order="write_date desc, id desc",
        )

    @api.model
    def _b2b_portal_new_cart(self, ctx, name=None):
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        vals = {
            "partner_id": ctx["partner"].id,
            "company_id": ctx["company"].id,
            "pricelist_id": ctx["pricelist"].id,
            "b2b_portal_state": "cart",
            "b2b_portal_dealer_id": ctx["dealer"].id,
            "b2b_portal_cart_name": (name or "").strip()[:64] or False,
        }
        if "b2b_channel" in self._fields:
            vals["b2b_channel"] = "portal"
        if ctx["dealer"].user_id:
            vals["user_id"] = ctx["dealer"].user_id.id
        order = self.sudo().with_company(ctx["company"]).create(vals)
        ctx["user"].sudo().b2b_portal_cart_id = order
        return order

    @api.model
    def _b2b_portal_current_cart(self, ctx, create=False):
        """The cart the user is filling: the one they chose, else their latest, else new."""
        cart = ctx["user"].sudo().b2b_portal_cart_id
        if cart and cart.b2b_portal_dealer_id == ctx["dealer"] and cart.b2b_portal_state == "cart":
            return cart
        cart = self._b2b_portal_carts(ctx)[:1]
        if cart:
            ctx["user"].sudo().b2b_portal_cart_id = cart
            return cart
        return self._b2b_portal_new_cart(ctx) if create else self.sudo().browse()

    def _b2b_portal_make_current(self, ctx):
        self.ensure_one()
        if self.b2b_portal_state != "cart":
            raise UserError(_("Only a cart can be made current."))
        ctx["user"].sudo().b2b_portal_cart_id = self

    def _b2b_portal_check_cart(self, ctx):
        self.ensure_one()
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        if self.b2b_portal_state != "cart":
            raise UserError(_("This order was already submitted and can no longer be changed."))

    @api.model
    def _b2b_portal_check_qty(self, qty):
        try:
            qty = float(qty)
        except (TypeError, ValueError):
            raise UserError(_("The quantity must be a number.")) from None
        if not 0 < qty <= MAX_PORTAL_QTY:
            raise UserError(_("The quantity must be above 0 and at most %s.", MAX_PORTAL_QTY))
        return qty

    def _b2b_portal_add_products(self, ctx, quantities, replace=False):
        """Add {product_id: qty} to this cart in one write (merging with existing lines).

        Prices come from the pricelist, never from the browser.
        """
        self._b2b_portal_check_cart(ctx)
        quantities = {int(pid): self._b2b_portal_check_qty(qty) for pid, qty in quantities.items()}
        products = self.env["product.product"].sudo().search([("id", "in", list(quantities)), ("sale_ok", "=", True)])
        if len(products) != len(quantities):
            raise UserError(_("Some products cannot be ordered."))
        lines_by_product = {line.product_id.id: line for line in self.order_line if not line.display_type}
        commands = []
        for product in products:
            qty = quantities[product.id]
            line = lines_by_product.get(product.id)
            if line:
                new_qty = qty if replace else line.product_uom_qty + qty
                commands.append(
                    fields.Command.update(line.id, {"product_uom_qty": self._b2b_portal_check_qty(new_qty)})
                )
            else:
                commands.append(fields.Command.create({"product_id": product.id, "product_uom_qty": qty}))
        self.write({"order_line": commands})
        return True

    def _b2b_portal_set_line_qty(self, ctx, line_id, qty):
        self._b2b_portal_check_cart(ctx)
        line = self.order_line.filtered(lambda line: line.id == int(line_id))
        if not line:
            raise AccessError(_("This line is not in your cart."))
        if float(qty or 0) <= 0:
            line.unlink()
        else:
            line.product_uom_qty = self._b2b_portal_check_qty(qty)

    def _b2b_portal_reorder_rows(self):
        """Rows for the quick-order validation, one per ordered product."""
        return [
            {"product_id": line.product_id.id, "sku": line.product_id.default_code or "", "qty": line.product_uom_qty}
            for line in self.order_line
            if line.product_id and not line.display_type
        ]

    # ------------------------------------------------------------------ adapters

    def _b2b_portal_credit_check(self):
        """Pay-on-account answer per order: b2b_credit's rule, the same one every door obeys."""
        return self._b2b_pay_on_account_check()

    def _b2b_portal_timeline(self):
        """Status steps shown on the portal order page: the dealer's own approval (when its
        rules asked for one), then b2b_logistics' delivery timeline, then invoicing."""
        self.ensure_one()
        order = self.sudo()
        logistics = {step["code"]: step for step in order._b2b_logistics_timeline()[order.id]}
        invoices = order.invoice_ids.filtered(lambda m: m.state == "posted")

        def step(code, name=None):
            data = logistics[code]
            return {"name": name or data["label"], "date": data["date"], "done": data["done"]}

        submitted = step("submitted")
        submitted["date"] = order.b2b_portal_submitted_date or submitted["date"]
        return [
            submitted,
            {
                "name": _("Rejected") if order.b2b_portal_state == "rejected" else _("Approved"),
                "date": order.b2b_portal_approval_date,
                "done": bool(order.b2b_portal_approval_date),
                "skip": not order.b2b_portal_approval_reasons,
            },
            step("approved", _("Confirmed")),
            step("picking"),
            step("shipped"),
            step("in_transit"),
            step("delivered"),
            step("received"),
            {
                "name": _("Invoiced"),
                "date": max(invoices.mapped("invoice_date")) if invoices else False,
                "done": order.invoice_status == "invoiced",
            },
        ]

    # ------------------------------------------------------------------ submit & approve

    def _b2b_portal_approval_reasons(self):
        """Why the dealer's own rules want an approver to see this order (translated)."""
        self.ensure_one()
        order = self.sudo()
        dealer = order.b2b_portal_dealer_id or order.partner_id.commercial_partner_id
        reasons = []
        if dealer.b2b_approval_amount and float_compare(order.amount_total, dealer.b2b_approval_amount, 2) > 0:
            reasons.append(
                _(
                    "The order total %(total)s is above %(limit)s.",
                    total=format(order.amount_total, ".2f"),
                    limit=format(dealer.b2b_approval_amount, ".2f"),
                )
            )
        products = order.order_line.product_id
        if dealer.b2b_approval_category_ids:
            paths = [c.parent_path for c in dealer.b2b_approval_category_ids]
            hit = products.filtered(lambda p: any(p.categ_id.parent_path.startswith(path) for path in paths))
            if hit:
                reasons.append(
                    _("Products of a category that needs approval: %s", ", ".join(hit.mapped("display_name")[:5]))
                )
        if dealer.b2b_approval_new_products and products:
            ordered_before = {
                product.id
                for [product] in self.env["sale.order.line"]
                .sudo()
                ._read_group(
                    [
                        ("order_id.partner_id", "child_of", dealer.id),
                        ("state", "=", "sale"),
                        ("product_id", "in", products.ids),
                        ("order_id", "!=", order.id),
                    ],
                    ["product_id"],
                )
            }
            new = products.filtered(lambda p: p.id not in ordered_before)
            if new:
                reasons.append(_("Products never ordered before: %s", ", ".join(new.mapped("display_name")[:5])))
        return reasons

    def _b2b_portal_submit(self, ctx, key, values=None):
        """Submit this cart once per idempotency key.

        The same key, a second click or a concurrent request returns the order already
        submitted instead of creating or submitting anything twice.
        """
        self.ensure_one()
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        key = (key or "").strip()
        if not key or len(key) > 64:
            raise UserError(_("The submission key is missing; please reload the page."))
        done = self.sudo().search(
            [("b2b_portal_dealer_id", "=", ctx["dealer"].id), ("b2b_portal_idempotency_key", "=", key)], limit=1
        )
        if done:
            return done
        # Serialise concurrent submissions of this cart.
        self.env.cr.execute("SELECT id FROM sale_order WHERE id = %s FOR UPDATE", [self.id])
        order = self.sudo()
        order.invalidate_recordset()
        if order.b2b_portal_state != "cart":
            return order
        if not order.order_line.filtered(lambda line: not line.display_type):
            raise UserError(_("Your cart is empty."))
        for line in order.order_line.filtered(lambda line: not line.display_type):
            self._b2b_portal_check_qty(line.product_uom_qty)
        vals = self._b2b_portal_checkout_values(ctx, values or {})
        vals.update(
            {
                "b2b_portal_idempotency_key": key,
                "b2b_portal_submitted_by_id": ctx["user"].id,
                "b2b_portal_submitted_date": fields.Datetime.now(),
            }
        )
        order.write(vals)
        # Prices are the server's: recompute from the pricelist whatever the cart held.
        order._recompute_prices()
        if ctx["user"].sudo().b2b_portal_cart_id == order:
            ctx["user"].sudo().b2b_portal_cart_id = False
        reasons = order._b2b_portal_approval_reasons()
        if reasons and "approve" not in ctx["rights"]:
            order.write({"b2b_portal_state": "to_approve", "b2b_portal_approval_reasons": "\n".join(reasons)})
            order._b2b_portal_notify_approvers()
        else:
            if reasons:
                order.write(
                    {
                        "b2b_portal_approval_reasons": "\n".join(reasons),
                        "b2b_portal_approver_id": ctx["user"].id,
                        "b2b_portal_approval_date": fields.Datetime.now(),
                    }
                )
            order._b2b_portal_send_to_supplier()
        return order

    @api.model
    def _b2b_portal_checkout_values(self, ctx, values):
        """Checked order values from the checkout form (address, date, PO, note, payment)."""
        dealer = ctx["dealer"]
        vals = {}
        shipping_id = values.get("partner_shipping_id")
        if shipping_id:
            try:
                shipping = self.env["res.partner"].sudo().browse(int(shipping_id)).exists()
            except (TypeError, ValueError):
                shipping = None
            if not shipping or shipping.commercial_partner_id != dealer:
                raise AccessError(_("This delivery address is not one of yours."))
            vals["partner_shipping_id"] = shipping.id
        requested = values.get("commitment_date")
        if requested:
            try:
                requested = fields.Date.to_date(requested)
            except ValueError:
                raise UserError(_("The requested date is not a valid date.")) from None
            if requested < fields.Date.context_today(self):
                raise UserError(_("The requested date cannot be in the past."))
            vals["commitment_date"] = fields.Datetime.to_datetime(requested).replace(hour=12)
        if values.get("client_order_ref"):
            vals["client_order_ref"] = str(values["client_order_ref"]).strip()[:64]
        if values.get("note"):
            vals["b2b_portal_note"] = str(values["note"]).strip()[:2000]
        mode = values.get("payment_mode") or "on_account"
        if mode not in ("on_account", "prepayment"):
            raise UserError(_("Unknown payment method."))
        vals["b2b_portal_payment_mode"] = mode
        return vals

    def _b2b_portal_approvers(self):
        self.ensure_one()
        dealer = self.b2b_portal_dealer_id
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("partner_id.commercial_partner_id", "=", dealer.id),
                    ("b2b_portal_role", "in", ("approver", "admin")),
                ]
            )
        )

    def _b2b_portal_notify_approvers(self):
        template = self.env.ref("b2b_portal.mail_template_b2b_approval_request", raise_if_not_found=False)
        for order in self.sudo():
            approvers = order._b2b_portal_approvers()
            if template and approvers:
                order.message_post_with_source(
                    template,
                    partner_ids=approvers.partner_id.ids,
                    subtype_xmlid="mail.mt_comment",
                )

    def _b2b_portal_approve(self, ctx):
        self.ensure_one()
        self.env["res.users"]._b2b_portal_check_right(ctx, "approve")
        order = self.sudo()
        self.env.cr.execute("SELECT id FROM sale_order WHERE id = %s FOR UPDATE", [order.id])
        order.invalidate_recordset(["b2b_portal_state"])
        if order.b2b_portal_state != "to_approve":
            raise UserError(_("This order is not waiting for approval."))
        order.write({"b2b_portal_approver_id": ctx["user"].id, "b2b_portal_approval_date": fields.Datetime.now()})
        order._b2b_portal_notify_result(approved=True)
        order._b2b_portal_send_to_supplier()
        return order

    def _b2b_portal_reject(self, ctx, reason=""):
        self.ensure_one()
        self.env["res.users"]._b2b_portal_check_right(ctx, "approve")
        order = self.sudo()
        self.env.cr.execute("SELECT id FROM sale_order WHERE id = %s FOR UPDATE", [order.id])
        order.invalidate_recordset(["b2b_portal_state"])
        if order.b2b_portal_state != "to_approve":
            raise UserError(_("This order is not waiting for approval."))
        order.write(
            {
                "b2b_portal_state": "rejected",
                "b2b_portal_approver_id": ctx["user"].id,
                "b2b_portal_approval_date": fields.Datetime.now(),
            }
        )
        order._action_cancel()
        order._b2b_portal_notify_result(approved=False, reason=(reason or "").strip()[:1000])
        return order

    def _b2b_portal_notify_result(self, approved, reason=""):
        template = self.env.ref("b2b_portal.mail_template_b2b_approval_result", raise_if_not_found=False)
        for order in self:
            if template and order.b2b_portal_submitted_by_id:
                order.with_context(b2b_rejection_reason=reason).message_post_with_source(
                    template,
                    partner_ids=order.b2b_portal_submitted_by_id.partner_id.ids,
                    subtype_xmlid="mail.mt_comment",
                )

    # ------------------------------------------------------------------ supplier side

    def _b2b_portal_supplier_checks(self):
        """Reasons (translated) why the supplier must review the order before confirming."""
        self.ensure_one()
        order = self.sudo()
        reasons = []
        lines = order.order_line.filtered(lambda line: not line.display_type and line.product_id)
        unpriced = lines.filtered(lambda line: float_is_zero(line.price_unit, precision_digits=6))
        if unpriced:
            reasons.append(_("No price for: %s", ", ".join(unpriced.product_id.mapped("display_name")[:5])))
        storable = lines.product_id.filtered("is_storable")
        if storable:
            warehouse = order.warehouse_id
            free = {p["id"]: p["free_qty"] for p in storable.with_context(warehouse_id=warehouse.id).read(["free_qty"])}
            wanted = {}
            for line in lines.filtered(lambda line: line.product_id.is_storable):
                wanted[line.product_id] = wanted.get(line.product_id, 0.0) + line.product_uom._compute_quantity(
                    line.product_uom_qty, line.product_id.uom_id
                )
            short = [p for p, qty in wanted.items() if float_compare(qty, free.get(p.id, 0.0), 3) > 0]
            if short:
                reasons.append(_("Not enough stock for: %s", ", ".join(p.display_name for p in short[:5])))
        if order.b2b_portal_payment_mode == "prepayment":
            reasons.append(_("Prepayment: confirm once the payment is received."))
        else:
            credit = order._b2b_portal_credit_check()[order.id]
            if not credit["allowed"]:
                reasons.append(credit["reason"])
        return reasons

    def _b2b_portal_send_to_supplier(self):
        """The supplier receives the order: confirmed at once when every check passes,
        otherwise queued for the dealer's salesperson with the reasons."""
        for order in self.sudo():
            order.b2b_portal_state = "submitted"
            reasons = order._b2b_portal_supplier_checks()
            if reasons:
                order.write({"b2b_portal_state": "review", "b2b_portal_review_reasons": "\n".join(reasons)})
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("Review portal order"),
                    note="<br/>".join(reasons),
                    user_id=order.user_id.id or self.env.ref("base.user_admin").id,
                )
            else:
                order.with_context(b2b_portal_auto_confirm=True).action_confirm()
        return True

    def action_b2b_portal_recheck(self):
        """Back office: run the supplier checks again (e.g. after stock arrived)."""
        for order in self.filtered(lambda o: o.b2b_portal_state in ("submitted", "review")):
            order.b2b_portal_review_reasons = False
            order._b2b_portal_send_to_supplier()
        return True

    def action_confirm(self):
        res = super().action_confirm()
        self.filtered(lambda o: o.b2b_portal_state in ("submitted", "review", "to_approve")).write(
            {"b2b_portal_state": "confirmed"}
        )
        return res
