from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    group_b2b_reports_own_dealers = fields.Boolean(
        string="Salespeople See Only Their Own Dealers",
        implied_group="b2b_reports.group_b2b_reports_own_dealers",
        group="sales_team.group_sale_salesman",
    )
