from odoo import fields, models
from odoo.tools import date_utils


def _last_month_start(env):
    return date_utils.start_of(
        date_utils.start_of(fields.Date.context_today(env.user), "month") - date_utils.relativedelta(days=1), "month"
    )


def _last_month_end(env):
    return date_utils.start_of(fields.Date.context_today(env.user), "month") - date_utils.relativedelta(days=1)


class B2bCreditStatementWizard(models.TransientModel):
    _name = "b2b.credit.statement.wizard"
    _description = "Generate Statements of Account"

    partner_ids = fields.Many2many("res.partner", string="Dealers", domain="[('is_company', '=', True)]")
    date_from = fields.Date(required=True, default=lambda self: _last_month_start(self.env))
    date_to = fields.Date(required=True, default=lambda self: _last_month_end(self.env))

    def action_generate(self):
        self.ensure_one()
        statements = self.env["b2b.credit.statement"]._b2b_generate(self.partner_ids, self.date_from, self.date_to)
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_credit.action_b2b_credit_statement")
        action["domain"] = [("id", "in", statements.ids)]
        return action
