"""The small interface every tracking provider implements, plus the shared HTTP plumbing."""

import dataclasses
import hashlib
import json
import logging
import time
from datetime import datetime, timezone

import requests

_logger = logging.getLogger(__name__)

# Normalized shipment statuses, in the order a parcel normally goes through them.
STATUSES = (
    "pending",
    "info_received",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "failed_attempt",
    "exception",
    "returned",
    "expired",
)

_REGISTRY = {}


def register_provider(cls):
    """Class decorator: make an adapter available under its ``code``."""
    _REGISTRY[cls.code] = cls
    return cls


def get_provider(code, config):
    """Instantiate the adapter registered under ``code`` with a :class:`ProviderConfig`."""
    try:
        cls = _REGISTRY[code]
    except KeyError as exc:
        raise ProviderError(f"Unknown tracking provider {code!r}") from exc
    return cls(config)


def provider_selection():
    return [(code, cls.label) for code, cls in sorted(_REGISTRY.items(), key=lambda item: item[1].sequence)]


class ProviderError(Exception):
    """The provider answered with an error (after retries) or could not be reached."""


class RateLimited(ProviderError):
    """The provider answered 429: wait ``retry_after`` seconds before the next call."""

    def __init__(self, message, retry_after=60.0):
        super().__init__(message)
        self.retry_after = retry_after


class MalformedPayload(ValueError):
    """A webhook body that cannot be understood (answered 400)."""


@dataclasses.dataclass
class ProviderConfig:
    base_url: str = ""
    api_key: str = ""
    webhook_secret: str = ""
    carrier_code: str = ""  # AfterShip slug, Kuaidi100 company code, 17TRACK carrier number
    account: str = ""  # Kuaidi100 "customer" id (real-time query)
    callback_url: str = ""
    timeout: float = 10.0
    max_retries: int = 3
    backoff: float = 0.5  # seconds, doubled on each retry
    max_backoff: float = 8.0


@dataclasses.dataclass
class TrackingEvent:
    """One normalized checkpoint. ``status`` is None for a pure position update."""

    tracking_number: str
    event_time: datetime  # naive UTC, like Odoo's Datetime fields
    status: str | None
    provider_status: str = ""
    description: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    eta: datetime | None = None
    pod: dict | None = None  # {"signed_by", "time", "image" (base64), "location"}
    raw: dict = dataclasses.field(default_factory=dict)

    def dedup_key(self, carrier_id):
        """Stable identity of the event: the same checkpoint pushed twice gives the same key."""
        parts = [
            str(carrier_id),
            self.tracking_number,
            self.event_time.strftime("%Y-%m-%dT%H:%M:%S"),
            self.status or "position",
            self.provider_status or "",
            self.description or "",
            self.location or "",
        ]
        if self.status is None:
            parts += [f"{self.latitude}", f"{self.longitude}"]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def parse_datetime(value, default_tz=timezone.utc):
    """ISO 8601 (with or without offset, ``Z`` accepted) or ``YYYY-MM-DD HH:MM:SS`` → naive UTC."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=timezone.utc).replace(tzinfo=None)
    if not isinstance(value, str):
        raise MalformedPayload(f"Invalid date {value!r}")
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise MalformedPayload(f"Invalid date {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_tz)
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)


def parse_float(value):
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise MalformedPayload(f"Invalid coordinate {value!r}") from exc


def load_json(body):
    try:
        data = json.loads(body)
    except (TypeError, ValueError, UnicodeDecodeError) as exc:
        raise MalformedPayload("Body is not valid JSON") from exc
    return data


class TrackingProvider:
    """Interface of a tracking provider adapter.

    Subclasses set ``code``/``label`` and implement the methods below; the ORM side
    (``b2b.shipment``) only ever talks to this interface.
    """

    code = None
    label = None
    sequence = 10
    #: how many tracking numbers :meth:`fetch` accepts per call
    batch_size = 40
    #: True when :meth:`fetch` is implemented (polling fallback)
    can_poll = True

    def __init__(self, config):
        self.config = config

    # --- API (outgoing) -------------------------------------------------------------------
    def register(self, numbers):
        """Subscribe ``numbers`` for push updates. Returns {number: error message or ""}."""
        raise NotImplementedError

    def fetch(self, numbers):
        """Current tracking of ``numbers``: {number: [TrackingEvent, ...]} (unknown ones omitted)."""
        raise NotImplementedError

    # --- webhooks (incoming) -----------------------------------------------------------------
    def verify_webhook(self, headers, body, form):
        """True when the request is signed with the carrier's secret (constant-time compare)."""
        raise NotImplementedError

    def parse_webhook(self, headers, body, form):
        """Normalized events of a verified request; raises :class:`MalformedPayload`."""
        raise NotImplementedError

    def webhook_ack(self):
        """(content type, body) of the success answer the provider expects."""
        return "application/json", json.dumps({"status": "ok"})

    # --- helpers -----------------------------------------------------------------------------
    def _url(self, path):
        return self.config.base_url.rstrip("/") + "/" + path.lstrip("/")

    def _request(self, method, url, **kwargs):
        """HTTP call with a timeout and retries with exponential backoff on network errors and
        5xx answers. A 429 is not retried here: it raises :class:`RateLimited` so the caller can
        pause the whole provider (honouring ``Retry-After``)."""
        timeout = kwargs.pop("timeout", self.config.timeout)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = requests.request(method, url, timeout=timeout, **kwargs)
            except requests.RequestException as exc:
                error = ProviderError(f"{self.label}: {type(exc).__name__}: {exc}")
            else:
                if response.status_code == 429:
                    raise RateLimited(
                        f"{self.label}: rate limited (429)",
                        retry_after=_retry_after(response.headers.get("Retry-After")),
                    )
                if response.status_code < 500:
                    return response
                error = ProviderError(f"{self.label}: HTTP {response.status_code}")
            if attempt > self.config.max_retries:
                raise error
            delay = min(self.config.backoff * (2 ** (attempt - 1)), self.config.max_backoff)
            _logger.info("%s; retry %s in %.2fs", error, attempt, delay)
            if delay:
                time.sleep(delay)

    def _json(self, response):
        if response.status_code >= 400:
            raise ProviderError(f"{self.label}: HTTP {response.status_code}: {response.text[:200]}")
        try:
            return response.json()
        except ValueError as exc:
            raise ProviderError(f"{self.label}: invalid JSON answer") from exc


def _retry_after(value):
    try:
        return max(float(value), 0.0)
    except (TypeError, ValueError):
        return 60.0
