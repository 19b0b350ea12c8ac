"""Dealer portal: delivery calendar banner, appending to a submitted order, receipt,
problem reports, returns and rating. Thin, like main.py: parse, check access, call the model."""

import uuid

from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.sale_order import MAX_APPEND_ROWS, MAX_PORTAL_PHOTO_SIZE, MAX_PORTAL_PHOTOS
from .main import B2bPortal, b2b_route

# Pages that show the cut-off countdown.
COUNTDOWN_PAGES = ("b2b_catalogue", "b2b_product", "b2b_quick", "b2b_cart", "b2b_checkout")
# The whole multipart body of a problem report: the photos and a little form data.
MAX_REPORT_BODY = MAX_PORTAL_PHOTOS * MAX_PORTAL_PHOTO_SIZE + 1024 * 1024


class B2bPortalDelivery(B2bPortal):
    def _b2b_values(self, ctx, **values):
        result = super()._b2b_values(ctx, **values)
        if values.get("page_name") in COUNTDOWN_PAGES:
            order = values.get("order") if values.get("page_name") == "b2b_checkout" else result.get("cart")
            result["b2b_countdown"] = request.env["b2b.delivery.schedule"]._b2b_portal_countdown(ctx, order or None)
        return result

    @http.route()
    def b2b_order(self, order_id, **kw):
        response = super().b2b_order(order_id, **kw)
        qcontext = getattr(response, "qcontext", None)
        if qcontext and qcontext.get("order"):
            qcontext["delivery"] = qcontext["order"]._b2b_portal_delivery_info(qcontext["b2b"])
            qcontext["append_key"] = uuid.uuid4().hex
            qcontext["max_append_rows"] = MAX_APPEND_ROWS
            qcontext["max_photos"] = MAX_PORTAL_PHOTOS
            qcontext["max_photo_mb"] = MAX_PORTAL_PHOTO_SIZE // (1024 * 1024)
        return response

    @staticmethod
    def _b2b_line_quantities(kw):
        """{sale line id: qty} from the form's qty_<line id> fields, zero and empty ones left out."""
        quantities = {}
        for key, value in kw.items():
            if key.startswith("qty_") and key[4:].isdigit() and str(value).strip() not in ("", "0"):
                quantities[int(key[4:])] = value
        return quantities

    @http.route(["/my/b2b/orders/<int:order_id>/append"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_order_append(self, order_id, idempotency_key="", **kw):
        ctx = self._b2b_ctx()
        order = self._b2b_order_of_dealer(ctx, order_id)
        rows = []
        for index in range(MAX_APPEND_ROWS + 1):
            sku, qty = kw.get(f"sku_{index}", "").strip(), kw.get(f"qty_{index}", "").strip()
            if sku or qty:
                rows.append({"sku": sku, "qty": qty})
        result = order._b2b_portal_append(ctx, rows, idempotency_key)
        target = result["order"]
        if result["mode"] == "appended":
            self._b2b_flash(_("The products were added to order %s.", target.name))
        else:
            self._b2b_flash(
                _("Picking of this order has started: the products were sent as supplementary order %s.", target.name),
                "info",
            )
        return request.redirect(f"/my/b2b/orders/{target.id}")

    @http.route(["/my/b2b/orders/<int:order_id>/receipt"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_order_receipt(self, order_id, note="", **kw):
        ctx = self._b2b_ctx()
        order = self._b2b_order_of_dealer(ctx, order_id)
        order._b2b_portal_confirm_receipt(ctx, note)
        self._b2b_flash(_("Thank you: receipt confirmed."))
        return request.redirect(f"/my/b2b/orders/{order.id}")

    def _b2b_uploaded_photos(self):
        photos = []
        for upload in request.httprequest.files.getlist("photos"):
            if not upload or not upload.filename:
                continue
            if len(photos) >= MAX_PORTAL_PHOTOS:
                raise UserError(_("At most %s photos can be attached.", MAX_PORTAL_PHOTOS))
            photos.append((upload.filename, upload.read(MAX_PORTAL_PHOTO_SIZE + 1)))
        return photos

    @http.route(
        ["/my/b2b/orders/<int:order_id>/problem"],
        type="http",
        auth="user",
        methods=["POST"],
        max_content_length=MAX_REPORT_BODY,
    )
    @b2b_route
    def b2b_order_problem(self, order_id, kind="", comment="", **kw):
        ctx = self._b2b_ctx()
        order = self._b2b_order_of_dealer(ctx, order_id)
        order._b2b_portal_report_problem(
            ctx, kind, self._b2b_line_quantities(kw), comment, self._b2b_uploaded_photos(), "report"
        )
        self._b2b_flash(_("Thank you: your report was sent to your sales contact."))
        return request.redirect(f"/my/b2b/orders/{order.id}")

    @http.route(
        ["/my/b2b/orders/<int:order_id>/return"],
        type="http",
        auth="user",
        methods=["POST"],
        max_content_length=MAX_REPORT_BODY,
    )
    @b2b_route
    def b2b_order_return(self, order_id, request_type="return", reason="", comment="", **kw):
        ctx = self._b2b_ctx()
        order = self._b2b_order_of_dealer(ctx, order_id)
        order._b2b_portal_report_problem(
            ctx, reason, self._b2b_line_quantities(kw), comment, self._b2b_uploaded_photos(), request_type
        )
        self._b2b_flash(_("Your request was sent: your sales contact will arrange the pick-up."))
        return request.redirect(f"/my/b2b/orders/{order.id}")

    @http.route(["/my/b2b/orders/<int:order_id>/rate"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_order_rate(self, order_id, stars=0, comment="", **kw):
        ctx = self._b2b_ctx()
        order = self._b2b_order_of_dealer(ctx, order_id)
        order._b2b_portal_rate(ctx, stars, comment)
        self._b2b_flash(_("Thank you for your rating."))
        return request.redirect(f"/my/b2b/orders/{order.id}")
