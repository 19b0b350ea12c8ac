from odoo import _, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .sale_order import MAX_PORTAL_QTY

MAX_PORTAL_PRICE = 10_000_000.0
NOTE_MAX_LENGTH = 2000


class B2bPriceRequest(models.Model):
    _inherit = "b2b.price.request"

    @api.model
    def _b2b_portal_request(self, ctx, product_id, quantity, requested_price, note=""):
        """A dealer asks a price (在线议价) from the portal: bounds and the dealer's catalogue
        are checked here, then b2b_pricing's ``b2b_portal_create`` creates and submits it."""
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        try:
            product_id = int(product_id)
            quantity, requested_price = float(quantity), float(requested_price)
        except (TypeError, ValueError):
            raise UserError(_("Quantity and price must be numbers.")) from None
        if not 0 < quantity <= MAX_PORTAL_QTY:
            raise UserError(_("The quantity must be between 0 and %s.", MAX_PORTAL_QTY))
        if not 0 < requested_price <= MAX_PORTAL_PRICE:
            raise UserError(_("The price must be positive and at most %s.", MAX_PORTAL_PRICE))
        domain = self.env["b2b.portal.catalogue"]._b2b_portal_domain(ctx)
        product = self.env["product.product"].sudo().search([("id", "=", product_id), *domain])
        if not product:
            raise UserError(_("This product cannot be requested."))
        note = (note or "").strip()[:NOTE_MAX_LENGTH]
        requests = self.with_user(ctx["user"]).with_company(ctx["company"])
        return requests.b2b_portal_create(product.id, quantity, requested_price, note or None)

    @api.model
    def _b2b_portal_requests(self, ctx, limit=100):
        return self.sudo().search(
            [("partner_id", "=", ctx["dealer"].id), ("company_id", "=", ctx["company"].id)], limit=limit
        )

    @api.model
    def _b2b_portal_get(self, ctx, request_id):
        """The dealer's own request (sudo), else AccessError (404 on the portal)."""
        try:
            request_id = int(request_id)
        except (TypeError, ValueError):
            raise AccessError(_("This price request does not exist.")) from None
        request = self.sudo().search(
            [("id", "=", request_id), ("partner_id", "=", ctx["dealer"].id), ("company_id", "=", ctx["company"].id)]
        )
        if not request:
            raise AccessError(_("This price request does not exist."))
        return request

    def _b2b_portal_accept(self, ctx):
        """The dealer accepts the salesperson's counter offer (b2b_pricing makes it a contract price).

        The rows are locked first: a double click or two users at once make one contract rule
        (the second transaction fails to serialize, is retried and finds the request accepted)."""
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        self._b2b_lock()
        return self.with_user(ctx["user"]).with_company(ctx["company"]).b2b_portal_accept_counter()

    def _b2b_portal_reject(self, ctx):
        self.env["res.users"]._b2b_portal_check_right(ctx, "order")
        self._b2b_lock()
        return self.with_user(ctx["user"]).with_company(ctx["company"]).b2b_portal_reject()

    def _b2b_lock(self):
        if self.ids:
            self.env.cr.execute(SQL("SELECT id FROM b2b_price_request WHERE id IN %s FOR UPDATE", tuple(self.ids)))
            self.invalidate_recordset()
