from odoo import fields, models

SLOW_COVER_DAYS = 180  # stock lasting longer than this at the 90-day sales pace is a slow mover


class B2bReportProductStock(models.Model):
    """Product ranking and slow movers (滞销品) with stock cover, per product and company.

    Sales come from the sales analysis (confirmed orders); stock is the quantity on hand in
    the company's internal locations. Cover is stock divided by the average daily sales of
    the last 90 days. Rows: products with stock or with sales in the last 12 months.
    A materialized view, refreshed after the sales analysis; windows count back from the refresh.
    """

    _name = "b2b.report.product.stock"
    _inherit = ["b2b.report.abstract"]
    _description = "Product Ranking and Slow Movers"
    _auto = False
    _report_depends = ("b2b.report.sales",)
    _order = "sales_rank, id"
    _rec_name = "product_id"
    _materialized = True
    _report_indexes = ("product_id", "categ_id", "company_id")

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", "Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    brand_id = fields.Many2one("product.tag", readonly=True)
    qty_on_hand = fields.Float("On Hand", readonly=True)
    qty_sold_30 = fields.Float("Sold (30 Days)", readonly=True)
    qty_sold_90 = fields.Float("Sold (90 Days)", readonly=True)
    qty_sold_365 = fields.Float("Sold (12 Months)", readonly=True)
    amount_365 = fields.Monetary("Sales (12 Months)", readonly=True)
    order_count_365 = fields.Integer("Orders (12 Months)", readonly=True)
    last_sale_date = fields.Datetime("Last Sale", readonly=True)
    days_since_sale = fields.Integer("Days Since Last Sale", readonly=True, aggregator="avg")
    avg_daily_qty = fields.Float("Average Daily Sales (90 Days)", readonly=True, digits=(16, 3))
    cover_days = fields.Float(
        "Stock Cover (Days)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="On hand divided by the average daily sales of the last 90 days; empty when nothing sold.",
    )
    sales_rank = fields.Integer("Rank (12 Months)", readonly=True, aggregator="min")
    movement = fields.Selection(
        [
            ("no_sales", "No Sales in 90 Days"),
            ("slow", "Slow Mover"),
            ("normal", "Normal"),
            ("out_of_stock", "Out of Stock"),
        ],
        readonly=True,
    )
    slow_mover = fields.Boolean("Slow Mover (滞销)", readonly=True)

    def _report_query(self):
        return f"""
            WITH sold AS (
                SELECT s.product_id, s.company_id,
                       SUM(s.qty) FILTER (WHERE s.date >= (now() at time zone 'UTC') - interval '30 days') AS qty_30,
                       SUM(s.qty) FILTER (WHERE s.date >= (now() at time zone 'UTC') - interval '90 days') AS qty_90,
                       SUM(s.qty) AS qty_365,
                       SUM(s.amount) AS amount_365,
                       COUNT(DISTINCT s.order_id) AS order_count_365,
                       MAX(s.date) AS last_sale_date
                  FROM b2b_report_sales s
                 WHERE s.date >= (now() at time zone 'UTC') - interval '365 days'
                 GROUP BY s.product_id, s.company_id
            ), last_sale AS (
                SELECT s.product_id, s.company_id, MAX(s.date) AS last_sale_date
                  FROM b2b_report_sales s
                 GROUP BY s.product_id, s.company_id
            ), stock AS (
                SELECT q.product_id, q.company_id, SUM(q.quantity) AS qty_on_hand
                  FROM stock_quant q
                  JOIN stock_location loc ON loc.id = q.location_id
                 WHERE loc.usage = 'internal' AND q.company_id IS NOT NULL
                 GROUP BY q.product_id, q.company_id
            ), keys AS (
                SELECT product_id, company_id FROM sold
                 UNION
                SELECT product_id, company_id FROM stock WHERE qty_on_hand <> 0
            ), rows AS (
                SELECT k.product_id, k.company_id,
                       COALESCE(st.qty_on_hand, 0) AS qty_on_hand,
                       COALESCE(so.qty_30, 0) AS qty_30, COALESCE(so.qty_90, 0) AS qty_90,
                       COALESCE(so.qty_365, 0) AS qty_365, COALESCE(so.amount_365, 0) AS amount_365,
                       COALESCE(so.order_count_365, 0) AS order_count_365,
                       ls.last_sale_date
                  FROM keys k
                  LEFT JOIN sold so ON so.product_id = k.product_id AND so.company_id = k.company_id
                  LEFT JOIN stock st ON st.product_id = k.product_id AND st.company_id = k.company_id
                  LEFT JOIN last_sale ls ON ls.product_id = k.product_id AND ls.company_id = k.company_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY r.company_id, r.product_id) AS id,
                   r.company_id, c.currency_id, r.product_id, pt.id AS product_tmpl_id, pt.categ_id,
                   brand.brand_id,
                   r.qty_on_hand, r.qty_30 AS qty_sold_30, r.qty_90 AS qty_sold_90, r.qty_365 AS qty_sold_365,
                   r.amount_365, r.order_count_365, r.last_sale_date,
                   (now() at time zone 'UTC')::date - r.last_sale_date::date AS days_since_sale,
                   r.qty_90 / 90.0 AS avg_daily_qty,
                   CASE WHEN r.qty_90 > 0 THEN r.qty_on_hand / (r.qty_90 / 90.0) END AS cover_days,
                   CASE WHEN r.qty_365 > 0 THEN
                       RANK() OVER (PARTITION BY r.company_id, r.qty_365 > 0 ORDER BY r.amount_365 DESC) END
                       AS sales_rank,
                   CASE WHEN r.qty_on_hand <= 0 THEN 'out_of_stock'
                        WHEN r.qty_90 <= 0 THEN 'no_sales'
                        WHEN r.qty_on_hand / (r.qty_90 / 90.0) > {SLOW_COVER_DAYS} THEN 'slow'
                        ELSE 'normal' END AS movement,
                   r.qty_on_hand > 0 AND (r.qty_90 <= 0 OR r.qty_on_hand / (r.qty_90 / 90.0) > {SLOW_COVER_DAYS})
                       AS slow_mover
              FROM rows r
              JOIN res_company c ON c.id = r.company_id
              JOIN product_product pp ON pp.id = r.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN (SELECT product_template_id, MIN(product_tag_id) AS brand_id
                           FROM product_tag_product_template_rel GROUP BY product_template_id) brand
                ON brand.product_template_id = pt.id
        """
