import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class B2bDunningLevel(models.Model):
    """A reminder level: invoices overdue this many days get this mail, once."""

    _name = "b2b.dunning.level"
    _description = "Dunning Level"
    _order = "days_overdue, id"

    name = fields.Char(required=True, translate=True)
    days_overdue = fields.Integer(required=True, help="Days after the due date the reminder is sent.")
    mail_template_id = fields.Many2one("mail.template", required=True, domain="[('model', '=', 'account.move')]")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    active = fields.Boolean(default=True)
    log_count = fields.Integer(compute="_compute_log_count", string="Reminders Sent")

    _sql_constraints = [
        ("days_positive", "CHECK(days_overdue > 0)", "A reminder level starts after the due date."),
    ]

    def _compute_log_count(self):
        Log = self.env["b2b.dunning.log"]
        counts = dict(Log._read_group([("level_id", "in", self.ids)], ["level_id"], ["__count"]))
        for level in self:
            level.log_count = counts.get(level, 0)

    @api.model
    def _due_reminders(self, today=None):
        """{level: invoices} that reached a level not sent yet, highest level only (one query).

        An invoice that already got a level never gets it again, nor a lower level."""
        today = today or fields.Date.context_today(self)
        levels = self.search([])
        if not levels:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (m.id) m.id, lvl.id
                  FROM account_move m
                  JOIN b2b_dunning_level lvl
                    ON lvl.id = ANY(%(levels)s)
                   AND (lvl.company_id IS NULL OR lvl.company_id = m.company_id)
                   AND m.invoice_date_due <= %(today)s::date - lvl.days_overdue
                 WHERE m.move_type = 'out_invoice'
                   AND m.state = 'posted'
                   AND m.payment_state IN ('not_paid', 'partial')
                   AND NOT EXISTS (
                        SELECT 1 FROM b2b_dunning_log log
                          JOIN b2b_dunning_level sent ON sent.id = log.level_id
                         WHERE log.move_id = m.id AND sent.days_overdue >= lvl.days_overdue)
              ORDER BY m.id, lvl.days_overdue DESC
                """,
                levels=levels.ids,
                today=today,
            )
        )
        by_level = {}
        for move_id, level_id in self.env.cr.fetchall():
            by_level.setdefault(level_id, []).append(move_id)
        Move = self.env["account.move"]
        return {self.browse(level_id): Move.browse(move_ids) for level_id, move_ids in by_level.items()}

    @api.model
    def _cron_send_reminders(self, today=None):
        """Send each due reminder once: the log row is claimed first (unique invoice/level), so
        two overlapping runs cannot send the same level twice."""
        self = self.sudo()  # noqa: PLW0642 - the cron works for every company
        today = today or fields.Date.context_today(self)
        logs = self.env["b2b.dunning.log"]
        for level, invoices in self._due_reminders(today).items():
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO b2b_dunning_log (move_id, level_id, partner_id, company_id, date, amount_due,
                                                 days_overdue, create_uid, create_date, write_uid, write_date)
                    SELECT m.id, %(level)s, m.commercial_partner_id, m.company_id, %(today)s,
                           m.amount_residual_signed, %(today)s::date - m.invoice_date_due,
                           %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                      FROM account_move m
                     WHERE m.id = ANY(%(moves)s)
                    ON CONFLICT (move_id, level_id) DO NOTHING
                    RETURNING id
                    """,
                    level=level.id,
                    today=today,
                    uid=self.env.uid,
                    moves=invoices.ids,
                )
            )
            claimed = logs.browse([row[0] for row in self.env.cr.fetchall()])
            self.env["account.move"].invalidate_model(["b2b_dunning_log_ids"])
            for log in claimed:
                mail_id = level.mail_template_id.send_mail(
                    log.move_id.id, email_layout_xmlid="mail.mail_notification_light"
                )
                log.mail_id = mail_id
                log.move_id.message_post(body=self.env._("Payment reminder sent: %s", level.name))
            logs |= claimed
        return logs
