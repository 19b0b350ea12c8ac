from datetime import datetime, timedelta

from odoo.tests import TransactionCase, tagged

from ..models.b2b_shipment import SHIPMENT_STATES
from ..providers import TrackingEvent
from .common import LogisticsCommon


@tagged("post_install", "-at_install")
class TestShipment(LogisticsCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_logistics()
        cls.carrier = cls.carriers["generic"]

    def _push(self, number, status, when, **kwargs):
        event = TrackingEvent(tracking_number=number, event_time=when, status=status, **kwargs)
        return self.env["b2b.shipment.event"]._b2b_insert_events(self.carrier, [event])

    def _messages(self, order):
        return order.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.dealer_contact in m.partner_ids
        )

    def test_multi_package_tracking_numbers(self):
        order, picking = self._ship_order(self.carrier, ["PKG-1", "PKG-2"])
        self.assertEqual(sorted(picking.b2b_shipment_ids.mapped("name")), ["PKG-1", "PKG-2"])
        self.assertEqual(order.b2b_shipment_ids, picking.b2b_shipment_ids)
        picking.carrier_tracking_ref = "PKG-1; PKG-2 PKG-3"
        self.assertEqual(len(picking.b2b_shipment_ids), 3, "existing numbers are kept, new ones added")
        self.assertEqual(picking.b2b_shipment_ids.commercial_partner_id, self.dealer)

    def test_insert_is_idempotent_and_unknown_numbers_reported(self):
        self._ship_order(self.carrier, ["IDEM-1"])
        when = datetime(2025, 3, 1, 10)
        first = self._push("IDEM-1", "in_transit", when, description="Left depot")
        second = self._push("IDEM-1", "in_transit", when, description="Left depot")
        self.assertEqual((first["inserted"], second["inserted"], second["duplicates"]), (1, 0, 1))
        result = self._push("UNKNOWN-9", "in_transit", when)
        self.assertEqual(result, {"inserted": 0, "duplicates": 0, "unknown": ["UNKNOWN-9"]})

    def test_status_aggregation_and_timeline(self):
        order = self._create_order(carrier=self.carrier)
        self.assertEqual(order.b2b_logistics_state, "submitted")
        order.action_confirm()
        picking = order.picking_ids
        self.assertIn(order.b2b_logistics_state, ("approved", "picking"))
        picking.action_assign()
        self.assertEqual(order.b2b_logistics_state, "picking")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True)._action_done()
        self.assertEqual(order.b2b_logistics_state, "shipped")
        self.assertTrue(
            self._messages(order).filtered(lambda m: "shipped" in (m.subject or "")), "shipped notification"
        )
        picking.carrier_tracking_ref = "AGG-1,AGG-2"
        base = datetime(2025, 3, 1, 8)
        self._push("AGG-1", "in_transit", base)
        self._push("AGG-2", "info_received", base)
        order.b2b_shipment_ids._b2b_apply_events()
        self.assertEqual(order.b2b_logistics_state, "in_transit")
        self._push("AGG-1", "delivered", base + timedelta(days=1))
        order.b2b_shipment_ids._b2b_apply_events()
        self.assertEqual(order.b2b_logistics_state, "in_transit", "one parcel is still on its way")
        self._push("AGG-2", "delivered", base + timedelta(days=1, hours=2))
        order.b2b_shipment_ids._b2b_apply_events()
        self.assertEqual(order.b2b_logistics_state, "delivered")
        steps = order._b2b_logistics_timeline()[order.id]
        self.assertEqual(
            [s["code"] for s in steps],
            ["submitted", "approved", "picking", "shipped", "in_transit", "delivered", "received"],
        )
        self.assertEqual([s["done"] for s in steps], [True] * 6 + [False])
        self.assertTrue(steps[5]["current"])
        self.assertEqual(steps[4]["date"], base)
        self.assertEqual(steps[5]["date"], base + timedelta(days=1, hours=2))
        self.assertIn("o_b2b_timeline", order.b2b_timeline_html)

    def test_problem_state_wins_and_notifications_once(self):
        order, picking = self._ship_order(self.carrier, ["NOTE-1"])
        shipment = picking.b2b_shipment_ids
        base = datetime(2025, 3, 1, 8)
        before = len(self._messages(order))
        self._push("NOTE-1", "out_for_delivery", base, description="With courier")
        shipment._b2b_apply_events()
        self._push("NOTE-1", "failed_attempt", base + timedelta(hours=3), description="Nobody home")
        shipment._b2b_apply_events()
        self.assertEqual(order.b2b_logistics_state, "exception")
        messages = self._messages(order)
        self.assertEqual(len(messages) - before, 2)
        self.assertIn("out for delivery", messages[1].subject)
        self.assertIn("delivery problem", messages[0].subject)
        self.assertIn("Nobody home", messages[0].body)
        # Re-applying or an older event does not notify again.
        self._push("NOTE-1", "out_for_delivery", base - timedelta(hours=1), description="Earlier")
        shipment._b2b_apply_events()
        self.assertEqual(shipment.state, "failed_attempt")
        self.assertEqual(len(self._messages(order)) - before, 2)
        self._push("NOTE-1", "delivered", base + timedelta(days=1), pod={"signed_by": "Li Lei", "time": base})
        shipment._b2b_apply_events()
        self.assertEqual(shipment.state, "delivered")
        self.assertEqual(shipment.pod_signed_by, "Li Lei")
        self.assertEqual(order.b2b_logistics_state, "delivered")
        self.assertIn("delivered", self._messages(order)[0].subject)

    def test_notification_rendered_in_dealer_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.dealer_contact.lang = "zh_CN"
        order, picking = self._ship_order(self.carrier, ["LANG-1"])
        self._push("LANG-1", "delivered", datetime(2025, 3, 2))
        picking.b2b_shipment_ids._b2b_apply_events()
        self.assertTrue(self._messages(order).filtered(lambda m: "LANG-1" in (m.subject or "")))

    def test_cron_processes_in_batches(self):
        numbers = [f"BATCH-{i}" for i in range(5)]
        self._ship_order(self.carrier, numbers)
        for number in numbers:
            self._push(number, "in_transit", datetime(2025, 3, 1))
        Shipment = self.env["b2b.shipment"]
        self.assertEqual(Shipment._cron_process_events(limit=2), 2)
        self.assertEqual(Shipment._cron_process_events(limit=10), 3)
        self.assertEqual(Shipment._cron_process_events(limit=10), 0)
        self.assertEqual(set(Shipment.search([("name", "in", numbers)]).mapped("state")), {"in_transit"})

    def test_cancelled_order(self):
        order = self._create_order()
        order._action_cancel()
        self.assertEqual(order.b2b_logistics_state, "cancelled")


@tagged("post_install", "-at_install")
class TestShipmentDemo(TransactionCase):
    def test_demo_has_every_status_with_history(self):
        if not self.env.ref("b2b_logistics.carrier_own_fleet", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        demo = self.env["b2b.shipment"].search([("name", "=like", "DEMO%")])
        self.assertEqual(set(demo.mapped("state")), {code for code, _label in SHIPMENT_STATES})
        for shipment in demo:
            self.assertTrue(shipment.event_ids, shipment.name)
            self.assertFalse(shipment.next_poll_at, "demo shipments never call the real provider APIs")
