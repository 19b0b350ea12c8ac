import base64
import binascii
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..providers import STATUSES

_logger = logging.getLogger(__name__)

SHIPMENT_STATES = [
    ("pending", "Pending"),
    ("info_received", "Info Received"),
    ("in_transit", "In Transit"),
    ("out_for_delivery", "Out for Delivery"),
    ("delivered", "Delivered"),
    ("failed_attempt", "Failed Attempt"),
    ("exception", "Exception"),
    ("returned", "Returned"),
    ("expired", "Expired"),
]
assert tuple(code for code, _label in SHIPMENT_STATES) == STATUSES
# No more polling once a shipment reached one of these.
FINAL_STATES = ("delivered", "expired", "returned")
PROBLEM_STATES = ("failed_attempt", "exception", "returned")
# Shipment status → dealer notification template (xmlid suffix).
NOTIFY_TEMPLATES = {
    "out_for_delivery": "mail_template_shipment_out_for_delivery",
    "delivered": "mail_template_shipment_delivered",
    "exception": "mail_template_shipment_exception",
    "failed_attempt": "mail_template_shipment_exception",
    "returned": "mail_template_shipment_exception",
}
MAX_POLL_BACKOFF = timedelta(hours=12)
POLL_RETRY_BASE = timedelta(minutes=5)


