from odoo import _, api, fields, models
from odoo.exceptions import UserError


class B2bCarrierSuggestion(models.TransientModel):
    _name = "b2b.carrier.suggestion"
    _description = "Compare Delivery Methods for an Order"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    line_ids = fields.One2many("b2b.carrier.suggestion.line", "wizard_id", readonly=True)
    cheapest_carrier_id = fields.Many2one("delivery.carrier", "Cheapest", readonly=True)
    fastest_carrier_id = fields.Many2one("delivery.carrier", "Fastest", readonly=True)

    @api.model
    def _b2b_create_for_order(self, order):
        comparison = order._b2b_carrier_options()
        return self.create(
            {
                "order_id": order.id,
                "cheapest_carrier_id": comparison["cheapest"].id,
                "fastest_carrier_id": comparison["fastest"].id,
                "line_ids": [
                    fields.Command.create(
                        {
                            "carrier_id": option["carrier"].id,
                            "eligible": option["eligible"],
                            "reason": option["reason"],
                            "price": option["price"],
                            "transit_days": option["transit_days"],
                            "service_level": option["service_level"],
                            "is_cheapest": option["carrier"] == comparison["cheapest"],
                            "is_fastest": option["carrier"] == comparison["fastest"],
                        }
                    )
                    for option in sorted(
                        comparison["options"], key=lambda o: (not o["eligible"], o["price"], o["transit_days"])
                    )
                ],
            }
        )

    def action_apply_cheapest(self):
        return self._apply(self.cheapest_carrier_id)

    def action_apply_fastest(self):
        return self._apply(self.fastest_carrier_id)

    def _apply(self, carrier):
        self.ensure_one()
        if not carrier:
            raise UserError(_("No delivery method is available for this order."))
        line = self.line_ids.filtered(lambda option: option.carrier_id == carrier)
        self.order_id.set_delivery_line(carrier, line.price)
        self.order_id.write({"recompute_delivery_price": False})
        return {"type": "ir.actions.act_window_close"}


class B2bCarrierSuggestionLine(models.TransientModel):
    _name = "b2b.carrier.suggestion.line"
    _description = "Delivery Method Option"
    _order = "id"

    wizard_id = fields.Many2one("b2b.carrier.suggestion", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    carrier_id = fields.Many2one("delivery.carrier", required=True)
    eligible = fields.Boolean()
    reason = fields.Char("Why Not")
    price = fields.Monetary(currency_field="currency_id")
    transit_days = fields.Integer()
    service_level = fields.Selection([("economy", "Economy"), ("standard", "Standard"), ("express", "Express")])
    is_cheapest = fields.Boolean("Cheapest")
    is_fastest = fields.Boolean("Fastest")

    def action_apply(self):
        self.ensure_one()
        if not self.eligible:
            raise UserError(_("This delivery method is not available for this order."))
        return self.wizard_id._apply(self.carrier_id)
