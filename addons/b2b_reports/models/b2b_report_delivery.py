from odoo import fields, models
from odoo.addons.b2b_logistics.models.b2b_shipment import PROBLEM_STATES, SHIPMENT_STATES
from odoo.tools import SQL

# Days between the planned shipping date and the promise, on top of the carrier's transit days,
# when the order has no committed delivery date.
PROMISE_GRACE_DAYS = 0


class B2bReportDelivery(models.Model):
    """One row per shipment (b2b_logistics): on time or late, exceptions by carrier.

    Promised delivery: the order's commitment date, else the transfer's deadline, else its
    scheduled date plus the carrier's transit days. A delivered shipment is on time when
    delivered on or before the promised day; ``on_time_rate`` (100 / 0, empty while not
    delivered) averages to the on-time rate. A shipment is an exception when it is, or
    ever was, in a problem status (failed attempt, exception, returned).
    """

    _name = "b2b.report.delivery"
    _inherit = "b2b.kpi.report.mixin"
    _description = "Delivery Performance Report"
    _auto = False
    _order = "date desc"

    shipment_id = fields.Many2one("b2b.shipment", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    carrier_id = fields.Many2one("delivery.carrier", readonly=True)
    state = fields.Selection(SHIPMENT_STATES, string="Status", readonly=True)
    promised_at = fields.Datetime("Promised Delivery", readonly=True)
    delivered_at = fields.Datetime("Delivered On", readonly=True)
    shipment_count = fields.Integer("# Shipments", readonly=True)
    delivered_count = fields.Integer("# Delivered", readonly=True)
    on_time_count = fields.Integer("# On Time", readonly=True)
    on_time_rate = fields.Float("On-time Rate (%)", readonly=True, aggregator="avg")
    exception_count = fields.Integer("# Exceptions", readonly=True)
    transit_hours = fields.Float("Hours in Transit", readonly=True, aggregator="avg")

    def _b2b_view_query(self):
        return SQL(
            """
            WITH base AS (
                SELECT s.*,
                       COALESCE(so.commitment_date, sp.date_deadline,
                                sp.scheduled_date + make_interval(days => COALESCE(c.b2b_transit_days, 0) + %(grace)s))
                           AS promise,
                       so.user_id AS order_user_id, so.team_id AS order_team_id, so.b2b_channel AS order_channel,
                       (s.state IN %(problems)s OR EXISTS (
                            SELECT 1 FROM b2b_shipment_event e
                             WHERE e.shipment_id = s.id AND e.state IN %(problems)s)) AS is_exception
                  FROM b2b_shipment s
                  JOIN stock_picking sp ON sp.id = s.picking_id
                  LEFT JOIN sale_order so ON so.id = s.sale_id
                  LEFT JOIN delivery_carrier c ON c.id = s.carrier_id
            )
            SELECT b.id AS id,
                   b.id AS shipment_id,
                   b.sale_id AS order_id,
                   COALESCE(b.delivered_at, b.create_date) AS date,
                   b.company_id AS company_id,
                   %(dealer)s,
                   b.order_user_id AS user_id,
                   b.order_team_id AS team_id,
                   b.order_channel AS channel,
                   b.carrier_id AS carrier_id,
                   b.state AS state,
                   b.promise AS promised_at,
                   b.delivered_at AS delivered_at,
                   1 AS shipment_count,
                   CASE WHEN b.state = 'delivered' AND b.delivered_at IS NOT NULL THEN 1 ELSE 0 END AS delivered_count,
                   CASE WHEN b.state = 'delivered' AND b.delivered_at IS NOT NULL
                             AND b.delivered_at::date <= b.promise::date THEN 1 ELSE 0 END AS on_time_count,
                   CASE WHEN b.state <> 'delivered' OR b.delivered_at IS NULL THEN NULL
                        WHEN b.delivered_at::date <= b.promise::date THEN 100.0 ELSE 0.0 END AS on_time_rate,
                   CASE WHEN b.is_exception THEN 1 ELSE 0 END AS exception_count,
                   EXTRACT(EPOCH FROM b.delivered_at - COALESCE(b.in_transit_at, b.create_date)) / 3600.0
                       AS transit_hours
              FROM base b
              LEFT JOIN res_partner cp ON cp.id = b.commercial_partner_id
            """,
            dealer=self._b2b_dealer_columns(),
            problems=PROBLEM_STATES,
            grace=PROMISE_GRACE_DAYS,
        )
