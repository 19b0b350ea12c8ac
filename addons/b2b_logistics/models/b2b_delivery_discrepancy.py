import base64
import binascii

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero
from odoo.tools.mimetypes import guess_mimetype

MAX_PHOTOS = 10
MAX_PHOTO_SIZE = 10 * 1024 * 1024
DISCREPANCY_KINDS = [("short", "Short Delivery"), ("damaged", "Damaged Goods"), ("wrong_item", "Wrong Item")]


class B2bDeliveryDiscrepancy(models.Model):
    _name = "b2b.delivery.discrepancy"
    _description = "Delivery Discrepancy Reported by a Dealer"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, default=lambda self: _("New"))
    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade", readonly=True)
    partner_id = fields.Many2one(related="order_id.partner_id", store=True)
    commercial_partner_id = fields.Many2one(
        "res.partner", related="order_id.partner_id.commercial_partner_id", store=True, index=True, string="Dealer"
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    kind = fields.Selection(DISCREPANCY_KINDS, required=True, readonly=True)
    comment = fields.Text(readonly=True)
    reporter_id = fields.Many2one("res.users", "Reported By", readonly=True)
    line_ids = fields.One2many("b2b.delivery.discrepancy.line", "discrepancy_id", readonly=True)
    attachment_ids = fields.Many2many(
        "ir.attachment", "b2b_discrepancy_attachment_rel", "discrepancy_id", "attachment_id", "Photos", readonly=True
    )
    return_picking_ids = fields.Many2many(
        "stock.picking", "b2b_discrepancy_return_rel", "discrepancy_id", "picking_id", "Draft Returns", readonly=True
    )
    state = fields.Selection([("open", "Open"), ("resolved", "Resolved")], default="open", required=True)

    def action_resolve(self):
        self.write({"state": "resolved"})

    @api.model
    def _b2b_create_for_order(self, order, lines, kind, comment, photos, reporter):
        if kind not in dict(DISCREPANCY_KINDS):
            raise ValidationError(_("Unknown discrepancy kind %(kind)s.", kind=kind))
        if not lines:
            raise ValidationError(_("Tell us which products are concerned."))
        if len(photos) > MAX_PHOTOS:
            raise ValidationError(_("At most %(count)s photos can be attached.", count=MAX_PHOTOS))
        delivered_moves = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        ).move_ids.filtered(lambda m: m.state == "done")
        if not delivered_moves:
            raise UserError(_("Order %(name)s has not been delivered yet.", name=order.name))
        line_vals = self._b2b_validate_lines(order, lines, delivered_moves)
        attachments = self._b2b_photo_values(photos)

        discrepancy = self.create(
            {
                "name": _("%(order)s - %(kind)s", order=order.name, kind=dict(DISCREPANCY_KINDS)[kind]),
                "order_id": order.id,
                "kind": kind,
                "comment": comment or False,
                "reporter_id": reporter.id,
                "line_ids": [fields.Command.create(vals) for vals in line_vals],
            }
        )
        if attachments:
            for vals in attachments:
                vals.update(res_model=self._name, res_id=discrepancy.id)
            discrepancy.attachment_ids = self.env["ir.attachment"].create(attachments)
        discrepancy.return_picking_ids = discrepancy._b2b_create_draft_returns(delivered_moves)
        order.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=_("Delivery discrepancy: %(kind)s", kind=dict(DISCREPANCY_KINDS)[kind]),
            note=comment or "",
            user_id=(order.user_id or self.env.user).id,
        )
        order.message_post(
            body=_(
                "%(user)s reported a delivery discrepancy (%(kind)s): %(comment)s",
                user=reporter.name,
                kind=dict(DISCREPANCY_KINDS)[kind],
                comment=comment or "",
            ),
            attachment_ids=discrepancy.attachment_ids.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return discrepancy

    @api.model
    def _b2b_validate_lines(self, order, lines, delivered_moves):
        delivered = {}
        for move in delivered_moves:
            delivered[move.product_id.id] = delivered.get(move.product_id.id, 0.0) + move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id
            )
        vals_list = []
        for line in lines:
            if not isinstance(line, dict):
                raise ValidationError(_("Each line must give a product and a quantity."))
            product_id = line.get("product_id")
            if line.get("sale_line_id"):
                sale_line = order.order_line.filtered(lambda sl, i=line["sale_line_id"]: sl.id == int(i))
                if not sale_line:
                    raise ValidationError(_("This line does not belong to order %(name)s.", name=order.name))
                product_id = sale_line.product_id.id
            try:
                product_id = int(product_id)
                quantity = float(line.get("quantity"))
            except (TypeError, ValueError) as exc:
                raise ValidationError(_("Each line must give a product and a quantity.")) from exc
            if product_id not in delivered:
                raise ValidationError(_("This product was not delivered with order %(name)s.", name=order.name))
            product = self.env["product.product"].browse(product_id)
            rounding = product.uom_id.rounding
            if float_compare(quantity, 0.0, precision_rounding=rounding) <= 0:
                raise ValidationError(_("Quantities must be positive."))
            if float_compare(quantity, delivered[product_id], precision_rounding=rounding) > 0:
                raise ValidationError(
                    _("You cannot report more %(product)s than was delivered.", product=product.display_name)
                )
            vals_list.append({"product_id": product_id, "quantity": quantity})
        return vals_list

    @api.model
    def _b2b_photo_values(self, photos):
        vals_list = []
        for photo in photos:
            if isinstance(photo, dict):
                name, datas = photo.get("name"), photo.get("datas")
                try:
                    raw = base64.b64decode(datas or "", validate=True)
                except (binascii.Error, ValueError, TypeError) as exc:
                    raise ValidationError(_("A photo could not be read.")) from exc
            elif isinstance(photo, tuple | list) and len(photo) == 2:
                name, raw = photo
            else:
                raise ValidationError(_("A photo could not be read."))
            if not raw or len(raw) > MAX_PHOTO_SIZE:
                raise ValidationError(_("Each photo must be an image of at most 10 MB."))
            mimetype = guess_mimetype(raw)
            if not mimetype.startswith("image/"):
                raise ValidationError(_("Only images can be attached as photos."))
            vals_list.append({"name": name or "photo", "raw": raw, "mimetype": mimetype})
        return vals_list

    def _b2b_create_draft_returns(self, delivered_moves):
        """Draft return pickings for the reported quantities, built with the core return wizard
        (same moves, locations and links as a manual return); left in draft for review."""
        self.ensure_one()
        returns = self.env["stock.picking"]
        remaining = {line.product_id.id: line.quantity for line in self.line_ids}
        for picking in delivered_moves.picking_id.sorted("date_done", reverse=True):
            wizard = (
                self.env["stock.return.picking"]
                .with_context(active_id=picking.id, active_model="stock.picking", active_ids=picking.ids)
                .create({"picking_id": picking.id})
            )
            any_line = False
            for return_line in wizard.product_return_moves:
                want = remaining.get(return_line.product_id.id, 0.0)
                rounding = return_line.product_id.uom_id.rounding
                if float_is_zero(want, precision_rounding=rounding):
                    continue
                move = return_line.move_id
                quantity = min(want, move.product_uom._compute_quantity(move.quantity, move.product_id.uom_id))
                return_line.quantity = quantity
                remaining[return_line.product_id.id] = want - quantity
                any_line = True
            if not any_line:
                wizard.unlink()
                continue
            new_picking = picking.copy(wizard._prepare_picking_default_values())
            new_picking.user_id = False
            for return_line in wizard.product_return_moves:
                return_line._process_line(new_picking)
            new_picking.message_post(
                body=_("Draft return for the discrepancy %(name)s reported by the dealer.", name=self.name)
            )
            returns |= new_picking
        return returns


class B2bDeliveryDiscrepancyLine(models.Model):
    _name = "b2b.delivery.discrepancy.line"
    _description = "Delivery Discrepancy Line"

    discrepancy_id = fields.Many2one("b2b.delivery.discrepancy", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one("product.product", required=True)
    quantity = fields.Float(digits="Product Unit of Measure", required=True)
