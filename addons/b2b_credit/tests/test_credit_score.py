from odoo.tests import tagged

from .common import B2bCreditCommon


@tagged("post_install", "-at_install")
class TestCreditScore(B2bCreditCommon):
    def test_score_points_from_factors(self):
        Score = self.env["b2b.credit.score"]
        perfect, total = Score._score_from_factors(
            avg_days_late=0.0, on_time_share=100.0, dso=20.0, volume=2_000_000.0, relationship_days=3000
        )
        self.assertEqual(total, 100)
        self.assertEqual(perfect["points_punctuality"], 30)
        poor, total_poor = Score._score_from_factors(
            avg_days_late=30.0, on_time_share=50.0, dso=75.0, volume=1000.0, relationship_days=365
        )
        self.assertAlmostEqual(poor["points_punctuality"], 15.0)
        self.assertAlmostEqual(poor["points_on_time"], 12.5)
        self.assertAlmostEqual(poor["points_dso"], 10.0)
        self.assertAlmostEqual(poor["points_volume"], 7.5)
        self.assertAlmostEqual(poor["points_age"], 2.0)
        self.assertEqual(total_poor, 47)
        self.assertEqual(Score._suggested_limit(85, 120000.0), 20000.0)
        self.assertEqual(Score._suggested_limit(30, 120000.0), 5000.0)

    def test_factors_from_payment_history_and_cron(self):
        # Paid 10 days late: 1000; paid on time: 1000; open and 5 days overdue: 2000.
        late = self._invoice(self.dealer, 1000.0, self._days(-60), due_date=self._days(-30))
        self._pay(late, date=self._days(-20))
        on_time = self._invoice(self.dealer, 1000.0, self._days(-50), due_date=self._days(-20))
        self._pay(on_time, date=self._days(-25))
        self._invoice(self.dealer, 2000.0, self._days(-35), due_date=self._days(-5))
        self._invoice(self.dealer, 500.0, self._days(-1), due_date=self._days(29))  # not due: not judged
        factors = self.env["b2b.credit.score"]._compute_factors(self.company, partner_ids=self.dealer.ids)[
            self.dealer.id
        ]
        # Amount-weighted days late: (10*1000 + 0*1000 + 5*2000) / 4000 = 5.
        self.assertAlmostEqual(factors["avg_days_late"], 5.0)
        self.assertAlmostEqual(factors["on_time_share"], 25.0)
        self.assertEqual(factors["volume"], 4500.0)
        # DSO over a year: open 2500 / sales 4500 * 365.
        self.assertAlmostEqual(factors["dso"], 2500.0 / 4500.0 * 365.0)
        self.assertEqual(factors["relationship_days"], 60)
        limit_before = self.dealer.credit_limit
        self.env["b2b.credit.score"]._cron_recompute_scores()
        score = self.env["b2b.credit.score"].search([("partner_id", "=", self.dealer.id)])
        self.assertEqual(len(score), 1)
        _points, expected = score._score_from_factors(**factors)
        self.assertEqual(score.score, expected)
        self.assertAlmostEqual(score.avg_days_late, 5.0)
        self.assertEqual(self.dealer.b2b_credit_score, expected)
        self.assertEqual(self.dealer.credit_limit, limit_before, "the score never changes the limit")
        # Running the cron again updates in place.
        self.env["b2b.credit.score"]._cron_recompute_scores()
        self.assertEqual(self.env["b2b.credit.score"].search_count([("partner_id", "=", self.dealer.id)]), 1)
