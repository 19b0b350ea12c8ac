from datetime import datetime, time, timedelta

import babel.dates
import pytz

from odoo import _, api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import ValidationError
from odoo.tools.misc import babel_locale_parse

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# How far ahead a delivery slot is looked for: beyond, the schedule has no slot at all.
MAX_HORIZON_DAYS = 366
MAX_LEAD_DAYS = 30


class B2bDeliverySchedule(models.Model):
    """Order cut-off (截单) and delivery calendar of a warehouse, or of one delivery route
    (delivery method) out of it.

    A delivery day D is reachable by an order placed before its cut-off: the cut-off time on
    the working day ``lead_days`` working days before D (D itself with 0 lead days), in the
    schedule's time zone. Closed dates (holidays) are neither working nor delivery days.
    """

    _name = "b2b.delivery.schedule"
    _description = "Order Cut-off and Delivery Calendar"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True, index=True)
    warehouse_id = fields.Many2one("stock.warehouse", required=True, index=True, ondelete="cascade")
    carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Delivery Route",
        ondelete="cascade",
        help="Only orders shipped with this delivery method follow this calendar; "
        "leave empty for the warehouse's default calendar.",
    )
    tz = fields.Selection(
        _tz_get,
        string="Time Zone",
        help="Time zone of the cut-off time; by default the warehouse's address, then the company's.",
    )
    cutoff_time = fields.Float(
        "Cut-off Time", default=16.0, required=True, help="Orders placed before this time make the next slot."
    )
    lead_days = fields.Integer(
        default=1,
        required=True,
        help="Working days between the cut-off and the delivery (0: delivered on the cut-off day).",
    )
    deliver_mon = fields.Boolean("Delivers Monday", default=True)
    deliver_tue = fields.Boolean("Delivers Tuesday", default=True)
    deliver_wed = fields.Boolean("Delivers Wednesday", default=True)
    deliver_thu = fields.Boolean("Delivers Thursday", default=True)
    deliver_fri = fields.Boolean("Delivers Friday", default=True)
    deliver_sat = fields.Boolean("Delivers Saturday")
    deliver_sun = fields.Boolean("Delivers Sunday")
    work_mon = fields.Boolean("Works Monday", default=True)
    work_tue = fields.Boolean("Works Tuesday", default=True)
    work_wed = fields.Boolean("Works Wednesday", default=True)
    work_thu = fields.Boolean("Works Thursday", default=True)
    work_fri = fields.Boolean("Works Friday", default=True)
    work_sat = fields.Boolean("Works Saturday")
    work_sun = fields.Boolean("Works Sunday")
    closed_date_ids = fields.One2many("b2b.delivery.schedule.closed.date", "schedule_id", "Closed Dates")

    _sql_constraints = [
        (
            "warehouse_carrier_uniq",
            "unique(warehouse_id, carrier_id)",
            "A warehouse has one calendar per delivery route.",
        ),
    ]

    @api.constrains(
        "cutoff_time", "lead_days", *(f"deliver_{day}" for day in WEEKDAYS), *(f"work_{day}" for day in WEEKDAYS)
    )
    def _check_days(self):
        for schedule in self:
            if not 0 <= schedule.cutoff_time < 24:
                raise ValidationError(_("The cut-off time must be between 00:00 and 23:59."))
            if not 0 <= schedule.lead_days <= MAX_LEAD_DAYS:
                raise ValidationError(_("Lead days must be between 0 and %s.", MAX_LEAD_DAYS))
            if not any(schedule[f"deliver_{day}"] for day in WEEKDAYS):
                raise ValidationError(_("Choose at least one delivery day for “%s”.", schedule.name))
            if schedule.lead_days and not any(schedule[f"work_{day}"] for day in WEEKDAYS):
                raise ValidationError(_("Choose at least one working day for “%s”.", schedule.name))

    # ------------------------------------------------------------------ calendar

    def _b2b_tz(self):
        self.ensure_one()
        name = self.tz or self.warehouse_id.partner_id.tz or self.warehouse_id.company_id.partner_id.tz or "UTC"
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    def _b2b_slot(self, now=None):
        """The next delivery slot for an order placed at ``now`` (naive UTC, default: now).

        Returns a dict: ``delivery_date`` (local date), ``deadline`` (naive UTC datetime of the
        cut-off that still makes it), ``after_cutoff`` (a cut-off already passed on the local
        day of ``now``, so the order slips to a later slot), ``missed_date`` (the delivery day
        that cut-off was for) and ``schedule``; or None when no slot exists within a year.
        """
        self.ensure_one()
        tz = self._b2b_tz()
        now = now or fields.Datetime.now()
        local_now = pytz.utc.localize(now).astimezone(tz).replace(tzinfo=None)
        today = local_now.date()
        closed = set(self.closed_date_ids.mapped("date"))
        delivers = {index for index, day in enumerate(WEEKDAYS) if self[f"deliver_{day}"]}
        works = {index for index, day in enumerate(WEEKDAYS) if self[f"work_{day}"]}
        hours, minutes = divmod(round(self.cutoff_time * 60), 60)
        cutoff = time(min(hours, 23), minutes)

        def is_working(day):
            return day.weekday() in works and day not in closed

        def deadline_day(delivery):
            day, remaining = delivery, self.lead_days
            while remaining > 0:
                day -= timedelta(days=1)
                if is_working(day):
                    remaining -= 1
            return day

        missed = None
        # A deadline never falls after its delivery day: walking from today forward meets every
        # slot still open and every cut-off passed today (for the message), in date order.
        for offset in range(MAX_HORIZON_DAYS):
            delivery = today + timedelta(days=offset)
            if delivery.weekday() not in delivers or delivery in closed:
                continue
            deadline_local = datetime.combine(deadline_day(delivery), cutoff)
            if deadline_local <= local_now:
                missed = (deadline_local, delivery)
                continue
            deadline = tz.localize(deadline_local).astimezone(pytz.utc).replace(tzinfo=None)
            after_cutoff = bool(missed and missed[0].date() == today)
            return {
                "schedule": self,
                "delivery_date": delivery,
                "deadline": deadline,
                "deadline_local": deadline_local,
                "after_cutoff": after_cutoff,
                "missed_date": missed[1] if after_cutoff else False,
                "missed_deadline_local": missed[0] if after_cutoff else False,
            }
        return None

    @api.model
    def _b2b_find(self, warehouse, carrier=None):
        """The calendar of ``warehouse`` for the delivery route ``carrier``: the route's own
        calendar, else the warehouse's default one (without route)."""
        if not warehouse:
            return self.browse()
        schedules = self.sudo().search(
            [("warehouse_id", "=", warehouse.id), ("carrier_id", "in", [False, *(carrier.ids if carrier else [])])]
        )
        return schedules.filtered("carrier_id")[:1] or schedules[:1]

    # ------------------------------------------------------------------ display

    @api.model
    def _b2b_format_date(self, value, lang):
        """A short delivery day in the dealer's language: “Tue, Nov 24” / “11月24日周二”."""
        return babel.dates.format_skeleton("MMMEd", value, locale=babel_locale_parse(lang or "en_US"))

    @api.model
    def _b2b_format_time(self, value, lang):
        return babel.dates.format_time(value, "short", locale=babel_locale_parse(lang or "en_US"))

    @api.model
    def _b2b_format_remaining(self, seconds):
        """“2 h 14 min” (or “14 min”, or “3 d 2 h”) until the cut-off."""
        minutes = max(int(seconds // 60), 0)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        if days:
            return self.env._("%(days)s d %(hours)s h", days=days, hours=hours)
        if hours:
            return self.env._("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)
        return self.env._("%(minutes)s min", minutes=minutes)

    @api.model
    def _b2b_portal_countdown(self, ctx, order=None, now=None):
        """What the portal banner shows: the next slot for the cart (or the dealer's default
        warehouse), with the texts the light JS timer needs to count down by itself.
        None when no calendar applies."""
        company = ctx["company"]
        if order:
            warehouse, carrier = order.warehouse_id, order.carrier_id
        else:
            warehouse = (
                ctx["dealer"].user_id.with_company(company)._get_default_warehouse_id()
                if ctx["dealer"].user_id
                else self.env["stock.warehouse"]
            )
            warehouse = warehouse or self.env["stock.warehouse"].sudo().search(
                [("company_id", "=", company.id)], limit=1
            )
            carrier = self.env["delivery.carrier"]
        schedule = self._b2b_find(warehouse, carrier)
        if not schedule:
            return None
        now = now or fields.Datetime.now()
        slot = schedule._b2b_slot(now)
        if not slot:
            return None
        lang = ctx["lang"]
        schedules = self.with_context(lang=lang)  # texts in the dealer's language
        env = schedules.env
        remaining = (slot["deadline"] - now).total_seconds()
        # the cut-off's time, and its day when it is not today (in the warehouse's time zone)
        deadline_text = self._b2b_format_time(slot["deadline_local"].time(), lang)
        local_today = pytz.utc.localize(now).astimezone(schedule._b2b_tz()).date()
        if slot["deadline_local"].date() != local_today:
            deadline_text = f"{self._b2b_format_date(slot['deadline_local'].date(), lang)} {deadline_text}"
        return {
            **slot,
            "date_text": self._b2b_format_date(slot["delivery_date"], lang),
            "remaining": schedules._b2b_format_remaining(remaining),
            "deadline_iso": slot["deadline"].strftime("%Y-%m-%dT%H:%M:%SZ"),
            "now_iso": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "deadline_text": deadline_text,
            # the JS timer fills the numbers into these translated patterns
            "formats": {
                "d": env._("%(days)s d %(hours)s h", days="{d}", hours="{h}"),
                "h": env._("%(hours)s h %(minutes)s min", hours="{h}", minutes="{m}"),
                "m": env._("%(minutes)s min", minutes="{m}"),
            },
            "expired_text": env._("The cut-off has passed: reload the page for the next delivery date."),
        }


class B2bDeliveryScheduleClosedDate(models.Model):
    _name = "b2b.delivery.schedule.closed.date"
    _description = "Closed Date of a Delivery Calendar"
    _order = "date"

    schedule_id = fields.Many2one("b2b.delivery.schedule", required=True, index=True, ondelete="cascade")
    date = fields.Date(required=True)
    name = fields.Char("Reason", translate=True)

    _sql_constraints = [
        ("schedule_date_uniq", "unique(schedule_id, date)", "This date is already closed in this calendar."),
    ]
