import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Weights of the factors (sum 100).
WEIGHT_PUNCTUALITY = 30  # average days late: 0 days = full, 60+ days = nothing
WEIGHT_ON_TIME = 25  # share of the amount paid by its due date
WEIGHT_DSO = 20  # days sales outstanding: <= 30 full, >= 120 nothing
WEIGHT_VOLUME = 15  # yearly invoiced volume on a log scale, 1,000,000 = full
WEIGHT_AGE = 10  # relationship age, 5 years = full
LATE_DAYS_ZERO = 60.0
DSO_FULL, DSO_ZERO = 30.0, 120.0
VOLUME_FULL_LOG10 = 6.0
AGE_FULL_DAYS = 5 * 365.0


def _clamp(value, low=0.0, high=1.0):
    return max(low, min(high, value))


class B2bCreditScore(models.Model):
    """Credit assessment (信用评估) of a dealer in a company, recomputed by a cron.

    Informative only: it suggests a limit, it never changes the dealer's limit."""

    _name = "b2b.credit.score"
    _description = "Dealer Credit Score"
    _order = "score desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Dealer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    score = fields.Integer(string="Score (0-100)", readonly=True)
    avg_days_late = fields.Float(string="Average Days Late", digits=(16, 1), readonly=True)
    on_time_share = fields.Float(string="Paid on Time (%)", digits=(16, 1), readonly=True)
    dso = fields.Float(string="DSO (days)", digits=(16, 1), readonly=True)
    volume = fields.Monetary(string="Invoiced, Last 12 Months", readonly=True)
    relationship_days = fields.Integer(string="Relationship Age (days)", readonly=True)
    points_punctuality = fields.Float(digits=(16, 1), readonly=True)
    points_on_time = fields.Float(digits=(16, 1), readonly=True)
    points_dso = fields.Float(digits=(16, 1), readonly=True)
    points_volume = fields.Float(digits=(16, 1), readonly=True)
    points_age = fields.Float(digits=(16, 1), readonly=True)
    suggested_limit = fields.Monetary(readonly=True, help="Indicative only; the limit is never changed automatically.")
    current_limit = fields.Float(compute="_compute_current_limit")
    computed_on = fields.Date(readonly=True)

    _sql_constraints = [
        ("partner_company_uniq", "UNIQUE(partner_id, company_id)", "One score per dealer and company."),
    ]

    def _compute_current_limit(self):
        for score in self:
            score.current_limit = score.partner_id.with_company(score.company_id).sudo().credit_limit

    @api.model
    def _score_from_factors(self, avg_days_late, on_time_share, dso, volume, relationship_days):
        """Points per factor and the total score (0-100) from the raw factors."""
        points = {
            "points_punctuality": WEIGHT_PUNCTUALITY * _clamp(1 - avg_days_late / LATE_DAYS_ZERO),
            "points_on_time": WEIGHT_ON_TIME * _clamp(on_time_share / 100.0),
            "points_dso": WEIGHT_DSO * _clamp((DSO_ZERO - dso) / (DSO_ZERO - DSO_FULL)),
            "points_volume": WEIGHT_VOLUME * _clamp(math.log10(max(volume, 1.0)) / VOLUME_FULL_LOG10),
            "points_age": WEIGHT_AGE * _clamp(relationship_days / AGE_FULL_DAYS),
        }
        return points, round(sum(points.values()))

    @api.model
    def _suggested_limit(self, score, volume):
        """Months of average sales granted on credit, by score band, rounded up to 1,000."""
        months = 2.0 if score >= 80 else 1.5 if score >= 60 else 1.0 if score >= 40 else 0.5
        value = volume / 12.0 * months
        return math.ceil(value / 1000.0) * 1000.0 if value > 0 else 0.0

    @api.model
    def _compute_factors(self, company, today=None, partner_ids=None):
        """Raw factors for every dealer with customer invoices in ``company`` (one query).

        Payment history = receivable debit lines of invoices of the last 365 days that are paid
        (settled on the date of their last reconciliation) or already due (settled "today").
        """
        today = today or fields.Date.context_today(self)
        year_ago = today - timedelta(days=365)
        self.env.flush_all()
        partner_filter = SQL("AND p.commercial_partner_id = ANY(%s)", list(partner_ids)) if partner_ids else SQL()
        self.env.cr.execute(
            SQL(
                """
                WITH lines AS (
                    SELECT p.commercial_partner_id AS pid,
                           aml.balance,
                           aml.date,
                           m.move_type,
                           COALESCE(aml.date_maturity, aml.date) AS due,
                           CASE WHEN aml.reconciled
                                THEN (SELECT MAX(apr.max_date) FROM account_partial_reconcile apr
                                       WHERE apr.debit_move_id = aml.id)
                                ELSE %(today)s END AS settled
                      FROM account_move_line aml
                      JOIN account_move m ON m.id = aml.move_id
                      JOIN res_partner p ON p.id = aml.partner_id
                     WHERE aml.company_id = %(company)s
                       AND aml.parent_state = 'posted'
                       AND aml.account_id IN (SELECT id FROM account_account WHERE account_type = 'asset_receivable')
                       AND m.move_type IN ('out_invoice', 'out_refund', 'entry')
                       %(partner_filter)s
                )
                SELECT pid,
                       SUM(GREATEST(settled - due, 0) * balance)
                           FILTER (WHERE move_type = 'out_invoice' AND date >= %(year_ago)s
                                   AND balance > 0 AND (settled < %(today)s OR due < %(today)s)),
                       SUM(balance) FILTER (WHERE move_type = 'out_invoice' AND date >= %(year_ago)s
                                            AND balance > 0 AND (settled < %(today)s OR due < %(today)s)),
                       SUM(balance) FILTER (WHERE move_type = 'out_invoice' AND date >= %(year_ago)s
                                            AND balance > 0 AND (settled < %(today)s OR due < %(today)s)
                                            AND settled <= due),
                       SUM(balance) FILTER (WHERE move_type IN ('out_invoice', 'out_refund')
                                            AND date >= %(year_ago)s),
                       SUM(balance),
                       MIN(date) FILTER (WHERE move_type = 'out_invoice')
                  FROM lines
              GROUP BY pid
                HAVING COUNT(*) FILTER (WHERE move_type = 'out_invoice') > 0
                """,
                today=today,
                year_ago=year_ago,
                company=company.id,
                partner_filter=partner_filter,
            )
        )
        factors = {}
        for pid, late_weighted, judged_raw, on_time, volume_raw, balance, first_date in self.env.cr.fetchall():
            judged = judged_raw or 0.0
            volume = volume_raw or 0.0
            factors[pid] = {
                "avg_days_late": (late_weighted or 0.0) / judged if judged else 0.0,
                "on_time_share": 100.0 * (on_time or 0.0) / judged if judged else 100.0,
                "dso": (max(balance or 0.0, 0.0) / volume * 365.0) if volume > 0 else 0.0,
                "volume": volume,
                "relationship_days": (today - first_date).days if first_date else 0,
            }
        return factors

    @api.model
    def _recompute_scores(self, companies=None, partner_ids=None):
        """Recompute and upsert the scores of all dealers (one query to read, one to write)."""
        self = self.sudo()  # noqa: PLW0642 - scores of every company, written in SQL
        companies = companies or self.env["res.company"].search([])
        today = fields.Date.context_today(self)
        for company in companies:
            rows = []
            for pid, factor in self._compute_factors(company, today, partner_ids).items():
                points, score = self._score_from_factors(**factor)
                rows.append(
                    (
                        pid,
                        company.id,
                        score,
                        round(factor["avg_days_late"], 1),
                        round(factor["on_time_share"], 1),
                        round(factor["dso"], 1),
                        factor["volume"],
                        factor["relationship_days"],
                        points["points_punctuality"],
                        points["points_on_time"],
                        points["points_dso"],
                        points["points_volume"],
                        points["points_age"],
                        self._suggested_limit(score, factor["volume"]),
                        today,
                        self.env.uid,
                    )
                )
            if not rows:
                continue
            placeholders = ", ".join(["%s"] * len(rows[0]))
            row_sql = f"({placeholders}, now() at time zone 'UTC', %s, now() at time zone 'UTC')"
            values = SQL(", ").join(SQL(row_sql, *row, self.env.uid) for row in rows)
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO b2b_credit_score
                        (partner_id, company_id, score, avg_days_late, on_time_share, dso, volume,
                         relationship_days, points_punctuality, points_on_time, points_dso, points_volume,
                         points_age, suggested_limit, computed_on, create_uid, create_date, write_uid, write_date)
                    VALUES %s
                    ON CONFLICT (partner_id, company_id) DO UPDATE SET
                        score = EXCLUDED.score, avg_days_late = EXCLUDED.avg_days_late,
                        on_time_share = EXCLUDED.on_time_share, dso = EXCLUDED.dso, volume = EXCLUDED.volume,
                        relationship_days = EXCLUDED.relationship_days,
                        points_punctuality = EXCLUDED.points_punctuality, points_on_time = EXCLUDED.points_on_time,
                        points_dso = EXCLUDED.points_dso, points_volume = EXCLUDED.points_volume,
                        points_age = EXCLUDED.points_age, suggested_limit = EXCLUDED.suggested_limit,
                        computed_on = EXCLUDED.computed_on, write_uid = EXCLUDED.write_uid,
                        write_date = EXCLUDED.write_date
                    """,
                    values,
                )
            )
        self.invalidate_model()
        return True

    @api.model
    def _cron_recompute_scores(self):
        return self._recompute_scores()
