from odoo import api, fields, models

FACTOR_CODES = [
    ("activity", "Activity"),
    ("growth", "Growth"),
    ("collection", "Collection"),
    ("returns", "Returns"),
    ("on_time", "On-time Delivery"),
]

DEFAULT_FACTORS = {
    "activity": {"sequence": 1, "name": "Activity", "weight": 25.0, "full_score_value": 4.0},
    "growth": {"sequence": 2, "name": "Growth", "weight": 20.0, "full_score_value": 20.0},
    "collection": {"sequence": 3, "name": "Collection", "weight": 25.0, "full_score_value": 100.0},
    "returns": {"sequence": 4, "name": "Returns", "weight": 15.0, "full_score_value": 10.0},
    "on_time": {"sequence": 5, "name": "On-time Delivery", "weight": 15.0, "full_score_value": 100.0},
}


class B2bHealthFactor(models.Model):
    """A factor of the monthly dealer health score, with its weight.

    Factor scores run from 0 to 100:
    activity = confirmed orders of the month / full-score value (orders) x 100, at most 100;
    growth = 50 + 50 x sales growth on the previous month (%) / full-score value (%), within 0..100
    (100 when there were no sales the month before and there are now);
    collection = b2b_credit's collection rate of the amounts due in the month (%);
    returns = 100 - 100 x credit notes / invoices of the month (%) / full-score value (%), at least 0;
    on-time = on-time delivery rate of the month's delivered shipments (%).
    A factor without data (nothing due, nothing invoiced, nothing delivered, no sales in
    either month) is left out and the weights of the others are scaled up.
    """

    _name = "b2b.health.factor"
    _description = "Dealer Health Score Factor"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    code = fields.Selection(FACTOR_CODES, string="Factor", required=True)
    name = fields.Char(required=True, translate=True)
    weight = fields.Float(required=True, default=20.0)
    full_score_value = fields.Float(
        "Full-score Value",
        required=True,
        help="Activity: orders a month for 100 points; growth: growth (%) for 100 points (its opposite "
        "gives 0); returns: returned share (%) that gives 0 points. Not used by collection and on-time.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "Each factor has one weight per company."),
        ("weight_positive", "CHECK(weight >= 0)", "A factor weight cannot be negative."),
        ("full_score_positive", "CHECK(full_score_value > 0)", "The full-score value must be positive."),
    ]

    @api.model
    def _b2b_factors(self, company):
        """{code: factor} of a company, the defaults created when missing."""
        factors = self.sudo().search([("company_id", "=", company.id)])
        missing = {code for code, _label in FACTOR_CODES} - set(factors.mapped("code"))
        if missing:
            factors |= self.sudo().create(
                [dict(DEFAULT_FACTORS[code], code=code, company_id=company.id) for code in sorted(missing)]
            )
        return {factor.code: factor for factor in factors}

    def _b2b_score(self, value, new_sales=False):
        """Score 0..100 of this factor for a raw value (see the class doc), None without data.
        ``new_sales``: growth only, sales this month after none the month before."""
        self.ensure_one()
        full = self.full_score_value
        if self.code == "growth":
            if value is None:
                return 100.0 if new_sales else None
            return min(100.0, max(0.0, 50.0 + 50.0 * value / full))
        if value is None:
            return None
        if self.code == "activity":
            return min(100.0, 100.0 * value / full)
        if self.code == "returns":
            return max(0.0, 100.0 - 100.0 * value / full)
        return min(100.0, max(0.0, value))
