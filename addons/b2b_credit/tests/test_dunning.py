from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import B2bCreditCommon


@tagged("post_install", "-at_install")
class TestDunning(B2bCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dealer.email = "dealer@example.com"
        cls.level_7 = cls.env.ref("b2b_credit.dunning_level_1")
        cls.level_15 = cls.env.ref("b2b_credit.dunning_level_2")
        cls.level_30 = cls.env.ref("b2b_credit.dunning_level_3")
        cls.env["b2b.dunning.level"].search([]).filtered(
            lambda level: level not in (cls.level_7 | cls.level_15 | cls.level_30)
        ).active = False

    def test_levels_sent_once_highest_first(self):
        Level = self.env["b2b.dunning.level"]
        invoice = self._invoice(self.dealer, 300.0, self._days(-40), due_date=self._days(-20))
        paid = self._invoice(self.dealer, 100.0, self._days(-40), due_date=self._days(-20))
        self._pay(paid)
        logs = Level._cron_send_reminders()
        mine = logs.filtered(lambda log: log.move_id == invoice)
        self.assertEqual(mine.level_id, self.level_15, "20 days overdue: the 15-day level, not the 7-day one")
        self.assertEqual(mine.days_overdue, 20)
        self.assertEqual(mine.amount_due, 300.0)
        self.assertFalse(logs.filtered(lambda log: log.move_id == paid))
        self.assertTrue(mine.mail_id or invoice.message_ids.filtered(lambda m: "Payment reminder" in (m.body or "")))
        # Same day again: nothing new, and the lower level is never sent afterwards.
        self.assertFalse(Level._cron_send_reminders().filtered(lambda log: log.move_id == invoice))
        # Ten days later the invoice is 30 days overdue: the final notice, once.
        later = self._days(10)
        logs_later = Level._cron_send_reminders(today=later).filtered(lambda log: log.move_id == invoice)
        self.assertEqual(logs_later.level_id, self.level_30)
        self.assertFalse(Level._cron_send_reminders(today=later).filtered(lambda log: log.move_id == invoice))
        self.assertEqual(invoice.b2b_dunning_log_ids.level_id, self.level_15 | self.level_30)

    def test_same_level_twice_is_refused_by_the_database(self):
        invoice = self._invoice(self.dealer, 300.0, self._days(-40), due_date=self._days(-10))
        Log = self.env["b2b.dunning.log"]
        Log.create({"move_id": invoice.id, "level_id": self.level_7.id})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            Log.create({"move_id": invoice.id, "level_id": self.level_7.id})
            self.env.flush_all()
