"""Adapters against payloads written from each provider's documented format and a local stand-in
HTTP server for their APIs (no internet)."""

import json
from datetime import datetime
from unittest.mock import patch
from urllib.parse import parse_qs

import requests

from odoo.tests import BaseCase, tagged

from ..providers import MalformedPayload, ProviderConfig, ProviderError, RateLimited, get_provider, provider_selection
from ..providers.kuaidi100 import md5_upper, state_status
from .common import LogisticsCommon
from .stand_in_server import StandInServer


@tagged("post_install", "-at_install")
class TestProviders(LogisticsCommon, BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = StandInServer().start()
        cls.addClassCleanup(cls.server.stop)

    def setUp(self):
        super().setUp()
        self.server.reset()

    def provider(self, code, **options):
        config = ProviderConfig(
            base_url=self.server.url,
            api_key=f"{code}-key",
            webhook_secret={
                "aftership": "aftership-secret",
                "kuaidi100": "kuaidi100-salt",
                "track17": "track17-security-key",
                "generic": "fleet-secret",
            }[code],
            carrier_code={"aftership": "sf-express", "kuaidi100": "shunfeng", "track17": "3011"}.get(code, ""),
            account="CUSTOMER1",
            callback_url="https://odoo.example.com/b2b_logistics/webhook/7",
            timeout=options.pop("timeout", 2.0),
            backoff=0.0,
            **options,
        )
        return get_provider(code, config)

    def test_registry(self):
        codes = [code for code, _label in provider_selection()]
        self.assertEqual(codes, ["aftership", "kuaidi100", "track17", "generic"])
        with self.assertRaises(ProviderError):
            get_provider("nope", ProviderConfig())

    # --- AfterShip -----------------------------------------------------------------------------
    def test_aftership_signature_and_mapping(self):
        provider = self.provider("aftership")
        body = self.aftership_payload(
            "SF1",
            [
                self.aftership_checkpoint(datetime(2025, 3, 1, 1), "InfoReceived", "Label created"),
                self.aftership_checkpoint(datetime(2025, 3, 1, 9), "Exception", "Returned", subtag="Exception_011"),
            ],
        )
        self.assertTrue(provider.verify_webhook({"aftership-hmac-sha256": self.aftership_signature(body)}, body, {}))
        self.assertFalse(
            provider.verify_webhook({"aftership-hmac-sha256": self.aftership_signature(body, "x")}, body, {})
        )
        self.assertFalse(provider.verify_webhook({}, body, {}))
        events = provider.parse_webhook({}, body, {})
        self.assertEqual([e.status for e in events], ["info_received", "returned"])
        self.assertEqual(events[0].location, "Shenzhen, Guangdong, CN")
        with self.assertRaises(MalformedPayload):
            provider.parse_webhook({}, b'{"event": "tracking_update"}', {})
        with self.assertRaises(MalformedPayload):
            provider.parse_webhook({}, b"\xff\xfe", {})

    def test_aftership_expired_without_checkpoint(self):
        provider = self.provider("aftership")
        body = self.aftership_payload(
            "SF2", [self.aftership_checkpoint(datetime(2025, 3, 1, 1), "InTransit", "Moving")], tag="Expired"
        )
        events = provider.parse_webhook({}, body, {})
        self.assertEqual(events[-1].status, "expired")
        self.assertEqual(events[-1].event_time, datetime(2025, 3, 1, 1))

    def test_aftership_api(self):
        provider = self.provider("aftership")
        self.server.route("POST", "/trackings", (201, {"meta": {"code": 201}, "data": {"tracking_number": "SF1"}}))
        self.assertEqual(provider.register(["SF1"]), {"SF1": ""})
        call = self.server.calls("/trackings")[0]
        self.assertEqual(call["headers"]["as-api-key"], "aftership-key")
        self.assertEqual(json.loads(call["body"]), {"tracking_number": "SF1", "slug": "sf-express"})
        # Already existing tracking: AfterShip answers 400 with meta.code 4003 → fine.
        self.server.route("POST", "/trackings", (400, {"meta": {"code": 4003, "message": "Tracking already exists."}}))
        self.assertEqual(provider.register(["SF1"]), {"SF1": ""})
        self.server.route("POST", "/trackings", (400, {"meta": {"code": 4005, "message": "Invalid tracking number"}}))
        self.assertEqual(provider.register(["BAD"]), {"BAD": "Invalid tracking number"})
        tracking = json.loads(
            self.aftership_payload("SF1", [self.aftership_checkpoint(datetime(2025, 3, 1, 1), "InTransit", "x")])
        )["msg"]
        self.server.route("GET", "/trackings", (200, {"meta": {"code": 200}, "data": {"trackings": [tracking]}}))
        result = provider.fetch(["SF1", "SF9"])
        self.assertEqual(list(result), ["SF1"])
        self.assertIn("tracking_numbers=SF1%2CSF9", self.server.calls("/trackings")[-1]["query"])

    # --- Kuaidi100 -------------------------------------------------------------------------------
    def test_kuaidi100_state_codes(self):
        expected = {
            "0": "in_transit",
            "1": "in_transit",
            "2": "exception",
            "3": "delivered",
            "4": "returned",
            "5": "out_for_delivery",
            "6": "returned",
            "14": "exception",
            "101": "info_received",
            "1001": "in_transit",
            "301": "delivered",
            "501": "out_for_delivery",
            "204": "failed_attempt",
            "1401": "exception",
        }
        for code, status in expected.items():
            self.assertEqual(state_status(code), status, code)
        self.assertIsNone(state_status("99"))

    def test_kuaidi100_signature_and_parse(self):
        provider = self.provider("kuaidi100")
        param = self.kuaidi100_param("SF9", "5", [self.kuaidi100_checkpoint("2025-03-02 08:00:00", "派件中", "派件")])
        sign = self.kuaidi100_sign(param)
        self.assertEqual(sign, sign.upper())
        self.assertTrue(provider.verify_webhook({}, b"", {"param": param, "sign": sign}))
        self.assertTrue(provider.verify_webhook({}, b"", {"param": param, "sign": sign.lower()}))
        self.assertFalse(provider.verify_webhook({}, b"", {"param": param + " ", "sign": sign}))
        self.assertFalse(provider.verify_webhook({}, b"", {"param": param}))
        events = provider.parse_webhook({}, b"", {"param": param, "sign": sign})
        self.assertEqual(events[0].status, "out_for_delivery")
        self.assertEqual(events[0].event_time, datetime(2025, 3, 2, 0, 0))
        self.assertEqual((events[0].latitude, events[0].longitude), (31.23, 121.47))
        with self.assertRaises(MalformedPayload):
            provider.parse_webhook({}, b"", {"param": '{"status": "polling"}'})
        with self.assertRaises(MalformedPayload):
            provider.parse_webhook({}, b"", {"param": "{bad"})
        content_type, ack = provider.webhook_ack()
        self.assertEqual(json.loads(ack), {"result": True, "returnCode": "200", "message": "成功"})

    def test_kuaidi100_api(self):
        provider = self.provider("kuaidi100")
        self.server.route("POST", "/poll", (200, {"result": True, "returnCode": "200", "message": "提交成功"}))
        self.assertEqual(provider.register(["SF9"]), {"SF9": ""})
        form = parse_qs(self.server.calls("/poll")[0]["body"].decode())
        self.assertEqual(form["schema"], ["json"])
        param = json.loads(form["param"][0])
        self.assertEqual(param["company"], "shunfeng")
        self.assertEqual(param["number"], "SF9")
        self.assertEqual(param["key"], "kuaidi100-key")
        self.assertEqual(param["parameters"]["salt"], "kuaidi100-salt")
        self.assertEqual(param["parameters"]["callbackurl"], "https://odoo.example.com/b2b_logistics/webhook/7")
        self.server.route("POST", "/poll", (200, {"result": False, "returnCode": "501", "message": "重复订阅"}))
        self.assertEqual(provider.register(["SF9"]), {"SF9": ""})
        self.server.route("POST", "/poll", (200, {"result": False, "returnCode": "700", "message": "不支持的快递公司"}))
        self.assertEqual(provider.register(["SF9"]), {"SF9": "不支持的快递公司"})

        query = {
            "message": "ok",
            "nu": "SF9",
            "ischeck": "1",
            "com": "shunfeng",
            "status": "200",
            "state": "3",
            "data": [self.kuaidi100_checkpoint("2025-03-02 10:00:00", "已签收", "签收")],
        }
        self.server.route("POST", "/poll/query.do", (200, query))
        result = provider.fetch(["SF9"])
        self.assertEqual(result["SF9"][0].status, "delivered")
        form = parse_qs(self.server.calls("/poll/query.do")[0]["body"].decode())
        self.assertEqual(form["customer"], ["CUSTOMER1"])
        self.assertEqual(form["sign"], [md5_upper(form["param"][0] + "kuaidi100-key" + "CUSTOMER1")])
        self.server.route(
            "POST", "/poll/query.do", (200, {"result": False, "returnCode": "500", "message": "查询无结果"})
        )
        self.assertEqual(provider.fetch(["SF9"]), {})

    # --- 17TRACK ---------------------------------------------------------------------------------
    def test_track17_api_and_webhook(self):
        provider = self.provider("track17")
        self.server.route(
            "POST",
            "/register",
            (
                200,
                {
                    "code": 0,
                    "data": {
                        "accepted": [{"number": "RR1", "carrier": 3011}],
                        "rejected": [
                            {"number": "RR2", "error": {"code": -18019901, "message": "registered"}},
                            {"number": "RR3", "error": {"code": -18010012, "message": "invalid"}},
                        ],
                    },
                },
            ),
        )
        self.assertEqual(provider.register(["RR1", "RR2", "RR3"]), {"RR1": "", "RR2": "", "RR3": "invalid"})
        call = self.server.calls("/register")[0]
        self.assertEqual(call["headers"]["17token"], "track17-key")
        self.assertEqual(json.loads(call["body"])[0], {"number": "RR1", "carrier": 3011})
        body = self.track17_payload(
            "RR1",
            "Exception",
            [self.track17_event(datetime(2025, 3, 2), "Exception", "Returned", "Exception_Returned")],
            sub_status="Exception_Returned",
        )
        info = json.loads(body)["data"]
        self.server.route("POST", "/gettrackinfo", (200, {"code": 0, "data": {"accepted": [info], "rejected": []}}))
        result = provider.fetch(["RR1"])
        self.assertEqual(result["RR1"][0].status, "returned")
        self.assertTrue(provider.verify_webhook({"sign": self.track17_sign(body)}, body, {}))
        self.assertFalse(provider.verify_webhook({"sign": self.track17_sign(body + b" ")}, body, {}))
        self.assertEqual(provider.parse_webhook({}, body, {})[0].status, "returned")
        stopped = json.dumps({"event": "TRACKING_STOPPED", "data": {"number": "RR1"}}).encode()
        self.assertEqual(provider.parse_webhook({}, stopped, {}), [])
        with self.assertRaises(MalformedPayload):
            provider.parse_webhook({}, json.dumps({"event": "OTHER", "data": {}}).encode(), {})
        self.server.route("POST", "/gettrackinfo", (200, {"code": -18010002, "data": {}}))
        with self.assertRaises(ProviderError):
            provider.fetch(["RR1"])

    # --- HTTP plumbing: retries, timeouts, rate limits ------------------------------------------------
    def test_retries_then_success(self):
        provider = self.provider("track17", max_retries=2)
        self.server.route(
            "POST",
            "/gettrackinfo",
            (500, {"error": "boom"}),
            (502, b"bad gateway"),
            (200, {"code": 0, "data": {"accepted": [], "rejected": []}}),
        )
        self.assertEqual(provider.fetch(["RR1"]), {})
        self.assertEqual(len(self.server.calls("/gettrackinfo")), 3)

    def test_retries_exhausted(self):
        provider = self.provider("track17", max_retries=1)
        self.server.route("POST", "/gettrackinfo", (500, {"error": "boom"}))
        with self.assertRaisesRegex(ProviderError, "HTTP 500"):
            provider.fetch(["RR1"])
        self.assertEqual(len(self.server.calls("/gettrackinfo")), 2)

    def test_timeout(self):
        # Odoo's test framework raises every requests timeout to 10 s, so a slow stand-in cannot
        # show it: the transport raises the timeout the way requests does.
        provider = self.provider("track17", max_retries=1, timeout=0.2)
        with patch("requests.request", side_effect=requests.exceptions.ReadTimeout("read timed out")) as request:
            with self.assertRaisesRegex(ProviderError, "ReadTimeout"):
                provider.fetch(["RR1"])
        self.assertEqual(request.call_count, 2, "one retry")
        self.assertEqual(request.call_args.kwargs["timeout"], 0.2)

    def test_rate_limited_not_retried(self):
        provider = self.provider("aftership", max_retries=3)
        self.server.route("GET", "/trackings", (429, {"Retry-After": "42"}, {"meta": {"code": 429}}))
        with self.assertRaises(RateLimited) as caught:
            provider.fetch(["SF1"])
        self.assertEqual(caught.exception.retry_after, 42.0)
        self.assertEqual(len(self.server.calls("/trackings")), 1)

    def test_generic_parse(self):
        provider = self.provider("generic")
        body = self.generic_body(
            events=[
                {
                    "tracking_number": "F1",
                    "status": "delivered",
                    "time": "2025-03-01T14:05:00+08:00",
                    "proof_of_delivery": {"signed_by": "Wang", "image_base64": "aGVsbG8="},
                }
            ],
            positions=[{"tracking_number": "F1", "time": "2025-03-01T05:00:00Z", "latitude": 1, "longitude": 2}],
        )
        events = provider.parse_webhook({}, body, {})
        self.assertEqual(events[0].event_time, datetime(2025, 3, 1, 6, 5))
        self.assertEqual(events[0].pod["signed_by"], "Wang")
        self.assertNotIn("proof_of_delivery", events[0].raw)
        self.assertIsNone(events[1].status)
        self.assertNotEqual(events[0].dedup_key(1), events[1].dedup_key(1))
        self.assertNotEqual(events[0].dedup_key(1), events[0].dedup_key(2))
        self.assertFalse(provider.can_poll)
