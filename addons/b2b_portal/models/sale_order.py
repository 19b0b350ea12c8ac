import logging
import random
import time as clock
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero
from odoo.tools.mimetypes import guess_mimetype

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
# Appending to a submitted order (截单后追加), receipt, problem reports and rating.
APPENDABLE_STATES = ("to_approve", "submitted", "review", "confirmed")
MAX_APPEND_ROWS = 50
MAX_EVENTS_SHOWN = 5
MAX_PORTAL_PHOTOS = 5
MAX_PORTAL_PHOTO_SIZE = 5 * 1024 * 1024
PORTAL_PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
PORTAL_REQUESTS = [("report", "Problem Report"), ("return", "Return"), ("exchange", "Exchange")]
RETURN_REASONS = ("damaged", "wrong_item")
RATING_VALUES = [("1", "★"), ("2", "★★"), ("3", "★★★"), ("4", "★★★★"), ("5", "★★★★★")]

DEMO_SEED = 18_2026
DEMO_MONTHS = 12
# Purchase habits of the demo dealers (b2b_pricing demo): orders in the last 12 months,
# category preferences, lines per order, units per line (min, max, step = case size) and how
# they order (share of portal and API orders, the rest is keyed in by the back office).
DEMO_DEALER_HABITS = {
    "dealer_1": {
        "orders": 26,
        "categories": {"juice": 3, "water": 3, "tea": 2, "soft_drinks": 1},
        "lines": (5, 9),
        "units": (240, 1200, 24),
        "channels": {"portal": 5, "api": 3, "backoffice": 2},
    },
    "dealer_2": {
        "orders": 26,
        "categories": {"tea": 3, "soft_drinks": 3, "water": 2, "juice": 1},
        "lines": (5, 9),
        "units": (240, 1200, 24),
        "channels": {"api": 6, "portal": 3, "backoffice": 1},
    },
    "dealer_3": {
        "orders": 20,
        "categories": {"tea": 3, "snacks": 3, "soft_drinks": 1},
        "lines": (3, 7),
        "units": (48, 360, 12),
        "channels": {"portal": 7, "backoffice": 3},
    },
    "dealer_4": {
        "orders": 20,
        "categories": {"juice": 3, "snacks": 2, "tea": 2},
        "lines": (3, 7),
        "units": (48, 360, 12),
        "channels": {"portal": 8, "backoffice": 2},
    },
    "dealer_5": {
        "orders": 14,
        "categories": {"water": 2, "soft_drinks": 2, "snacks": 2, "juice": 1},
        "lines": (3, 5),
        "units": (12, 96, 6),
        "channels": {"portal": 9, "backoffice": 1},
    },
    "dealer_6": {
        "orders": 14,
        "categories": {"tea": 2, "snacks": 3},
        "lines": (3, 5),
        "units": (12, 96, 6),
        "channels": {"portal": 8, "backoffice": 2},
    },
    "dealer_7": {
        "orders": 18,
        "categories": {"water": 3, "soft_drinks": 3, "snacks": 1},
        "lines": (3, 7),
        "units": (48, 360, 12),
        "channels": {"portal": 5, "backoffice": 5},
    },
    "dealer_8": {
        "orders": 12,
        "categories": {"soft_drinks": 2, "water": 2, "snacks": 1},
        "lines": (3, 5),
        "units": (12, 96, 6),
        "channels": {"portal": 9, "backoffice": 1},
    },
}
DEMO_CATEGORIES = {
    "juice": "b2b_pricing.product_category_juice",
    "tea": "b2b_pricing.product_category_tea",
    "water": "b2b_pricing.product_category_water",
    "soft_drinks": "b2b_pricing.product_category_soft_drinks",
    "snacks": "b2b_pricing.product_category_snacks",
}
# Where an order of a given age (in days) ends up, as weights. Old orders are paid (a few
# invoices stay overdue), recent ones are still quotations or on their way.
DEMO_OUTCOMES_BY_AGE = (
    (7, {"draft": 3, "sent": 3, "sale": 3, "partial": 2, "cancel": 0.5}),
    (21, {"sent": 1, "sale": 2, "partial": 2, "delivered": 3, "invoiced": 2, "cancel": 0.5}),
    (60, {"partial": 0.3, "delivered": 1, "invoiced": 4, "paid": 4, "cancel": 0.6}),
    (10_000, {"delivered": 0.1, "invoiced": 0.8, "paid": 10, "cancel": 0.8}),
)
DELIVERED_OUTCOMES = ("partial", "delivered", "invoiced", "paid")
INVOICED_OUTCOMES = ("invoiced", "paid")


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
        if ctx["company"].b2b_portal_block_out_of_stock:
            order._b2b_portal_check_stock_locked()
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
        order._b2b_delivery_plan()  # cut-off: the next delivery slot (portal-delivery)
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
        order._b2b_delivery_plan()  # approved after the cut-off: the next slot (portal-delivery)
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

    # ------------------------------------------------------------------
    # Demo data (called from demo/sale_order_demo.xml only)
    # ------------------------------------------------------------------

    @api.model
    def _b2b_demo_generate_order_history(self, seed=DEMO_SEED):
        """A year of dealer orders in every state, from the demo dealers' purchase habits.

        Deterministic for a given install day: a fixed seed drives every choice and dates are
        counted back from today. Orders are confirmed, delivered, invoiced and paid through
        the normal flows, then their dates are moved back to when it "happened".
        """
        rng = random.Random(seed)
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        started = clock.monotonic()

        def step(name):
            _logger.info("Demo order history: %s done at %.1fs", name, clock.monotonic() - started)

        plans = self._b2b_demo_plan_orders(rng, now)
        self = self.with_context(tracking_disable=True, mail_notrack=True, mail_create_nolog=True)  # noqa: PLW0642
        orders = self.create([plan["values"] for plan in plans])
        for plan, order in zip(plans, orders, strict=True):
            plan["order"] = order
        step(f"{len(orders)} orders created")

        def outcome(*names):
            return self.browse([plan["order"].id for plan in plans if plan["outcome"] in names])

        outcome("sent").action_quotation_sent()
        outcome("cancel")._action_cancel()
        to_deliver = [plan for plan in plans if plan["outcome"] in DELIVERED_OUTCOMES]
        self._b2b_demo_opening_stock(to_deliver, now - timedelta(days=DEMO_MONTHS * 31 + 7))
        step("opening stock")
        # Delivered orders first, so their pickings reserve the stock they will ship.
        for batch in (outcome(*DELIVERED_OUTCOMES), outcome("sale")):
            batch.action_confirm()
            unconfirmed = batch.filtered(lambda order: order.state != "sale")
            if unconfirmed:
                raise UserError(
                    self.env._(
                        "Demo data: orders %(orders)s could not be confirmed.",
                        orders=", ".join(unconfirmed.mapped("name")),
                    )
                )
        step("confirmation")
        self._b2b_demo_deliver(to_deliver, rng)
        step("deliveries")
        invoices = self._b2b_demo_invoice([plan for plan in plans if plan["outcome"] in INVOICED_OUTCOMES], rng)
        step("invoices")
        self._b2b_demo_pay([plan for plan in plans if plan["outcome"] == "paid"], rng, now)
        step("payments")
        self._b2b_demo_backdate_orders(plans)
        self._b2b_demo_check_history(plans, invoices)
        step("dates and checks")
        return orders

    @api.model
    def _b2b_demo_plan_orders(self, rng, now):
        products_by_category = {}
        for key, xmlid in DEMO_CATEGORIES.items():
            products_by_category[key] = self.env["product.product"].search(
                [("categ_id", "child_of", self.env.ref(xmlid).id), ("sale_ok", "=", True)],
                order="default_code, id",
            )
        has_channel = "b2b_channel" in self._fields
        plans = []
        for turn, (dealer_xmlid, habit) in enumerate(DEMO_DEALER_HABITS.items()):
            dealer = self.env.ref(f"b2b_pricing.{dealer_xmlid}", raise_if_not_found=False)
            if not dealer:
                continue
            buyer = self.env.ref(f"b2b_pricing.{dealer_xmlid}_buyer", raise_if_not_found=False) or dealer
            categories = list(habit["categories"])
            weights = list(habit["categories"].values())
            # The dealer's core range: what it reorders nearly every time.
            favourites = []
            for category, weight in habit["categories"].items():
                favourites += rng.sample(
                    products_by_category[category], k=min(weight + 1, len(products_by_category[category]))
                )
            ages = self._b2b_demo_order_ages(rng, habit["orders"])
            # Every story needs each state, whatever the install day: the dealer's last orders
            # and its oldest one have a set outcome (the oldest unpaid one is long overdue).
            forced_outcomes = {
                len(ages): ("draft", "sent", "sale", "partial")[turn % 4],
                len(ages) - 1: ("sent", "draft", "partial", "sale")[turn % 4],
                len(ages) - 2: ("delivered", "invoiced")[turn % 2],
                1: ("paid", "invoiced", "cancel", "paid")[turn % 4],
            }
            for sequence, age in enumerate(ages, 1):
                date_order = datetime.combine(
                    (now - timedelta(days=age)).date(), time(rng.randint(1, 9), rng.choice((0, 15, 30, 45)))
                )
                date_order = min(date_order, now - timedelta(minutes=rng.randint(30, 90)))  # never in the future
                line_count = rng.randint(*habit["lines"])
                picked = []
                while len(picked) < line_count:
                    if rng.random() < 0.6:
                        product = rng.choice(favourites)
                    else:
                        category = rng.choices(categories, weights)[0]
                        product = rng.choice(products_by_category[category])
                    if product not in picked:
                        picked.append(product)
                low, high, step = habit["units"]
                wanted = []
                for product in picked:
                    units = rng.randint(low // step, high // step) * step
                    if product.lst_price > 3:  # gift boxes, multipacks, nuts: fewer units
                        units = max(step, units // 4 // step * step)
                    wanted.append((product, units))
                # dealers order within the quantity rules (minimums, case packs) like the portal makes them
                checks = self.env["b2b.quantity.rule"].b2b_check_quantities(wanted, partner=dealer)
                lines = [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": units if check["ok"] else check["suggested_qty"]}
                    )
                    for (product, units), check in zip(wanted, checks, strict=True)
                ]
                channel = rng.choices(list(habit["channels"]), list(habit["channels"].values()))[0]
                for max_age, weights_by_outcome in DEMO_OUTCOMES_BY_AGE:
                    if age <= max_age:
                        outcome = rng.choices(list(weights_by_outcome), list(weights_by_outcome.values()))[0]
                        break
                outcome = forced_outcomes.get(sequence, outcome)
                values = {
                    "partner_id": (buyer if channel == "portal" else dealer).id,
                    "date_order": date_order,
                    "client_order_ref": f"PO-{dealer_xmlid[-1]}-{date_order:%y%m}-{sequence:02d}",
                    "order_line": lines,
                }
                if has_channel:
                    values["b2b_channel"] = channel
                quantities = [line[2]["product_uom_qty"] for line in lines]
                if outcome == "partial":
                    # Half of the first line, then in turn a line in full, half, none (backorder).
                    shares = [0.5] + [(0.5, 1, 0.5, 0)[index % 4] for index in range(1, len(lines))]
                    delivered = [
                        share and max(1, quantity * share // 1)
                        for quantity, share in zip(quantities, shares, strict=True)
                    ]
                elif outcome in DELIVERED_OUTCOMES:
                    delivered = quantities
                else:
                    delivered = [0] * len(lines)
                plans.append({"values": values, "outcome": outcome, "date": date_order, "delivered": delivered})
        plans.sort(key=lambda plan: plan["date"])
        return plans

    @api.model
    def _b2b_demo_order_ages(self, rng, count):
        """Days ago of a dealer's orders, oldest first: spread over the year, more in summer and before the
        Spring Festival, and always a few in the last weeks."""
        today = fields.Date.today()
        days = list(range(8, DEMO_MONTHS * 30))
        seasonal = [1 + 0.8 * ((today - timedelta(days=day)).month in (6, 7, 8, 1)) for day in days]
        recent = {rng.randint(0, 3), rng.randint(4, 7), rng.randint(2, 12), rng.randint(8, 21), rng.randint(22, 45)}
        ages = sorted(recent | set(rng.choices(days, seasonal, k=count - len(recent))))
        while len(ages) < count:
            ages = sorted(set(ages) | {rng.randint(21, DEMO_MONTHS * 30)})
        return ages[::-1]  # oldest first

    @api.model
    def _b2b_demo_opening_stock(self, plans, date):
        """Stock that the delivered history consumed, counted in a year ago, so that what is
        left in the warehouse after the history is what b2b_logistics' demo put there."""
        needed = defaultdict(float)
        for plan in plans:
            for (_command, _id, line), quantity in zip(plan["values"]["order_line"], plan["delivered"], strict=True):
                needed[line["product_id"]] += quantity
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        location = warehouse.lot_stock_id
        products = self.env["product.product"].browse(sorted(needed)).filtered("is_storable")
        quantities = {product.id: product.with_context(location=location.id).qty_available for product in products}
        Quant = self.env["stock.quant"].with_context(inventory_mode=True, inventory_name=self.env._("Opening stock"))
        quants = Quant.create(
            [
                {
                    "product_id": product.id,
                    "location_id": location.id,
                    "inventory_quantity": quantities[product.id] + needed[product.id],
                }
                for product in products
            ]
        )
        last_move = self.env["stock.move"].search([], order="id desc", limit=1)
        quants._apply_inventory()
        moves = self.env["stock.move"].search([("id", ">", last_move.id), ("is_inventory", "=", True)])
        self.env.flush_all()
        self.env.cr.execute("UPDATE stock_move SET date = %s WHERE id = ANY(%s)", [date, moves.ids])
        self.env.cr.execute("UPDATE stock_move_line SET date = %s WHERE move_id = ANY(%s)", [date, moves.ids])
        self.env.invalidate_all()

    @api.model
    def _b2b_demo_deliver(self, plans, rng):
        moves_done = self.env["stock.move"]
        for plan in plans:
            order = plan["order"]
            plan["date_done"] = min(
                plan["date"] + timedelta(days=rng.randint(1, 4), hours=rng.randint(1, 6)), fields.Datetime.now()
            )
            for line, quantity in zip(order.order_line.sorted("id"), plan["delivered"], strict=True):
                move = line.move_ids
                if move.quantity != quantity:
                    move.quantity = quantity
                if quantity:
                    moves_done |= move
        moves_done.picked = True
        pickings = moves_done.picking_id
        pickings.with_context(skip_backorder=True, skip_sms=True).button_validate()
        not_done = pickings.filtered(lambda picking: picking.state != "done")
        if not_done:
            raise UserError(
                self.env._("Demo data: deliveries %s could not be validated.", ", ".join(not_done.mapped("name")))
            )
        done_dates = {}
        for plan in plans:
            for picking in plan["order"].picking_ids.filtered(lambda picking: picking.state == "done"):
                picking.date_done = plan["date_done"]
                done_dates[picking.id] = plan["date_done"]
        self.env.flush_all()
        for table in ("stock_move", "stock_move_line"):
            self.env.cr.execute(
                f"""
                UPDATE {table} AS move
                   SET date = history.date_done
                  FROM unnest(%s::int[], %s::timestamp[]) AS history(picking_id, date_done)
                 WHERE move.picking_id = history.picking_id AND move.state = 'done'
                """,
                [list(done_dates), list(done_dates.values())],
            )
        self.env.invalidate_all()

    @api.model
    def _b2b_demo_invoice(self, plans, rng):
        """Invoice the delivered orders on the day after delivery (one invoice per order)."""
        orders_by_date = defaultdict(lambda: self.env["sale.order"])
        for plan in plans:
            invoice_date = min((plan["date_done"] + timedelta(days=rng.randint(0, 2))).date(), fields.Date.today())
            orders_by_date[invoice_date] |= plan["order"]
        invoices = self.env["account.move"]
        for invoice_date, orders in sorted(orders_by_date.items()):
            # Dated at creation: writing the date afterwards recomputes every invoice twice.
            invoices |= orders.with_context(default_invoice_date=invoice_date)._create_invoices(grouped=True)
        invoices.action_post()  # numbered in date order
        for plan in plans:
            plan["invoice"] = plan["order"].invoice_ids
        return invoices

    @api.model
    def _b2b_demo_pay(self, plans, rng, now):
        """Dealers settle on the 10th and 25th, around the due date; one payment per dealer
        and settlement day. The last ones have not paid yet."""
        last_day = now.date() - timedelta(days=1)
        invoices_by_date = defaultdict(lambda: self.env["account.move"])
        for plan in plans:
            invoice = plan["invoice"]
            pay_date = invoice.invoice_date_due + timedelta(days=rng.randint(-4, 6))
            pay_date = (
                pay_date.replace(day=10)
                if pay_date.day <= 10
                else pay_date.replace(day=25)
                if pay_date.day <= 25
                else pay_date
            )
            pay_date = max(invoice.invoice_date, min(pay_date, last_day))
            invoices_by_date[pay_date] |= invoice
        for pay_date, invoices in sorted(invoices_by_date.items()):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoices.ids
            ).create({"payment_date": pay_date, "group_payment": True})._create_payments()

    @api.model
    def _b2b_demo_backdate_orders(self, plans):
        """Confirmation stamps today's date: put each order back on its own day."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE sale_order AS so
               SET date_order = history.date_order, create_date = history.date_order
              FROM unnest(%s::int[], %s::timestamp[]) AS history(id, date_order)
             WHERE so.id = history.id
            """,
            [[plan["order"].id for plan in plans], [plan["date"] for plan in plans]],
        )
        open_pickings = self.env["stock.picking"].search(
            [("sale_id", "in", [plan["order"].id for plan in plans]), ("state", "not in", ("done", "cancel"))]
        )
        dates = {plan["order"].id: plan["date"] for plan in plans}
        for picking in open_pickings:
            picking.scheduled_date = dates[picking.sale_id.id] + timedelta(days=2)
        self.env.invalidate_all()

    @api.model
    def _b2b_demo_check_history(self, plans, invoices):
        """Fail the install rather than leave a demo that silently tells another story."""
        expected = {
            "draft": ("draft", None),
            "sent": ("sent", None),
            "cancel": ("cancel", None),
            "sale": ("sale", "pending"),
            "partial": ("sale", "partial"),
            "delivered": ("sale", "full"),
            "invoiced": ("sale", "full"),
            "paid": ("sale", "full"),
        }
        wrong = []
        for plan in plans:
            order = plan["order"]
            state, delivery = expected[plan["outcome"]]
            if order.state != state or (delivery and order.delivery_status != delivery):
                wrong.append(f"{order.name} ({plan['outcome']}: {order.state}/{order.delivery_status})")
            if plan["outcome"] == "paid" and plan["invoice"].payment_state not in ("paid", "in_payment"):
                wrong.append(f"{order.name} (paid: {plan['invoice'].payment_state})")
        if invoices.filtered(lambda invoice: invoice.state != "posted"):
            wrong.append("unposted invoices")
        if wrong:
            raise UserError(self.env._("Demo data: the order history went wrong: %s", ", ".join(wrong)))

    # ------------------------------------------------------------------
    # Delivery calendar, append after submit, receipt, problems, rating (branch portal-delivery)
    # ------------------------------------------------------------------

    b2b_delivery_note = fields.Char(
        string="Delivery Planning",
        copy=False,
        readonly=True,
        help="How the delivery date was set from the warehouse's cut-off and delivery calendar.",
    )
    b2b_parent_order_id = fields.Many2one(
        "sale.order",
        string="Supplement To",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="Products the dealer added after picking of this order had started.",
    )
    b2b_supplementary_order_ids = fields.One2many(
        "sale.order", "b2b_parent_order_id", string="Supplementary Orders", readonly=True
    )
    b2b_rating = fields.Selection(
        RATING_VALUES, string="Dealer Rating", copy=False, readonly=True, help="1 to 5 stars, after receipt."
    )
    b2b_rating_comment = fields.Text(string="Rating Comment", copy=False, readonly=True)
    b2b_rating_date = fields.Datetime(string="Rated On", copy=False, readonly=True)
    b2b_rating_user_id = fields.Many2one("res.users", string="Rated By", copy=False, readonly=True)

    # ---- cut-off and delivery calendar (截单)

    def _b2b_delivery_slot(self, now=None):
        """The next delivery slot of this order's warehouse (and delivery route), or None."""
        self.ensure_one()
        order = self.sudo()
        schedule = self.env["b2b.delivery.schedule"]._b2b_find(order.warehouse_id, order.carrier_id)
        return schedule._b2b_slot(now) if schedule else None

    def _b2b_delivery_plan(self, now=None):
        """Set the delivery date from the calendar when the order reaches the supplier.

        The next slot an order placed at ``now`` still makes; a later requested date is kept,
        an earlier one (or none) moves to the slot, with a message for the dealer saying why.
        Never moves a date earlier, so calling it again (approval, re-check) is harmless.
        """
        for order in self.sudo():
            slot = order._b2b_delivery_slot(now)
            if not slot:
                continue
            tz = slot["schedule"]._b2b_tz()
            requested = (
                pytz.utc.localize(order.commitment_date).astimezone(tz).date() if order.commitment_date else None
            )
            if requested and requested >= slot["delivery_date"]:
                continue
            lang = order.partner_id.lang or self.env.lang or "en_US"
            Schedule = self.env["b2b.delivery.schedule"].with_context(lang=lang)
            env = Schedule.env
            date_text = Schedule._b2b_format_date(slot["delivery_date"], lang)
            if requested:
                note = env._(
                    "The requested date %(requested)s cannot be met: delivery planned on %(date)s.",
                    requested=Schedule._b2b_format_date(requested, lang),
                    date=date_text,
                )
            elif slot["after_cutoff"]:
                note = env._(
                    "Ordered after today's cut-off (%(time)s): delivery planned on %(date)s.",
                    time=Schedule._b2b_format_time(slot["missed_deadline_local"].time(), lang),
                    date=date_text,
                )
            else:
                note = env._("Delivery planned on %(date)s.", date=date_text)
            local_noon = tz.localize(datetime.combine(slot["delivery_date"], time(12, 0)))
            order.write(
                {
                    "commitment_date": local_noon.astimezone(pytz.utc).replace(tzinfo=None),
                    "b2b_delivery_note": note,
                }
            )
        return True

    # ---- append after submit (截单后追加)

    def _b2b_portal_picking_started(self):
        """Has the warehouse started on this order? Any of its transfers done or printed, or
        any of their moves marked picked."""
        self.ensure_one()
        pickings = self.sudo().picking_ids.filtered(lambda picking: picking.state != "cancel")
        return bool(
            pickings.filtered(lambda picking: picking.state == "done" or picking.printed)
            or pickings.move_ids.filtered("picked")
        )

    def _b2b_portal_append_mode(self):
        """How products can still be added to this submitted order: "append" (to the order
        itself), "supplementary" (a linked new order, once picking started) or False."""
        self.ensure_one()
        order = self.sudo()
        if order.b2b_portal_state not in APPENDABLE_STATES or order.state == "cancel" or order.b2b_receipt_date:
            return False
        if order.state == "sale" and (order.locked or order._b2b_portal_picking_started()):
            return "supplementary"
        return "append"

    def _b2b_portal_lock_for_append(self):
        """Serialise the append with the warehouse: lock the order, and write its open transfers
        and their moves. A worker printing, picking or validating them meanwhile waits; whoever
        comes second then fails to serialise (a row was changed since its snapshot), is retried
        with a fresh snapshot (HTTP and RPC do) and sees what the first one did. A lock alone
        would not do: a concurrent transaction only fails on rows really changed."""
        self.ensure_one()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("SELECT id FROM sale_order WHERE id = %s FOR UPDATE", [self.id])
        cr.execute(
            """UPDATE stock_picking SET write_date = (now() AT TIME ZONE 'UTC'), write_uid = %s
                WHERE sale_id = %s AND state NOT IN ('done', 'cancel') RETURNING id""",
            [self.env.uid, self.id],
        )
        picking_ids = [row[0] for row in cr.fetchall()]
        if picking_ids:
            cr.execute(
                """UPDATE stock_move SET write_date = (now() AT TIME ZONE 'UTC'), write_uid = %s
                    WHERE picking_id = ANY(%s) AND state NOT IN ('done', 'cancel')""",
                [self.env.uid, picking_ids],
            )
        self.env.invalidate_all()

    def _b2b_portal_append(self, ctx, rows, key):
        """Add rows [{"sku" or "product_id", "qty"}] to this submitted order.

        The rows pass the cart's validation (quantity rules, stock, orderable products); prices
        are the pricelist's. Before picking starts the lines join the order itself (its
        transfers follow through Odoo's procurement) after a credit re-check; afterwards, or
        when the lines would need an approval the user cannot give, they go to a linked
        supplementary order submitted like any cart. Idempotent per ``key``.
        Returns {"mode": "appended" | "supplementary", "order": the order that got the lines}.
        """
        self.ensure_one()
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        key = (key or "").strip()
        if not key or len(key) > 64:
            raise UserError(_("The submission key is missing; please reload the page."))
        order = self.sudo()
        if order.b2b_portal_dealer_id != ctx["dealer"]:
            raise AccessError(_("This order does not exist or is not yours."))
        order._b2b_portal_lock_for_append()
        done = self._b2b_portal_append_done(ctx, key)
        if done:
            return done
        mode = order._b2b_portal_append_mode()
        if not mode:
            raise UserError(_("Products can no longer be added to this order."))
        QuickOrder = self.env["b2b.quick.order"]
        rows = [row for row in rows if str(row.get("sku") or row.get("product_id") or row.get("qty") or "").strip()]
        if not rows:
            raise UserError(_("Enter at least one product and quantity."))
        if len(rows) > MAX_APPEND_ROWS:
            raise UserError(_("At most %s rows can be added at once.", MAX_APPEND_ROWS))
        results = QuickOrder._validate_rows(ctx, rows)
        errors = [result for result in results if result["status"] == "error"]
        if errors:
            raise UserError(
                _(
                    "Nothing was added; please correct: %s",
                    "; ".join(f"{r['name'] or r['sku']}: {r['message']}" for r in errors),
                )
            )
        quantities = QuickOrder._valid_quantities(results)
        if mode == "append" and order._b2b_portal_append_lines(ctx, quantities, key):
            return {"mode": "appended", "order": order}
        return {"mode": "supplementary", "order": order._b2b_portal_create_supplementary(ctx, quantities, key)}

    def _b2b_portal_append_done(self, ctx, key):
        """The result of an append already made with ``key`` (double click, retry), else None."""
        supplementary = self.sudo().search(
            [("b2b_portal_dealer_id", "=", ctx["dealer"].id), ("b2b_portal_idempotency_key", "=", key)], limit=1
        )
        if supplementary:
            return {"mode": "supplementary", "order": supplementary}
        line = self.env["sale.order.line"].sudo().search([("b2b_portal_append_key", "=", key)], limit=1)
        if line and line.order_id.b2b_portal_dealer_id == ctx["dealer"]:
            return {"mode": "appended", "order": line.order_id}
        return None

    def _b2b_portal_append_lines(self, ctx, quantities, key):
        """Add the lines to this order; False (and nothing changed) when they would need an
        approval the user cannot give. Raises when the dealer's credit does not cover them."""
        order = self.sudo()
        reasons_before = set(order._b2b_portal_approval_reasons())
        now = fields.Datetime.now()
        with self.env.cr.savepoint() as savepoint:
            order.write(
                {
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product_id,
                                "product_uom_qty": qty,
                                "b2b_portal_append_key": key,
                                "b2b_portal_appended_date": now,
                            }
                        )
                        for product_id, qty in quantities.items()
                    ]
                }
            )
            reasons = order._b2b_portal_approval_reasons()
            if order.b2b_portal_state == "to_approve":
                order.b2b_portal_approval_reasons = "\n".join(reasons)
            elif set(reasons) - reasons_before and "approve" not in ctx["rights"]:
                savepoint.rollback()
                return False
            if (
                order.state == "sale"
                and order.b2b_portal_payment_mode != "prepayment"
                and order.company_id.b2b_credit_enforce
            ):
                self.env.flush_all()
                verdict = order._b2b_credit_evaluate(lock=True)[order.id]
                if not verdict["allowed"]:
                    raise UserError(
                        _(
                            "Nothing was added: your credit does not cover these products. %s",
                            " ".join(verdict["reasons"]),
                        )
                    )
        order.message_post(
            body=_(
                "%(user)s added %(count)s lines after submitting the order.",
                user=ctx["user"].sudo().name,
                count=len(quantities),
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _b2b_portal_create_supplementary(self, ctx, quantities, key):
        """A new order for the dealer, linked to this one, submitted through the checkout's path
        (approval, supplier checks, credit, delivery calendar) with the same address, PO and payment."""
        parent = self.sudo()
        user = ctx["user"].sudo()
        current_cart = user.b2b_portal_cart_id
        supplementary = self._b2b_portal_new_cart(ctx, _("Supplement to %s", parent.name))
        user.b2b_portal_cart_id = current_cart  # the dealer's own cart stays the current one
        supplementary.b2b_parent_order_id = parent.b2b_parent_order_id or parent
        supplementary._b2b_portal_add_products(ctx, quantities)
        supplementary = supplementary._b2b_portal_submit(
            ctx,
            key,
            {
                "partner_shipping_id": parent.partner_shipping_id.id,
                "client_order_ref": parent.client_order_ref,
                "payment_mode": parent.b2b_portal_payment_mode,
                "note": _("Supplement to %s", parent.name),
            },
        )
        parent.message_post(
            body=_("%(user)s added products after picking started: supplementary order %(order)s.",
                   user=user.name, order=supplementary.name),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )  # fmt: skip
        return supplementary

    # ---- receipt, problems, returns, rating (我的订单)

    def _b2b_portal_confirm_receipt(self, ctx, note=""):
        """确认收货: b2b_logistics' receipt, as the portal user (its dealer check applies)."""
        self.ensure_one()
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        note = (note or "").strip()[:1000] or None
        return self.with_user(ctx["user"])._b2b_confirm_receipt(note=note)

    def _b2b_portal_report_problem(self, ctx, kind, quantities, comment, photos, request="report"):
        """A delivery problem (short, damaged, wrong item) or a return / exchange request, with
        lines {sale line id: qty} and photos [(filename, bytes)]: b2b_logistics' discrepancy
        (activity for the salesperson, draft return) with the portal's stricter photo rules."""
        self.ensure_one()
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        if request not in dict(PORTAL_REQUESTS):
            raise UserError(_("Unknown request."))
        if request != "report" and kind not in RETURN_REASONS:
            raise UserError(_("Choose why you want to return these products."))
        lines = []
        for line_id, qty in quantities.items():
            lines.append({"sale_line_id": int(line_id), "quantity": self._b2b_portal_check_qty(qty)})
        if not lines:
            raise UserError(_("Enter the quantity of at least one product."))
        photos = self._b2b_portal_check_photos(photos)
        comment = (comment or "").strip()[:2000]
        discrepancy = self.with_user(ctx["user"])._b2b_report_discrepancy(lines, kind, comment, photos)
        discrepancy.sudo().b2b_portal_request = request
        return discrepancy

    @api.model
    def _b2b_portal_check_photos(self, photos):
        """Photos [(filename, bytes)]: at most MAX_PORTAL_PHOTOS, each a JPEG, PNG, WebP or
        GIF image of at most MAX_PORTAL_PHOTO_SIZE bytes (no SVG: it could carry scripts)."""
        photos = [(name, raw) for name, raw in photos if raw]
        if len(photos) > MAX_PORTAL_PHOTOS:
            raise UserError(_("At most %s photos can be attached.", MAX_PORTAL_PHOTOS))
        checked = []
        for name, raw in photos:
            if len(raw) > MAX_PORTAL_PHOTO_SIZE:
                raise UserError(
                    _("The photo “%(name)s” is too large (at most %(size)s MB).",
                      name=name, size=MAX_PORTAL_PHOTO_SIZE // (1024 * 1024))
                )  # fmt: skip
            if guess_mimetype(raw) not in PORTAL_PHOTO_TYPES:
                raise UserError(_("“%s” is not a photo: use JPEG, PNG, WebP or GIF images.", name))
            checked.append((str(name or "photo")[:128], raw))
        return checked

    def _b2b_portal_rate(self, ctx, stars, comment=""):
        """评价: 1 to 5 stars and a comment, once per order, after the dealer confirmed receipt."""
        self.ensure_one()
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        try:
            stars = int(stars)
        except (TypeError, ValueError):
            stars = 0
        if not 1 <= stars <= 5:
            raise UserError(_("Choose between 1 and 5 stars."))
        order = self.sudo()
        self.env.cr.execute("SELECT id FROM sale_order WHERE id = %s FOR UPDATE", [order.id])
        order.invalidate_recordset(["b2b_rating_date", "b2b_receipt_date"])
        if not order.b2b_receipt_date:
            raise UserError(_("You can rate the order once you have confirmed its receipt."))
        if order.b2b_rating_date:
            raise UserError(_("This order was already rated."))
        comment = (comment or "").strip()[:2000]
        order.write(
            {
                "b2b_rating": str(stars),
                "b2b_rating_comment": comment or False,
                "b2b_rating_date": fields.Datetime.now(),
                "b2b_rating_user_id": ctx["user"].id,
            }
        )
        order.message_post(
            body=_("%(user)s rated the order %(stars)s/5. %(comment)s", user=ctx["user"].sudo().name, stars=stars,
                   comment=comment),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )  # fmt: skip
        return order

    def _b2b_portal_delivery_info(self, ctx):
        """What the order page shows beyond the timeline: shipments with their last events,
        ETA, the discrepancies reported, linked orders and which actions the user may take."""
        self.ensure_one()
        order = self.sudo()
        shipments = order.b2b_shipment_ids
        events = (
            self.env["b2b.shipment.event"]
            .sudo()
            .search(
                [("shipment_id", "in", shipments.ids), ("description", "!=", False)], order="event_time desc, id desc"
            )
        )
        events_by_shipment = defaultdict(list)
        for event in events:
            if len(events_by_shipment[event.shipment_id.id]) < MAX_EVENTS_SHOWN:
                events_by_shipment[event.shipment_id.id].append(event)
        can_order = "order" in ctx["rights"]
        Discrepancy = self.env["b2b.delivery.discrepancy"].with_context(lang=ctx["lang"])
        kinds = Discrepancy._fields["kind"]._description_selection(Discrepancy.env)
        shipped = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing" and p.state == "done")
        return {
            "shipments": [{"shipment": shipment, "events": events_by_shipment[shipment.id]} for shipment in shipments],
            "eta": order.b2b_eta,
            "append_mode": can_order and order._b2b_portal_append_mode(),
            "can_receive": can_order and order.state == "sale" and bool(shipped) and not order.b2b_receipt_date,
            "can_report": can_order and bool(shipped),
            "can_rate": can_order and bool(order.b2b_receipt_date) and not order.b2b_rating_date,
            "discrepancies": order.b2b_discrepancy_ids,
            "problem_kinds": kinds,
            "return_reasons": [(code, label) for code, label in kinds if code in RETURN_REASONS],
            "lines": order.order_line.filtered(lambda line: not line.display_type and line.product_id),
            "supplementary": order.b2b_supplementary_order_ids,
            "parent": order.b2b_parent_order_id,
        }

    # ------------------------------------------------------------------ stock race (portal-perf)

    def _b2b_portal_lock_quants(self, products):
        """Lock the internal quants of ``products`` in this order's warehouse (in id order, so
        two submissions never deadlock) and return {product_id: free quantity} read after the
        lock: a concurrent submission of the same products waits here until this one commits,
        then sees the quantity this one reserved."""
        self.ensure_one()
        if not products:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT q.id, q.product_id, q.quantity - q.reserved_quantity
                 FROM stock_quant q
                 JOIN stock_location l ON l.id = q.location_id
                WHERE q.product_id = ANY(%s) AND l.usage = 'internal' AND l.warehouse_id = %s
                ORDER BY q.id
                  FOR UPDATE OF q""",
            [products.ids, self.sudo().warehouse_id.id],
        )
        free = dict.fromkeys(products.ids, 0.0)
        for _quant_id, product_id, qty in self.env.cr.fetchall():
            free[product_id] += qty
        self.env["stock.quant"].invalidate_model(["quantity", "reserved_quantity"])
        return free

    def _b2b_portal_check_stock_locked(self):
        """With "Refuse Portal Orders Beyond Stock": refuse the order when a product asks more
        than its free quantity, read under lock so concurrent dealers never both get the last
        units (the order confirmed first reserves them, the other one is refused)."""
        self.ensure_one()
        order = self.sudo()
        lines = order.order_line.filtered(
            lambda line: not line.display_type and line.product_id and line.product_id.is_storable
        )
        wanted = {}
        for line in lines:
            product = line.product_id
            wanted[product] = wanted.get(product, 0.0) + line.product_uom._compute_quantity(
                line.product_uom_qty, product.uom_id
            )
        free = order._b2b_portal_lock_quants(lines.product_id)
        short = [
            (product, max(free[product.id], 0.0))
            for product, qty in wanted.items()
            if float_compare(qty, free[product.id], precision_rounding=product.uom_id.rounding) > 0
        ]
        if short:
            raise UserError(
                _(
                    "Not enough stock, please lower the quantity: %s",
                    ", ".join(f"{product.display_name} ({format(qty, 'g')})" for product, qty in short[:5]),
                )
            )
