from odoo import api, fields, models
from odoo.addons.b2b_pricing.models.b2b_price_rule import CHANNELS

# Amounts are converted to the company currency with the order's rate, as core's sale.report.
COMPANY_AMOUNT = "(%s / CASE COALESCE(o.currency_rate, 0) WHEN 0 THEN 1.0 ELSE o.currency_rate END)"


class B2bReportSales(models.Model):
    """Confirmed dealer order lines with every analysis dimension, flattened.

    One row per product line of a confirmed order (cancelled orders, quotations, notes,
    down payments and delivery costs are left out), amounts untaxed in the company currency,
    quantities in the product's unit. The dealer is the ordering contact's company; its
    region, tier and salesperson are read from it. Behind the Purchase Preferences, Sales
    Trend, Product Ranking and Regional Sales reports. A materialized view (1M lines),
    refreshed by the cron ``b2b_reports.ir_cron_refresh_reports``.
    """

    _name = "b2b.report.sales"
    _inherit = ["b2b.report.abstract"]
    _description = "Dealer Sales Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "order_id"
    _materialized = True
    _report_dependents = ("b2b.report.product.stock", "b2b.report.promotion")
    _report_indexes = ("date", "dealer_id", "product_id", "categ_id", "user_id", "dealer_user_id")

    date = fields.Datetime("Order Date", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True, aggregator="count_distinct")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    dealer_id = fields.Many2one("res.partner", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    country_code = fields.Char(readonly=True)
    state_id = fields.Many2one("res.country.state", "Region", readonly=True)
    state_code = fields.Char("Region Code", readonly=True)
    tier_id = fields.Many2one("b2b.dealer.tier", "Dealer Tier", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    dealer_user_id = fields.Many2one("res.users", "Dealer's Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    channel = fields.Selection(CHANNELS, "Sales Channel", readonly=True)
    categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", "Product Template", readonly=True)
    brand_id = fields.Many2one("product.tag", readonly=True, help="The product's first tag (brands are tags).")
    packaging_id = fields.Many2one("product.packaging", "Pack Size", readonly=True)
    uom_id = fields.Many2one("uom.uom", "Unit", readonly=True)
    qty = fields.Float("Quantity", readonly=True)
    qty_delivered = fields.Float("Delivered Quantity", readonly=True)
    amount = fields.Monetary("Untaxed Amount", readonly=True)
    promotion_discount = fields.Monetary(readonly=True)

    def _report_query(self):
        amount = COMPANY_AMOUNT % "l.price_subtotal"
        discount = COMPANY_AMOUNT % "(l.b2b_promotion_discount * l.product_uom_qty)"
        return f"""
            SELECT l.id AS id,
                   o.date_order AS date,
                   o.id AS order_id,
                   o.company_id AS company_id,
                   c.currency_id AS currency_id,
                   d.id AS dealer_id,
                   d.country_id AS country_id,
                   country.code AS country_code,
                   d.state_id AS state_id,
                   st.code AS state_code,
                   d.b2b_tier_id AS tier_id,
                   o.user_id AS user_id,
                   d.user_id AS dealer_user_id,
                   o.team_id AS team_id,
                   o.b2b_channel AS channel,
                   pt.categ_id AS categ_id,
                   l.product_id AS product_id,
                   pt.id AS product_tmpl_id,
                   brand.brand_id AS brand_id,
                   l.product_packaging_id AS packaging_id,
                   pt.uom_id AS uom_id,
                   l.product_uom_qty / line_uom.factor * product_uom.factor AS qty,
                   l.qty_delivered / line_uom.factor * product_uom.factor AS qty_delivered,
                   {amount} AS amount,
                   {discount} AS promotion_discount
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              JOIN res_company c ON c.id = o.company_id
              JOIN res_partner p ON p.id = o.partner_id
              JOIN res_partner d ON d.id = COALESCE(p.commercial_partner_id, p.id)
              JOIN product_product pp ON pp.id = l.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN uom_uom line_uom ON line_uom.id = l.product_uom
              JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
              LEFT JOIN (SELECT product_template_id, MIN(product_tag_id) AS brand_id
                           FROM product_tag_product_template_rel GROUP BY product_template_id) brand
                ON brand.product_template_id = pt.id
              LEFT JOIN res_country country ON country.id = d.country_id
              LEFT JOIN res_country_state st ON st.id = d.state_id
             WHERE o.state = 'sale'
               AND l.display_type IS NULL
               AND NOT COALESCE(l.is_downpayment, FALSE)
               AND NOT COALESCE(l.is_delivery, FALSE)
        """

    @api.model
    def _refresh_reports(self, concurrently=False):
        """Refresh the materialized reports in dependency order, then rebuild the forecast."""
        self._refresh_report(concurrently=concurrently)
        self.env["b2b.report.product.stock"]._refresh_report(concurrently=concurrently)
        self.env["b2b.report.dealer.activity"]._refresh_report(concurrently=concurrently)
        self.env["b2b.report.promotion"]._refresh_report(concurrently=concurrently)
        self.env["b2b.report.forecast"]._refresh_forecast()
        return True

    @api.model
    def _cron_refresh_reports(self):
        return self._refresh_reports(concurrently=True)
