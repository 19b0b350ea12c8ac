"""AfterShip Tracking API.

Documented facts used here: REST API under ``https://api.aftership.com/tracking/<version>``
authenticated by the header ``as-api-key``; ``POST /trackings`` creates a tracking,
``GET /trackings`` lists trackings (filter ``tracking_numbers``, comma separated); webhooks are
POSTed as JSON ``{"event": "tracking_update", "msg": <tracking>, "ts": ...}`` and signed with
the header ``aftership-hmac-sha256`` = base64(HMAC-SHA256(webhook secret, raw body)).

Uncertain (kept tolerant on purpose): the exact envelope differs between API versions — legacy
v4 wraps the body in ``{"tracking": {...}}`` and answers ``data.tracking`` while the dated
versions (2023-10 and later) use a flat body and ``data`` directly, so both are accepted. The
checkpoint coordinates field name (``coordinate`` dict or ``coordinates`` list) and the ETA fields
(``expected_delivery``, ``courier_estimated_delivery_date``, ``aftership_estimated_delivery_date``)
vary too; every known spelling is read.
"""

import base64
import hashlib
import hmac

from .base import (
    MalformedPayload,
    ProviderError,
    TrackingEvent,
    TrackingProvider,
    load_json,
    parse_datetime,
    parse_float,
    register_provider,
)

TAG_STATUS = {
    "Pending": "pending",
    "InfoReceived": "info_received",
    "InTransit": "in_transit",
    "OutForDelivery": "out_for_delivery",
    "AvailableForPickup": "out_for_delivery",
    "AttemptFail": "failed_attempt",
    "Delivered": "delivered",
    "Exception": "exception",
    "Expired": "expired",
}
# Exception sub-tags meaning the parcel went back to the sender (AfterShip's sub-status list:
# Exception_010 "returning to sender", Exception_011 "returned to sender").
RETURNED_SUBTAGS = {"Exception_010", "Exception_011"}
TRACKING_EXISTS = 4003


