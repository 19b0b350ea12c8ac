from odoo import api, fields, models


class B2bDealerTier(models.Model):
    """A dealer tier (一级经销商, 二级经销商, 零售终端...).

    The tier carries the commercial defaults a new dealer of the tier starts with,
    and is a dimension the price engine can match on.
    """

    _name = "b2b.dealer.tier"
    _description = "Dealer Tier"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True, help="Short unique code, used in imports and the API.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Default Pricelist",
        tracking=True,
        help="Pricelist given to new dealers of this tier.",
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Default Payment Term",
        tracking=True,
        help="Customer payment term given to new dealers of this tier.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Default Sales Team",
        tracking=True,
        help="Sales team set on orders of dealers of this tier.",
    )
    partner_ids = fields.One2many("res.partner", "b2b_tier_id", string="Dealers")
    partner_count = fields.Integer(compute="_compute_partner_count")
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The tier code must be unique per company."),
    ]

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("b2b_tier_id", "in", self.ids), ("is_company", "=", True)],
                ["b2b_tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    def _partner_defaults(self):
        """Values a dealer takes from its tier when it joins it."""
        self.ensure_one()
        vals = {}
        if self.pricelist_id:
            vals["property_product_pricelist"] = self.pricelist_id.id
        if self.payment_term_id:
            vals["property_payment_term_id"] = self.payment_term_id.id
        return vals

    def write(self, vals):
        if "pricelist_id" in vals or "active" in vals:
            # The table prices a pricelist for the tier using it: both pricelists follow.
            table = self.env["b2b.price.table"].sudo()
            table._mark_dirty(pricelists=self.pricelist_id)
            res = super().write(vals)
            table._mark_dirty(pricelists=self.pricelist_id)
            return res
        return super().write(vals)

    def action_view_dealers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("base.action_partner_form")
        action["domain"] = [("b2b_tier_id", "=", self.id)]
        action["context"] = {"default_b2b_tier_id": self.id, "default_is_company": True}
        return action
