from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, date_utils

from .res_partner import AGING_BUCKETS


class B2bCreditStatement(models.Model):
    """Statement of account (对账单) of a dealer for a period, which the dealer confirms or
    disputes online."""

    _name = "b2b.credit.statement"
    _description = "Dealer Statement of Account"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date_to desc, id desc"

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    partner_id = fields.Many2one("res.partner", string="Dealer", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    opening_balance = fields.Monetary(readonly=True)
    total_invoiced = fields.Monetary(string="Invoiced", readonly=True)
    total_credit_notes = fields.Monetary(string="Credit Notes", readonly=True)
    total_payments = fields.Monetary(string="Payments", readonly=True)
    total_other = fields.Monetary(string="Other Entries", readonly=True)
    closing_balance = fields.Monetary(readonly=True)
    aging_current = fields.Monetary(string="Not Yet Due", readonly=True)
    aging_days_1_30 = fields.Monetary(string="1-30 Days", readonly=True)
    aging_days_31_60 = fields.Monetary(string="31-60 Days", readonly=True)
    aging_days_61_90 = fields.Monetary(string="61-90 Days", readonly=True)
    aging_days_90_plus = fields.Monetary(string="Over 90 Days", readonly=True)
    line_ids = fields.One2many("b2b.credit.statement.line", "statement_id", string="Lines", readonly=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent to Dealer"),
            ("confirmed", "Confirmed by Dealer"),
            ("disputed", "Disputed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    response_date = fields.Datetime(string="Answered On", readonly=True, copy=False)
    response_user_id = fields.Many2one("res.users", string="Answered By", readonly=True, copy=False)
    dispute_count = fields.Integer(compute="_compute_dispute_count")

    _sql_constraints = [
        (
            "partner_period_uniq",
            "UNIQUE(partner_id, company_id, date_from, date_to)",
            "A statement already exists for this dealer and period.",
        ),
        ("period_ordered", "CHECK(date_to >= date_from)", "The period must end on or after its start."),
    ]

    @api.depends("line_ids.disputed")
    def _compute_dispute_count(self):
        for statement in self:
            statement.dispute_count = len(statement.line_ids.filtered("disputed"))

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for statement in self:
            statement.access_url = f"/my/statements/{statement.id}"
        return res

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"Statement {self.partner_id.name} {self.date_to}"

    # ------------------------------------------------------------------ generation
    @api.model
    def _b2b_generate(self, partners, date_from, date_to, company=None):
        """Create the statements of ``partners`` (commercial) for the period, set-based.

        Existing statements of the same period are kept as they are. Returns the new ones."""
        company = company or self.env.company
        if date_to < date_from:
            raise ValidationError(_("The period must end on or after its start."))
        commercial = partners.commercial_partner_id
        existing = self.search(
            [
                ("partner_id", "in", commercial.ids),
                ("company_id", "=", company.id),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
            ]
        )
        ids = sorted(set(commercial.ids) - set(existing.partner_id.ids))
        if not ids:
            return self.browse()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id, SUM(aml.balance)
                  FROM account_move_line aml
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE aml.company_id = %(company)s AND aml.parent_state = 'posted'
                   AND aml.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
                   AND aml.date < %(date_from)s
                   AND p.commercial_partner_id = ANY(%(ids)s)
              GROUP BY p.commercial_partner_id
                """,
                company=company.id,
                date_from=date_from,
                ids=ids,
            )
        )
        opening = dict(cr.fetchall())
        cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id, m.id, aml.date,
                       CASE WHEN m.move_type = 'out_invoice' THEN 'invoice'
                            WHEN m.move_type = 'out_refund' THEN 'credit_note'
                            WHEN m.origin_payment_id IS NOT NULL OR m.statement_line_id IS NOT NULL
                                 THEN 'payment'
                            ELSE 'other' END,
                       MIN(aml.date_maturity), SUM(aml.balance)
                  FROM account_move_line aml
                  JOIN account_move m ON m.id = aml.move_id
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE aml.company_id = %(company)s AND aml.parent_state = 'posted'
                   AND aml.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
                   AND aml.date BETWEEN %(date_from)s AND %(date_to)s
                   AND p.commercial_partner_id = ANY(%(ids)s)
              GROUP BY p.commercial_partner_id, m.id, aml.date
              ORDER BY p.commercial_partner_id, aml.date, m.id
                """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                ids=ids,
            )
        )
        lines_by_partner = defaultdict(list)
        for pid, move_id, date, kind, due, amount in cr.fetchall():
            lines_by_partner[pid].append((move_id, date, kind, due, amount))
        aging = self.env["res.partner"]._b2b_credit_aging(self.env["res.partner"].browse(ids), date_to, company)
        vals_list = []
        for pid in ids:
            balance = opening.get(pid, 0.0) or 0.0
            totals = defaultdict(float)
            line_commands = []
            for move_id, date, kind, due, amount in lines_by_partner[pid]:
                balance += amount
                totals[kind] += amount
                line_commands.append(
                    fields.Command.create(
                        {
                            "move_id": move_id,
                            "date": date,
                            "line_type": kind,
                            "date_maturity": due,
                            "debit": amount if amount > 0 else 0.0,
                            "credit": -amount if amount < 0 else 0.0,
                            "balance": balance,
                        }
                    )
                )
            vals_list.append(
                {
                    "partner_id": pid,
                    "company_id": company.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "opening_balance": opening.get(pid, 0.0) or 0.0,
                    "total_invoiced": totals["invoice"],
                    "total_credit_notes": -totals["credit_note"],
                    "total_payments": -totals["payment"],
                    "total_other": totals["other"],
                    "closing_balance": balance,
                    "line_ids": line_commands,
                    **{f"aging_{bucket}": aging[pid][bucket] for bucket in AGING_BUCKETS},
                }
            )
        return self.create(vals_list)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("b2b.credit.statement") or "/"
        return super().create(vals_list)

    @api.model
    def _cron_generate_monthly(self, today=None):
        """Statements of last month for every dealer with receivable activity or a balance."""
        self = self.sudo()  # noqa: PLW0642 - statements of every company
        today = today or fields.Date.context_today(self)
        date_to = date_utils.start_of(today, "month") - date_utils.relativedelta(days=1)
        date_from = date_utils.start_of(date_to, "month")
        statements = self.browse()
        for company in self.env["res.company"].search([]):
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT p.commercial_partner_id
                      FROM account_move_line aml
                      JOIN res_partner p ON p.id = aml.partner_id
                     WHERE aml.company_id = %(company)s AND aml.parent_state = 'posted'
                       AND aml.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
                       AND aml.date <= %(date_to)s
                  GROUP BY p.commercial_partner_id
                    HAVING SUM(aml.balance) FILTER (WHERE aml.date < %(date_from)s) <> 0
                        OR COUNT(*) FILTER (WHERE aml.date >= %(date_from)s) > 0
                    """,
                    company=company.id,
                    date_from=date_from,
                    date_to=date_to,
                )
            )
            partners = self.env["res.partner"].browse([row[0] for row in self.env.cr.fetchall()])
            new = self.with_company(company)._b2b_generate(partners, date_from, date_to, company)
            new.write({"state": "sent"})
            statements |= new
        return statements

    # ------------------------------------------------------------------ back office
    def action_send(self):
        self.filtered(lambda s: s.state == "draft").write({"state": "sent"})
        return True

    def action_reset_to_sent(self):
        self.write({"state": "sent", "response_date": False, "response_user_id": False})
        self.line_ids.write({"disputed": False, "dispute_comment": False})
        return True

    # ------------------------------------------------------------------ dealer (portal) side
    def _b2b_check_dealer_access(self):
        """Portal users act through sudo after this check: record rules limit them to their own
        commercial partner's statements."""
        self.check_access("read")
        if self.env.user._is_portal():
            own = self.env.user.partner_id.commercial_partner_id
            if any(statement.partner_id != own for statement in self.sudo()):
                raise UserError(_("You can only answer your own company's statements."))
        not_open = self.sudo().filtered(lambda s: s.state not in ("draft", "sent"))
        if not_open:
            raise UserError(_("This statement has already been answered."))

    def action_dealer_confirm(self):
        """The dealer agrees with the statement."""
        self._b2b_check_dealer_access()
        self.sudo().write(
            {"state": "confirmed", "response_date": fields.Datetime.now(), "response_user_id": self.env.uid}
        )
        for statement in self.sudo():
            statement.message_post(
                body=_("Statement confirmed by %s.", self.env.user.name), author_id=self.env.user.partner_id.id
            )
        return True

    def action_dealer_dispute(self, lines_with_comments):
        """The dealer disputes lines: ``{line_id: comment}`` or ``[{"line_id", "comment"}]``.

        Every disputed line needs a comment; an activity goes to the company's statement
        accountant (Settings), or else to whoever created the statement."""
        self.ensure_one()
        self._b2b_check_dealer_access()
        if isinstance(lines_with_comments, dict):
            items = list(lines_with_comments.items())
        else:
            items = [(item.get("line_id"), item.get("comment")) for item in lines_with_comments or []]
        if not items:
            raise UserError(_("Please select at least one line you disagree with."))
        statement = self.sudo()
        valid_ids = set(statement.line_ids.ids)
        cleaned = {}
        for raw_line_id, raw_comment in items:
            try:
                line_id = int(raw_line_id)
            except (TypeError, ValueError) as error:
                raise UserError(_("Unknown statement line.")) from error
            if line_id not in valid_ids:
                raise UserError(_("This line does not belong to the statement."))
            comment = (raw_comment or "").strip() if isinstance(raw_comment, str) else ""
            if not comment:
                raise UserError(_("Please explain what is wrong with each disputed line."))
            cleaned[line_id] = comment
        for line_id, comment in cleaned.items():
            self.env["b2b.credit.statement.line"].sudo().browse(line_id).write(
                {"disputed": True, "dispute_comment": comment}
            )
        statement.write({"state": "disputed", "response_date": fields.Datetime.now(), "response_user_id": self.env.uid})
        lines = statement.line_ids.filtered("disputed")
        summary = "\n".join(f"{line.move_id.name or ''}: {line.dispute_comment}" for line in lines)
        statement.message_post(
            body=_("Statement disputed by %(user)s:\n%(lines)s", user=self.env.user.name, lines=summary),
            author_id=self.env.user.partner_id.id,
        )
        accountant = statement.company_id.b2b_credit_accountant_id or statement.create_uid
        statement.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Statement %s disputed by the dealer", statement.name),
            note=summary,
            user_id=accountant.id,
        )
        return True

    def _b2b_portal_data(self):
        """Plain data of the statement for the portal (after the dealer access check)."""
        self.ensure_one()
        self.check_access("read")
        statement = self.sudo()
        return {
            "id": statement.id,
            "name": statement.name,
            "partner": statement.partner_id.display_name,
            "date_from": statement.date_from,
            "date_to": statement.date_to,
            "currency": statement.currency_id.name,
            "opening_balance": statement.opening_balance,
            "total_invoiced": statement.total_invoiced,
            "total_credit_notes": statement.total_credit_notes,
            "total_payments": statement.total_payments,
            "total_other": statement.total_other,
            "closing_balance": statement.closing_balance,
            "aging": {bucket: statement[f"aging_{bucket}"] for bucket in AGING_BUCKETS},
            "state": statement.state,
            "can_answer": statement.state in ("draft", "sent"),
            "lines": [
                {
                    "id": line.id,
                    "date": line.date,
                    "document": line.move_id.name,
                    "reference": line.move_id.ref or "",
                    "type": line.line_type,
                    "due_date": line.date_maturity,
                    "debit": line.debit,
                    "credit": line.credit,
                    "balance": line.balance,
                    "disputed": line.disputed,
                    "comment": line.dispute_comment or "",
                }
                for line in statement.line_ids
            ],
        }
