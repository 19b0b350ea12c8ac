from odoo import api, fields, models

KPI_CODES = [
    ("online_rate", "Online Order Rate"),
    ("processing_minutes", "Average Order Processing Time"),
    ("activation_rate", "Dealer Activation Rate"),
    ("collection_rate", "Collection Rate"),
    ("on_time_rate", "On-time Delivery Rate"),
]


class B2bKpiTarget(models.Model):
    """Target of one dashboard KPI, per company; drives the red/amber/green status."""

    _name = "b2b.kpi.target"
    _description = "Dealer KPI Target"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    code = fields.Selection(KPI_CODES, string="KPI", required=True)
    name = fields.Char(required=True, translate=True)
    target = fields.Float(required=True, help="Value to reach: a percentage, or minutes for the processing time.")
    amber_margin = fields.Float(
        default=10.0,
        help="How far from the target (same unit) a value is still amber instead of red.",
    )
    higher_is_better = fields.Boolean(default=True)
    unit = fields.Selection([("percent", "%"), ("minutes", "min")], required=True, default="percent")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "Each KPI has one target per company."),
        ("amber_margin_positive", "CHECK(amber_margin >= 0)", "The amber margin cannot be negative."),
    ]

    def _b2b_status(self, value):
        """'green', 'amber', 'red' for a value of this KPI, or 'none' without value."""
        self.ensure_one()
        if value is None:
            return "none"
        gap = (value - self.target) if self.higher_is_better else (self.target - value)
        if gap >= 0:
            return "green"
        return "amber" if -gap <= self.amber_margin else "red"

    @api.model
    def _b2b_targets(self, company):
        """{code: target record} of a company, the defaults created when missing."""
        targets = self.sudo().search([("company_id", "=", company.id)])
        missing = {code for code, _label in KPI_CODES} - set(targets.mapped("code"))
        if missing:
            targets |= self.sudo().create(
                [dict(DEFAULT_TARGETS[code], code=code, company_id=company.id) for code in sorted(missing)]
            )
        return {target.code: target for target in targets}


DEFAULT_TARGETS = {
    "online_rate": {"sequence": 1, "name": "Online Order Rate", "target": 90.0, "amber_margin": 10.0},
    "processing_minutes": {
        "sequence": 2,
        "name": "Average Order Processing Time",
        "target": 15.0,
        "amber_margin": 15.0,
        "higher_is_better": False,
        "unit": "minutes",
    },
    "activation_rate": {"sequence": 3, "name": "Dealer Activation Rate", "target": 60.0, "amber_margin": 10.0},
    "collection_rate": {"sequence": 4, "name": "Collection Rate", "target": 95.0, "amber_margin": 10.0},
    "on_time_rate": {"sequence": 5, "name": "On-time Delivery Rate", "target": 90.0, "amber_margin": 10.0},
}
