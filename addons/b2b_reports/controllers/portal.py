"""Dealer analytics in the portal: the dealer's own purchase analysis and scorecards.

Thin: the dealer comes from the logged-in user (b2b_portal's context), the figures from
the models; another dealer's scorecard answers 404.
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.b2b_portal.controllers.main import B2bPortal, b2b_route
from odoo.http import request


class B2bReportsPortal(B2bPortal):
    @http.route(["/my/b2b/analysis"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_analysis(self, **kw):
        ctx = self._b2b_ctx()
        analysis = request.env["b2b.kpi"]._b2b_portal_purchase_analysis(ctx)
        cards = request.env["b2b.health.scorecard"]._b2b_portal_scorecards(ctx)
        return self._b2b_render(
            "b2b_reports.portal_analysis", ctx, analysis=analysis, scorecards=cards, page_name="b2b_analysis"
        )

    @http.route(["/my/b2b/scorecard/<int:card_id>"], type="http", auth="user", methods=["GET"])
    @b2b_route
    def b2b_scorecard(self, card_id, **kw):
        ctx = self._b2b_ctx()
        request.env["res.users"]._b2b_portal_check_right(ctx, "view")
        card = request.env["b2b.health.scorecard"]._b2b_portal_get(ctx, card_id)
        if not card:
            raise NotFound()
        return self._b2b_render("b2b_reports.portal_scorecard", ctx, card=card, page_name="b2b_analysis")
