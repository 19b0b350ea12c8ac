import base64
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, tagged

from .common import PNG_1PX, LogisticsCommon


@tagged("post_install", "-at_install")
class TestDealerReceipt(LogisticsCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_logistics()
        cls.carrier = cls.carriers["generic"]
        cls.order, cls.picking = cls._ship_order(cls.carrier, ["RCV-1"])

    def test_portal_confirms_own_order(self):
        order = self.order.with_user(self.portal_user)
        self.assertTrue(order._b2b_confirm_receipt(note="All good"))
        self.assertEqual(self.order.b2b_logistics_state, "received")
        self.assertEqual(self.order.b2b_receipt_user_id, self.portal_user)
        self.assertEqual(self.order.b2b_receipt_note, "All good")
        self.assertFalse(self.order.b2b_shipment_ids.next_poll_at, "no more polling after receipt")
        first_date = self.order.b2b_receipt_date
        order._b2b_confirm_receipt()  # double click: idempotent
        self.assertEqual(self.order.b2b_receipt_date, first_date)
        steps = self.order._b2b_logistics_timeline()[self.order.id]
        self.assertTrue(steps[-1]["done"] and steps[-1]["current"])
        self.assertEqual(steps[-1]["date"], first_date)

    def test_portal_cannot_touch_other_dealer(self):
        with self.assertRaises(AccessError):
            self.order.with_user(self.other_portal_user)._b2b_confirm_receipt()
        with self.assertRaises(AccessError):
            self.order.with_user(self.other_portal_user)._b2b_report_discrepancy(
                [{"product_id": self.product_a.id, "quantity": 1}], "short", "x"
            )
        self.assertFalse(self.order.b2b_receipt_date)

    def test_receipt_needs_shipment(self):
        order = self._create_order()
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "not been shipped"):
            order.with_user(self.portal_user)._b2b_confirm_receipt()
        with self.assertRaises(UserError):
            self.order._b2b_confirm_receipt(received_at=fields.Datetime.now() + timedelta(days=2))

    def test_portal_record_rules(self):
        other_order, other_picking = self._ship_order(
            self.carrier, ["RCV-OTHER"], partner=self.other_portal_user.partner_id
        )
        Shipment = self.env["b2b.shipment"].with_user(self.portal_user)
        visible = Shipment.search([("name", "in", ["RCV-1", "RCV-OTHER"])])
        self.assertEqual(visible.mapped("name"), ["RCV-1"])
        self.env["b2b.shipment.event"]._b2b_insert_events(
            self.carrier,
            [
                self._event("RCV-1"),
                self._event("RCV-OTHER"),
            ],
        )
        events = self.env["b2b.shipment.event"].with_user(self.portal_user).search([])
        self.assertEqual(events.shipment_id.mapped("name"), ["RCV-1"])
        with self.assertRaises(AccessError):
            other_picking.b2b_shipment_ids.with_user(self.portal_user).read(["state"])
        with self.assertRaises(AccessError):
            visible.write({"name": "HACK"})

    def _event(self, number):
        from ..providers import TrackingEvent

        return TrackingEvent(number, fields.Datetime.now().replace(microsecond=0), "in_transit")

    def test_discrepancy_creates_activity_and_draft_return(self):
        photo = {"name": "broken.png", "datas": PNG_1PX}
        order = self.order.with_user(self.portal_user)
        discrepancy = order._b2b_report_discrepancy(
            [{"product_id": self.product_a.id, "quantity": 2}], "damaged", "Two boxes crushed", [photo]
        )
        self.assertEqual(discrepancy.kind, "damaged")
        self.assertEqual(discrepancy.reporter_id, self.portal_user)
        self.assertEqual(discrepancy.line_ids.product_id, self.product_a)
        self.assertEqual(discrepancy.attachment_ids.mimetype, "image/png")
        returns = discrepancy.return_picking_ids
        self.assertEqual(len(returns), 1)
        self.assertEqual(returns.state, "draft")
        self.assertEqual(returns.return_id, self.picking)
        self.assertEqual(returns.move_ids.product_id, self.product_a)
        self.assertEqual(returns.move_ids.product_uom_qty, 2)
        self.assertEqual(returns.move_ids.origin_returned_move_id.picking_id, self.picking)
        activity = self.order.activity_ids.filtered(lambda a: "discrepancy" in (a.summary or ""))
        self.assertEqual(len(activity), 1)
        self.assertIn(discrepancy, self.order.b2b_discrepancy_ids)
        # The dealer reads its own report through the portal rules.
        self.assertEqual(self.env["b2b.delivery.discrepancy"].with_user(self.portal_user).search([]), discrepancy)

    def test_discrepancy_by_sale_line_and_bytes_photo(self):
        line = self.order.order_line.filtered(lambda sl: sl.product_id == self.product_b)
        discrepancy = self.order._b2b_report_discrepancy(
            [{"sale_line_id": line.id, "quantity": 1}],
            "wrong_item",
            "Got the wrong flavour",
            [("photo.png", base64.b64decode(PNG_1PX))],
        )
        self.assertEqual(discrepancy.line_ids.product_id, self.product_b)

    def test_discrepancy_bad_input(self):
        order = self.order.with_user(self.portal_user)
        bad_calls = [
            ([{"product_id": self.product_a.id, "quantity": 1}], "lost", "x", []),
            ([], "short", "x", []),
            ([{"product_id": self.product_a.id, "quantity": 0}], "short", "x", []),
            ([{"product_id": self.product_a.id, "quantity": 99}], "short", "x", []),
            (
                [{"product_id": self.env["product.product"].create({"name": "Other"}).id, "quantity": 1}],
                "short",
                "x",
                [],
            ),
            ([{"product_id": "abc", "quantity": 1}], "short", "x", []),
            (
                [{"product_id": self.product_a.id, "quantity": 1}],
                "short",
                "x",
                [{"name": "a.txt", "datas": "aGVsbG8="}],
            ),
            ([{"product_id": self.product_a.id, "quantity": 1}], "short", "x", [{"name": "a.png", "datas": "%%%"}]),
        ]
        for args in bad_calls:
            with self.assertRaises(ValidationError, msg=str(args)):
                order._b2b_report_discrepancy(*args)
        self.assertFalse(self.order.b2b_discrepancy_ids)

    def test_proof_of_delivery_hook(self):
        self.order.order_line.write({"qty_delivered": 5})
        invoice = self.order._create_invoices()
        self.assertEqual(invoice._b2b_proof_of_delivery_dates(), {})
        calls = []
        original = type(invoice)._b2b_proof_of_delivery_confirmed

        def spy(moves):
            calls.append(moves.ids)
            return original(moves)

        self.patch(type(invoice), "_b2b_proof_of_delivery_confirmed", spy)
        self.order._b2b_confirm_receipt()
        self.assertEqual(calls, [invoice.ids])
        self.assertEqual(invoice._b2b_proof_of_delivery_dates(), {invoice.id: self.order.b2b_receipt_date.date()})
