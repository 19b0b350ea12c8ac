import logging

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import MissingError, UserError
from odoo.tools import SQL

from .b2b_health_factor import FACTOR_CODES

_logger = logging.getLogger(__name__)

GREEN_SCORE = 80.0
AMBER_SCORE = 60.0


class B2bHealthScorecard(models.Model):
    """Monthly health scorecard (月度健康度打分卡) of a dealer, or of all dealers (overall).

    Generated for a month by ``_b2b_generate`` (monthly cron): re-running it for the same
    month and company replaces that month's scorecards.
    """

    _name = "b2b.health.scorecard"
    _description = "Dealer Health Scorecard"
    _inherit = ["mail.thread"]
    _order = "month desc, dealer_id nulls first, score desc, id"

    name = fields.Char(compute="_compute_name", store=True)
    month = fields.Date(required=True, index=True, readonly=True, help="First day of the month scored.")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    dealer_id = fields.Many2one("res.partner", index="btree_not_null", readonly=True, help="Empty: all dealers.")
    dealer_user_id = fields.Many2one(
        "res.users", string="Dealer's Salesperson", related="dealer_id.user_id", store=True, index="btree_not_null"
    )
    tier_id = fields.Many2one("b2b.dealer.tier", string="Dealer Tier", related="dealer_id.b2b_tier_id", store=True)
    score = fields.Float(readonly=True, aggregator="avg")
    status = fields.Selection(
        [("green", "Healthy"), ("amber", "Watch"), ("red", "At Risk")], compute="_compute_status", store=True
    )
    dealer_count = fields.Integer("Dealers Scored", readonly=True)
    line_ids = fields.One2many("b2b.health.scorecard.line", "scorecard_id", string="Factors", readonly=True)

    _sql_constraints = [
        (
            "month_dealer_uniq",
            "unique NULLS NOT DISTINCT (company_id, month, dealer_id)",
            "There is already a scorecard for this dealer and month.",
        ),
    ]

    @api.depends("month", "dealer_id")
    def _compute_name(self):
        for card in self:
            month = card.month.strftime("%Y-%m") if card.month else ""
            card.name = f"{month} {card.dealer_id.name or _('All dealers')}"

    @api.depends("score")
    def _compute_status(self):
        for card in self:
            card.status = "green" if card.score >= GREEN_SCORE else "amber" if card.score >= AMBER_SCORE else "red"

    # ------------------------------------------------------------------ generation

    @api.model
    def _b2b_generate(self, month, company=None, send=True):
        """Score every dealer active in the 12 months up to ``month`` (any day of it) and the
        overall scorecard; replaces the month's scorecards. Returns the overall scorecard."""
        company = company or self.env.company
        month = fields.Date.to_date(month)
        if not month:
            raise UserError(_("Choose the month to score."))
        month = month.replace(day=1)
        month_end = month + relativedelta(months=1, days=-1)
        if month > fields.Date.context_today(self):
            raise UserError(_("A month can be scored once it has started."))
        factors = self.env["b2b.health.factor"]._b2b_factors(company)
        raw = self._b2b_raw_factors(month, company)
        self.sudo().search([("company_id", "=", company.id), ("month", "=", month)]).unlink()
        cards_vals, cards_lines, scores = [], [], {code: [] for code, _label in FACTOR_CODES}
        for dealer_id, values in sorted(raw.items()):
            lines, score = self._b2b_score_lines(factors, values)
            for line in lines:
                if line["has_score"]:
                    scores[line["code"]].append(line["score"])
            cards_vals.append(
                {"month": month, "company_id": company.id, "dealer_id": dealer_id, "score": score, "dealer_count": 1}
            )
            cards_lines.append(lines)
        overall_lines, overall_score = self._b2b_overall_lines(factors, scores)
        cards_vals.append(
            {
                "month": month,
                "company_id": company.id,
                "dealer_id": False,
                "score": overall_score,
                "dealer_count": len(raw),
            }
        )
        cards_lines.append(overall_lines)
        cards = self.sudo().with_context(tracking_disable=True, mail_create_nolog=True).create(cards_vals)
        # the factor lines of every card in one batch
        self.env["b2b.health.scorecard.line"].sudo().create(
            [
                dict(line, scorecard_id=card.id, sequence=index)
                for card, lines in zip(cards, cards_lines, strict=True)
                for index, line in enumerate(lines)
            ]
        )
        overall = cards.filtered(lambda card: not card.dealer_id)
        _logger.info("Health scorecards %s for %s: %d dealers", month_end.strftime("%Y-%m"), company.name, len(raw))
        if send:
            overall._b2b_send_to_managers()
        return overall

    @api.model
    def _b2b_score_lines(self, factors, values):
        """Factor lines of one dealer and its weighted score."""
        lines = []
        for code, _label in FACTOR_CODES:
            factor = factors[code]
            value = values.get(code)
            score = (
                factor._b2b_score(value, new_sales=values.get("new_sales", False))
                if code == "growth"
                else (factor._b2b_score(value))
            )
            lines.append(
                {
                    "code": code,
                    "name": factor.name,
                    "value": value if value is not None else 0.0,
                    "has_value": value is not None,
                    "score": score,
                    "weight": factor.weight,
                }
            )
        return self._b2b_weigh(lines)

    @api.model
    def _b2b_overall_lines(self, factors, scores):
        lines = []
        for code, _label in FACTOR_CODES:
            factor = factors[code]
            values = scores[code]
            average = sum(values) / len(values) if values else None
            lines.append(
                {
                    "code": code,
                    "name": factor.name,
                    "value": len(values),
                    "has_value": True,
                    "score": average,
                    "weight": factor.weight,
                }
            )
        return self._b2b_weigh(lines)

    @api.model
    def _b2b_weigh(self, lines):
        """Weighted score of the factor lines that have a score; the others weigh nothing."""
        total_weight = sum(line["weight"] for line in lines if line["score"] is not None)
        score = 0.0
        for line in lines:
            if line["score"] is None or not total_weight:
                line.update(effective_weight=0.0, weighted_score=0.0, has_score=False, score=0.0)
                continue
            effective = 100.0 * line["weight"] / total_weight
            line.update(effective_weight=effective, weighted_score=line["score"] * effective / 100.0, has_score=True)
            score += line["weighted_score"]
        return lines, score

    @api.model
    def _b2b_raw_factors(self, month, company):
        """{dealer id: {factor code: raw value}} for every dealer with a confirmed order in the
        12 months up to the end of ``month``; a fixed number of set-based queries."""
        start = month
        end = month + relativedelta(months=1)
        previous = month - relativedelta(months=1)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       COUNT(*) FILTER (WHERE so.date_order >= %(start)s),
                       COALESCE(SUM(so.amount_untaxed / NULLIF(so.currency_rate, 0))
                                FILTER (WHERE so.date_order >= %(start)s), 0),
                       COALESCE(SUM(so.amount_untaxed / NULLIF(so.currency_rate, 0))
                                FILTER (WHERE so.date_order >= %(previous)s AND so.date_order < %(start)s), 0)
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                   AND so.date_order >= %(year_start)s AND so.date_order < %(end)s
              GROUP BY p.commercial_partner_id
                """,
                start=start,
                end=end,
                previous=previous,
                year_start=end - relativedelta(months=12),
                company=company.id,
            )
        )
        raw = {}
        for dealer_id, orders, sales, previous_sales in cr.fetchall():
            raw[dealer_id] = {
                "activity": float(orders),
                "growth": 100.0 * (sales - previous_sales) / previous_sales if previous_sales > 0 else None,
                "new_sales": previous_sales <= 0 < sales,
                "collection": None,
                "returns": None,
                "on_time": None,
            }
        if not raw:
            return raw
        ids = list(raw)
        dealers = self.env["res.partner"].browse(ids)
        rates = self.env["res.partner"]._b2b_credit_collection_rate(
            dealers, start, end - relativedelta(days=1), company=company
        )
        for dealer_id, row in rates.items():
            if dealer_id in raw and row["rate"] is not None:
                raw[dealer_id]["collection"] = 100.0 * row["rate"]
        cr.execute(
            SQL(
                """
                SELECT m.commercial_partner_id,
                       COALESCE(SUM(m.amount_untaxed_signed) FILTER (WHERE m.move_type = 'out_invoice'), 0),
                       COALESCE(-SUM(m.amount_untaxed_signed) FILTER (WHERE m.move_type = 'out_refund'), 0)
                  FROM account_move m
                 WHERE m.state = 'posted' AND m.company_id = %(company)s
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date >= %(start)s AND m.invoice_date < %(end)s
                   AND m.commercial_partner_id = ANY(%(ids)s)
              GROUP BY m.commercial_partner_id
                """,
                start=start,
                end=end,
                company=company.id,
                ids=ids,
            )
        )
        for dealer_id, invoiced, refunded in cr.fetchall():
            if invoiced > 0:
                raw[dealer_id]["returns"] = 100.0 * refunded / invoiced
            elif refunded > 0:
                raw[dealer_id]["returns"] = 100.0
        cr.execute(
            SQL(
                """
                SELECT r.dealer_id, SUM(r.delivered_count), SUM(r.on_time_count)
                  FROM b2b_report_delivery r
                 WHERE r.company_id = %(company)s AND r.date >= %(start)s AND r.date < %(end)s
                   AND r.dealer_id = ANY(%(ids)s)
              GROUP BY r.dealer_id
                """,
                start=start,
                end=end,
                company=company.id,
                ids=ids,
            )
        )
        for dealer_id, delivered, on_time in cr.fetchall():
            if delivered:
                raw[dealer_id]["on_time"] = 100.0 * on_time / delivered
        return raw

    @api.model
    def _cron_generate_monthly(self):
        """Monthly cron: score last month for every company and mail the managers."""
        first, _last = self.env["b2b.kpi"]._b2b_kpi_last_month()
        for company in self.env["res.company"].search([]):
            self.with_company(company)._b2b_generate(first, company)
            self.env["b2b.kpi"].with_company(company)._b2b_kpi_refresh_snapshots(company)
        return True

    @api.model
    def _b2b_demo_generate(self, months=6):
        """Demo: scorecards of the last months, without e-mails."""
        today = fields.Date.context_today(self)
        for offset in range(months, 0, -1):
            self._b2b_generate(today - relativedelta(months=offset), self.env.company, send=False)
        return True

    # ------------------------------------------------------------------ mail, print

    def _b2b_manager_partners(self):
        self.ensure_one()
        managers = (
            self.env.ref("sales_team.group_sale_manager")
            .sudo()
            .users.filtered(lambda user: not user.share and self.company_id in user.company_ids and user.email)
        )
        return managers.partner_id

    def _b2b_send_to_managers(self):
        template = self.env.ref("b2b_reports.mail_template_b2b_health_scorecard", raise_if_not_found=False)
        for card in self:
            partners = card._b2b_manager_partners()
            if template and partners:
                template.send_mail(
                    card.id, email_values={"recipient_ids": [fields.Command.link(pid) for pid in partners.ids]}
                )

    def _b2b_dealer_cards(self, limit=None, worst=True):
        """The dealers' scorecards of this overall scorecard's month (lowest scores first)."""
        self.ensure_one()
        return self.search(
            [("company_id", "=", self.company_id.id), ("month", "=", self.month), ("dealer_id", "!=", False)],
            order=f"score {'asc' if worst else 'desc'}, id",
            limit=limit,
        )

    # ------------------------------------------------------------------ portal

    @api.model
    def _b2b_portal_scorecards(self, ctx):
        """The dealer's own scorecards, newest first (portal)."""
        return self.sudo().search(
            [("dealer_id", "=", ctx["dealer"].id), ("company_id", "=", ctx["company"].id)], limit=24
        )

    @api.model
    def _b2b_portal_get(self, ctx, card_id):
        card = self.sudo().browse(card_id).exists()
        if not card or card.dealer_id != ctx["dealer"] or card.company_id != ctx["company"]:
            raise MissingError(_("This scorecard does not exist or is not yours."))
        return card
