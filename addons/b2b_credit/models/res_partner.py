from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL, format_amount

# Fields only a Credit Manager may change; each change is written to b2b.credit.history.
CREDIT_MANAGED_FIELDS = (
    "credit_limit",
    "use_partner_credit_limit",
    "b2b_credit_manual_hold",
    "b2b_credit_hold_reason",
    "b2b_pay_on_account",
    "b2b_credit_policy_id",
    "b2b_credit_overdue_override",
    "b2b_credit_overdue_grace_days",
    "b2b_credit_overdue_max_amount",
)
# Fields whose changes are logged without requiring the Credit Manager group.
CREDIT_LOGGED_FIELDS = (*CREDIT_MANAGED_FIELDS, "property_payment_term_id")
AGING_BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus")


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_credit_manual_hold = fields.Boolean(
        string="Credit Hold",
        company_dependent=True,
        copy=False,
        help="Blocks every new order of this dealer until a Credit Manager lifts the hold.",
    )
    b2b_credit_hold_reason = fields.Char(string="Credit Hold Reason", company_dependent=True, copy=False)
    b2b_pay_on_account = fields.Boolean(
        string="May Pay on Account",
        company_dependent=True,
        copy=False,
        help="Whitelist (白名单): the dealer may choose payment on account at checkout.",
    )
    b2b_credit_policy_id = fields.Many2one(
        "b2b.credit.policy",
        string="Credit Policy",
        company_dependent=True,
        help="Overdue rules and default payment term shared by dealers of the same kind (e.g. tier).",
    )
    b2b_credit_overdue_override = fields.Boolean(
        string="Dealer Overdue Rules",
        company_dependent=True,
        help="Use the overdue rules below for this dealer instead of its policy's or the company's.",
    )
    b2b_credit_overdue_grace_days = fields.Integer(string="Dealer Grace Days", company_dependent=True)
    b2b_credit_overdue_max_amount = fields.Float(string="Dealer Maximum Overdue", company_dependent=True)
    b2b_credit_checked_at = fields.Datetime(
        string="Last Credit Check",
        readonly=True,
        copy=False,
        help="Stamped under row lock by every credit check so that concurrent checks serialize.",
    )
    b2b_credit_increase_ids = fields.One2many(
        "b2b.credit.increase", "partner_id", string="Temporary Increases", groups="b2b_credit.group_b2b_credit_user"
    )
    b2b_credit_history_ids = fields.One2many(
        "b2b.credit.history", "partner_id", string="Credit History", groups="b2b_credit.group_b2b_credit_user"
    )
    b2b_credit_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_b2b_credit_figures",
        string="Credit Currency",
        groups="b2b_credit.group_b2b_credit_user",
    )
    b2b_credit_receivable = fields.Monetary(
        compute="_compute_b2b_credit_figures",
        string="Open Receivables",
        currency_field="b2b_credit_currency_id",
        groups="b2b_credit.group_b2b_credit_user",
    )
    b2b_credit_draft_invoices = fields.Monetary(
        compute="_compute_b2b_credit_figures",
        string="Draft Invoices",
        currency_field="b2b_credit_currency_id",
        groups="b2b_credit.group_b2b_credit_user",
    )
    b2b_credit_to_invoice = fields.Monetary(
        compute="_compute_b2b_credit_figures",
        string="Confirmed, Not Invoiced",
        currency_field="b2b_credit_currency_id",
        groups="b2b_credit.group_b2b_credit_user",
    )
    b2b_credit_pending = fields.Monetary(
        compute="_compute_b2b_credit_figures",
        string="Awaiting Approval",
        currency_field="b2b_credit_currency_id",
        groups="b2b_credit.group_b2b_credit_user",
    )
    b2b_credit_exposure = fields.Monetary(
        compute="_compute_b2b_credit_figures",
        string="Exposure",
        currency_field="b2b_credit_currency_id",
        groups="b2b_credit.group_b2b_credit_user",
    )
    b2b_credit_temporary = fields.Monetary(
        compute="_compute_b2b_credit_figures",
        string="Temporary Increase",
        currency_field="b2b_credit_currency_id",
        groups="b2b_credit.group_b2b_credit_user",
    )
    b2b_credit_total_limit = fields.Monetary(
        compute="_compute_b2b_credit_figures",
        string="Limit in Force",
        currency_field="b2b_credit_currency_id",
        groups="b2b_credit.group_b2b_credit_user",
    )
    b2b_credit_available = fields.Monetary(
        compute="_compute_b2b_credit_figures",
        string="Available Credit",
        currency_field="b2b_credit_currency_id",
        groups="b2b_credit.group_b2b_credit_user",
    )
    b2b_credit_overdue_amount = fields.Monetary(
        compute="_compute_b2b_credit_figures",
        string="Overdue",
        currency_field="b2b_credit_currency_id",
        groups="b2b_credit.group_b2b_credit_user",
    )
    b2b_credit_days_overdue = fields.Integer(
        compute="_compute_b2b_credit_figures", string="Days Overdue", groups="b2b_credit.group_b2b_credit_user"
    )
    b2b_credit_held_order_count = fields.Integer(
        compute="_compute_b2b_credit_held_order_count", groups="b2b_credit.group_b2b_credit_user"
    )
    b2b_credit_score_id = fields.Many2one(
        "b2b.credit.score",
        compute="_compute_b2b_credit_score_id",
        string="Credit Score Card",
        groups="b2b_credit.group_b2b_credit_user",
    )
    b2b_credit_score = fields.Integer(
        compute="_compute_b2b_credit_score_id", string="Credit Score", groups="b2b_credit.group_b2b_credit_user"
    )
    b2b_credit_suggested_limit = fields.Monetary(
        compute="_compute_b2b_credit_score_id",
        string="Suggested Limit",
        currency_field="b2b_credit_currency_id",
        groups="b2b_credit.group_b2b_credit_user",
    )

    @api.model
    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "b2b_credit_manual_hold",
            "b2b_credit_hold_reason",
            "b2b_pay_on_account",
            "b2b_credit_policy_id",
            "b2b_credit_overdue_override",
            "b2b_credit_overdue_grace_days",
            "b2b_credit_overdue_max_amount",
        ]

    # ------------------------------------------------------------------ computes
    @api.depends_context("company")
    def _compute_b2b_credit_figures(self):
        company = self.env.company
        figures = self._b2b_credit_exposure(self.commercial_partner_id, company=company)
        for partner in self:
            row = figures.get(partner.commercial_partner_id.id, {})
            partner.b2b_credit_currency_id = company.currency_id
            partner.b2b_credit_receivable = row.get("receivable", 0.0)
            partner.b2b_credit_draft_invoices = row.get("draft_invoices", 0.0)
            partner.b2b_credit_to_invoice = row.get("to_invoice", 0.0)
            partner.b2b_credit_pending = row.get("pending_orders", 0.0)
            partner.b2b_credit_exposure = row.get("exposure", 0.0)
            partner.b2b_credit_temporary = row.get("temporary_increase", 0.0)
            partner.b2b_credit_total_limit = row.get("total_limit", 0.0)
            partner.b2b_credit_available = row.get("available") or 0.0
            partner.b2b_credit_overdue_amount = row.get("overdue_amount", 0.0)
            partner.b2b_credit_days_overdue = row.get("days_overdue", 0)

    def _compute_b2b_credit_held_order_count(self):
        groups = self.env["sale.order"]._read_group(
            [
                ("partner_id.commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("b2b_credit_hold", "=", True),
                ("state", "in", ("draft", "sent")),
            ],
            ["partner_id"],
            ["__count"],
        )
        counts = defaultdict(int)
        for partner, count in groups:
            counts[partner.commercial_partner_id.id] += count
        for partner in self:
            partner.b2b_credit_held_order_count = counts[partner.commercial_partner_id.id]

    @api.depends_context("company")
    def _compute_b2b_credit_score_id(self):
        scores = (
            self.env["b2b.credit.score"]
            .sudo()
            .search([("partner_id", "in", self.commercial_partner_id.ids), ("company_id", "=", self.env.company.id)])
        )
        by_partner = {score.partner_id.id: score for score in scores}
        for partner in self:
            score = by_partner.get(partner.commercial_partner_id.id, self.env["b2b.credit.score"])
            partner.b2b_credit_score_id = score
            partner.b2b_credit_score = score.score
            partner.b2b_credit_suggested_limit = score.suggested_limit

    # ------------------------------------------------------------------ audit
    @api.model_create_multi
    def create(self, vals_list):
        # Contacts inherit these from their company (commercial fields): only dealers are checked.
        if any(vals.get(name) for vals in vals_list if not vals.get("parent_id") for name in CREDIT_MANAGED_FIELDS):
            self._b2b_credit_check_manager()
        return super().create(vals_list)

    def write(self, vals):
        logged = [name for name in CREDIT_LOGGED_FIELDS if name in vals]
        if not logged:
            return super().write(vals)
        commercial = self.filtered(lambda p: p == p.commercial_partner_id)
        records = self
        if commercial and any(name in CREDIT_MANAGED_FIELDS for name in logged):
            commercial._b2b_credit_check_manager()
            if not self.env.su and set(vals) <= set(CREDIT_MANAGED_FIELDS):
                # A Credit Manager may set credit terms on dealers they could not edit otherwise
                # (contact edition is a Sales/Extra right): the group is the access check here.
                self.check_access("read")
                records = self.sudo()
        before = {partner.id: {name: partner._b2b_credit_display(name) for name in logged} for partner in commercial}
        result = super(ResPartner, records).write(vals)
        entries = []
        for partner in commercial:
            for name in logged:
                new = partner._b2b_credit_display(name)
                old = before[partner.id][name]
                if new != old:
                    entries.append(
                        {
                            "partner_id": partner.id,
                            "company_id": self.env.company.id,
                            "field_description": self._fields[name]._description_string(self.env),
                            "old_value": old,
                            "new_value": new,
                        }
                    )
        if entries:
            self.env["b2b.credit.history"]._log_values(entries)
            for partner in commercial.filtered(lambda p: p.id in {e["partner_id"] for e in entries}):
                lines = [
                    f"{e['field_description']}: {e['old_value'] or '-'} → {e['new_value'] or '-'}"
                    for e in entries
                    if e["partner_id"] == partner.id
                ]
                partner.sudo().message_post(
                    body=_("Credit account changed: %s", "; ".join(lines)), author_id=self.env.user.partner_id.id
                )
        return result

    def _b2b_credit_display(self, name):
        value = self[name]
        field = self._fields[name]
        if field.type == "many2one":
            return value.display_name or ""
        if field.type == "boolean":
            return _("Yes") if value else _("No")
        if field.type == "float":
            return format_amount(self.env, value or 0.0, self.env.company.currency_id)
        return value or ""

    def _b2b_credit_check_manager(self):
        if self.env.su or self.env.user.has_group("b2b_credit.group_b2b_credit_manager"):
            return
        raise AccessError(_("Only a Credit Manager may change credit limits, holds or the pay-on-account list."))

    # ------------------------------------------------------------------ exposure
    @api.model
    def _b2b_credit_exposure(self, partners=None, company=None, include_pending=None, exclude_order_ids=()):
        """Credit exposure of the commercial partners of ``partners`` (default: self), set-based.

        Returns ``{commercial_partner_id: {...}}`` with, in company currency:
        ``receivable`` (residual of posted receivable lines, credits included), ``draft_invoices``,
        ``to_invoice`` (confirmed orders, tax included, prorata of the uninvoiced quantity),
        ``pending_orders`` (quotations awaiting approval, see
        ``sale.order._b2b_credit_pending_order_domain``), ``exposure`` (their sum), ``limit``,
        ``temporary_increase``, ``total_limit``, ``has_limit`` (False: no limit set, 0 means
        unlimited as in Odoo), ``available`` (None without limit), ``overdue_amount``,
        ``oldest_due_date``, ``days_overdue``, ``manual_hold``, ``hold_reason``,
        ``pay_on_account``, ``policy_id``, ``dealer_overdue_rules`` (None, or the dealer's own
        (block, grace_days, max_amount)), ``currency_id``. A fixed number of queries whatever the
        number of partners.
        """
        partners = self if partners is None else partners
        company = company or self.env.company
        if include_pending is None:
            include_pending = company.b2b_credit_include_pending
        commercial = partners.commercial_partner_id.with_company(company)
        if not commercial:
            return {}
        ids = list(commercial.ids)
        today = fields.Date.context_today(self)
        self.env["account.move.line"].flush_model(
            ["amount_residual", "balance", "parent_state", "account_id", "partner_id", "date_maturity"]
        )
        self.env["account.move"].flush_model(["state", "move_type", "amount_total_signed", "commercial_partner_id"])
        self.env["sale.order.line"].flush_model(["price_total", "product_uom_qty", "qty_invoiced", "display_type"])
        self.env["sale.order"].flush_model(
            ["state", "currency_rate", "partner_id", "company_id", "amount_total", "invoice_status"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        rows = {
            pid: {
                "receivable": 0.0,
                "draft_invoices": 0.0,
                "to_invoice": 0.0,
                "pending_orders": 0.0,
                "overdue_amount": 0.0,
                "oldest_due_date": False,
            }
            for pid in ids
        }
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       SUM(aml.amount_residual),
                       SUM(aml.amount_residual) FILTER (WHERE aml.amount_residual > 0
                                                          AND aml.date_maturity < %(today)s),
                       MIN(aml.date_maturity) FILTER (WHERE aml.amount_residual > 0
                                                        AND aml.date_maturity < %(today)s)
                  FROM account_move_line aml
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND aml.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
                   AND aml.reconciled IS NOT TRUE
                   AND p.commercial_partner_id = ANY(%(ids)s)
              GROUP BY p.commercial_partner_id
                """,
                today=today,
                company=company.id,
                ids=ids,
            )
        )
        for pid, residual, overdue, oldest in cr.fetchall():
            rows[pid].update(receivable=residual or 0.0, overdue_amount=overdue or 0.0, oldest_due_date=oldest)
        cr.execute(
            SQL(
                """
                SELECT m.commercial_partner_id, SUM(m.amount_total_signed)
                  FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND m.state = 'draft'
                   AND m.move_type = 'out_invoice'
                   AND m.commercial_partner_id = ANY(%(ids)s)
              GROUP BY m.commercial_partner_id
                """,
                company=company.id,
                ids=ids,
            )
        )
        for pid, amount in cr.fetchall():
            rows[pid]["draft_invoices"] = amount or 0.0
        # Confirmed, not invoiced: the order total minus the invoiced share of its lines (tax
        # included, prorata of the invoiced quantity). Fully invoiced orders are skipped through
        # their stored invoice status, and only the lines with an invoiced quantity are read.
        cr.execute(
            SQL(
                """
                WITH orders AS MATERIALIZED (
                    SELECT so.id, p.commercial_partner_id AS pid, so.amount_total,
                           COALESCE(NULLIF(so.currency_rate, 0), 1) AS rate
                      FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.company_id = %(company)s
                       AND so.state = 'sale'
                       AND so.invoice_status NOT IN ('invoiced', 'upselling')
                       AND p.commercial_partner_id = ANY(%(ids)s)
                ), invoiced AS (
                    SELECT l.order_id,
                           SUM(l.price_total * LEAST(l.qty_invoiced, l.product_uom_qty) / l.product_uom_qty) AS amount
                      FROM sale_order_line l
                     WHERE l.qty_invoiced <> 0
                       AND l.product_uom_qty > 0
                       AND l.display_type IS NULL
                       AND l.order_id IN (SELECT id FROM orders)
                  GROUP BY l.order_id
                )
                SELECT o.pid, SUM((o.amount_total - COALESCE(i.amount, 0)) / o.rate)
                  FROM orders o
             LEFT JOIN invoiced i ON i.order_id = o.id
              GROUP BY o.pid
                """,
                company=company.id,
                ids=ids,
            )
        )
        for pid, amount in cr.fetchall():
            rows[pid]["to_invoice"] = amount or 0.0
        if include_pending:
            Order = self.env["sale.order"].with_company(company)
            domain = expression.AND(
                [
                    Order._b2b_credit_pending_order_domain(),
                    [
                        ("company_id", "=", company.id),
                        ("partner_id.commercial_partner_id", "in", ids),
                        ("id", "not in", list(exclude_order_ids)),
                    ],
                ]
            )
            query = Order.sudo()._search(domain)
            query.add_join(
                "JOIN", "b2b_pending_partner", "res_partner", SQL('b2b_pending_partner.id = "sale_order".partner_id')
            )
            select = query.select(
                SQL("b2b_pending_partner.commercial_partner_id"),
                SQL('SUM("sale_order".amount_total / COALESCE(NULLIF("sale_order".currency_rate, 0), 1))'),
            )
            cr.execute(SQL("%s GROUP BY b2b_pending_partner.commercial_partner_id", select))
            for pid, amount in cr.fetchall():
                rows[pid]["pending_orders"] = amount or 0.0
        increases = dict(
            self.env["b2b.credit.increase"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", ids),
                    ("company_id", "=", company.id),
                    ("date_from", "<=", today),
                    ("date_to", ">=", today),
                ],
                ["partner_id"],
                ["amount:sum"],
            )
        )
        increases = {partner.id: amount for partner, amount in increases.items()}
        currency = company.currency_id
        for partner in commercial.sudo():
            row = rows[partner.id]
            limit = partner.credit_limit or 0.0
            temporary = increases.get(partner.id, 0.0)
            exposure = currency.round(
                row["receivable"] + row["draft_invoices"] + row["to_invoice"] + row["pending_orders"]
            )
            has_limit = bool(limit)
            oldest = row["oldest_due_date"]
            row.update(
                exposure=exposure,
                limit=limit,
                temporary_increase=temporary,
                total_limit=limit + temporary if has_limit else 0.0,
                has_limit=has_limit,
                available=currency.round(limit + temporary - exposure) if has_limit else None,
                days_overdue=(today - oldest).days if oldest else 0,
                manual_hold=partner.b2b_credit_manual_hold,
                hold_reason=partner.b2b_credit_hold_reason or "",
                pay_on_account=partner.b2b_pay_on_account,
                policy_id=partner.b2b_credit_policy_id.id,
                dealer_overdue_rules=(
                    (True, partner.b2b_credit_overdue_grace_days, partner.b2b_credit_overdue_max_amount)
                    if partner.b2b_credit_overdue_override
                    else None
                ),
                currency_id=currency.id,
            )
        return rows

    @api.model
    def _b2b_credit_blocking_reasons(self, row, order_amount, company):
        """Plain-language reasons why ``order_amount`` more credit cannot be granted (empty: ok)."""
        currency = company.currency_id
        reasons = []
        if row.get("manual_hold"):
            reasons.append(
                _("The account is on credit hold: %(reason)s", reason=row["hold_reason"] or _("no reason given"))
            )
        policy = self.env["b2b.credit.policy"].browse(row.get("policy_id")).sudo()
        block_overdue, grace_days, max_overdue = row.get("dealer_overdue_rules") or policy._overdue_rules(company)
        if block_overdue and row.get("overdue_amount", 0.0) > 0:
            if row["days_overdue"] > grace_days:
                reasons.append(
                    _(
                        "An invoice is %(days)s days overdue (grace period: %(grace)s days); "
                        "overdue amount %(amount)s.",
                        days=row["days_overdue"],
                        grace=grace_days,
                        amount=format_amount(self.env, row["overdue_amount"], currency),
                    )
                )
            elif max_overdue and currency.compare_amounts(row["overdue_amount"], max_overdue) > 0:
                reasons.append(
                    _(
                        "The overdue amount %(amount)s exceeds the allowed %(max)s.",
                        amount=format_amount(self.env, row["overdue_amount"], currency),
                        max=format_amount(self.env, max_overdue, currency),
                    )
                )
        if (
            row.get("has_limit")
            and order_amount > 0
            and currency.compare_amounts(row["exposure"] + order_amount, row["total_limit"]) > 0
        ):
            reasons.append(
                _(
                    "This order (%(order)s) exceeds the available credit: limit %(limit)s, "
                    "already used %(exposure)s, available %(available)s.",
                    order=format_amount(self.env, order_amount, currency),
                    limit=format_amount(self.env, row["total_limit"], currency),
                    exposure=format_amount(self.env, row["exposure"], currency),
                    available=format_amount(self.env, row["total_limit"] - row["exposure"], currency),
                )
            )
        return reasons

    def _b2b_credit_lock(self):
        """Lock the commercial partner rows until the end of the transaction, and stamp them.

        Odoo runs in REPEATABLE READ: a transaction that waited on this lock still reads its old
        snapshot and would miss the order the other one just confirmed. Updating the row makes the
        waiting transaction fail with a serialization error instead, and Odoo retries it (RPC,
        HTTP, cron) with a fresh snapshot that includes the concurrent order.
        """
        ids = sorted(set(self.commercial_partner_id.ids))
        if not ids:
            return
        self.env.cr.execute(SQL("SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR UPDATE", ids))
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET b2b_credit_checked_at = (now() at time zone 'UTC') WHERE id = ANY(%s)",
                ids,
            )
        )
        self.browse(ids).invalidate_recordset(["b2b_credit_checked_at"])

    def _b2b_credit_recheck_held_orders(self):
        """Confirm the held orders of these dealers that fit again (after a payment), set-based."""
        commercial = self.commercial_partner_id
        if not commercial:
            return self.env["sale.order"]
        held = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id.commercial_partner_id", "in", commercial.ids),
                    ("b2b_credit_hold", "=", True),
                    ("state", "in", ("draft", "sent")),
                ],
                order="date_order, id",
            )
        )
        return held._b2b_credit_try_release_automatically()

    # ------------------------------------------------------------------ report figures
    @api.model
    def _b2b_credit_aging(self, partners, as_of=None, company=None):
        """Open receivables per commercial partner as of a date, by age of the due date.

        Returns ``{partner_id: {"current", "days_1_30", "days_31_60", "days_61_90",
        "days_90_plus", "total"}}``; the open amount of each line is its balance minus the
        reconciliations dated on or before ``as_of`` (so past dates give past figures).
        Unapplied payments and credit notes are in "current" (negative).
        """
        company = company or self.env.company
        as_of = as_of or fields.Date.context_today(self)
        ids = list(partners.commercial_partner_id.ids)
        result = {pid: dict.fromkeys((*AGING_BUCKETS, "total"), 0.0) for pid in ids}
        if not ids:
            return result
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH open_lines AS (
                    SELECT p.commercial_partner_id AS pid,
                           %(as_of)s - COALESCE(aml.date_maturity, aml.date) AS age,
                           aml.balance
                             - COALESCE((SELECT SUM(apr.amount) FROM account_partial_reconcile apr
                                          WHERE apr.debit_move_id = aml.id AND apr.max_date <= %(as_of)s), 0)
                             + COALESCE((SELECT SUM(apr.amount) FROM account_partial_reconcile apr
                                          WHERE apr.credit_move_id = aml.id AND apr.max_date <= %(as_of)s), 0)
                             AS open_amount
                      FROM account_move_line aml
                      JOIN res_partner p ON p.id = aml.partner_id
                     WHERE aml.company_id = %(company)s
                       AND aml.parent_state = 'posted'
                       AND aml.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
                       AND aml.date <= %(as_of)s
                       AND p.commercial_partner_id = ANY(%(ids)s)
                )
                SELECT pid,
                       COALESCE(SUM(open_amount) FILTER (WHERE age <= 0 OR open_amount < 0), 0),
                       COALESCE(SUM(open_amount) FILTER (WHERE age BETWEEN 1 AND 30 AND open_amount >= 0), 0),
                       COALESCE(SUM(open_amount) FILTER (WHERE age BETWEEN 31 AND 60 AND open_amount >= 0), 0),
                       COALESCE(SUM(open_amount) FILTER (WHERE age BETWEEN 61 AND 90 AND open_amount >= 0), 0),
                       COALESCE(SUM(open_amount) FILTER (WHERE age > 90 AND open_amount >= 0), 0),
                       COALESCE(SUM(open_amount), 0)
                  FROM open_lines
              GROUP BY pid
                """,
                as_of=as_of,
                company=company.id,
                ids=ids,
            )
        )
        for pid, *amounts in self.env.cr.fetchall():
            result[pid] = dict(zip((*AGING_BUCKETS, "total"), amounts, strict=True))
        return result

    @api.model
    def _b2b_credit_collection_rate(self, partners, date_from, date_to, company=None):
        """Collection rate (回款率) per commercial partner for a period.

        Definition: amount due in the period = sum of the invoiced receivable amounts (debit
        lines of posted customer invoices) whose due date falls between ``date_from`` and
        ``date_to`` inclusive; amount collected = the part of those same amounts settled by a
        payment or credit note reconciled on or before ``date_to`` (early payments count).
        Rate = collected / due, None when nothing fell due. Returns
        ``{partner_id: {"due", "collected", "rate"}}``.
        """
        company = company or self.env.company
        ids = list(partners.commercial_partner_id.ids)
        result = {pid: {"due": 0.0, "collected": 0.0, "rate": None} for pid in ids}
        if not ids:
            return result
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       SUM(aml.balance),
                       SUM(COALESCE((SELECT SUM(apr.amount) FROM account_partial_reconcile apr
                                      WHERE apr.debit_move_id = aml.id AND apr.max_date <= %(date_to)s), 0))
                  FROM account_move_line aml
                  JOIN account_move m ON m.id = aml.move_id
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND aml.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
                   AND aml.balance > 0
                   AND m.move_type = 'out_invoice'
                   AND aml.date_maturity BETWEEN %(date_from)s AND %(date_to)s
                   AND p.commercial_partner_id = ANY(%(ids)s)
              GROUP BY p.commercial_partner_id
                """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                ids=ids,
            )
        )
        for pid, due, collected in self.env.cr.fetchall():
            result[pid] = {"due": due, "collected": collected, "rate": (collected / due) if due else None}
        return result

    @api.model
    def _b2b_credit_dso(self, partners, date_to=None, days=90, company=None):
        """Days sales outstanding per commercial partner:
        receivable balance at ``date_to`` / credit sales of the last ``days`` days x ``days``.
        Returns ``{partner_id: {"balance", "sales", "dso"}}`` (dso None without sales)."""
        company = company or self.env.company
        date_to = date_to or fields.Date.context_today(self)
        date_from = date_to - timedelta(days=days - 1)
        ids = list(partners.commercial_partner_id.ids)
        result = {pid: {"balance": 0.0, "sales": 0.0, "dso": None} for pid in ids}
        if not ids:
            return result
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       SUM(aml.balance),
                       SUM(aml.balance) FILTER (WHERE m.move_type IN ('out_invoice', 'out_refund')
                                                  AND aml.date >= %(date_from)s)
                  FROM account_move_line aml
                  JOIN account_move m ON m.id = aml.move_id
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE aml.company_id = %(company)s
                   AND aml.parent_state = 'posted'
                   AND aml.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
                   AND aml.date <= %(date_to)s
                   AND p.commercial_partner_id = ANY(%(ids)s)
              GROUP BY p.commercial_partner_id
                """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                ids=ids,
            )
        )
        for pid, balance, sales_raw in self.env.cr.fetchall():
            sales = sales_raw or 0.0
            result[pid] = {
                "balance": balance or 0.0,
                "sales": sales,
                "dso": (max(balance or 0.0, 0.0) / sales * days) if sales > 0 else None,
            }
        return result

    def _b2b_credit_portal_data(self):
        """Plain figures of a dealer's own credit account for the portal (my account page).

        Portal users get their own commercial partner only; internal users need Credit User."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        user = self.env.user
        if user._is_portal() or user._is_public():
            if user.partner_id.commercial_partner_id != commercial:
                raise AccessError(_("You can only see your own company's credit account."))
        elif not self.env.su and not user.has_group("b2b_credit.group_b2b_credit_user"):
            raise AccessError(_("Only credit users can see credit accounts."))
        Partner = self.sudo()
        row = Partner._b2b_credit_exposure(commercial)[commercial.id]
        aging = Partner._b2b_credit_aging(commercial)[commercial.id]
        increases = (
            self.env["b2b.credit.increase"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", commercial.id),
                    ("company_id", "=", self.env.company.id),
                    ("date_to", ">=", fields.Date.context_today(self)),
                ]
            )
        )
        return {
            "currency": self.env.company.currency_id.name,
            "has_limit": row["has_limit"],
            "limit": row["limit"],
            "temporary_increase": row["temporary_increase"],
            "total_limit": row["total_limit"],
            "exposure": row["exposure"],
            "available": row["available"],
            "receivable": row["receivable"],
            "to_invoice": row["to_invoice"],
            "draft_invoices": row["draft_invoices"],
            "overdue_amount": row["overdue_amount"],
            "days_overdue": row["days_overdue"],
            "on_hold": row["manual_hold"],
            "hold_reason": row["hold_reason"],
            "pay_on_account": row["pay_on_account"],
            "aging": aging,
            "increases": [
                {"amount": inc.amount, "date_from": inc.date_from, "date_to": inc.date_to} for inc in increases
            ],
        }

    # ------------------------------------------------------------------ actions
    def action_b2b_credit_held_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_credit.action_b2b_credit_held_orders")
        action["domain"] = [
            ("partner_id.commercial_partner_id", "=", self.commercial_partner_id.id),
            ("b2b_credit_hold", "=", True),
        ]
        return action

    @api.model
    def _b2b_credit_demo_setup(self):
        """Demo only: generous limits and a policy for company customers (dealers) that have none."""
        policy = self.env.ref("b2b_credit.credit_policy_distributor", raise_if_not_found=False)
        domain = [("is_company", "=", True), ("parent_id", "=", False)]
        if "b2b_tier_id" in self._fields:  # pricing installed: its dealers carry a tier
            domain = expression.AND([domain, ["|", ("b2b_tier_id", "!=", False), ("customer_rank", ">", 0)]])
        else:
            domain = expression.AND([domain, [("customer_rank", ">", 0)]])
        dealers = self.search(domain).filtered(lambda p: not p.use_partner_credit_limit)
        for dealer in dealers:
            dealer.write(
                {
                    "credit_limit": 500000.0,
                    "use_partner_credit_limit": True,
                    "b2b_pay_on_account": True,
                    "b2b_credit_policy_id": policy.id if policy else False,
                }
            )
        return dealers
