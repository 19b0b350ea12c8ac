"""Dealer account pages: credit, statements of account (对账单), price requests (在线议价)
and the notices inbox. Thin: the dealer comes from the logged-in user; the models check
ownership (another dealer's ids answer 404) and the business rules."""

from werkzeug.exceptions import NotFound

from odoo import _, http
from odoo.http import request

from .main import B2bPortal, b2b_route

STATEMENTS_PREFIX = "/my/statements"
STATEMENT_REPORT = "b2b_credit.action_report_b2b_credit_statement"


class B2bPortalAccount(B2bPortal):
    def _b2b_back(self, default="/my/b2b/catalogue"):
        """After an error on a statement action, go back to that statement."""
        path = request.httprequest.path
        if path.startswith(f"{STATEMENTS_PREFIX}/"):
            return "/".join(path.split("/")[:4])
        return super()._b2b_back(default)

    # ------------------------------------------------------------------ credit

    @http.route(["/my/b2b/credit"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_credit(self, **kw):
        ctx = self._b2b_ctx()
        dealer = request.env["res.partner"].browse(ctx["dealer"].id)
        statements = request.env["b2b.credit.statement"].search(
            [("partner_id", "=", dealer.id), ("company_id", "=", ctx["company"].id)], limit=3
        )
        return self._b2b_render(
            "b2b_portal.portal_credit",
            ctx,
            credit=dealer._b2b_credit_portal_data(),
            statements=statements,
            page_name="b2b_credit",
        )

    # ------------------------------------------------------------------ statements

    def _b2b_statement(self, statement_id):
        """The statement as the portal user: record rules keep other dealers' out (404)."""
        statement = request.env["b2b.credit.statement"].browse(int(statement_id)).exists()
        if not statement:
            raise NotFound()
        statement.check_access("read")
        return statement

    @http.route([STATEMENTS_PREFIX], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_statements(self, **kw):
        ctx = self._b2b_ctx()
        statements = request.env["b2b.credit.statement"].search(
            [("partner_id", "=", ctx["dealer"].id), ("company_id", "=", ctx["company"].id)], limit=120
        )
        return self._b2b_render("b2b_portal.portal_statements", ctx, statements=statements, page_name="b2b_statements")

    @http.route([f"{STATEMENTS_PREFIX}/<int:statement_id>"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_statement(self, statement_id, report_type=None, download=False, **kw):
        ctx = self._b2b_ctx()
        statement = self._b2b_statement(statement_id)
        data = statement._b2b_portal_data()
        if report_type == "pdf":
            return self._show_report(statement.sudo(), "pdf", STATEMENT_REPORT, download=bool(download))
        return self._b2b_render(
            "b2b_portal.portal_statement",
            ctx,
            statement=statement.sudo(),
            data=data,
            line_types=dict(
                request.env["b2b.credit.statement.line"]._fields["line_type"]._description_selection(request.env)
            ),
            page_name="b2b_statements",
        )

    @http.route([f"{STATEMENTS_PREFIX}/<int:statement_id>/confirm"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_statement_confirm(self, statement_id, **kw):
        ctx = self._b2b_ctx()
        statement = self._b2b_statement(statement_id)
        request.env["res.users"]._b2b_portal_check_right(ctx, "approve")
        statement.action_dealer_confirm()
        self._b2b_flash(_("Thank you, the statement is confirmed."))
        return request.redirect(f"{STATEMENTS_PREFIX}/{statement.id}")

    @http.route([f"{STATEMENTS_PREFIX}/<int:statement_id>/dispute"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_statement_dispute(self, statement_id, **kw):
        ctx = self._b2b_ctx()
        statement = self._b2b_statement(statement_id)
        request.env["res.users"]._b2b_portal_check_right(ctx, "approve")
        disputed = {}
        for key, value in kw.items():
            if key.startswith("dispute_") and key[8:].isdigit() and value:
                line_id = int(key[8:])
                disputed[line_id] = (kw.get(f"comment_{line_id}") or "")[:1000]
        statement.action_dealer_dispute(disputed)
        self._b2b_flash(_("Your remarks were sent to our accountant."), "warning")
        return request.redirect(f"{STATEMENTS_PREFIX}/{statement.id}")

    # ------------------------------------------------------------------ price requests (在线议价)

    @http.route(["/my/b2b/price_requests"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_price_requests(self, **kw):
        ctx = self._b2b_ctx()
        return self._b2b_render(
            "b2b_portal.portal_price_requests",
            ctx,
            price_requests=request.env["b2b.price.request"]._b2b_portal_requests(ctx),
            page_name="b2b_price_requests",
        )

    @http.route(["/my/b2b/price_requests/new"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_price_request_form(self, product_id=None, qty=1, **kw):
        ctx = self._b2b_ctx()
        try:
            product_id = int(product_id or 0)
        except ValueError:
            raise NotFound() from None
        domain = request.env["b2b.portal.catalogue"]._b2b_portal_domain(ctx)
        product = (
            request.env["product.product"]
            .sudo()
            .with_context(lang=ctx["lang"])
            .search([("id", "=", product_id), *domain])
        )
        if not product:
            raise NotFound()
        prices = request.env["b2b.portal.catalogue"]._b2b_portal_prices(ctx, product)
        return self._b2b_render(
            "b2b_portal.portal_price_request_form",
            ctx,
            product=product,
            qty=self._b2b_float(qty, 1.0),
            price_info=prices.get(product.id, {}),
            page_name="b2b_price_requests",
        )

    @http.route(["/my/b2b/price_requests/create"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_price_request_create(self, product_id=None, quantity=None, price=None, note="", **kw):
        ctx = self._b2b_ctx()
        price_request = request.env["b2b.price.request"]._b2b_portal_request(ctx, product_id, quantity, price, note)
        self._b2b_flash(_("Your price request %s was sent to your salesperson.", price_request.sudo().name))
        return request.redirect(f"/my/b2b/price_requests/{price_request.id}")

    @http.route(["/my/b2b/price_requests/<int:request_id>"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_price_request(self, request_id, **kw):
        ctx = self._b2b_ctx()
        price_request = request.env["b2b.price.request"]._b2b_portal_get(ctx, request_id)
        return self._b2b_render(
            "b2b_portal.portal_price_request",
            ctx,
            price_request=price_request.with_context(lang=ctx["lang"]),
            page_name="b2b_price_requests",
        )

    @http.route(["/my/b2b/price_requests/<int:request_id>/accept"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_price_request_accept(self, request_id, **kw):
        ctx = self._b2b_ctx()
        price_request = request.env["b2b.price.request"]._b2b_portal_get(ctx, request_id)
        price_request._b2b_portal_accept(ctx)
        self._b2b_flash(_("Offer accepted: this price now applies to your orders."))
        return request.redirect(f"/my/b2b/price_requests/{price_request.id}")

    @http.route(["/my/b2b/price_requests/<int:request_id>/reject"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_price_request_reject(self, request_id, **kw):
        ctx = self._b2b_ctx()
        price_request = request.env["b2b.price.request"]._b2b_portal_get(ctx, request_id)
        price_request._b2b_portal_reject(ctx)
        self._b2b_flash(_("Price request closed."), "warning")
        return request.redirect(f"/my/b2b/price_requests/{price_request.id}")

    # ------------------------------------------------------------------ notices

    @http.route(["/my/b2b/notices"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_notices(self, **kw):
        ctx = self._b2b_ctx()
        return self._b2b_render(
            "b2b_portal.portal_notices",
            ctx,
            notices=request.env["b2b.portal.notice"]._b2b_portal_notices(ctx),
            page_name="b2b_notices",
        )

    @http.route(["/my/b2b/notices/<int:notice_id>/read"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_notice_read(self, notice_id, **kw):
        ctx = self._b2b_ctx()
        request.env["b2b.portal.notice"]._b2b_portal_get(ctx, notice_id)._b2b_portal_mark_read()
        return request.redirect("/my/b2b/notices")

    @http.route(["/my/b2b/notices/read_all"], type="http", auth="user", methods=["POST"])
    @b2b_route
    def b2b_notices_read_all(self, **kw):
        ctx = self._b2b_ctx()
        request.env["b2b.portal.notice"]._b2b_portal_mark_all_read(ctx)
        return request.redirect("/my/b2b/notices")
