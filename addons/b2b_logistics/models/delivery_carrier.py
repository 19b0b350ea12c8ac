import logging
import time
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..providers import ProviderConfig, ProviderError, RateLimited, get_provider, provider_selection

_logger = logging.getLogger(__name__)

DEFAULT_BASE_URLS = {
    "aftership": "https://api.aftership.com/tracking/2024-10",
    "kuaidi100": "https://poll.kuaidi100.com",
    "track17": "https://api.17track.net/track/v2.2",
    "generic": "",
}
# Longest we wait in-process for the next rate-limit slot before leaving the rest to the next run.
MAX_RATE_WAIT = 5.0


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    b2b_tracking_provider = fields.Selection(
        selection=lambda self: provider_selection(),
        string="Tracking Provider",
        help="Platform that reports the status of this carrier's parcels (webhooks and polling).",
    )
    b2b_provider_base_url = fields.Char(
        "Provider API URL",
        help="Base URL of the provider's API; leave empty for the provider's public endpoint.",
    )
    b2b_provider_api_key = fields.Char("Provider API Key", groups="base.group_system", copy=False)
    b2b_provider_account = fields.Char(
        "Provider Account",
        groups="base.group_system",
        copy=False,
        help="Customer id where the provider needs one (Kuaidi100 real-time query 'customer').",
    )
    b2b_webhook_secret = fields.Char(
        "Webhook Secret",
        groups="base.group_system",
        copy=False,
        help="Secret that signs the provider's webhooks (AfterShip webhook secret, Kuaidi100 salt, "
        "17TRACK security key, HMAC key of the generic webhook).",
    )
    b2b_provider_carrier_code = fields.Char(
        "Provider Carrier Code",
        help="The carrier's code at the provider: AfterShip slug, Kuaidi100 company code (e.g. shunfeng), "
        "17TRACK carrier number.",
    )
    b2b_webhook_url = fields.Char("Webhook URL", compute="_compute_b2b_webhook_url")
    b2b_poll_interval = fields.Integer(
        "Polling Interval (minutes)", default=240, help="How often an active shipment is refreshed through the API."
    )
    b2b_rate_limit = fields.Integer(
        "API Calls per Minute", default=60, help="Requests this carrier's provider account may make per minute."
    )
    b2b_next_request_at = fields.Datetime("Next API Slot", readonly=True, copy=False)
    b2b_rate_limited_until = fields.Datetime("Rate Limited Until", readonly=True, copy=False)
    b2b_service_level = fields.Selection(
        [("economy", "Economy"), ("standard", "Standard"), ("express", "Express")],
        string="Service Level",
        default="standard",
    )
    b2b_transit_days = fields.Integer("Transit Days", default=3, help="Typical door-to-door delay, in days.")
    b2b_min_order_amount = fields.Float(
        "Min. Order Amount",
        digits="Product Price",
        help="Orders below this untaxed amount (company currency) cannot use this method.",
    )
    b2b_max_order_amount = fields.Float(
        "Max. Order Amount",
        digits="Product Price",
        help="Orders above this untaxed amount (company currency) cannot use this method; 0 means no limit.",
    )

    @api.depends("b2b_tracking_provider")
    def _compute_b2b_webhook_url(self):
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for carrier in self:
            carrier.b2b_webhook_url = (
                f"{base_url}/b2b_logistics/webhook/{carrier.id}"
                if carrier.id and carrier.b2b_tracking_provider
                else False
            )

    # --- provider access ---------------------------------------------------------------------------
    def _b2b_provider(self):
        """The adapter of this carrier, configured with its (sudo-read) credentials."""
        self.ensure_one()
        if not self.b2b_tracking_provider:
            raise UserError(_("Delivery method %(name)s has no tracking provider.", name=self.name))
        carrier = self.sudo()
        config = ProviderConfig(
            base_url=carrier.b2b_provider_base_url or DEFAULT_BASE_URLS.get(carrier.b2b_tracking_provider, ""),
            api_key=carrier.b2b_provider_api_key or "",
            webhook_secret=carrier.b2b_webhook_secret or "",
            carrier_code=carrier.b2b_provider_carrier_code or "",
            account=carrier.b2b_provider_account or "",
            callback_url=carrier.b2b_webhook_url or "",
            **self.env.context.get("b2b_provider_options", {}),
        )
        return get_provider(carrier.b2b_tracking_provider, config)

    def _b2b_wait_for_slot(self):
        """Per-carrier rate limit (minimum interval between API calls). Returns False when the
        next slot is too far away: the caller stops and leaves the rest to the next cron run."""
        self.ensure_one()
        now = fields.Datetime.now()
        if self.b2b_rate_limited_until and self.b2b_rate_limited_until > now:
            return False
        if self.b2b_next_request_at and self.b2b_next_request_at > now:
            wait = (self.b2b_next_request_at - now).total_seconds()
            if wait > MAX_RATE_WAIT:
                return False
            time.sleep(wait)
        interval = 60.0 / max(self.b2b_rate_limit, 1)
        self.b2b_next_request_at = fields.Datetime.now() + timedelta(seconds=interval)
        return True

    def _b2b_poll_shipments(self, shipments):
        """Register and refresh ``shipments`` of this carrier through its provider API, in
        batches, honouring the rate limit; failures back off per shipment."""
        self.ensure_one()
        provider = self._b2b_provider()
        if not provider.can_poll:
            shipments.write({"next_poll_at": False})
            return 0
        done = 0
        batch_size = max(provider.batch_size, 1)
        for start in range(0, len(shipments), batch_size):
            batch = shipments[start : start + batch_size]
            if not self._b2b_wait_for_slot():
                break
            try:
                unregistered = batch.filtered(lambda shipment: not shipment.registered)
                if unregistered:
                    errors = provider.register(unregistered.mapped("name"))
                    for shipment in unregistered:
                        error = errors.get(shipment.name)
                        shipment.write({"registered": error == "", "register_error": error or False})
                    if not self._b2b_wait_for_slot():
                        break
                results = provider.fetch(batch.mapped("name"))
            except RateLimited as exc:
                _logger.warning("%s: %s, pausing %ss", self.name, exc, exc.retry_after)
                self.b2b_rate_limited_until = fields.Datetime.now() + timedelta(seconds=exc.retry_after)
                break
            except ProviderError as exc:
                _logger.warning("%s: polling %s shipments failed: %s", self.name, len(batch), exc)
                batch._b2b_poll_failed(str(exc))
                done += len(batch)
                continue
            events = [event for number_events in results.values() for event in number_events]
            self.env["b2b.shipment.event"]._b2b_insert_events(self, events, source="poll")
            batch._b2b_poll_succeeded()
            batch._b2b_apply_events()
            done += len(batch)
        return done
