from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class B2bOrderList(models.Model):
    """A named list of products a dealer orders again and again (requisition list, 常买清单).

    Unlike a cart, adding a list to the cart leaves the list as it is.
    """

    _name = "b2b.order.list"
    _description = "Dealer Order List"
    _order = "name, id"

    name = fields.Char(required=True)
    dealer_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_company", "=", True)],
    )
    user_id = fields.Many2one("res.users", string="Created By", default=lambda self: self.env.user)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    line_ids = fields.One2many("b2b.order.list.line", "list_id", string="Products", copy=True)
    line_count = fields.Integer(compute="_compute_line_count")

    @api.depends("line_ids")
    def _compute_line_count(self):
        for order_list in self:
            order_list.line_count = len(order_list.line_ids)

    @api.model
    def _b2b_portal_lists(self, ctx):
        return self.sudo().search([("dealer_id", "=", ctx["dealer"].id)])

    @api.model
    def _b2b_portal_get(self, ctx, list_id):
        try:
            list_id = int(list_id)
        except (TypeError, ValueError):
            list_id = 0
        order_list = self.sudo().search([("id", "=", list_id), ("dealer_id", "=", ctx["dealer"].id)])
        if not order_list:
            raise AccessError(_("This list does not exist or is not yours."))
        return order_list

    @api.model
    def _b2b_portal_create(self, ctx, name, quantities=None):
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        name = (name or "").strip()[:64]
        if not name:
            raise UserError(_("Please give the list a name."))
        order_list = self.sudo().create(
            {"name": name, "dealer_id": ctx["dealer"].id, "user_id": ctx["user"].id, "company_id": ctx["company"].id}
        )
        if quantities:
            order_list._b2b_portal_set_products(ctx, quantities)
        return order_list

    def _b2b_portal_set_products(self, ctx, quantities, replace=False):
        """Add {product_id: qty} to the list, merging with its lines, in one write."""
        self.ensure_one()
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        SaleOrder = self.env["sale.order"]
        quantities = {int(pid): SaleOrder._b2b_portal_check_qty(qty) for pid, qty in quantities.items()}
        products = self.env["product.product"].sudo().search([("id", "in", list(quantities)), ("sale_ok", "=", True)])
        if len(products) != len(quantities):
            raise UserError(_("Some products cannot be ordered."))
        by_product = {line.product_id.id: line for line in self.line_ids}
        commands = []
        for product in products:
            line = by_product.get(product.id)
            qty = quantities[product.id]
            if line:
                new_qty = qty if replace else line.quantity + qty
                commands.append(fields.Command.update(line.id, {"quantity": SaleOrder._b2b_portal_check_qty(new_qty)}))
            else:
                commands.append(fields.Command.create({"product_id": product.id, "quantity": qty}))
        self.sudo().write({"line_ids": commands})

    def _b2b_portal_remove_line(self, ctx, line_id):
        self.ensure_one()
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        line = self.line_ids.filtered(lambda line: line.id == int(line_id))
        if not line:
            raise AccessError(_("This line is not in your list."))
        line.sudo().unlink()

    def _b2b_portal_reorder_rows(self):
        return [
            {"product_id": line.product_id.id, "sku": line.product_id.default_code or "", "qty": line.quantity}
            for line in self.line_ids
        ]


class B2bOrderListLine(models.Model):
    _name = "b2b.order.list.line"
    _description = "Dealer Order List Line"
    _order = "sequence, id"

    list_id = fields.Many2one("b2b.order.list", required=True, index=True, ondelete="cascade")
    dealer_id = fields.Many2one(related="list_id.dealer_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", domain=[("sale_ok", "=", True)])
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a list line must be positive."),
        ("product_uniq", "unique(list_id, product_id)", "A product appears once per list."),
    ]
