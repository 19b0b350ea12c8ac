import json
import logging
import time

from werkzeug.exceptions import RequestEntityTooLarge

from odoo import http
from odoo.http import request

from ..providers import MalformedPayload, ProviderConfig, get_provider

_logger = logging.getLogger(__name__)

MAX_BODY = 256 * 1024
# Wake the processing cron at most this often per worker: a trigger row per event would
# double the write load at hundreds of events per second.
TRIGGER_INTERVAL = 2.0
_last_trigger = {}


def _response(status, payload, content_type="application/json"):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return request.make_response(body, headers=[("Content-Type", content_type)], status=status)


class B2bLogisticsWebhook(http.Controller):
    @http.route(
        "/b2b_logistics/webhook/<int:carrier_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        max_content_length=MAX_BODY,
    )
    def webhook(self, carrier_id, **kwargs):
        """Carrier tracking webhook. Order of work: size limit, signature (constant time) before
        anything is stored, parsing, one INSERT of the new events; status changes are applied
        by the processing cron so the provider gets its answer fast."""
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > MAX_BODY:
            return _response(413, {"error": "payload too large"})
        try:
            body = httprequest.get_data(cache=True)
            form = httprequest.form
        except RequestEntityTooLarge:
            return _response(413, {"error": "payload too large"})
        if len(body) > MAX_BODY:
            return _response(413, {"error": "payload too large"})

        cr = request.env.cr
        cr.execute(
            """SELECT b2b_tracking_provider, b2b_webhook_secret, b2b_provider_carrier_code
                 FROM delivery_carrier WHERE id = %s AND active""",
            [carrier_id],
        )
        row = cr.fetchone()
        if not row or not row[0]:
            return _response(404, {"error": "unknown endpoint"})
        provider = get_provider(row[0], ProviderConfig(webhook_secret=row[1] or "", carrier_code=row[2] or ""))
        if not provider.verify_webhook(httprequest.headers, body, form):
            _logger.warning("Carrier %s webhook: invalid signature from %s", carrier_id, httprequest.remote_addr)
            return _response(401, {"error": "invalid signature"})
        try:
            events = provider.parse_webhook(httprequest.headers, body, form)
        except MalformedPayload as exc:
            _logger.info("Carrier %s webhook: malformed payload: %s", carrier_id, exc)
            return _response(400, {"error": str(exc)})

        Event = request.env["b2b.shipment.event"].sudo()
        result = Event._b2b_insert_events(carrier_id, events, source="webhook")
        if result["inserted"]:
            self._trigger_processing()
        content_type, ack = provider.webhook_ack()
        return _response(200, ack, content_type)

    @staticmethod
    def _trigger_processing():
        dbname = request.env.cr.dbname
        now = time.monotonic()
        if now - _last_trigger.get(dbname, 0.0) < TRIGGER_INTERVAL:
            return
        _last_trigger[dbname] = now
        cron = request.env.ref("b2b_logistics.ir_cron_process_shipment_events", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()
