import re

from odoo import api, fields, models

TRACKING_SEPARATORS = re.compile(r"[\s,;]+")


class StockPicking(models.Model):
    _inherit = "stock.picking"

    b2b_shipment_ids = fields.One2many("b2b.shipment", "picking_id", "Shipments")
    b2b_shipment_count = fields.Integer(compute="_compute_b2b_shipment_count")
    b2b_ready_date = fields.Datetime(
        "Ready Since",
        compute="_compute_b2b_ready_date",
        store=True,
        help="When the goods were first reserved for this transfer (start of picking).",
    )

    @api.depends("b2b_shipment_ids")
    def _compute_b2b_shipment_count(self):
        for picking in self:
            picking.b2b_shipment_count = len(picking.b2b_shipment_ids)

    @api.depends("state")
    def _compute_b2b_ready_date(self):
        now = fields.Datetime.now()
        for picking in self:
            if picking.state in ("assigned", "done"):
                # date_done for transfers already done when the module is installed
                fallback = picking.date_done if picking.state == "done" and picking.date_done else now
                picking.b2b_ready_date = picking.b2b_ready_date or min(fallback, now)
            elif picking.state in ("draft", "cancel"):
                picking.b2b_ready_date = False

    @api.model_create_multi
    def create(self, vals_list):
        pickings = super().create(vals_list)
        pickings.filtered("carrier_tracking_ref")._b2b_sync_shipments()
        return pickings

    def write(self, vals):
        res = super().write(vals)
        if vals.get("carrier_tracking_ref") or vals.get("carrier_id"):
            self.filtered("carrier_tracking_ref")._b2b_sync_shipments()
        return res

    def _b2b_sync_shipments(self):
        """One shipment per tracking number of ``carrier_tracking_ref`` (multi-package carriers
        write several numbers separated by commas)."""
        Shipment = self.env["b2b.shipment"].sudo()
        vals_list = []
        for picking in self:
            if picking.picking_type_code != "outgoing" or not picking.carrier_id:
                continue
            numbers = [number for number in TRACKING_SEPARATORS.split(picking.carrier_tracking_ref or "") if number]
            existing = set(
                picking.b2b_shipment_ids.filtered(lambda s, p=picking: s.carrier_id == p.carrier_id).mapped("name")
            )
            for number in dict.fromkeys(numbers):
                if number not in existing:
                    vals_list.append({"name": number, "picking_id": picking.id, "carrier_id": picking.carrier_id.id})
        if vals_list:
            Shipment.create(vals_list)

    def _action_done(self):
        res = super()._action_done()
        template = self.env.ref("b2b_logistics.mail_template_picking_shipped", raise_if_not_found=False)
        if template:
            for picking in self.filtered(
                lambda p: p.state == "done" and p.picking_type_code == "outgoing" and p.sale_id
            ):
                picking.sale_id._b2b_post_notification(template, picking)
        return res

    def action_view_b2b_shipments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_logistics.action_b2b_shipment")
        action["domain"] = [("picking_id", "=", self.id)]
        action["context"] = {"default_picking_id": self.id, "default_carrier_id": self.carrier_id.id}
        return action
