from odoo import fields, models
from odoo.addons.b2b_pricing.models.b2b_price_rule import CHANNELS
from odoo.tools import SQL

# Orders placed by the dealers themselves.
ONLINE_CHANNELS = ("portal", "api")


class B2bKpiReportMixin(models.AbstractModel):
    """Columns every KPI report view has, to filter by period, company, region, tier,
    salesperson, channel (and category through the order lines in the search views)."""

    _name = "b2b.kpi.report.mixin"
    _description = "Dealer KPI Report Columns"

    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    dealer_id = fields.Many2one("res.partner", readonly=True)
    dealer_user_id = fields.Many2one("res.users", string="Dealer's Salesperson", readonly=True)
    tier_id = fields.Many2one("b2b.dealer.tier", string="Dealer Tier", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Region", readonly=True)
    channel = fields.Selection(CHANNELS, string="Sales Channel", readonly=True)
    product_categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        compute="_compute_product_categ_id",
        search="_search_product_categ_id",
        help="Rows with products of this category (or its subcategories).",
    )

    # Path from a row to the categories of its products (searching only).
    _b2b_category_path = "order_id.order_line.product_id.categ_id"

    def _compute_product_categ_id(self):
        self.product_categ_id = False

    def _search_product_categ_id(self, operator, value):
        return [(self._b2b_category_path, operator, value)]

    def _b2b_dealer_columns(self, dealer="cp"):
        """SELECT columns taken from the dealer (commercial partner) alias."""
        return SQL(
            """%(d)s.id AS dealer_id, %(d)s.user_id AS dealer_user_id, %(d)s.b2b_tier_id AS tier_id,
               %(d)s.country_id AS country_id, %(d)s.state_id AS state_id""",
            d=SQL.identifier(dealer),
        )

    def _b2b_view_query(self):
        raise NotImplementedError

    def init(self):
        if self._abstract:
            return
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._b2b_view_query(),
            )
        )
