import json
from datetime import datetime
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from ..controllers import main as webhook_controller
from ..models import b2b_shipment_event as event_module
from .common import LogisticsCommon, iso


@tagged("post_install", "-at_install")
class TestWebhook(LogisticsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_logistics()
        cls.order, cls.picking = cls._ship_order(cls.carriers["generic"], ["FLEET-1", "FLEET-2"])
        cls.as_order, cls.as_picking = cls._ship_order(cls.carriers["aftership"], ["SF1001"])
        cls.kd_order, cls.kd_picking = cls._ship_order(cls.carriers["kuaidi100"], ["SF2002"])
        cls.t17_order, cls.t17_picking = cls._ship_order(cls.carriers["track17"], ["RR123456789CN"])

    def _post(self, carrier, body, headers=None, content_type="application/json"):
        return self.url_open(
            f"/b2b_logistics/webhook/{carrier.id}",
            data=body,
            headers={"Content-Type": content_type, **(headers or {})},
        )

    def _post_generic(self, body, signature=None):
        return self._post(self.carriers["generic"], body, {"X-B2B-Signature": signature or self.generic_sign(body)})

    def _events(self, number):
        shipment = self.env["b2b.shipment"].search([("name", "=", number)])
        return self.env["b2b.shipment.event"].search([("shipment_id", "=", shipment.id)])

    def _shipment(self, number):
        return self.env["b2b.shipment"].search([("name", "=", number)])

    def test_generic_valid_signature_stores_and_cron_applies(self):
        body = self.generic_body(
            events=[
                {
                    "tracking_number": "FLEET-1",
                    "status": "in_transit",
                    "time": "2025-03-01T02:00:00Z",
                    "description": "Left depot",
                    "location": "Hangzhou",
                    "latitude": 30.27,
                    "longitude": 120.15,
                }
            ]
        )
        response = self._post_generic(body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
        events = self._events("FLEET-1")
        self.assertEqual(len(events), 1)
        self.assertFalse(events.processed, "heavy work is deferred to the cron")
        self.assertEqual(events.source, "webhook")
        self.assertEqual(self._shipment("FLEET-1").state, "pending")
        self.env["b2b.shipment"]._cron_process_events()
        shipment = self._shipment("FLEET-1")
        self.assertEqual(shipment.state, "in_transit")
        self.assertAlmostEqual(shipment.latitude, 30.27)
        self.assertTrue(events.processed)

    def test_webhook_wakes_processing_cron(self):
        cron = self.env.ref("b2b_logistics.ir_cron_process_shipment_events")
        webhook_controller._last_trigger.clear()
        body = self.generic_body(
            events=[{"tracking_number": "FLEET-2", "status": "info_received", "time": "2025-03-01T01:00:00Z"}]
        )
        self._post_generic(body)
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))

    def test_invalid_signature_rejected_before_storing(self):
        body = self.generic_body(
            events=[{"tracking_number": "FLEET-1", "status": "delivered", "time": "2025-03-01T02:00:00Z"}]
        )
        for signature in ("sha256=" + "0" * 64, "", self.generic_sign(body, "wrong-secret")):
            response = self._post(self.carriers["generic"], body, {"X-B2B-Signature": signature} if signature else {})
            self.assertEqual(response.status_code, 401)
        # A body altered after signing is rejected too.
        tampered = body.replace(b"delivered", b"returned_")
        self.assertEqual(self._post_generic(tampered, self.generic_sign(body)).status_code, 401)
        self.assertFalse(self._events("FLEET-1"))

    def test_replay_is_stored_once(self):
        body = self.generic_body(
            events=[{"tracking_number": "FLEET-1", "status": "in_transit", "time": "2025-03-01T02:00:00Z"}]
        )
        for _attempt in range(3):
            self.assertEqual(self._post_generic(body).status_code, 200)
        self.assertEqual(len(self._events("FLEET-1")), 1)

    def test_out_of_order_status_follows_event_time(self):
        delivered = self.generic_body(
            events=[
                {
                    "tracking_number": "FLEET-1",
                    "status": "delivered",
                    "time": "2025-03-02T09:00:00Z",
                    "proof_of_delivery": {
                        "signed_by": "Wang Li",
                        "time": "2025-03-02T09:00:00Z",
                        "location": "Gate 2",
                        "image_base64": "iVBORw0KGgo=",
                    },
                }
            ]
        )
        transit = self.generic_body(
            events=[{"tracking_number": "FLEET-1", "status": "in_transit", "time": "2025-03-01T02:00:00Z"}]
        )
        self._post_generic(delivered)
        self.env["b2b.shipment"]._cron_process_events()
        self._post_generic(transit)  # older event arriving late
        self.env["b2b.shipment"]._cron_process_events()
        shipment = self._shipment("FLEET-1")
        self.assertEqual(shipment.state, "delivered")
        self.assertEqual(shipment.pod_signed_by, "Wang Li")
        self.assertTrue(shipment.pod_image)
        self.assertEqual(len(shipment.event_ids), 2)
        self.assertFalse(shipment.next_poll_at, "a delivered shipment is not polled any more")
        self.assertNotIn("image", shipment.event_ids.filtered("pod_data").pod_data)

    def test_vehicle_position_update(self):
        body = self.generic_body(
            positions=[
                {
                    "vehicle_id": "TRUCK-7",
                    "tracking_numbers": ["FLEET-1", "FLEET-2"],
                    "time": "2025-03-01T10:00:00Z",
                    "latitude": 30.25,
                    "longitude": 120.17,
                }
            ]
        )
        self.assertEqual(self._post_generic(body).status_code, 200)
        self.env["b2b.shipment"]._cron_process_events()
        for number in ("FLEET-1", "FLEET-2"):
            shipment = self._shipment(number)
            self.assertAlmostEqual(shipment.longitude, 120.17)
            self.assertEqual(shipment.position_time, datetime(2025, 3, 1, 10, 0))
            self.assertEqual(shipment.state, "pending", "a position does not change the status")

    def test_malformed_bodies(self):
        cases = [
            b"{not json",
            b"[]",
            json.dumps(
                {"events": [{"tracking_number": "FLEET-1", "status": "flying", "time": "2025-03-01T00:00:00Z"}]}
            ).encode(),
            json.dumps(
                {"events": [{"tracking_number": "FLEET-1", "status": "delivered", "time": "yesterday"}]}
            ).encode(),
            json.dumps({"events": []}).encode(),
            json.dumps({"positions": [{"tracking_number": "FLEET-1", "time": "2025-03-01T00:00:00Z"}]}).encode(),
        ]
        for body in cases:
            response = self._post_generic(body)
            self.assertEqual(response.status_code, 400, body)
        self.assertFalse(self._events("FLEET-1"))

    def test_oversize_body(self):
        body = json.dumps({"events": [], "padding": "x" * (300 * 1024)}).encode()
        response = self._post_generic(body)
        self.assertEqual(response.status_code, 413)

    def test_oversize_form_body(self):
        param = "x" * (300 * 1024)
        response = self._post(
            self.carriers["kuaidi100"],
            {"param": param, "sign": self.kuaidi100_sign(param)},
            content_type="application/x-www-form-urlencoded",
        )
        self.assertEqual(response.status_code, 413)

    def test_unknown_number_answers_ok_and_stores_nothing(self):
        body = self.generic_body(
            events=[{"tracking_number": "NOT-OURS", "status": "in_transit", "time": "2025-03-01T02:00:00Z"}]
        )
        with patch.object(event_module._logger, "info") as log_info:
            response = self._post_generic(body)
        self.assertEqual(response.status_code, 200)
        self.assertIn(["NOT-OURS"], log_info.call_args.args)
        self.assertFalse(
            self.env["b2b.shipment.event"].search([("raw_payload", "!=", False), ("description", "=", "NOT-OURS")])
        )

    def test_unknown_carrier_endpoint(self):
        response = self.url_open(
            "/b2b_logistics/webhook/999999", data=b"{}", headers={"Content-Type": "application/json"}
        )
        self.assertEqual(response.status_code, 404)

    def test_aftership_webhook(self):
        t1, t2 = datetime(2025, 3, 1, 1, 0), datetime(2025, 3, 1, 8, 30)
        body = self.aftership_payload(
            "SF1001",
            [
                self.aftership_checkpoint(t1, "InTransit", "Picked up"),
                self.aftership_checkpoint(t2, "OutForDelivery", "Out for delivery", city="Guangzhou"),
            ],
        )
        bad = self._post(
            self.carriers["aftership"], body, {"aftership-hmac-sha256": self.aftership_signature(body, "x")}
        )
        self.assertEqual(bad.status_code, 401)
        response = self._post(
            self.carriers["aftership"], body, {"aftership-hmac-sha256": self.aftership_signature(body)}
        )
        self.assertEqual(response.status_code, 200)
        self.env["b2b.shipment"]._cron_process_events()
        shipment = self._shipment("SF1001")
        self.assertEqual(shipment.state, "out_for_delivery")
        self.assertEqual(shipment.status_time, t2)
        self.assertEqual(shipment.eta, datetime(2025, 3, 5, 10, 0))
        self.assertEqual(len(shipment.event_ids), 2)

    def test_kuaidi100_callback(self):
        param = self.kuaidi100_param(
            "SF2002",
            "3",
            [
                self.kuaidi100_checkpoint("2025-03-02 10:15:00", "已签收, 签收人: 本人", "签收", code="301"),
                self.kuaidi100_checkpoint("2025-03-02 08:00:00", "派件员正在派件", "派件", code="5"),
                self.kuaidi100_checkpoint("2025-03-01 20:00:00", "到达上海分拨中心", "在途", code="1001"),
            ],
        )
        bad = self._post(
            self.carriers["kuaidi100"],
            {"param": param, "sign": self.kuaidi100_sign(param, "bad")},
            content_type="application/x-www-form-urlencoded",
        )
        self.assertEqual(bad.status_code, 401)
        response = self._post(
            self.carriers["kuaidi100"],
            {"param": param, "sign": self.kuaidi100_sign(param)},
            content_type="application/x-www-form-urlencoded",
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"result": True, "returnCode": "200", "message": "成功"})
        self.env["b2b.shipment"]._cron_process_events()
        shipment = self._shipment("SF2002")
        self.assertEqual(shipment.state, "delivered")
        self.assertEqual(shipment.status_time, datetime(2025, 3, 2, 2, 15), "China time converted to UTC")
        self.assertAlmostEqual(shipment.latitude, 31.23)
        # Kuaidi100 pushes the whole history each time: a second push adds only the new part.
        response = self._post(
            self.carriers["kuaidi100"],
            {"param": param, "sign": self.kuaidi100_sign(param)},
            content_type="application/x-www-form-urlencoded",
        )
        self.assertEqual(len(shipment.event_ids), 3)

    def test_track17_webhook(self):
        events = [
            self.track17_event(datetime(2025, 3, 3, 6, 0), "Delivered", "Delivered", lat=39.9, lng=116.4),
            self.track17_event(datetime(2025, 3, 2, 6, 0), "InTransit", "Arrived at facility"),
        ]
        body = self.track17_payload("RR123456789CN", "Delivered", events)
        self.assertEqual(
            self._post(self.carriers["track17"], body, {"sign": self.track17_sign(body, "wrong")}).status_code, 401
        )
        response = self._post(self.carriers["track17"], body, {"sign": self.track17_sign(body)})
        self.assertEqual(response.status_code, 200)
        self.env["b2b.shipment"]._cron_process_events()
        shipment = self._shipment("RR123456789CN")
        self.assertEqual(shipment.state, "delivered")
        self.assertAlmostEqual(shipment.latitude, 39.9)
        self.assertEqual(shipment.eta, datetime(2025, 3, 5))

    def test_trigger_throttled(self):
        webhook_controller._last_trigger.clear()
        with patch.object(type(self.env["ir.cron"]), "_trigger", autospec=True) as trigger:
            for minute in range(3):
                body = self.generic_body(
                    events=[
                        {
                            "tracking_number": "FLEET-2",
                            "status": "in_transit",
                            "time": iso(datetime(2025, 3, 1, 3, minute)),
                        }
                    ]
                )
                self._post_generic(body)
        self.assertEqual(trigger.call_count, 1)
