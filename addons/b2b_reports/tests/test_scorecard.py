from odoo.exceptions import AccessError
from odoo.tests import tagged

from .kpi_common import B2bKpiCommon

# hand-computed factor scores of month M (see kpi_common)
A_SCORES = {
    "activity": 2 / 4 * 100,  # o1, o2
    "growth": 50 + 50 * ((1500 - 1600) / 1600 * 100) / 20,  # -6.25 % on o7
    "collection": 600 / 1400 * 100,
    "returns": 100 - 100 * (70 / 1400 * 100) / 10,  # 5 % returned
    "on_time": 2 / 3 * 100,  # s1, s5 on time, s3 late
}
B_SCORES = {
    "activity": 2 / 4 * 100,  # o3, o5
    "growth": 100.0,  # no sales the month before
    "collection": 100 / 600 * 100,  # credit note on 500, 200 EUR = 100 open
    "returns": 0.0,  # 100 / 600 returned, beyond 10 %
    "on_time": 0.0,  # s2 late
}
WEIGHTS = {"activity": 25, "growth": 20, "collection": 25, "returns": 15, "on_time": 15}


def weighted(scores, weights=None):
    weights = weights or WEIGHTS
    total = sum(weights[code] for code in scores)
    return sum(scores[code] * weights[code] for code in scores) / total


@tagged("post_install", "-at_install")
class TestScorecard(B2bKpiCommon):
    def _cards(self, month=None):
        return self.env["b2b.health.scorecard"].search(
            [("company_id", "=", self.company.id), ("month", "=", month or self.M)]
        )

    def test_weighted_scores(self):
        overall = self.env["b2b.health.scorecard"]._b2b_generate(self.M, self.company, send=False)
        cards = self._cards()
        by_dealer = {card.dealer_id: card for card in cards}
        # C has only a cancelled order and D no order: not scored
        self.assertEqual(set(by_dealer), {self.dealer_a, self.dealer_b, self.env["res.partner"]})
        card_a = by_dealer[self.dealer_a]
        self.assertEqual(
            {line.code: round(line.score, 6) for line in card_a.line_ids},
            {code: round(score, 6) for code, score in A_SCORES.items()},
        )
        self.assertAlmostEqual(card_a.score, weighted(A_SCORES))
        self.assertAlmostEqual(by_dealer[self.dealer_b].score, weighted(B_SCORES))
        self.assertEqual(card_a.tier_id, self.tier)
        averages = {code: (A_SCORES[code] + B_SCORES[code]) / 2 for code in WEIGHTS}
        self.assertAlmostEqual(overall.score, weighted(averages))
        self.assertEqual(overall.dealer_count, 2)
        self.assertEqual(card_a.status, "red")

    def test_weights_configurable_and_missing_data(self):
        factors = self.env["b2b.health.factor"]._b2b_factors(self.company)
        factors["activity"].weight = 50
        self.env["b2b.health.scorecard"]._b2b_generate(self.M, self.company, send=False)
        card_a = self._cards().filtered(lambda card: card.dealer_id == self.dealer_a)
        self.assertAlmostEqual(card_a.score, weighted(A_SCORES, {**WEIGHTS, "activity": 50}))
        # this month: A has o6 only, nothing due, invoiced or delivered -> activity and growth weigh
        month = self.today.replace(day=1)
        self.env["b2b.health.scorecard"]._b2b_generate(month, self.company, send=False)
        card_a = self._cards(month).filtered(lambda card: card.dealer_id == self.dealer_a)
        lines = {line.code: line for line in card_a.line_ids}
        self.assertEqual({code for code, line in lines.items() if line.has_score}, {"activity", "growth"})
        growth = max(0.0, 50 + 50 * ((100 - 1500) / 1500 * 100) / 20)
        self.assertAlmostEqual(card_a.score, (1 / 4 * 100 * 50 + growth * 20) / 70)
        self.assertAlmostEqual(lines["activity"].effective_weight, 50 / 70 * 100)
        # the overall card averages the dealers that have data: collection has none this month
        overall = self._cards(month).filtered(lambda card: not card.dealer_id)
        overall_lines = {line.code: line for line in overall.line_ids}
        self.assertFalse(overall_lines["collection"].has_score)
        card_b = self._cards(month).filtered(lambda card: card.dealer_id == self.dealer_b)
        activity = [card.line_ids.filtered(lambda line: line.code == "activity").score for card in (card_a, card_b)]
        self.assertAlmostEqual(overall_lines["activity"].score, sum(activity) / 2)

    def test_cron_idempotent_and_mail(self):
        Scorecard = self.env["b2b.health.scorecard"]
        Scorecard._cron_generate_monthly()
        first = self._cards()
        self.assertEqual(len(first), 3)
        mails = self.env["mail.mail"].search([("model", "=", "b2b.health.scorecard"), ("res_id", "in", first.ids)])
        self.assertEqual(len(mails), 1)
        self.assertIn(self.manager.partner_id, mails.recipient_ids)
        self.assertNotIn(self.salesman.partner_id, mails.recipient_ids)
        self.assertIn(self.M.strftime("%Y-%m"), mails.subject)
        self.assertIn("KPI Dealer B", mails.body_html, "the lowest scores are listed")
        scores = sorted(first.mapped("score"))
        Scorecard._cron_generate_monthly()
        second = self._cards()
        self.assertEqual(len(second), 3, "a second run replaces the month's scorecards")
        self.assertFalse(first.exists())
        self.assertEqual(sorted(second.mapped("score")), scores)

    def test_pdf_renders(self):
        overall = self.env["b2b.health.scorecard"]._b2b_generate(self.M, self.company, send=False)
        card_a = self._cards().filtered(lambda card: card.dealer_id == self.dealer_a)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("b2b_reports.report_b2b_health_scorecard", (overall | card_a).ids)[0]
            .decode()
        )
        self.assertIn("KPI Dealer A", html)
        self.assertIn(f"{card_a.score:.1f}", html)
        self.assertIn(f"{overall.score:.1f}", html)
        self.assertIn("All dealers", html)

    def test_scorecard_security(self):
        self.env["b2b.health.scorecard"]._b2b_generate(self.M, self.company, send=False)
        seen = self.env["b2b.health.scorecard"].with_user(self.salesman).search([("company_id", "=", self.company.id)])
        self.assertEqual(seen.dealer_id, self.dealer_a, "own dealers only, not the overall card")
        self.assertEqual(
            len(
                self.env["b2b.health.scorecard"].with_user(self.manager).search([("company_id", "=", self.company.id)])
            ),
            3,
        )
        with self.assertRaises(AccessError):
            self.env["b2b.health.scorecard"].with_user(self.salesman).search([], limit=1).unlink()
        with self.assertRaises(AccessError):
            self.env["b2b.health.scorecard"].with_user(self.portal_users["a"]).search([])
