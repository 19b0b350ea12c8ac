"""17TRACK Tracking API v2.2.

Documented facts used here: base ``https://api.17track.net/track/v2.2``, header ``17token``,
``POST /register`` and ``POST /gettrackinfo`` both take a JSON list
``[{"number": ..., "carrier": <17TRACK carrier id, optional>}]`` (40 numbers per call) and answer
``{"code": 0, "data": {"accepted": [...], "rejected": [{"number", "error": {"code", "message"}}]}}``;
``track_info.latest_status.status`` is one of NotFound, InfoReceived, InTransit, Expired,
AvailableForPickup, OutForDelivery, DeliveryFailure, Delivered, Exception, with sub-statuses
such as ``Exception_Returned``; events live in ``track_info.tracking.providers[].events[]`` with
``time_utc``/``time_iso``, ``description``, ``location``, ``stage``, ``sub_status`` and
``address.coordinates``; the ETA in ``track_info.time_metrics.estimated_delivery_date``.

Uncertain: the webhook (``{"event": "TRACKING_UPDATED", "data": {...}}``) is verified by the
header ``sign`` = hex SHA-256 of ``raw body + "/" + security key`` as described in the v2.2
notes; 17TRACK does not use an HMAC here. Error ``-18019901`` ("already registered") is treated
as success.
"""

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

STATUS = {
    "NotFound": "pending",
    "InfoReceived": "info_received",
    "InTransit": "in_transit",
    "Expired": "expired",
    "AvailableForPickup": "out_for_delivery",
    "OutForDelivery": "out_for_delivery",
    "DeliveryFailure": "failed_attempt",
    "Delivered": "delivered",
    "Exception": "exception",
}
RETURNED_SUB_STATUSES = {"Exception_Returning", "Exception_Returned"}
ALREADY_REGISTERED = -18019901


def status_of(stage, sub_status=None):
    if sub_status in RETURNED_SUB_STATUSES:
        return "returned"
    if stage in STATUS:
        return STATUS[stage]
    if sub_status:
        return STATUS.get(sub_status.split("_", 1)[0])
    return None


@register_provider
class Track17Provider(TrackingProvider):
    code = "track17"
    label = "17TRACK"
    sequence = 30
    batch_size = 40

    def _headers(self):
        return {"17token": self.config.api_key, "Content-Type": "application/json"}

    def _items(self, numbers):
        items = []
        for number in numbers:
            item = {"number": number}
            if self.config.carrier_code:
                item["carrier"] = int(self.config.carrier_code)
            items.append(item)
        return items

    def _call(self, path, numbers):
        data = self._json(self._request("POST", self._url(path), json=self._items(numbers), headers=self._headers()))
        if data.get("code") != 0:
            raise ProviderError(f"17TRACK: error code {data.get('code')}: {data.get('data')}")
        return data.get("data") or {}

    def register(self, numbers):
        data = self._call("register", numbers)
        result = {item.get("number"): "" for item in data.get("accepted") or []}
        for item in data.get("rejected") or []:
            error = item.get("error") or {}
            result[item.get("number")] = "" if error.get("code") == ALREADY_REGISTERED else error.get("message", "?")
        return result

    def fetch(self, numbers):
        data = self._call("gettrackinfo", numbers)
        return {
            item["number"]: self._track_events(item["number"], item.get("track_info") or {})
            for item in data.get("accepted") or []
            if item.get("number") in numbers
        }

    def verify_webhook(self, headers, body, form):
        received = headers.get("sign") or ""
        if not self.config.webhook_secret or not received:
            return False
        expected = hashlib.sha256(body + b"/" + self.config.webhook_secret.encode()).hexdigest()
        return hmac.compare_digest(expected.encode(), received.strip().lower().encode())

    def parse_webhook(self, headers, body, form):
        data = load_json(body)
        if not isinstance(data, dict) or not isinstance(data.get("data"), dict):
            raise MalformedPayload("17TRACK webhook without 'data' object")
        if data.get("event") not in ("TRACKING_UPDATED", "TRACKING_STOPPED"):
            raise MalformedPayload(f"17TRACK webhook event {data.get('event')!r} not supported")
        number = data["data"].get("number")
        if not number or not isinstance(number, str):
            raise MalformedPayload("17TRACK webhook without number")
        if data["event"] == "TRACKING_STOPPED":
            return []
        return self._track_events(number, data["data"].get("track_info") or {})

    def _track_events(self, number, info):
        if not isinstance(info, dict):
            raise MalformedPayload("17TRACK track_info must be an object")
        eta = None
        estimate = (info.get("time_metrics") or {}).get("estimated_delivery_date") or {}
        if isinstance(estimate, dict) and (estimate.get("to") or estimate.get("from")):
            eta = parse_datetime(estimate.get("to") or estimate.get("from"))
        raw_events = []
        for provider in (info.get("tracking") or {}).get("providers") or []:
            raw_events.extend((provider or {}).get("events") or [])
        events = []
        for raw in raw_events:
            if not isinstance(raw, dict):
                raise MalformedPayload("17TRACK event must be an object")
            when = parse_datetime(raw.get("time_utc") or raw.get("time_iso"))
            if when is None:
                continue  # 17TRACK sends events without a parsable time for some carriers
            coordinates = (raw.get("address") or {}).get("coordinates") or {}
            events.append(
                TrackingEvent(
                    tracking_number=number,
                    event_time=when,
                    status=status_of(raw.get("stage"), raw.get("sub_status")) or "in_transit",
                    provider_status=raw.get("sub_status") or raw.get("stage") or "",
                    description=raw.get("description") or "",
                    location=raw.get("location") or "",
                    latitude=parse_float(coordinates.get("latitude")),
                    longitude=parse_float(coordinates.get("longitude")),
                    eta=eta,
                    raw=raw,
                )
            )
        latest_status = info.get("latest_status") or {}
        overall = status_of(latest_status.get("status"), latest_status.get("sub_status"))
        if events:
            newest = max(events, key=lambda event: event.event_time)
            if overall:
                newest.status = overall
        elif overall:
            # Registered but no checkpoint yet (NotFound / InfoReceived / Expired).
            when = (
                parse_datetime((info.get("latest_event") or {}).get("time_utc")) if info.get("latest_event") else None
            )
            if when:
                events.append(
                    TrackingEvent(number, when, overall, latest_status.get("status") or "", eta=eta, raw=latest_status)
                )
        return events
