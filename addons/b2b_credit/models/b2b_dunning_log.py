from odoo import fields, models


class B2bDunningLog(models.Model):
    _name = "b2b.dunning.log"
    _description = "Dunning Log"
    _order = "date desc, id desc"
    _rec_name = "move_id"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True, ondelete="cascade")
    level_id = fields.Many2one("b2b.dunning.level", required=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one("res.partner", string="Dealer", index=True)
    company_id = fields.Many2one("res.company", index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount_due = fields.Monetary()
    days_overdue = fields.Integer()
    mail_id = fields.Many2one("mail.mail", ondelete="set null")

    _sql_constraints = [
        ("move_level_uniq", "UNIQUE(move_id, level_id)", "This reminder level was already sent for this invoice."),
    ]
