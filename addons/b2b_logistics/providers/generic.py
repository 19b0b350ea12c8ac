"""Generic JSON webhook for own fleets and carriers without a tracking platform.

The format is documented in ``readme/USAGE.md``. The request is signed with the header
``X-B2B-Signature: sha256=<hex HMAC-SHA256(webhook secret, raw body)>``. There is no pull API,
so shipments of such carriers are never polled.
"""

import hashlib
import hmac

from .base import (
    STATUSES,
    MalformedPayload,
    TrackingEvent,
    TrackingProvider,
    load_json,
    parse_datetime,
    parse_float,
    register_provider,
)

SIGNATURE_HEADER = "X-B2B-Signature"


def sign(secret, body):
    """Value of the signature header for ``body`` (used by senders, tests and the benchmark)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@register_provider
class GenericWebhookProvider(TrackingProvider):
    code = "generic"
    label = "Generic JSON webhook (own fleet)"
    sequence = 40
    can_poll = False

    def register(self, numbers):
        return dict.fromkeys(numbers, "")  # nothing to subscribe: the fleet pushes

    def fetch(self, numbers):
        return {}

    def verify_webhook(self, headers, body, form):
        received = headers.get(SIGNATURE_HEADER) or ""
        if not self.config.webhook_secret or not received:
            return False
        return hmac.compare_digest(sign(self.config.webhook_secret, body).encode(), received.strip().encode())

    def parse_webhook(self, headers, body, form):
        data = load_json(body)
        if not isinstance(data, dict):
            raise MalformedPayload("Body must be a JSON object")
        events_in = data.get("events") or []
        positions_in = data.get("positions") or []
        if not isinstance(events_in, list) or not isinstance(positions_in, list):
            raise MalformedPayload("'events' and 'positions' must be lists")
        if not events_in and not positions_in:
            raise MalformedPayload("Nothing to record: no 'events' nor 'positions'")
        events = []
        for item in events_in:
            if not isinstance(item, dict):
                raise MalformedPayload("Each event must be an object")
            status = item.get("status")
            if status not in STATUSES:
                raise MalformedPayload(f"Unknown status {status!r}")
            events.append(self._event(item, status))
        for item in positions_in:
            if not isinstance(item, dict):
                raise MalformedPayload("Each position must be an object")
            if item.get("latitude") is None or item.get("longitude") is None:
                raise MalformedPayload("A position needs latitude and longitude")
            numbers = item.get("tracking_numbers") or ([item["tracking_number"]] if item.get("tracking_number") else [])
            if not numbers or not all(isinstance(number, str) for number in numbers):
                raise MalformedPayload("A position needs tracking_number or tracking_numbers")
            for number in numbers:
                events.append(self._event(dict(item, tracking_number=number), None))
        return events

    @staticmethod
    def _event(item, status):
        number = item.get("tracking_number")
        if not number or not isinstance(number, str):
            raise MalformedPayload("Missing tracking_number")
        when = parse_datetime(item.get("time"))
        if when is None:
            raise MalformedPayload("Missing time")
        pod = item.get("proof_of_delivery")
        if pod is not None:
            if not isinstance(pod, dict):
                raise MalformedPayload("proof_of_delivery must be an object")
            pod = {
                "signed_by": pod.get("signed_by") or "",
                "time": parse_datetime(pod.get("time")) or when,
                "image": pod.get("image_base64") or "",
                "location": pod.get("location") or "",
                "latitude": parse_float(pod.get("latitude")),
                "longitude": parse_float(pod.get("longitude")),
            }
        vehicle = item.get("vehicle_id") or ""
        return TrackingEvent(
            tracking_number=number,
            event_time=when,
            status=status,
            provider_status=str(item.get("code") or status or "position"),
            description=item.get("description") or (f"Vehicle {vehicle}" if vehicle and status is None else ""),
            location=item.get("location") or "",
            latitude=parse_float(item.get("latitude")),
            longitude=parse_float(item.get("longitude")),
            eta=parse_datetime(item.get("eta")),
            pod=pod,
            raw={key: value for key, value in item.items() if key != "proof_of_delivery"},
        )
