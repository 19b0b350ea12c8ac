"""Carrier tracking providers: one adapter per file behind :class:`TrackingProvider`.

The adapters are plain Python (no ORM), so they can be unit-tested against a local stand-in
server and reused by the webhook controller without touching the database. The registry maps
the provider code stored on ``delivery.carrier.b2b_tracking_provider`` to its class.
"""

from . import aftership, generic, kuaidi100, track17
from .base import (
    STATUSES,
    MalformedPayload,
    ProviderConfig,
    ProviderError,
    RateLimited,
    TrackingEvent,
    TrackingProvider,
    get_provider,
    provider_selection,
    register_provider,
)
