from odoo import fields, models

from .b2b_health_factor import FACTOR_CODES


class B2bHealthScorecardLine(models.Model):
    _name = "b2b.health.scorecard.line"
    _description = "Dealer Health Scorecard Factor"
    _order = "scorecard_id, sequence, id"

    scorecard_id = fields.Many2one("b2b.health.scorecard", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True, index=True)
    dealer_id = fields.Many2one(related="scorecard_id.dealer_id", store=True)
    sequence = fields.Integer(default=10)
    code = fields.Selection(FACTOR_CODES, string="Factor", required=True)
    name = fields.Char(required=True)
    value = fields.Float("Measure", help="Raw measure of the factor (see the factor's definition).")
    has_value = fields.Boolean()
    score = fields.Float()
    has_score = fields.Boolean(help="False: no data this month; the factor weighs nothing.")
    weight = fields.Float("Configured Weight")
    effective_weight = fields.Float("Weight (%)")
    weighted_score = fields.Float("Points")
