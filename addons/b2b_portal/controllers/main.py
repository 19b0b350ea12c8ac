"""Dealer portal routes under /my/b2b.

Thin: parse the request, take the dealer from the logged-in user (never from a
parameter), call the model method, render. Another dealer's ids answer 404.
"""

import functools
import uuid
from urllib.parse import urlencode, urlparse

from werkzeug.exceptions import NotFound

from odoo import _, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from ..models.b2b_quick_order import MAX_FILE_SIZE

PORTAL_ROUTES_PREFIX = "/my/b2b"
AUTOCOMPLETE_LIMIT = 10


def b2b_route(func):
    """Turn access errors into 404 and business errors into a message on the previous page."""

    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        try:
            return func(self, *args, **kwargs)
        except (AccessError, MissingError):
            raise NotFound() from None
        except (UserError, ValidationError) as exc:
            request.env.cr.rollback()
            if request.httprequest.method == "GET":
                raise
            self._b2b_flash(exc.args[0], "danger")
            return request.redirect(self._b2b_back())

    return wrapper


class B2bPortal(CustomerPortal):
    # ------------------------------------------------------------------ helpers

    def _b2b_ctx(self):
        return request.env.user._b2b_portal_context()

    def _b2b_flash(self, message, level="success"):
        request.session["b2b_portal_flash"] = {"message": str(message), "level": level}

    def _b2b_back(self, default="/my/b2b/catalogue"):
        """A local redirect target: from the form's `redirect` field or the referrer."""
        target = request.params.get("redirect") or request.httprequest.referrer or default
        parsed = urlparse(target)
        if parsed.netloc and parsed.netloc != request.httprequest.host:
            return default
        path = parsed.path or default
        if not path.startswith(PORTAL_ROUTES_PREFIX):
            return default
        return path + (f"?{parsed.query}" if parsed.query else "")

    def _b2b_values(self, ctx, **values):
        cart = request.env["sale.order"]._b2b_portal_current_cart(ctx)
        flash = request.session.pop("b2b_portal_flash", None)
        return {
            "b2b": ctx,
            "cart": cart,
            "cart_count": len(cart.order_line),
            "flash": flash,
            "b2b_money": request.env["b2b.portal.catalogue"]._b2b_portal_money(ctx),
            "no_breadcrumbs": True,
            **values,
        }

    def _b2b_render(self, view_xmlid, ctx, **values):
        return request.render(view_xmlid, self._b2b_values(ctx, **values))

    @staticmethod
    def _b2b_float(value, default=0.0):
        try:
            return float(value)
        except (TypeError, ValueError):
            return default

    # ------------------------------------------------------------------ catalogue

    @http.route(["/my/b2b"], type="http", auth="user", methods=["GET"])
    def b2b_home(self, **kw):
        return request.redirect("/my/b2b/catalogue")

    @http.route(["/my/b2b/catalogue"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_catalogue(self, category=None, search="", sort="popular", page=1, **kw):
        ctx = self._b2b_ctx()
        filters = [f for f in ("in_stock", "promo", "new", "usual") if kw.get(f)]
        try:
            category_id = int(category) if category else None
            page = int(page)
        except ValueError:
            raise NotFound() from None
        Catalogue = request.env["b2b.portal.catalogue"]
        result = Catalogue._b2b_portal_search(ctx, category_id, search, filters, sort, page)
        category_rec = request.env["product.category"].sudo().browse(category_id).exists() if category_id else None
        params = {
            k: v
            for k, v in {"category": category or "", "search": search, "sort": sort, **{f: 1 for f in filters}}.items()
            if v
        }

        def page_url(number):
            return "/my/b2b/catalogue?" + urlencode({**params, "page": number})

        return self._b2b_render(
            "b2b_portal.portal_catalogue",
            ctx,
            result=result,
            category_rows=Catalogue._b2b_portal_category_rows(ctx),
            category=category_rec,
            search=search,
            filters=filters,
            params=params,
            page_url=page_url,
            page_name="b2b_catalogue",
        )

    @http.route(["/my/b2b/product/<int:template_id>"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_product(self, template_id, **kw):
        ctx = self._b2b_ctx()
        template = (
            request.env["product.template"]
            .sudo()
            .search(
                [("id", "=", template_id), ("sale_ok", "=", True), ("company_id", "in", [False, ctx["company"].id])]
            )
        )
        if not template:
            raise NotFound()
        Catalogue = request.env["b2b.portal.catalogue"]
        return self._b2b_render(
            "b2b_portal.portal_product",
            ctx,
            template=template.with_context(lang=ctx["lang"]),
            matrix=Catalogue._b2b_portal_variant_matrix(ctx, template),
            page_name="b2b_product",
        )

    # ------------------------------------------------------------------ cart (暂存)

    @http.route(["/my/b2b/cart/add"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_cart_add(self, **kw):
        """Add one product (product_id + qty) or a variant matrix (qty_<product_id> fields).

        Any price sent along is ignored: lines take the dealer's pricelist price.
        """
        ctx = self._b2b_ctx()
        quantities = {}
        if kw.get("product_id"):
            quantities[int(kw["product_id"])] = kw.get("qty") or 1
        for key, value in kw.items():
            if key.startswith("qty_") and key[4:].isdigit() and self._b2b_float(value) > 0:
                quantities[int(key[4:])] = value
        if not quantities:
            raise UserError(_("Enter a quantity for at least one product."))
        results = request.env["b2b.quick.order"]._add_rows_to_cart(
            ctx, [{"product_id": pid, "qty": qty} for pid, qty in quantities.items()]
        )
        errors = [r for r in results if r["status"] == "error"]
        if errors:
            self._b2b_flash("; ".join(f"{r['name'] or r['sku']}: {r['message']}" for r in errors), "warning")
        else:
            self._b2b_flash(_("Added to your cart."))
        return request.redirect(self._b2b_back())

    @http.route(["/my/b2b/cart"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_cart(self, **kw):
        ctx = self._b2b_ctx()
        SaleOrder = request.env["sale.order"]
        return self._b2b_render(
            "b2b_portal.portal_cart",
            ctx,
            carts=SaleOrder._b2b_portal_carts(ctx),
            order_lists=request.env["b2b.order.list"]._b2b_portal_lists(ctx),
            page_name="b2b_cart",
        )

    @http.route(["/my/b2b/cart/new"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_cart_new(self, name="", **kw):
        ctx = self._b2b_ctx()
        request.env["sale.order"]._b2b_portal_new_cart(ctx, name)
        self._b2b_flash(_("New cart created."))
        return request.redirect("/my/b2b/cart")

    @http.route(["/my/b2b/cart/<int:order_id>/switch"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_cart_switch(self, order_id, **kw):
        ctx = self._b2b_ctx()
        request.env["sale.order"]._b2b_portal_get(ctx, order_id, ["cart"])._b2b_portal_make_current(ctx)
        return request.redirect("/my/b2b/cart")

    @http.route(["/my/b2b/cart/<int:order_id>/rename"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_cart_rename(self, order_id, name="", **kw):
        ctx = self._b2b_ctx()
        order = request.env["sale.order"]._b2b_portal_get(ctx, order_id, ["cart"])
        order._b2b_portal_check_cart(ctx)
        order.b2b_portal_cart_name = name.strip()[:64] or False
        return request.redirect("/my/b2b/cart")

    @http.route(["/my/b2b/cart/<int:order_id>/delete"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_cart_delete(self, order_id, **kw):
        ctx = self._b2b_ctx()
        order = request.env["sale.order"]._b2b_portal_get(ctx, order_id, ["cart"])
        order._b2b_portal_check_cart(ctx)
        order.unlink()
        self._b2b_flash(_("Cart deleted."))
        return request.redirect("/my/b2b/cart")

    @http.route(["/my/b2b/cart/<int:order_id>/line"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_cart_line(self, order_id, line_id=None, qty=0, **kw):
        ctx = self._b2b_ctx()
        order = request.env["sale.order"]._b2b_portal_get(ctx, order_id, ["cart"])
        order._b2b_portal_set_line_qty(ctx, line_id, qty)
        return request.redirect("/my/b2b/cart")

    @http.route(["/my/b2b/cart/<int:order_id>/save_list"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_cart_save_list(self, order_id, name="", **kw):
        ctx = self._b2b_ctx()
        order = request.env["sale.order"]._b2b_portal_get(ctx, order_id)
        quantities = {}
        for line in order.order_line.filtered("product_id"):
            quantities[line.product_id.id] = quantities.get(line.product_id.id, 0.0) + line.product_uom_qty
        order_list = request.env["b2b.order.list"]._b2b_portal_create(ctx, name or order.name, quantities)
        self._b2b_flash(_("List saved."))
        return request.redirect(f"/my/b2b/lists/{order_list.id}")

    # ------------------------------------------------------------------ checkout

    @http.route(["/my/b2b/checkout"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_checkout(self, **kw):
        ctx = self._b2b_ctx()
        cart = request.env["sale.order"]._b2b_portal_current_cart(ctx)
        if not cart or not cart.order_line:
            return request.redirect("/my/b2b/cart")
        dealer = ctx["dealer"]
        addresses = (
            request.env["res.partner"]
            .sudo()
            .search([("id", "child_of", dealer.id), "|", ("type", "=", "delivery"), ("id", "=", dealer.id)])
        )
        return self._b2b_render(
            "b2b_portal.portal_checkout",
            ctx,
            order=cart,
            addresses=addresses,
            credit=cart._b2b_portal_credit_check()[cart.id],
            line_issues=[
                r
                for r in request.env["b2b.quick.order"]._validate_rows(ctx, cart._b2b_portal_reorder_rows())
                if r["status"] != "ok"
            ],
            approval_reasons=cart._b2b_portal_approval_reasons(),
            idempotency_key=uuid.uuid4().hex,
            page_name="b2b_checkout",
        )

    @http.route(["/my/b2b/checkout/submit"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_checkout_submit(self, order_id=None, idempotency_key="", **kw):
        ctx = self._b2b_ctx()
        SaleOrder = request.env["sale.order"]
        done = SaleOrder.sudo().search(
            [
                ("b2b_portal_dealer_id", "=", ctx["dealer"].id),
                ("b2b_portal_idempotency_key", "=", idempotency_key or "-"),
            ],
            limit=1,
        )
        order = done or SaleOrder._b2b_portal_get(ctx, order_id)
        order = order._b2b_portal_submit(ctx, idempotency_key, kw)
        self._b2b_flash(
            _("Your order was sent for approval.")
            if order.b2b_portal_state == "to_approve"
            else _("Thank you, your order was submitted.")
        )
        return request.redirect(f"/my/b2b/orders/{order.id}")

    # ------------------------------------------------------------------ order lists (常买清单)

    @http.route(["/my/b2b/lists"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_lists(self, **kw):
        ctx = self._b2b_ctx()
        return self._b2b_render(
            "b2b_portal.portal_lists",
            ctx,
            order_lists=request.env["b2b.order.list"]._b2b_portal_lists(ctx),
            page_name="b2b_lists",
        )

    @http.route(["/my/b2b/lists/new"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_list_new(self, name="", **kw):
        ctx = self._b2b_ctx()
        order_list = request.env["b2b.order.list"]._b2b_portal_create(ctx, name)
        return request.redirect(f"/my/b2b/lists/{order_list.id}")

    @http.route(["/my/b2b/lists/<int:list_id>"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_list(self, list_id, **kw):
        ctx = self._b2b_ctx()
        order_list = request.env["b2b.order.list"]._b2b_portal_get(ctx, list_id)
        return self._b2b_render("b2b_portal.portal_list", ctx, order_list=order_list, page_name="b2b_lists")

    @http.route(["/my/b2b/lists/<int:list_id>/add"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_list_add(self, list_id, product_id=None, qty=1, **kw):
        ctx = self._b2b_ctx()
        order_list = request.env["b2b.order.list"]._b2b_portal_get(ctx, list_id)
        order_list._b2b_portal_set_products(ctx, {int(product_id or 0): qty})
        self._b2b_flash(_("Added to the list “%s”.", order_list.name))
        return request.redirect(self._b2b_back(f"/my/b2b/lists/{order_list.id}"))

    @http.route(["/my/b2b/lists/<int:list_id>/remove"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_list_remove(self, list_id, line_id=None, **kw):
        ctx = self._b2b_ctx()
        order_list = request.env["b2b.order.list"]._b2b_portal_get(ctx, list_id)
        order_list._b2b_portal_remove_line(ctx, line_id)
        return request.redirect(f"/my/b2b/lists/{order_list.id}")

    @http.route(["/my/b2b/lists/<int:list_id>/delete"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_list_delete(self, list_id, **kw):
        ctx = self._b2b_ctx()
        order_list = request.env["b2b.order.list"]._b2b_portal_get(ctx, list_id)
        request.env["res.users"]._b2b_portal_check_right(ctx, "order")
        order_list.unlink()
        return request.redirect("/my/b2b/lists")

    # ------------------------------------------------------------------ reorder

    @http.route(["/my/b2b/reorder/order/<int:order_id>"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_reorder_order(self, order_id, **kw):
        ctx = self._b2b_ctx()
        order = self._b2b_order_of_dealer(ctx, order_id)
        return self._b2b_reorder(ctx, order._b2b_portal_reorder_rows())

    @http.route(["/my/b2b/reorder/list/<int:list_id>"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_reorder_list(self, list_id, **kw):
        ctx = self._b2b_ctx()
        order_list = request.env["b2b.order.list"]._b2b_portal_get(ctx, list_id)
        return self._b2b_reorder(ctx, order_list._b2b_portal_reorder_rows())

    def _b2b_reorder(self, ctx, rows):
        """Add what is valid to the cart; show the rest on the quick order page to fix."""
        results = request.env["b2b.quick.order"]._add_rows_to_cart(ctx, rows)
        errors = [r for r in results if r["status"] == "error"]
        if not errors:
            self._b2b_flash(_("%s products added to your cart.", len(results)))
            return request.redirect("/my/b2b/cart")
        self._b2b_flash(
            _(
                "%(ok)s rows added to your cart; %(bad)s rows need your attention.",
                ok=len(results) - len(errors),
                bad=len(errors),
            ),
            "warning",
        )
        return self._b2b_render("b2b_portal.portal_quick", ctx, results=errors, page_name="b2b_quick")

    # ------------------------------------------------------------------ quick order

    @http.route(["/my/b2b/quick"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_quick(self, **kw):
        ctx = self._b2b_ctx()
        return self._b2b_render("b2b_portal.portal_quick", ctx, results=[], page_name="b2b_quick")

    @http.route(["/my/b2b/quick/autocomplete"], type="json", auth="user")
    def b2b_quick_autocomplete(self, term="", **kw):
        ctx = self._b2b_ctx()
        term = (term or "").strip()
        if len(term) < 2:
            return []
        products = (
            request.env["product.product"]
            .sudo()
            .with_context(lang=ctx["lang"])
            .search_fetch(
                [
                    ("sale_ok", "=", True),
                    ("company_id", "in", [False, ctx["company"].id]),
                    "|",
                    "|",
                    ("default_code", "=ilike", f"{term}%"),
                    ("barcode", "=", term),
                    ("name", "ilike", term),
                ],
                ["default_code", "display_name"],
                limit=AUTOCOMPLETE_LIMIT,
                order="default_code, id",
            )
        )
        return [{"id": p.id, "sku": p.default_code or "", "name": p.display_name} for p in products]

    @http.route(["/my/b2b/quick/validate"], type="json", auth="user")
    def b2b_quick_validate(self, rows=None, text=None, **kw):
        ctx = self._b2b_ctx()
        QuickOrder = request.env["b2b.quick.order"]
        try:
            if text is not None:
                rows = QuickOrder._parse_text(text)
            rows = [{"sku": str(r.get("sku") or ""), "qty": r.get("qty")} for r in (rows or []) if isinstance(r, dict)]
            return {"rows": self._b2b_json_results(QuickOrder._validate_rows(ctx, rows))}
        except UserError as exc:
            return {"error": exc.args[0]}

    @staticmethod
    def _b2b_json_results(results):
        return [
            {key: value for key, value in r.items() if key != "stock"} | {"stock": r["stock"].get("label", "")}
            for r in results
        ]

    @http.route(["/my/b2b/quick/upload"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_quick_upload(self, upload=None, text="", **kw):
        ctx = self._b2b_ctx()
        QuickOrder = request.env["b2b.quick.order"]
        if upload is not None and getattr(upload, "filename", None):
            rows = QuickOrder._parse_file(upload.filename, upload.read(MAX_FILE_SIZE + 1))
        else:
            rows = QuickOrder._parse_text(text)
        results = QuickOrder._validate_rows(ctx, rows)
        return self._b2b_render("b2b_portal.portal_quick", ctx, results=results, page_name="b2b_quick")

    @http.route(["/my/b2b/quick/add"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_quick_add(self, **kw):
        """Confirm: add the valid rows to the cart, keep the invalid ones for correction."""
        ctx = self._b2b_ctx()
        request.env["res.users"]._b2b_portal_check_right(ctx, "order")
        rows = []
        index = 0
        while f"sku_{index}" in kw or f"qty_{index}" in kw:
            sku, qty = kw.get(f"sku_{index}", "").strip(), kw.get(f"qty_{index}", "").strip()
            if sku or qty:
                rows.append({"sku": sku, "qty": qty})
            index += 1
            if index > 5000:
                break
        results = request.env["b2b.quick.order"]._add_rows_to_cart(ctx, rows)
        errors = [r for r in results if r["status"] == "error"]
        added = len(results) - len(errors)
        if not errors:
            self._b2b_flash(_("%s rows added to your cart.", added))
            return request.redirect("/my/b2b/cart")
        self._b2b_flash(
            _("%(ok)s rows added to your cart; %(bad)s rows need your attention.", ok=added, bad=len(errors)),
            "warning",
        )
        return self._b2b_render("b2b_portal.portal_quick", ctx, results=errors, page_name="b2b_quick")

    # ------------------------------------------------------------------ my orders & approval

    @http.route(["/my/b2b/orders"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_orders(self, state=None, page=1, **kw):
        ctx = self._b2b_ctx()
        SaleOrder = request.env["sale.order"].sudo()
        domain = [("partner_id", "child_of", ctx["dealer"].id), ("b2b_portal_state", "!=", "cart")]
        if state == "to_approve":
            domain.append(("b2b_portal_state", "=", "to_approve"))
        try:
            page = max(int(page), 1)
        except ValueError:
            page = 1
        total = SaleOrder.search_count(domain)
        orders = SaleOrder.search_fetch(
            domain,
            ["name", "date_order", "amount_total", "currency_id", "b2b_portal_state", "state", "client_order_ref"],
            order="id desc",
            limit=20,
            offset=(page - 1) * 20,
        )
        return self._b2b_render(
            "b2b_portal.portal_orders",
            ctx,
            orders=orders,
            total=total,
            page=page,
            page_count=max((total + 19) // 20, 1),
            state=state,
            page_name="b2b_orders",
        )

    def _b2b_order_of_dealer(self, ctx, order_id):
        """Any order of the dealer (portal or not), sudo, else 404."""
        order = (
            request.env["sale.order"]
            .sudo()
            .search(
                [
                    ("id", "=", int(order_id)),
                    ("partner_id", "child_of", ctx["dealer"].id),
                    ("b2b_portal_state", "!=", "cart"),
                ]
            )
        )
        if not order:
            raise NotFound()
        return order

    @http.route(["/my/b2b/orders/<int:order_id>"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_order(self, order_id, **kw):
        ctx = self._b2b_ctx()
        order = self._b2b_order_of_dealer(ctx, order_id)
        return self._b2b_render(
            "b2b_portal.portal_order",
            ctx,
            order=order,
            timeline=order._b2b_portal_timeline(),
            invoices=order.invoice_ids.filtered(lambda m: m.state == "posted"),
            page_name="b2b_orders",
        )

    @http.route(["/my/b2b/orders/<int:order_id>/approve"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_order_approve(self, order_id, **kw):
        ctx = self._b2b_ctx()
        order = request.env["sale.order"]._b2b_portal_get(ctx, order_id)
        order._b2b_portal_approve(ctx)
        self._b2b_flash(_("Order approved."))
        return request.redirect(f"/my/b2b/orders/{order.id}")

    @http.route(["/my/b2b/orders/<int:order_id>/reject"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_order_reject(self, order_id, reason="", **kw):
        ctx = self._b2b_ctx()
        order = request.env["sale.order"]._b2b_portal_get(ctx, order_id)
        order._b2b_portal_reject(ctx, reason)
        self._b2b_flash(_("Order rejected."), "warning")
        return request.redirect(f"/my/b2b/orders/{order.id}")

    # ------------------------------------------------------------------ dealer users

    @http.route(["/my/b2b/users"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_users(self, **kw):
        ctx = self._b2b_ctx()
        Users = request.env["res.users"]
        Users._b2b_portal_check_right(ctx, "manage")
        return self._b2b_render(
            "b2b_portal.portal_users", ctx, users=Users._b2b_portal_dealer_users(ctx), page_name="b2b_users"
        )

    @http.route(["/my/b2b/users/invite"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_users_invite(self, name="", email="", role="buyer", **kw):
        ctx = self._b2b_ctx()
        request.env["res.users"]._b2b_portal_invite_user(ctx, name, email, role)
        self._b2b_flash(_("Invitation sent to %s.", email))
        return request.redirect("/my/b2b/users")

    @http.route(["/my/b2b/users/<int:user_id>/update"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_users_update(self, user_id, role=None, active=None, **kw):
        ctx = self._b2b_ctx()
        request.env["res.users"]._b2b_portal_check_right(ctx, "manage")
        target = request.env["res.users"].sudo().with_context(active_test=False).browse(user_id).exists()
        if not target:
            raise NotFound()
        active_value = None if active is None else active not in ("0", "false", "")
        target._b2b_portal_set_role(ctx, role=role, active=active_value)
        self._b2b_flash(_("User updated."))
        return request.redirect("/my/b2b/users")
