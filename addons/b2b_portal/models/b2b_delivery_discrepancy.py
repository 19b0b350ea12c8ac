from odoo import fields, models

from .sale_order import PORTAL_REQUESTS


class B2bDeliveryDiscrepancy(models.Model):
    _inherit = "b2b.delivery.discrepancy"

    b2b_portal_request = fields.Selection(
        PORTAL_REQUESTS,
        string="Dealer Request",
        readonly=True,
        help="What the dealer asked for on the portal: a problem report, a return or an exchange.",
    )
