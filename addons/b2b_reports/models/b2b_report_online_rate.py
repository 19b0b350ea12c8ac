from odoo import fields, models
from odoo.tools import SQL

from .b2b_kpi_report_mixin import ONLINE_CHANNELS


class B2bReportOnline(models.Model):
    """Online order rate and dealer activation, in one view of two kinds of rows.

    ``order`` rows, one per confirmed order: ``online_rate`` is 100 for a portal or API
    order, 0 otherwise, so its average over any group is the online order rate.
    ``dealer`` rows, one per dealer with portal access to the company and month (the months having
    orders): ``activation_rate`` is 100 when the dealer placed a confirmed portal order that
    month, so its average is the monthly activation rate. Averages skip the empty
    measure of the other kind of row.
    """

    _name = "b2b.report.online"
    _inherit = "b2b.kpi.report.mixin"
    _description = "Online Order and Dealer Activation Report"
    _auto = False
    _order = "date desc"

    kind = fields.Selection([("order", "Order"), ("dealer", "Dealer Month")], readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    order_count = fields.Integer("# Orders", readonly=True)
    online_order_count = fields.Integer("# Online Orders", readonly=True)
    online_rate = fields.Float("Online Order Rate (%)", readonly=True, aggregator="avg")
    dealer_count = fields.Integer("# Portal Dealers", readonly=True)
    active_dealer_count = fields.Integer("# Active Dealers", readonly=True)
    activation_rate = fields.Float("Dealer Activation Rate (%)", readonly=True, aggregator="avg")

    def _b2b_view_query(self):
        return SQL(
            """
            WITH orders AS (
                SELECT so.id, so.date_order, so.company_id, so.user_id, so.team_id, so.b2b_channel,
                       p.commercial_partner_id AS dealer_id
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
            ), months AS (
                SELECT DISTINCT date_trunc('month', date_order) AS month, company_id FROM orders
            ), portal_dealers AS (
                SELECT DISTINCT cu.cid AS company_id, p.commercial_partner_id AS dealer_id
                  FROM res_users u
                  JOIN res_company_users_rel cu ON cu.user_id = u.id
                  JOIN res_partner p ON p.id = u.partner_id
                 WHERE u.active AND u.share AND p.active
            ), portal_activity AS (
                SELECT DISTINCT date_trunc('month', date_order) AS month, company_id, dealer_id
                  FROM orders WHERE b2b_channel = 'portal'
            )
            SELECT o.id * 2 AS id,
                   'order' AS kind,
                   o.id AS order_id,
                   o.date_order AS date,
                   o.company_id AS company_id,
                   %(dealer)s,
                   o.user_id AS user_id,
                   o.team_id AS team_id,
                   o.b2b_channel AS channel,
                   1 AS order_count,
                   CASE WHEN o.b2b_channel IN %(online)s THEN 1 ELSE 0 END AS online_order_count,
                   CASE WHEN o.b2b_channel IN %(online)s THEN 100.0 ELSE 0.0 END AS online_rate,
                   0 AS dealer_count,
                   0 AS active_dealer_count,
                   NULL::float AS activation_rate
              FROM orders o
              JOIN res_partner cp ON cp.id = o.dealer_id
             UNION ALL
            SELECT (ROW_NUMBER() OVER (ORDER BY m.month, m.company_id, cp.id)) * 2 + 1 AS id,
                   'dealer' AS kind,
                   NULL AS order_id,
                   m.month AS date,
                   m.company_id AS company_id,
                   %(dealer)s,
                   cp.user_id AS user_id,
                   NULL::integer AS team_id,
                   NULL AS channel,
                   0 AS order_count,
                   0 AS online_order_count,
                   NULL::float AS online_rate,
                   1 AS dealer_count,
                   CASE WHEN pa.dealer_id IS NULL THEN 0 ELSE 1 END AS active_dealer_count,
                   CASE WHEN pa.dealer_id IS NULL THEN 0.0 ELSE 100.0 END AS activation_rate
              FROM months m
              JOIN portal_dealers pd ON pd.company_id = m.company_id
              JOIN res_partner cp ON cp.id = pd.dealer_id
              LEFT JOIN portal_activity pa
                ON pa.month = m.month AND pa.company_id = m.company_id AND pa.dealer_id = cp.id
            """,
            dealer=self._b2b_dealer_columns(),
            online=ONLINE_CHANNELS,
        )
