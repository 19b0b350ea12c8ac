"""Recommendations on the dealer portal pages: "frequently bought together" (product page
and cart), "recommended for you" and "my usual products" (catalogue home), the unread
notices badge. Data come from b2b.product.copurchase / b2b.portal.notice methods."""

from odoo import http
from odoo.http import request

from .main import B2bPortal, b2b_route

TOGETHER_LIMIT = 4
RECOMMENDED_LIMIT = 8
USUAL_HOME_LIMIT = 6
USUAL_PAGE_LIMIT = 48


class B2bPortalRecommendation(B2bPortal):
    def _b2b_values(self, ctx, **values):
        values = super()._b2b_values(ctx, **values)
        Copurchase = request.env["b2b.product.copurchase"]
        page_name = values.get("page_name")
        if page_name == "b2b_product" and values.get("template"):
            values["b2b_together"] = Copurchase._b2b_portal_bought_together(
                ctx, values["template"].product_variant_ids, TOGETHER_LIMIT
            )
        elif page_name == "b2b_cart" and values.get("cart"):
            products = values["cart"].order_line.product_id
            values["b2b_together"] = Copurchase._b2b_portal_bought_together(ctx, products, TOGETHER_LIMIT)
        elif page_name == "b2b_catalogue" and self._b2b_is_catalogue_home(values):
            values["b2b_usual"] = Copurchase._b2b_portal_usual(ctx, USUAL_HOME_LIMIT)
            values["b2b_recommended"] = Copurchase._b2b_portal_recommended(ctx, RECOMMENDED_LIMIT)
        values["b2b_notice_unread"] = request.env["b2b.portal.notice"]._b2b_portal_unread_count(ctx)
        return values

    @staticmethod
    def _b2b_is_catalogue_home(values):
        result = values.get("result") or {}
        return (
            not values.get("search")
            and not values.get("category")
            and not values.get("filters")
            and result.get("page", 1) == 1
        )

    @http.route(["/my/b2b/usual"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_usual(self, **kw):
        ctx = self._b2b_ctx()
        return self._b2b_render(
            "b2b_portal.portal_usual",
            ctx,
            usual=request.env["b2b.product.copurchase"]._b2b_portal_usual(ctx, USUAL_PAGE_LIMIT),
            page_name="b2b_usual",
        )
