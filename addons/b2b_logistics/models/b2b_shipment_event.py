import json
import logging

from odoo import api, fields, models
from odoo.tools import SQL

from .b2b_shipment import SHIPMENT_STATES

_logger = logging.getLogger(__name__)


class B2bShipmentEvent(models.Model):
    """One checkpoint of a shipment. Webhooks insert rows with a single SQL statement (the
    table doubles as the inbox, ``processed`` false); the processing cron derives the shipment's
    status from them."""

    _name = "b2b.shipment.event"
    _description = "Shipment Tracking Event"
    _order = "event_time desc, id desc"
    _rec_name = "description"

    shipment_id = fields.Many2one("b2b.shipment", required=True, index=True, ondelete="cascade")
    picking_id = fields.Many2one(related="shipment_id.picking_id")
    event_time = fields.Datetime("Time", required=True)
    state = fields.Selection(SHIPMENT_STATES, "Status", help="Empty for a pure position update.")
    provider_status = fields.Char()
    description = fields.Char()
    location = fields.Char()
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    eta = fields.Datetime("Estimated Delivery")
    pod_data = fields.Json("Proof of Delivery Data")
    raw_payload = fields.Json()
    source = fields.Selection([("webhook", "Webhook"), ("poll", "Polling"), ("manual", "Manual")], default="manual")
    dedup_key = fields.Char(required=True, readonly=True, copy=False)
    processed = fields.Boolean(default=False, readonly=True, copy=False)

    _sql_constraints = [
        ("dedup_key_uniq", "unique(dedup_key)", "This tracking event is already recorded."),
    ]

    def init(self):
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS b2b_shipment_event_shipment_time_idx
                   ON b2b_shipment_event (shipment_id, event_time DESC, id DESC)"""
        )
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS b2b_shipment_event_unprocessed_idx
                   ON b2b_shipment_event (shipment_id) WHERE processed IS NOT TRUE"""
        )

    @api.model
    def _b2b_insert_events(self, carrier, events, source="webhook"):
        """Store normalized events of ``carrier`` in one INSERT ... ON CONFLICT DO NOTHING.

        Idempotent: a replayed event has the same dedup key and is skipped. Events of unknown
        tracking numbers are logged and dropped. Returns {"inserted", "duplicates", "unknown"}.
        """
        carrier_id = carrier.id if hasattr(carrier, "id") else int(carrier)
        numbers = {event.tracking_number for event in events}
        shipment_ids = self.env["b2b.shipment"]._b2b_ids_by_number(carrier_id, numbers)
        unknown = sorted(numbers - set(shipment_ids))
        if unknown:
            _logger.info("Carrier %s: events for unknown tracking numbers ignored: %s", carrier_id, unknown[:20])
        rows = {}
        for event in events:
            shipment_id = shipment_ids.get(event.tracking_number)
            if not shipment_id:
                continue
            key = event.dedup_key(carrier_id)
            rows[key] = SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, FALSE, %s, %s,"
                " now() at time zone 'UTC', now() at time zone 'UTC')",
                shipment_id,
                event.event_time,
                event.status,
                (event.provider_status or "")[:128],
                (event.description or "")[:1024],
                (event.location or "")[:256],
                event.latitude,
                event.longitude,
                event.eta,
                json.dumps(event.pod, default=str) if event.pod else None,
                json.dumps(event.raw, default=str, ensure_ascii=False),
                key,
                source,
                self.env.uid,
                self.env.uid,
            )
        inserted = 0
        if rows:
            self.env.cr.execute(
                SQL(
                    """INSERT INTO b2b_shipment_event
                           (shipment_id, event_time, state, provider_status, description, location,
                            latitude, longitude, eta, pod_data, raw_payload, dedup_key, source, processed,
                            create_uid, write_uid, create_date, write_date)
                       VALUES %s
                       ON CONFLICT (dedup_key) DO NOTHING
                       RETURNING id""",
                    SQL(", ").join(rows.values()),
                )
            )
            inserted = len(self.env.cr.fetchall())
            self.invalidate_model()
        return {"inserted": inserted, "duplicates": len(rows) - inserted, "unknown": unknown}