class B2bShipment(models.Model):
    _name = "b2b.shipment"
    _description = "Shipment (tracking number)"
    _order = "id desc"
    _rec_name = "name"

    name = fields.Char("Tracking Number", required=True, index=True)
    picking_id = fields.Many2one(
        "stock.picking",
        "Delivery Order",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('picking_type_code', '=', 'outgoing')]",
    )
    carrier_id = fields.Many2one("delivery.carrier", required=True, index=True, ondelete="restrict")
    provider = fields.Selection(related="carrier_id.b2b_tracking_provider", string="Provider")
    sale_id = fields.Many2one(related="picking_id.sale_id", store=True, index=True, string="Sale Order")
    partner_id = fields.Many2one(related="picking_id.partner_id", store=True, string="Recipient")
    commercial_partner_id = fields.Many2one(
        "res.partner", compute="_compute_commercial_partner_id", store=True, index=True, string="Dealer"
    )
    company_id = fields.Many2one(related="picking_id.company_id", store=True, index=True)
    state = fields.Selection(SHIPMENT_STATES, "Status", default="pending", required=True, index=True, readonly=True)
    status_time = fields.Datetime("Status Since", readonly=True, help="Time of the event that set the status.")
    status_description = fields.Char("Last Event", readonly=True)
    event_ids = fields.One2many("b2b.shipment.event", "shipment_id", "Events")
    event_count = fields.Integer(compute="_compute_event_count")
    eta = fields.Datetime("Estimated Delivery", readonly=True)
    latitude = fields.Float(digits=(10, 7), readonly=True)
    longitude = fields.Float(digits=(10, 7), readonly=True)
    position_time = fields.Datetime(readonly=True)
    in_transit_at = fields.Datetime("In Transit Since", readonly=True)
    delivered_at = fields.Datetime(readonly=True)
    pod_signed_by = fields.Char("Signed By", readonly=True)
    pod_time = fields.Datetime("Proof of Delivery Time", readonly=True)
    pod_location = fields.Char("Proof of Delivery Location", readonly=True)
    pod_image = fields.Binary("Signature / Photo", attachment=True, readonly=True)
    tracking_url = fields.Char(compute="_compute_tracking_url")
    registered = fields.Boolean("Registered at Provider", readonly=True, copy=False)
    register_error = fields.Char(readonly=True, copy=False)
    next_poll_at = fields.Datetime(
        "Next Poll", index=True, copy=False, default=lambda self: fields.Datetime.now(), readonly=True
    )
    last_poll_at = fields.Datetime("Last Poll", readonly=True, copy=False)
    poll_failures = fields.Integer(readonly=True, copy=False)
    last_poll_error = fields.Char(readonly=True, copy=False)
    notified_states = fields.Char(readonly=True, copy=False, help="Statuses the dealer was already told about.")

    _sql_constraints = [
        ("carrier_number_uniq", "unique(carrier_id, name)", "A tracking number is unique per carrier."),
    ]

    @api.depends("partner_id.commercial_partner_id")
    def _compute_commercial_partner_id(self):
        for shipment in self:
            shipment.commercial_partner_id = shipment.partner_id.commercial_partner_id

    def _compute_event_count(self):
        counts = dict(
            self.env["b2b.shipment.event"]._read_group([("shipment_id", "in", self.ids)], ["shipment_id"], ["__count"])
        )
        for shipment in self:
            shipment.event_count = counts.get(shipment, 0)

    def _compute_tracking_url(self):
        for shipment in self:
            url = False
            carrier = shipment.carrier_id
            if carrier.tracking_url:
                url = carrier.tracking_url.replace("<shipmenttrackingnumber>", shipment.name)
            shipment.tracking_url = url

    @api.constrains("name")
    def _check_name(self):
        for shipment in self:
            if not shipment.name.strip() or len(shipment.name) > 64:
                raise ValidationError(_("A tracking number must have between 1 and 64 characters."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name"):
                vals["name"] = vals["name"].strip()
        return super().create(vals_list)

    # --- lookups --------------------------------------------------------------------------------
    @api.model
    def _b2b_ids_by_number(self, carrier_id, numbers):
        """{tracking number: shipment id} for one carrier, one indexed query (webhook hot path)."""
        if not numbers:
            return {}
        self.env.cr.execute(
            "SELECT name, id FROM b2b_shipment WHERE carrier_id = %s AND name = ANY(%s)",
            [carrier_id, list(numbers)],
        )
        return dict(self.env.cr.fetchall())

    # --- processing of stored events ---------------------------------------------------------------
    @api.model
    def _cron_process_events(self, limit=500):
        """Apply unprocessed events (stored by webhooks or polling) to their shipments."""
        self.env.cr.execute(
            """SELECT DISTINCT shipment_id FROM b2b_shipment_event
                WHERE processed IS NOT TRUE ORDER BY shipment_id LIMIT %s""",
            [limit],
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        shipments = self.browse(ids)
        shipments._b2b_apply_events()
        self.env.cr.execute("SELECT count(DISTINCT shipment_id) FROM b2b_shipment_event WHERE processed IS NOT TRUE")
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(ids), remaining=remaining)
        return len(ids)

    def _b2b_apply_events(self):
        """Derive status, ETA, position and proof of delivery from the event history.

        The status is the one of the event with the latest *event time* (not the latest to
        arrive), so out-of-order deliveries of webhooks cannot move a shipment backwards.
        Shipments being processed by another transaction are skipped (SKIP LOCKED) and picked up
        by the next run.
        """
        if not self:
            return
        self.flush_recordset()
        self.env["b2b.shipment.event"].flush_model()
        cr = self.env.cr
        cr.execute("SELECT id FROM b2b_shipment WHERE id = ANY(%s) FOR NO KEY UPDATE SKIP LOCKED", [self.ids])
        shipments = self.browse([row[0] for row in cr.fetchall()])
        if not shipments:
            return
        ids = shipments.ids
        cr.execute("""SELECT id FROM b2b_shipment_event WHERE shipment_id = ANY(%s) AND processed IS NOT TRUE""", [ids])
        pending_event_ids = [row[0] for row in cr.fetchall()]

        def latest(condition, columns):
            cr.execute(
                SQL(
                    """SELECT DISTINCT ON (shipment_id) shipment_id, %s FROM b2b_shipment_event
                        WHERE shipment_id = ANY(%s) AND %s
                     ORDER BY shipment_id, event_time DESC, id DESC""",
                    SQL(columns),
                    ids,
                    SQL(condition),
                )
            )
            return {row[0]: row[1:] for row in cr.fetchall()}

        status = latest("state IS NOT NULL", "state, event_time, description")
        position = latest("latitude IS NOT NULL AND longitude IS NOT NULL", "latitude, longitude, event_time")
        eta = latest("eta IS NOT NULL", "eta")
        pod = latest("pod_data IS NOT NULL", "id, pod_data")
        cr.execute(
            """SELECT shipment_id,
                      min(event_time) FILTER (WHERE state IN ('in_transit', 'out_for_delivery', 'delivered')),
                      max(event_time) FILTER (WHERE state = 'delivered')
                 FROM b2b_shipment_event WHERE shipment_id = ANY(%s) GROUP BY shipment_id""",
            [ids],
        )
        milestones = {row[0]: row[1:] for row in cr.fetchall()}

        changed = self.browse()
        for shipment in shipments:
            vals = {}
            if shipment.id in status:
                state, when, description = status[shipment.id]
                if state != shipment.state:
                    changed |= shipment
                    vals["state"] = state
                vals["status_time"] = when
                vals["status_description"] = description
                if state in FINAL_STATES:
                    vals["next_poll_at"] = False
            if shipment.id in position:
                vals["latitude"], vals["longitude"], vals["position_time"] = position[shipment.id]
            if shipment.id in eta:
                vals["eta"] = eta[shipment.id][0]
            in_transit_at, delivered_at = milestones.get(shipment.id, (None, None))
            vals["in_transit_at"] = in_transit_at
            vals["delivered_at"] = delivered_at if vals.get("state", shipment.state) == "delivered" else False
            if shipment.id in pod:
                vals.update(self._b2b_pod_values(pod[shipment.id][1]))
            vals = {key: value for key, value in vals.items() if shipment[key] != value or key == "pod_image"}
            if vals:
                shipment.write(vals)
        if pending_event_ids:
            cr.execute("UPDATE b2b_shipment_event SET processed = TRUE WHERE id = ANY(%s)", [pending_event_ids])
        # The image now lives in the shipment's attachment: keep only its metadata in events.
        cr.execute(
            "UPDATE b2b_shipment_event SET pod_data = pod_data - 'image' WHERE id = ANY(%s) AND pod_data ? 'image'",
            [[row[0] for row in pod.values()]],
        )
        self.env["b2b.shipment.event"].invalidate_model(["processed", "pod_data"])
        changed._b2b_notify_dealer()

    @api.model
    def _b2b_pod_values(self, data):
        data = data or {}
        vals = {
            "pod_signed_by": data.get("signed_by") or False,
            "pod_time": fields.Datetime.to_datetime(data.get("time")) if data.get("time") else False,
            "pod_location": data.get("location") or False,
        }
        image = data.get("image")
        if image:
            try:
                base64.b64decode(image, validate=True)
            except (binascii.Error, ValueError):
                _logger.warning("Ignoring a proof-of-delivery image that is not valid base64")
            else:
                vals["pod_image"] = image
        return vals

    # --- polling ------------------------------------------------------------------------------------
    @api.model
    def _cron_poll_shipments(self, limit=200):
        """Polling fallback: refresh the active shipments that are due, grouped per carrier."""
        due = self.search(
            [
                ("next_poll_at", "<=", fields.Datetime.now()),
                ("state", "not in", FINAL_STATES),
                ("carrier_id.b2b_tracking_provider", "!=", False),
            ],
            order="next_poll_at, id",
            limit=limit,
        )
        done = 0
        for carrier, shipments in due.grouped("carrier_id").items():
            done += carrier._b2b_poll_shipments(shipments)
        remaining = self.search_count(
            [
                ("next_poll_at", "<=", fields.Datetime.now()),
                ("state", "not in", FINAL_STATES),
                ("carrier_id.b2b_tracking_provider", "!=", False),
                ("id", "not in", due.ids),
            ]
        )
        # Only ask for an immediate re-run when this run made progress (not rate limited).
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining if done else 0)
        return done

    def _b2b_poll_succeeded(self):
        now = fields.Datetime.now()
        for carrier, shipments in self.grouped("carrier_id").items():
            shipments.write(
                {
                    "last_poll_at": now,
                    "poll_failures": 0,
                    "last_poll_error": False,
                    "next_poll_at": now + timedelta(minutes=max(carrier.b2b_poll_interval, 1)),
                }
            )

    def _b2b_poll_failed(self, error):
        """Exponential backoff per shipment: 5 min, 10, 20... capped at 12 h."""
        now = fields.Datetime.now()
        for failures, shipments in self.grouped(lambda shipment: shipment.poll_failures + 1).items():
            delay = min(POLL_RETRY_BASE * (2 ** (failures - 1)), MAX_POLL_BACKOFF)
            shipments.write(
                {
                    "last_poll_at": now,
                    "poll_failures": failures,
                    "last_poll_error": error[:250],
                    "next_poll_at": now + delay,
                }
            )

    def action_poll_now(self):
        for carrier, shipments in self.filtered("carrier_id.b2b_tracking_provider").grouped("carrier_id").items():
            carrier._b2b_poll_shipments(shipments)
        return True

    # --- dealer notifications ----------------------------------------------------------------------
    def _b2b_notify_dealer(self):
        """Mail + portal message on the sale order when a shipment goes out for delivery, is
        delivered or runs into a problem; each status is announced once per shipment."""
        for shipment in self:
            template_name = NOTIFY_TEMPLATES.get(shipment.state)
            order = shipment.sale_id
            notified = set((shipment.notified_states or "").split(","))
            if not template_name or not order or shipment.state in notified:
                continue
            template = self.env.ref(f"b2b_logistics.{template_name}", raise_if_not_found=False)
            if not template:
                continue
            order._b2b_post_notification(template, shipment)
            shipment.notified_states = ",".join(sorted((notified | {shipment.state}) - {""}))

    def action_open_events(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Tracking Events"),
            "res_model": "b2b.shipment.event",
            "view_mode": "list,form",
            "domain": [("shipment_id", "=", self.id)],
            "context": {"default_shipment_id": self.id},
        }

    # --- demo data ----------------------------------------------------------------------------------
    @api.model
    def _b2b_create_demo_shipments(self):
        """Demo: one delivered order per shipment status (Odoo's standard demo partners and
        products, so it does not depend on the other B2B modules), each with its history."""
        from ..providers import TrackingEvent

        partners = [
            self.env.ref(xmlid, raise_if_not_found=False)
            for xmlid in ("base.res_partner_2", "base.res_partner_3", "base.res_partner_4", "base.res_partner_12")
        ]
        products = [
            self.env.ref(xmlid, raise_if_not_found=False)
            for xmlid in ("product.product_product_6", "product.product_product_7", "product.product_product_9")
        ]
        carriers = [
            self.env.ref(f"b2b_logistics.{xmlid}", raise_if_not_found=False)
            for xmlid in ("carrier_own_fleet", "carrier_aftership_sf", "carrier_kuaidi100_zto", "carrier_track17_ems")
        ]
        partners, products, carriers = (list(filter(None, items)) for items in (partners, products, carriers))
        if not (partners and products and carriers):
            return
        histories = {
            "pending": ["pending"],
            "info_received": ["pending", "info_received"],
            "in_transit": ["info_received", "in_transit", "in_transit"],
            "out_for_delivery": ["info_received", "in_transit", "in_transit", "out_for_delivery"],
            "delivered": ["info_received", "in_transit", "out_for_delivery", "delivered"],
            "failed_attempt": ["info_received", "in_transit", "out_for_delivery", "failed_attempt"],
            "exception": ["info_received", "in_transit", "exception"],
            "returned": ["info_received", "in_transit", "exception", "returned"],
            "expired": ["info_received", "expired"],
        }
        descriptions = {
            "pending": "Shipment created, waiting for the carrier",
            "info_received": "Electronic shipping information received",
            "in_transit": "Departed sorting centre",
            "out_for_delivery": "Out for delivery with courier",
            "delivered": "Delivered, signed by the receiver",
            "failed_attempt": "Delivery attempted, nobody at the address",
            "exception": "Address could not be found",
            "returned": "Returned to sender",
            "expired": "No update from the carrier for 30 days",
        }
        cities = [("Shanghai", 31.2304, 121.4737), ("Hangzhou", 30.2741, 120.1551), ("Suzhou", 31.2990, 120.5853)]
        now = fields.Datetime.now().replace(microsecond=0)
        Event = self.env["b2b.shipment.event"]
        for index, (final_state, steps) in enumerate(histories.items()):
            partner = partners[index % len(partners)]
            carrier = carriers[index % len(carriers)]
            order = self.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "carrier_id": carrier.id,
                    "order_line": [
                        fields.Command.create(
                            {"product_id": products[(index + k) % len(products)].id, "product_uom_qty": 2 + k}
                        )
                        for k in range(2)
                    ],
                }
            )
            order.action_confirm()
            picking = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")[:1]
            if not picking:
                continue
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.with_context(skip_backorder=True, skip_sms=True)._action_done()
            number = f"DEMO{index + 1:02d}{final_state.upper().replace('_', '')[:6]}"
            picking.write({"carrier_id": carrier.id, "carrier_tracking_ref": number})
            start = now - timedelta(days=len(steps) + 1)
            events = []
            for step, state in enumerate(steps):
                city, lat, lng = cities[step % len(cities)]
                when = start + timedelta(hours=18 * step + index)
                events.append(
                    TrackingEvent(
                        tracking_number=number,
                        event_time=when,
                        status=state,
                        provider_status=state,
                        description=descriptions[state],
                        location=city,
                        latitude=lat,
                        longitude=lng,
                        eta=start + timedelta(days=3),
                        pod={"signed_by": "Wang Li", "time": when, "location": city} if state == "delivered" else None,
                        raw={"demo": True, "status": state},
                    )
                )
            Event._b2b_insert_events(carrier, events, source="webhook")
            picking.b2b_shipment_ids._b2b_apply_events()
            # Demo credentials are fake: never call the real provider APIs from a demo database.
            picking.b2b_shipment_ids.write({"registered": True, "next_poll_at": False})
