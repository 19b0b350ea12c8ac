import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .b2b_shipment import PROBLEM_STATES

_logger = logging.getLogger(__name__)

LOGISTICS_STATES = [
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("picking", "Picking"),
    ("shipped", "Shipped"),
    ("in_transit", "In Transit"),
    ("delivered", "Delivered"),
    ("received", "Received by Dealer"),
    ("exception", "Delivery Problem"),
    ("cancelled", "Cancelled"),
]
TIMELINE_STEPS = ("submitted", "approved", "picking", "shipped", "in_transit", "delivered", "received")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_shipment_ids = fields.One2many("b2b.shipment", "sale_id", "Shipments")
    b2b_shipment_count = fields.Integer(compute="_compute_b2b_shipment_count")
    b2b_logistics_state = fields.Selection(
        LOGISTICS_STATES,
        "Tracking Status",
        compute="_compute_b2b_logistics_state",
        store=True,
        index=True,
        help="One status for the whole order, from submission to the dealer's confirmed receipt.",
    )
    b2b_timeline_html = fields.Html("Delivery Timeline", compute="_compute_b2b_timeline_html", sanitize=False)
    b2b_eta = fields.Datetime("Estimated Delivery", compute="_compute_b2b_eta")
    b2b_receipt_date = fields.Datetime("Receipt Confirmed On", readonly=True, copy=False, tracking=True)
    b2b_receipt_user_id = fields.Many2one("res.users", "Receipt Confirmed By", readonly=True, copy=False)
    b2b_receipt_note = fields.Text("Receipt Note", readonly=True, copy=False)
    b2b_discrepancy_ids = fields.One2many("b2b.delivery.discrepancy", "order_id", "Delivery Discrepancies")
    b2b_discrepancy_count = fields.Integer(compute="_compute_b2b_discrepancy_count")

    @api.depends("b2b_shipment_ids")
    def _compute_b2b_shipment_count(self):
        for order in self:
            order.b2b_shipment_count = len(order.b2b_shipment_ids)

    @api.depends("b2b_discrepancy_ids")
    def _compute_b2b_discrepancy_count(self):
        for order in self:
            order.b2b_discrepancy_count = len(order.b2b_discrepancy_ids)

    @api.depends("b2b_shipment_ids.eta", "b2b_shipment_ids.state")
    def _compute_b2b_eta(self):
        for order in self:
            etas = order.b2b_shipment_ids.filtered(lambda s: s.state != "delivered" and s.eta).mapped("eta")
            order.b2b_eta = max(etas) if etas else False

    @api.depends(
        "state",
        "picking_ids.state",
        "picking_ids.b2b_ready_date",
        "b2b_shipment_ids.state",
        "b2b_receipt_date",
    )
    def _compute_b2b_logistics_state(self):
        for order in self:
            order.b2b_logistics_state = order._b2b_logistics_state_of()

    def _b2b_logistics_state_of(self):
        self.ensure_one()
        if self.state == "cancel":
            return "cancelled"
        if self.state in ("draft", "sent"):
            return "submitted"
        if self.b2b_receipt_date:
            return "received"
        pickings = self.picking_ids.filtered(lambda p: p.state != "cancel")
        outgoing = pickings.filtered(lambda p: p.picking_type_code == "outgoing")
        shipped = outgoing.filtered(lambda p: p.state == "done")
        shipments = self.b2b_shipment_ids
        states = set(shipments.mapped("state"))
        if states & set(PROBLEM_STATES):
            return "exception"
        if shipped and shipped == outgoing and shipments and states == {"delivered"}:
            return "delivered"
        if states & {"in_transit", "out_for_delivery", "delivered"}:
            return "in_transit"
        if shipped:
            return "shipped"
        if pickings.filtered("b2b_ready_date"):
            return "picking"
        return "approved"

    def _b2b_logistics_timeline(self):
        """{order id: [{"code", "label", "done", "current", "date"}]} for the seven steps of the
        delivery timeline (submitted → received by dealer); used by the back office and portal."""
        labels = dict(self._fields["b2b_logistics_state"]._description_selection(self.env))
        result = {}
        for order in self:
            outgoing = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing" and p.state != "cancel")
            shipments = order.b2b_shipment_ids
            ready = order.picking_ids.filtered("b2b_ready_date").mapped("b2b_ready_date")
            done_dates = outgoing.filtered(lambda p: p.state == "done").mapped("date_done")
            transit = shipments.filtered("in_transit_at").mapped("in_transit_at")
            delivered = shipments.filtered("delivered_at").mapped("delivered_at")
            all_delivered = bool(shipments) and all(s.state == "delivered" for s in shipments)
            dates = {
                "submitted": order.create_date,
                "approved": order.date_order if order.state == "sale" else False,
                "picking": min(ready) if ready else False,
                "shipped": min(done_dates) if done_dates else False,
                "in_transit": min(transit) if transit else False,
                "delivered": max(delivered) if delivered and all_delivered else False,
                "received": order.b2b_receipt_date,
            }
            current = order.b2b_logistics_state
            if current == "exception":
                reached = max((i for i, step in enumerate(TIMELINE_STEPS) if dates[step]), default=0)
            elif current == "cancelled":
                reached = -1
            else:
                reached = TIMELINE_STEPS.index(current)
            result[order.id] = [
                {
                    "code": step,
                    "label": labels[step],
                    "done": index <= reached,
                    "current": index == reached,
                    "date": dates[step] if index <= reached else False,
                }
                for index, step in enumerate(TIMELINE_STEPS)
            ]
        return result

    @api.depends("b2b_logistics_state", "b2b_shipment_ids.in_transit_at", "b2b_shipment_ids.delivered_at")
    def _compute_b2b_timeline_html(self):
        timelines = self._b2b_logistics_timeline()
        for order in self:
            order.b2b_timeline_html = self.env["ir.qweb"]._render(
                "b2b_logistics.sale_order_timeline",
                {"order": order, "steps": timelines.get(order.id, []), "format_datetime": self._b2b_format_datetime},
            )

    def _b2b_format_datetime(self, value):
        return fields.Datetime.context_timestamp(self, value).strftime("%Y-%m-%d %H:%M") if value else ""

    # --- notifications -------------------------------------------------------------------------------
    def _b2b_post_notification(self, template, record):
        """Render ``template`` for ``record`` (shipment or picking) in the dealer's language and
        post it on the order: e-mailed to the order's partner and shown in the portal chatter."""
        self.ensure_one()
        template = template.sudo()
        subject = template._render_field("subject", record.ids, compute_lang=True)[record.id]
        body = template._render_field("body_html", record.ids, compute_lang=True)[record.id]
        self.sudo().message_post(
            body=Markup(body),
            subject=subject,
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )

    # --- dealer actions (called by the portal, RPC and the back office) ----------------------------------
    def _b2b_check_dealer_access(self):
        """Portal users act only on their own company's orders; internal users need write access."""
        user = self.env.user
        if self.env.su:
            return
        if user._is_internal():
            self.check_access("write")
            return
        commercial = user.partner_id.commercial_partner_id
        for order in self:
            if order.sudo().partner_id.commercial_partner_id != commercial:
                raise AccessError(_("You can only act on the orders of your own company."))

    def _b2b_confirm_receipt(self, note=None, received_at=None):
        """The dealer confirms receipt (确认收货). Idempotent: an already confirmed order keeps its
        first date. Offers the date to invoicing through ``_b2b_proof_of_delivery_confirmed``."""
        self._b2b_check_dealer_access()
        now = fields.Datetime.now()
        received_at = fields.Datetime.to_datetime(received_at) if received_at else now
        if received_at > now:
            raise UserError(_("The receipt date cannot be in the future."))
        orders = self.sudo()
        for order in orders:
            if order.state != "sale":
                raise UserError(_("Order %(name)s is not confirmed: nothing to receive.", name=order.name))
            shipped = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing" and p.state == "done")
            if not shipped:
                raise UserError(_("Order %(name)s has not been shipped yet.", name=order.name))
            if received_at < min(shipped.mapped("date_done")):
                raise UserError(_("The receipt date cannot be before the shipment date."))
        to_confirm = orders.filtered(lambda o: not o.b2b_receipt_date)
        if not to_confirm:
            return True
        to_confirm.write(
            {
                "b2b_receipt_date": received_at,
                "b2b_receipt_user_id": self.env.user.id,
                "b2b_receipt_note": note or False,
            }
        )
        # No more polling: the dealer has the goods.
        to_confirm.b2b_shipment_ids.filtered("next_poll_at").write({"next_poll_at": False})
        for order in to_confirm:
            body = _("Receipt confirmed by %(user)s.", user=self.env.user.name)
            if note:
                body = Markup("%s<br/>%s") % (body, note)
            order.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")
        invoices = to_confirm.invoice_ids.filtered(lambda move: move.state != "cancel")
        if invoices:
            invoices._b2b_proof_of_delivery_confirmed()
        return True

    def _b2b_report_discrepancy(self, lines, kind, comment, photos=None):
        """The dealer reports a delivery problem. ``lines``: [{"product_id": id, "quantity": qty}]
        (or ``sale_line_id`` instead of ``product_id``); ``kind``: short, damaged or wrong_item;
        ``photos``: [{"name": filename, "datas": base64}] or [(filename, bytes)].
        Creates the discrepancy with its photos, an activity for the salesperson and a draft
        return. Returns the ``b2b.delivery.discrepancy`` record."""
        self.ensure_one()
        self._b2b_check_dealer_access()
        return (
            self.env["b2b.delivery.discrepancy"]
            .sudo()
            ._b2b_create_for_order(self.sudo(), lines, kind, comment, photos or [], reporter=self.env.user)
        )

    # --- carrier choice --------------------------------------------------------------------------------
    def _b2b_carrier_options(self, carriers=None):
        """Compare delivery methods for this order: eligibility (destination, weight, volume,
        tags, order amount), price through core ``rate_shipment``, service level and transit days.
        Returns {"options": [dict], "cheapest": carrier, "fastest": carrier}."""
        self.ensure_one()
        if carriers is None:
            carriers = self.env["delivery.carrier"].search([("company_id", "in", [False, self.company_id.id])])
        amount = self.currency_id._convert(
            self._compute_amount_total_without_delivery(),
            self.company_id.currency_id,
            self.company_id,
            self.date_order or fields.Date.today(),
        )
        partner = self.partner_shipping_id
        options = []
        for carrier in carriers:
            reason = ""
            if not carrier._match_address(partner):
                reason = _("Does not deliver to this address.")
            elif not carrier._match_weight(self):
                reason = _("The order is too heavy.")
            elif not carrier._match_volume(self):
                reason = _("The order is too bulky.")
            elif not (carrier._match_must_have_tags(self) and carrier._match_excluded_tags(self)):
                reason = _("Some products cannot be shipped with this method.")
            elif carrier.b2b_min_order_amount and amount < carrier.b2b_min_order_amount:
                reason = _("The order amount is below this method's minimum.")
            elif carrier.b2b_max_order_amount and amount > carrier.b2b_max_order_amount:
                reason = _("The order amount is above this method's maximum.")
            price = 0.0
            if not reason:
                rate = carrier.rate_shipment(self)
                if rate.get("success"):
                    price = rate["price"]
                else:
                    reason = rate.get("error_message") or _("No rate available.")
            options.append(
                {
                    "carrier": carrier,
                    "eligible": not reason,
                    "reason": reason,
                    "price": price,
                    "transit_days": carrier.b2b_transit_days,
                    "service_level": carrier.b2b_service_level,
                }
            )
        eligible = [option for option in options if option["eligible"]]
        cheapest = min(eligible, key=lambda o: (o["price"], o["transit_days"]), default=None)
        fastest = min(eligible, key=lambda o: (o["transit_days"], o["price"]), default=None)
        return {
            "options": options,
            "cheapest": cheapest["carrier"] if cheapest else self.env["delivery.carrier"],
            "fastest": fastest["carrier"] if fastest else self.env["delivery.carrier"],
        }

    def action_b2b_suggest_carrier(self):
        self.ensure_one()
        wizard = self.env["b2b.carrier.suggestion"]._b2b_create_for_order(self)
        return {
            "type": "ir.actions.act_window",
            "name": _("Compare Delivery Methods"),
            "res_model": "b2b.carrier.suggestion",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_view_b2b_shipments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_logistics.action_b2b_shipment")
        action["domain"] = [("sale_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_b2b_confirm_receipt(self):
        self._b2b_confirm_receipt()
        return True
