from odoo import fields, models
from odoo.tools import SQL


class B2bReportProcess(models.Model):
    """One row per confirmed order: how long it took from submission to approval
    (confirmation), to shipment (first outgoing transfer done) and to delivery (every
    shipment delivered, or the dealer's confirmed receipt)."""

    _name = "b2b.report.process"
    _inherit = "b2b.kpi.report.mixin"
    _description = "Order Processing Time Report"
    _auto = False
    _order = "date desc"

    order_id = fields.Many2one("sale.order", readonly=True)
    submitted_at = fields.Datetime("Submitted On", readonly=True)
    shipped_at = fields.Datetime("Shipped On", readonly=True)
    delivered_at = fields.Datetime("Delivered On", readonly=True)
    minutes_to_approval = fields.Float("Minutes to Approval", readonly=True, aggregator="avg")
    hours_to_shipment = fields.Float("Hours to Shipment", readonly=True, aggregator="avg")
    hours_to_delivery = fields.Float("Hours to Delivery", readonly=True, aggregator="avg")
    order_count = fields.Integer("# Orders", readonly=True)

    def _b2b_view_query(self):
        return SQL(
            """
            SELECT so.id AS id,
                   so.id AS order_id,
                   so.date_order AS date,
                   so.company_id AS company_id,
                   %(dealer)s,
                   so.user_id AS user_id,
                   so.team_id AS team_id,
                   so.b2b_channel AS channel,
                   st.start_at AS submitted_at,
                   ship.shipped_at AS shipped_at,
                   COALESCE(dlv.delivered_at, so.b2b_receipt_date) AS delivered_at,
                   GREATEST(EXTRACT(EPOCH FROM so.date_order - st.start_at) / 60.0, 0) AS minutes_to_approval,
                   GREATEST(EXTRACT(EPOCH FROM ship.shipped_at - st.start_at) / 3600.0, 0) AS hours_to_shipment,
                   GREATEST(EXTRACT(EPOCH FROM COALESCE(dlv.delivered_at, so.b2b_receipt_date) - st.start_at)
                            / 3600.0, 0) AS hours_to_delivery,
                   1 AS order_count
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
             CROSS JOIN LATERAL (SELECT COALESCE(so.b2b_portal_submitted_date, so.create_date) AS start_at) st
              LEFT JOIN (
                    SELECT sp.sale_id, MIN(sp.date_done) AS shipped_at
                      FROM stock_picking sp
                      JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                     WHERE sp.sale_id IS NOT NULL AND sp.state = 'done' AND spt.code = 'outgoing'
                  GROUP BY sp.sale_id
                   ) ship ON ship.sale_id = so.id
              LEFT JOIN (
                    SELECT s.sale_id,
                           CASE WHEN bool_and(s.state = 'delivered') THEN MAX(s.delivered_at) END AS delivered_at
                      FROM b2b_shipment s
                     WHERE s.sale_id IS NOT NULL
                  GROUP BY s.sale_id
                   ) dlv ON dlv.sale_id = so.id
             WHERE so.state = 'sale'
            """,
            dealer=self._b2b_dealer_columns(),
        )
