from odoo import fields, models

# A dealer without a confirmed order for more than this many days is dormant.
ACTIVE_DAYS = 90
# Churn risk: days since the last order against the dealer's own average interval.
RISK_HIGH_RATIO = 3.0
RISK_MEDIUM_RATIO = 1.5
MIN_INTERVAL_DAYS = 7


class B2bReportDealerActivity(models.Model):
    """One row per dealer and company: last order, order frequency, active/dormant, churn risk.

    Dealers are companies with a tier or a customer rank, plus any partner that has confirmed
    orders; a dealer without any confirmed order shows as "never ordered". A materialized view
    (an aggregate of every order), refreshed with the sales analysis: figures are as of the
    last refresh.
    """

    _name = "b2b.report.dealer.activity"
    _inherit = ["b2b.report.abstract"]
    _description = "Dealer Activity Analysis"
    _auto = False
    _order = "days_since_last_order desc, id"
    _rec_name = "dealer_id"
    _materialized = True
    _report_indexes = ("dealer_id", "company_id", "dealer_user_id", "days_since_last_order")

    dealer_id = fields.Many2one("res.partner", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", "Region", readonly=True)
    tier_id = fields.Many2one("b2b.dealer.tier", "Dealer Tier", readonly=True)
    dealer_user_id = fields.Many2one("res.users", "Dealer's Salesperson", readonly=True)
    user_id = fields.Many2one("res.users", "Last Order Salesperson", readonly=True)
    first_order_date = fields.Datetime("First Order", readonly=True)
    last_order_date = fields.Datetime("Last Order", readonly=True)
    order_count = fields.Integer("Orders", readonly=True)
    order_count_90 = fields.Integer("Orders (90 Days)", readonly=True)
    order_count_365 = fields.Integer("Orders (12 Months)", readonly=True)
    amount_365 = fields.Monetary("Untaxed Amount (12 Months)", readonly=True)
    orders_per_month = fields.Float("Orders per Month (12 Months)", readonly=True, aggregator="avg")
    avg_interval_days = fields.Float("Average Days Between Orders", readonly=True, aggregator="avg", digits=(16, 1))
    days_since_last_order = fields.Integer(readonly=True, aggregator="avg")
    status = fields.Selection([("active", "Active"), ("dormant", "Dormant"), ("never", "Never Ordered")], readonly=True)
    churn_risk = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        readonly=True,
        help="High: dormant, or silent for three times its usual interval between orders; "
        "medium: silent for one and a half times that interval.",
    )

    def _report_query(self):
        return f"""
            WITH orders AS (
                SELECT o.id, o.company_id, o.date_order, o.user_id,
                       COALESCE(p.commercial_partner_id, p.id) AS dealer_id,
                       o.amount_untaxed / CASE COALESCE(o.currency_rate, 0) WHEN 0 THEN 1.0
                                          ELSE o.currency_rate END AS amount
                  FROM sale_order o
                  JOIN res_partner p ON p.id = o.partner_id
                 WHERE o.state = 'sale'
            ), stats AS (
                SELECT dealer_id, company_id,
                       COUNT(*) AS order_count,
                       MIN(date_order) AS first_order_date,
                       MAX(date_order) AS last_order_date,
                       COUNT(*) FILTER (WHERE date_order >= (now() at time zone 'UTC') - interval '90 days')
                           AS order_count_90,
                       COUNT(*) FILTER (WHERE date_order >= (now() at time zone 'UTC') - interval '365 days')
                           AS order_count_365,
                       COALESCE(SUM(amount) FILTER (
                           WHERE date_order >= (now() at time zone 'UTC') - interval '365 days'), 0) AS amount_365,
                       (ARRAY_AGG(user_id ORDER BY date_order DESC, id DESC))[1] AS user_id
                  FROM orders
                 GROUP BY dealer_id, company_id
            ), dealers AS (
                SELECT d.id AS dealer_id, c.id AS company_id
                  FROM res_partner d
                  JOIN res_company c ON d.company_id IS NULL OR d.company_id = c.id
                 WHERE d.active AND d.is_company AND d.id = COALESCE(d.commercial_partner_id, d.id)
                   AND (d.b2b_tier_id IS NOT NULL OR d.customer_rank > 0)
                   AND d.id NOT IN (SELECT partner_id FROM res_company)
                 UNION
                SELECT dealer_id, company_id FROM stats
            ), rows AS (
                SELECT dl.dealer_id, dl.company_id, s.order_count, s.first_order_date, s.last_order_date,
                       s.order_count_90, s.order_count_365, s.amount_365, s.user_id,
                       CASE WHEN s.order_count > 1
                            THEN EXTRACT(EPOCH FROM s.last_order_date - s.first_order_date)
                                 / 86400.0 / (s.order_count - 1) END AS avg_interval_days,
                       (now() at time zone 'UTC')::date - s.last_order_date::date AS days_since_last_order
                  FROM dealers dl
                  LEFT JOIN stats s ON s.dealer_id = dl.dealer_id AND s.company_id = dl.company_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY r.dealer_id, r.company_id) AS id,
                   r.dealer_id, r.company_id, c.currency_id, d.country_id, d.state_id,
                   d.b2b_tier_id AS tier_id, d.user_id AS dealer_user_id, r.user_id,
                   r.first_order_date, r.last_order_date,
                   COALESCE(r.order_count, 0) AS order_count,
                   COALESCE(r.order_count_90, 0) AS order_count_90,
                   COALESCE(r.order_count_365, 0) AS order_count_365,
                   COALESCE(r.amount_365, 0) AS amount_365,
                   COALESCE(r.order_count_365, 0) / 12.0 AS orders_per_month,
                   r.avg_interval_days,
                   r.days_since_last_order,
                   CASE WHEN r.last_order_date IS NULL THEN 'never'
                        WHEN r.days_since_last_order <= {ACTIVE_DAYS} THEN 'active'
                        ELSE 'dormant' END AS status,
                   CASE WHEN r.last_order_date IS NULL THEN NULL
                        WHEN r.days_since_last_order > {ACTIVE_DAYS}
                          OR r.days_since_last_order >= {RISK_HIGH_RATIO}
                             * GREATEST(COALESCE(r.avg_interval_days, {ACTIVE_DAYS / RISK_HIGH_RATIO}),
                                        {MIN_INTERVAL_DAYS}) THEN 'high'
                        WHEN r.days_since_last_order >= {RISK_MEDIUM_RATIO}
                             * GREATEST(COALESCE(r.avg_interval_days, {ACTIVE_DAYS / RISK_HIGH_RATIO}),
                                        {MIN_INTERVAL_DAYS}) THEN 'medium'
                        ELSE 'low' END AS churn_risk
              FROM rows r
              JOIN res_partner d ON d.id = r.dealer_id
              JOIN res_company c ON c.id = r.company_id
        """
