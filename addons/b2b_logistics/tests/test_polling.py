from datetime import datetime, timedelta
from unittest.mock import patch

import requests

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .common import LogisticsCommon
from .stand_in_server import StandInServer


@tagged("post_install", "-at_install")
class TestPolling(LogisticsCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = StandInServer().start()
        cls.addClassCleanup(cls.server.stop)
        cls._setup_logistics(base_url=cls.server.url)
        cls.carrier = cls.carriers["track17"]
        cls.order, cls.picking = cls._ship_order(cls.carrier, ["P1", "P2", "P3"])
        cls.shipments = cls.picking.b2b_shipment_ids
        # Demo shipments (if any) must not be polled by these tests.
        cls.env["b2b.shipment"].search([("id", "not in", cls.shipments.ids)]).write({"next_poll_at": False})
        cls.env = cls.env(context=dict(cls.env.context, b2b_provider_options={"backoff": 0.0, "timeout": 0.5}))

    def setUp(self):
        super().setUp()
        self.server.reset()
        accepted = [{"number": number, "carrier": 3011} for number in ("P1", "P2", "P3")]
        self.server.route("POST", "/register", (200, {"code": 0, "data": {"accepted": accepted, "rejected": []}}))

    def _info(self, number, status, when):
        body = self.track17_payload(number, status, [self.track17_event(when, status, f"{status} {number}")])
        import json

        return json.loads(body)["data"]

    def _due(self):
        self.shipments.write({"next_poll_at": fields.Datetime.now() - timedelta(minutes=1)})

    def test_poll_success_registers_and_updates(self):
        self._due()
        when = datetime(2025, 3, 2, 6)
        self.server.route(
            "POST",
            "/gettrackinfo",
            (
                200,
                {
                    "code": 0,
                    "data": {
                        "accepted": [self._info("P1", "Delivered", when), self._info("P2", "InTransit", when)],
                        "rejected": [],
                    },
                },
            ),
        )
        self.env["b2b.shipment"]._cron_poll_shipments()
        self.assertEqual(len(self.server.calls("/register")), 1, "unregistered numbers are registered first")
        self.assertEqual(len(self.server.calls("/gettrackinfo")), 1, "one batched call for three numbers")
        p1, p2, p3 = (self.shipments.filtered(lambda s, n=n: s.name == n) for n in ("P1", "P2", "P3"))
        self.assertEqual(p1.state, "delivered")
        self.assertFalse(p1.next_poll_at, "delivered shipments stop being polled")
        self.assertEqual(p2.state, "in_transit")
        self.assertGreater(p2.next_poll_at, fields.Datetime.now() + timedelta(minutes=200))
        self.assertTrue(p3.registered)
        self.assertEqual(p1.event_ids.source, "poll")
        # Next run: the delivered one is not asked for any more.
        self._due()
        p1.next_poll_at = False
        self.server.reset()
        self.server.route("POST", "/gettrackinfo", (200, {"code": 0, "data": {"accepted": [], "rejected": []}}))
        self.env["b2b.shipment"]._cron_poll_shipments()
        import json

        asked = [item["number"] for item in json.loads(self.server.calls("/gettrackinfo")[0]["body"])]
        self.assertEqual(sorted(asked), ["P2", "P3"])

    def test_poll_server_errors_back_off(self):
        self._due()
        self.shipments.write({"registered": True})
        self.server.route("POST", "/gettrackinfo", (500, {"error": "down"}))
        self.env["b2b.shipment"]._cron_poll_shipments()
        self.assertEqual(len(self.server.calls("/gettrackinfo")), 4, "1 call + 3 retries")
        first = self.shipments[0]
        self.assertEqual(first.poll_failures, 1)
        self.assertIn("HTTP 500", first.last_poll_error)
        delay1 = first.next_poll_at - fields.Datetime.now()
        self._due()
        self.env["b2b.shipment"]._cron_poll_shipments()
        self.assertEqual(first.poll_failures, 2)
        delay2 = first.next_poll_at - fields.Datetime.now()
        self.assertGreater(delay2, delay1 + timedelta(minutes=3), "exponential backoff")
        # Recovery resets the counter.
        self._due()
        self.server.route("POST", "/gettrackinfo", (200, {"code": 0, "data": {"accepted": [], "rejected": []}}))
        self.env["b2b.shipment"]._cron_poll_shipments()
        self.assertEqual(first.poll_failures, 0)

    def test_poll_timeout(self):
        self._due()
        self.shipments.write({"registered": True})
        self.carrier.b2b_provider_base_url = self.server.url
        self.env = self.env(
            context=dict(self.env.context, b2b_provider_options={"backoff": 0.0, "timeout": 0.2, "max_retries": 0})
        )
        with patch("requests.request", side_effect=requests.exceptions.ConnectTimeout("timed out")) as request:
            self.env["b2b.shipment"]._cron_poll_shipments()
        self.assertEqual(request.call_args.kwargs["timeout"], 0.2)
        self.assertIn("Timeout", self.shipments[0].last_poll_error)
        self.assertEqual(self.shipments[0].poll_failures, 1)

    def test_rate_limit_429_pauses_carrier(self):
        self._due()
        self.shipments.write({"registered": True})
        self.server.route("POST", "/gettrackinfo", (429, {"Retry-After": "120"}, {"code": 429}))
        self.env["b2b.shipment"]._cron_poll_shipments()
        self.assertEqual(len(self.server.calls("/gettrackinfo")), 1, "429 is not hammered")
        self.assertGreater(self.carrier.b2b_rate_limited_until, fields.Datetime.now() + timedelta(seconds=100))
        self.assertEqual(self.shipments[0].poll_failures, 0, "rate limiting is not a shipment failure")
        self.env["b2b.shipment"]._cron_poll_shipments()
        self.assertEqual(len(self.server.calls("/gettrackinfo")), 1, "paused until Retry-After")

    def test_min_interval_between_calls(self):
        """Per-carrier rate limit: with 1 call/minute, the second batch waits for the next run."""
        self._due()
        self.shipments.write({"registered": True})
        aftership = self.carriers["aftership"]
        aftership.b2b_rate_limit = 1
        self.shipments.write({"carrier_id": aftership.id})
        self.server.route("GET", "/trackings", (200, {"meta": {"code": 200}, "data": {"trackings": []}}))
        # AfterShip batches 50 numbers: force two batches with a tiny batch size.
        from ..providers.aftership import AfterShipProvider

        self.patch(AfterShipProvider, "batch_size", 2)
        self.env["b2b.shipment"]._cron_poll_shipments()
        self.assertEqual(len(self.server.calls("/trackings")), 1)
        self.assertGreater(aftership.b2b_next_request_at, fields.Datetime.now() + timedelta(seconds=50))
        self.assertEqual(len(self.shipments.filtered("last_poll_at")), 2)

    def test_generic_carrier_never_polled(self):
        order, picking = self._ship_order(self.carriers["generic"], ["G1"])
        picking.b2b_shipment_ids.next_poll_at = fields.Datetime.now() - timedelta(minutes=1)
        self.shipments.write({"next_poll_at": False})
        self.env["b2b.shipment"]._cron_poll_shipments()
        self.assertFalse(picking.b2b_shipment_ids.next_poll_at)
        self.assertFalse(self.server.calls())
