from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import B2bPortalCase

# Monday 23 November 2026; Shanghai is UTC+8 all year.
MON, TUE, WED, THU, FRI = (date(2026, 11, day) for day in (23, 24, 25, 26, 27))
NEXT_MON, NEXT_TUE = date(2026, 11, 30), date(2026, 12, 1)


def utc(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute)


@tagged("post_install", "-at_install")
class TestCutoff(B2bPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cut_warehouse = cls.env["stock.warehouse"].create({"name": "B2B Cut-off WH", "code": "BCW"})
        cls.schedule = cls.env["b2b.delivery.schedule"].create(
            {
                "name": "Cut-off test trucks",
                "warehouse_id": cls.cut_warehouse.id,
                "tz": "Asia/Shanghai",
                "cutoff_time": 16.0,
                "lead_days": 1,
            }
        )

    def slot(self, when, schedule=None):
        return (schedule or self.schedule)._b2b_slot(when)

    def test_just_before_and_after_the_cutoff(self):
        # 15:59 in Shanghai is 07:59 UTC: still in time for Tuesday
        before = self.slot(utc(MON, 7, 59))
        self.assertEqual(before["delivery_date"], TUE)
        self.assertEqual(before["deadline"], utc(MON, 8, 0))
        self.assertFalse(before["after_cutoff"])
        # 16:00 sharp and later: Tuesday is missed, Wednesday is next
        for when in (utc(MON, 8, 0), utc(MON, 8, 1)):
            after = self.slot(when)
            self.assertEqual(after["delivery_date"], WED, when)
            self.assertTrue(after["after_cutoff"])
            self.assertEqual(after["missed_date"], TUE)
            self.assertEqual(after["deadline"], utc(TUE, 8, 0))

    def test_weekend(self):
        # Friday after the cut-off: Monday's cut-off was Friday 16:00 -> Tuesday
        friday_evening = self.slot(utc(FRI, 9, 0))
        self.assertEqual(friday_evening["delivery_date"], NEXT_TUE)
        self.assertTrue(friday_evening["after_cutoff"])
        self.assertEqual(friday_evening["deadline"], utc(NEXT_MON, 8, 0))
        # Friday before the cut-off: Monday (lead days count working days, not the weekend)
        self.assertEqual(self.slot(utc(FRI, 7, 0))["delivery_date"], NEXT_MON)
        # Saturday: no cut-off passes on a closed day, the next slot is Tuesday
        saturday = self.slot(utc(date(2026, 11, 28), 2, 0))
        self.assertEqual(saturday["delivery_date"], NEXT_TUE)
        self.assertFalse(saturday["after_cutoff"])
        # A warehouse working and delivering on Saturday
        self.schedule.write({"work_sat": True, "deliver_sat": True})
        self.assertEqual(self.slot(utc(FRI, 7, 0))["delivery_date"], date(2026, 11, 28))

    def test_holiday(self):
        self.schedule.closed_date_ids = [(0, 0, {"date": TUE, "name": "Holiday"})]
        # Tuesday closed: no delivery, and not a working day for Wednesday's lead day either
        monday_morning = self.slot(utc(MON, 2, 0))
        self.assertEqual(monday_morning["delivery_date"], WED)
        self.assertEqual(monday_morning["deadline"], utc(MON, 8, 0))
        self.assertEqual(self.slot(utc(MON, 9, 0))["delivery_date"], THU)
        # A closed Monday: Friday's cut-off is for Tuesday
        self.schedule.closed_date_ids = [(5, 0, 0), (0, 0, {"date": NEXT_MON})]
        self.assertEqual(self.slot(utc(FRI, 7, 0))["delivery_date"], NEXT_TUE)

    def test_timezone(self):
        instant = utc(MON, 8, 30)  # 16:30 in Shanghai, 08:30 in London
        self.assertEqual(self.slot(instant)["delivery_date"], WED)
        self.schedule.tz = "Europe/London"
        self.assertEqual(self.slot(instant)["delivery_date"], TUE)
        self.assertEqual(self.slot(instant)["deadline"], utc(MON, 16, 0))
        # without its own time zone, the warehouse address's applies
        self.schedule.tz = False
        self.cut_warehouse.partner_id.tz = "Asia/Shanghai"
        self.assertEqual(self.slot(instant)["delivery_date"], WED)
        # a slot late in the local day: 23:30 local Monday is Monday 15:30 UTC
        self.schedule.write({"tz": "Asia/Shanghai", "cutoff_time": 23.5})
        self.assertEqual(self.slot(utc(MON, 15, 29))["delivery_date"], TUE)
        self.assertEqual(self.slot(utc(MON, 15, 31))["delivery_date"], WED)

    def test_same_day_delivery_and_route_calendar(self):
        self.schedule.lead_days = 0
        self.assertEqual(self.slot(utc(MON, 1, 0))["delivery_date"], MON)
        self.assertEqual(self.slot(utc(MON, 9, 0))["delivery_date"], TUE)
        carrier = self.env["delivery.carrier"].create(
            {
                "name": "Cut-off test route",
                "delivery_type": "fixed",
                "product_id": self.env["product.product"].create({"name": "Route fee", "type": "service"}).id,
            }
        )
        route = self.schedule.copy({"name": "Route", "carrier_id": carrier.id, "cutoff_time": 10.0})
        Schedule = self.env["b2b.delivery.schedule"]
        self.assertEqual(Schedule._b2b_find(self.cut_warehouse, carrier), route)
        self.assertEqual(Schedule._b2b_find(self.cut_warehouse, self.env["delivery.carrier"]), self.schedule)
        self.assertFalse(Schedule._b2b_find(self.env["stock.warehouse"]))

    def test_calendar_needs_a_delivery_day(self):
        with self.assertRaises(ValidationError):
            self.schedule.write({f"deliver_{day}": False for day in ("mon", "tue", "wed", "thu", "fri")})
        with self.assertRaises(ValidationError):
            self.schedule.cutoff_time = 24.0
        with self.assertRaises(ValidationError):
            self.schedule.lead_days = -1

    def test_no_slot_when_every_day_is_closed(self):
        self.schedule.write(
            {
                **{f"deliver_{day}": False for day in ("tue", "wed", "thu", "fri")},
                "closed_date_ids": [(0, 0, {"date": MON + timedelta(weeks=week)}) for week in range(60)],
            }
        )
        self.assertIsNone(self.slot(utc(MON, 1, 0)))

    def _submitted(self, when, values=None):
        ctx = self.ctx_of(self.buyer_a)
        cart = self.env["sale.order"]._b2b_portal_new_cart(ctx)
        cart.warehouse_id = self.cut_warehouse
        cart._b2b_portal_add_products(ctx, {self.orange.id: 2})
        with freeze_time(when):
            return cart._b2b_portal_submit(ctx, f"cut-{cart.id}", values or {})

    def test_order_after_cutoff_gets_the_next_slot(self):
        order = self._submitted(utc(MON, 8, 5))
        self.assertEqual(order.commitment_date, utc(WED, 4, 0))  # noon in Shanghai
        self.assertIn("after today's cut-off", order.b2b_delivery_note)
        self.assertIn("Wed", order.b2b_delivery_note)
        in_time = self._submitted(utc(MON, 7, 55))
        self.assertEqual(in_time.commitment_date, utc(TUE, 4, 0))
        self.assertNotIn("cut-off", in_time.b2b_delivery_note)

    def test_requested_date_too_early_moves_later_one_is_kept(self):
        early = self._submitted(utc(MON, 9, 0), {"commitment_date": TUE.isoformat()})
        self.assertEqual(early.commitment_date, utc(WED, 4, 0))
        self.assertIn("cannot be met", early.b2b_delivery_note)
        later = self._submitted(utc(MON, 9, 0), {"commitment_date": FRI.isoformat()})
        self.assertEqual(later.commitment_date.date(), FRI)
        self.assertFalse(later.b2b_delivery_note)

    def test_approval_after_cutoff_reschedules(self):
        self.dealer_a.b2b_approval_amount = 1.0
        order = self._submitted(utc(MON, 7, 0))
        self.assertEqual(order.b2b_portal_state, "to_approve")
        self.assertEqual(order.commitment_date, utc(TUE, 4, 0))
        with freeze_time(utc(MON, 9, 0)):
            order._b2b_portal_approve(self.ctx_of(self.approver_a))
        self.assertEqual(order.commitment_date, utc(WED, 4, 0))

    def test_note_in_the_dealers_language(self):
        self.env["ir.module.module"]._load_module_terms(["b2b_portal"], ["zh_CN"], overwrite=True)
        self.buyer_a.lang = "zh_CN"
        self.buyer_a.partner_id.lang = "zh_CN"
        order = self._submitted(utc(MON, 8, 5))
        self.assertIn("11月25日", order.b2b_delivery_note)
        self.assertIn("截单", order.b2b_delivery_note)

    def test_portal_countdown(self):
        ctx = self.ctx_of(self.buyer_a)
        cart = self.env["sale.order"]._b2b_portal_new_cart(ctx)
        cart.warehouse_id = self.cut_warehouse
        countdown = self.env["b2b.delivery.schedule"]._b2b_portal_countdown(ctx, cart, now=utc(MON, 5, 46))
        self.assertEqual(countdown["remaining"], "2 h 14 min")
        self.assertEqual(countdown["date_text"], "Tue, Nov 24")
        self.assertEqual(countdown["deadline_iso"], "2026-11-23T08:00:00Z")
        self.assertEqual(countdown["formats"]["h"], "{h} h {m} min")
        self.assertRegex(countdown["deadline_text"], r"^4:00\sPM$")  # today: the time only
        late = self.env["b2b.delivery.schedule"]._b2b_portal_countdown(ctx, cart, now=utc(FRI, 9, 0))
        self.assertEqual(late["remaining"], "2 d 23 h")
        self.assertTrue(late["after_cutoff"])
        self.assertRegex(late["deadline_text"], r"^Mon, Nov 30 4:00\sPM$")  # another day: with the day
        cart.warehouse_id = self.env["stock.warehouse"].create({"name": "No calendar", "code": "BNC"})
        self.assertIsNone(self.env["b2b.delivery.schedule"]._b2b_portal_countdown(ctx, cart))