@register_provider
class AfterShipProvider(TrackingProvider):
    code = "aftership"
    label = "AfterShip"
    sequence = 10
    batch_size = 50

    def _headers(self):
        return {"as-api-key": self.config.api_key, "Content-Type": "application/json"}

    def register(self, numbers):
        result = {}
        for number in numbers:
            body = {"tracking_number": number}
            if self.config.carrier_code:
                body["slug"] = self.config.carrier_code
            response = self._request("POST", self._url("trackings"), json=body, headers=self._headers())
            try:
                meta = response.json().get("meta", {})
            except ValueError:
                meta = {}
            if response.status_code < 300 or meta.get("code") == TRACKING_EXISTS:
                result[number] = ""
            else:
                result[number] = meta.get("message") or f"HTTP {response.status_code}"
        return result

    def fetch(self, numbers):
        params = {"tracking_numbers": ",".join(numbers)}
        if self.config.carrier_code:
            params["slug"] = self.config.carrier_code
        data = self._json(self._request("GET", self._url("trackings"), params=params, headers=self._headers()))
        payload = data.get("data") or {}
        trackings = payload.get("trackings")
        if trackings is None:
            raise ProviderError("AfterShip: answer without data.trackings")
        wanted = set(numbers)
        result = {}
        for tracking in trackings:
            number = tracking.get("tracking_number")
            if number in wanted:
                result.setdefault(number, []).extend(self._tracking_events(tracking))
        return result

    def verify_webhook(self, headers, body, form):
        received = headers.get("aftership-hmac-sha256") or ""
        if not self.config.webhook_secret or not received:
            return False
        digest = hmac.new(self.config.webhook_secret.encode(), body, hashlib.sha256).digest()
        expected = base64.b64encode(digest).decode()
        return hmac.compare_digest(expected.encode(), received.strip().encode())

    def parse_webhook(self, headers, body, form):
        data = load_json(body)
        if not isinstance(data, dict) or not isinstance(data.get("msg"), dict):
            raise MalformedPayload("AfterShip webhook without 'msg' object")
        return self._tracking_events(data["msg"])

    # --- mapping -------------------------------------------------------------------------------
    @staticmethod
    def _status(tag, subtag=None):
        if subtag in RETURNED_SUBTAGS:
            return "returned"
        return TAG_STATUS.get(tag or "", "in_transit" if tag else "pending")

    def _tracking_events(self, tracking):
        if "tracking" in tracking and isinstance(tracking["tracking"], dict):  # legacy v4 envelope
            tracking = tracking["tracking"]
        number = tracking.get("tracking_number")
        if not number or not isinstance(number, str):
            raise MalformedPayload("AfterShip tracking without tracking_number")
        eta = _eta(tracking)
        events = []
        checkpoints = tracking.get("checkpoints") or []
        if not isinstance(checkpoints, list):
            raise MalformedPayload("AfterShip checkpoints must be a list")
        for checkpoint in checkpoints:
            if not isinstance(checkpoint, dict):
                raise MalformedPayload("AfterShip checkpoint must be an object")
            when = parse_datetime(checkpoint.get("checkpoint_time") or checkpoint.get("created_at"))
            if when is None:
                raise MalformedPayload("AfterShip checkpoint without checkpoint_time")
            latitude, longitude = _coordinates(checkpoint)
            location = checkpoint.get("location") or ", ".join(
                part
                for part in (checkpoint.get("city"), checkpoint.get("state"), checkpoint.get("country_name"))
                if part
            )
            status = self._status(checkpoint.get("tag"), checkpoint.get("subtag"))
            events.append(
                TrackingEvent(
                    tracking_number=number,
                    event_time=when,
                    status=status,
                    provider_status="/".join(p for p in (checkpoint.get("tag"), checkpoint.get("subtag")) if p),
                    description=checkpoint.get("message") or checkpoint.get("subtag_message") or "",
                    location=location or "",
                    latitude=latitude,
                    longitude=longitude,
                    eta=eta,
                    raw=checkpoint,
                )
            )
        tag_status = self._status(tracking.get("tag"), tracking.get("subtag"))
        latest = max(events, key=lambda event: event.event_time) if events else None
        if latest is None or latest.status != tag_status:
            # The tracking-level tag can move without a checkpoint (Expired, Pending).
            when = parse_datetime(tracking.get("updated_at") or tracking.get("created_at"))
            if when is not None:
                if latest is not None and when < latest.event_time:
                    when = latest.event_time
                events.append(
                    TrackingEvent(
                        tracking_number=number,
                        event_time=when,
                        status=tag_status,
                        provider_status="/".join(p for p in (tracking.get("tag"), tracking.get("subtag")) if p),
                        description=tracking.get("subtag_message") or tracking.get("tag") or "",
                        eta=eta,
                        raw={key: tracking.get(key) for key in ("tag", "subtag", "subtag_message", "updated_at")},
                    )
                )
        signed_by = tracking.get("signed_by")
        if signed_by:
            for event in events:
                if event.status == "delivered":
                    event.pod = {"signed_by": signed_by, "time": event.event_time, "location": event.location}
        return events


def _eta(tracking):
    for key in (
        "courier_estimated_delivery_date",
        "aftership_estimated_delivery_date",
        "custom_estimated_delivery_date",
    ):
        value = tracking.get(key)
        if isinstance(value, dict):
            when = value.get("estimated_delivery_date") or value.get("estimated_delivery_date_max")
            if when:
                return parse_datetime(when)
    return parse_datetime(tracking.get("expected_delivery")) if tracking.get("expected_delivery") else None


def _coordinates(checkpoint):
    coordinate = checkpoint.get("coordinate") or checkpoint.get("coordinates")
    if isinstance(coordinate, dict):
        return parse_float(coordinate.get("latitude")), parse_float(coordinate.get("longitude"))
    if isinstance(coordinate, list) and len(coordinate) == 2:
        return parse_float(coordinate[0]), parse_float(coordinate[1])
    return None, None
