import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Peers (other dealers) of the dealer's tier weigh as much as sharing this many products.
TIER_WEIGHT = 1
# Recommendations come from this many most similar dealers (nearest neighbours).
PEERS = 30
# A dealer's recommendations are recomputed at most this often (and after the daily
# co-purchase refresh or a tier change).
MAX_AGE = timedelta(hours=24)


class B2bProductRecommendation(models.Model):
    """Each dealer's "recommended for you" products, kept until the purchase history they
    come from changes: ranking every dealer's purchases against its peers reads all
    confirmed order lines (a third of a second on 200,000 lines), too much for every
    catalogue home page."""

    _name = "b2b.product.recommendation"
    _description = "Products Recommended to a Dealer"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True, ondelete="cascade")
    dealer_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade")
    product_ids_json = fields.Json(string="Products (ranked ids)", readonly=True)
    candidate_count = fields.Integer(readonly=True, help="How many candidates were asked for.")
    computed_at = fields.Datetime(required=True, readonly=True)

    _sql_constraints = [
        ("dealer_uniq", "UNIQUE(company_id, dealer_id)", "One recommendation list per dealer and company."),
    ]

    @api.model
    def _b2b_product_ids(self, ctx, count):
        """Up to ``count`` product ids, best first, from the kept list while it is fresh,
        else computed and kept (an upsert: two workers computing the same dealer at once
        end as one row, the loser retried by Odoo's serialization-failure retry)."""
        self.flush_model()
        company, dealer = ctx["company"].id, ctx["dealer"].id
        now = fields.Datetime.now()
        self.env.cr.execute(
            """SELECT product_ids_json, candidate_count, computed_at FROM b2b_product_recommendation
                WHERE company_id = %s AND dealer_id = %s""",
            [company, dealer],
        )
        row = self.env.cr.fetchone()
        if row and row[1] >= count and row[2] > now - MAX_AGE:
            return (row[0] or [])[:count]
        product_ids = self._b2b_compute_product_ids(ctx, count)
        self.env.cr.execute(
            """INSERT INTO b2b_product_recommendation
                      (company_id, dealer_id, product_ids_json, candidate_count, computed_at)
               VALUES (%s, %s, %s, %s, %s)
               ON CONFLICT (company_id, dealer_id) DO UPDATE
                  SET product_ids_json = EXCLUDED.product_ids_json, candidate_count = EXCLUDED.candidate_count,
                      computed_at = EXCLUDED.computed_at""",
            [company, dealer, json.dumps(product_ids), count, now],
        )
        self.invalidate_model()
        return product_ids

    @api.model
    def _b2b_forget(self, company=None):
        """Drop the kept lists (all, or one company's): recomputed on the next visit."""
        self.flush_model()
        if company:
            self.env.cr.execute("DELETE FROM b2b_product_recommendation WHERE company_id = ANY(%s)", [company.ids])
        else:
            self.env.cr.execute("DELETE FROM b2b_product_recommendation")
        self.invalidate_model()

    @api.model
    def _b2b_compute_product_ids(self, ctx, count):
        """Products bought by the dealer's nearest peers (the PEERS dealers sharing most
        products with it, a dealer of its tier counting as TIER_WEIGHT shared products), not
        yet bought by this dealer; ranked by the summed similarity of the peers who bought
        them. One SQL statement that reads the lines of this dealer, of the products it
        bought and of its peers, through the line indexes (not every line of the company)."""
        dealer = ctx["dealer"].sudo()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH mine AS (
                    SELECT DISTINCT l.product_id
                      FROM sale_order_line l
                      JOIN res_partner p ON p.id = l.order_partner_id
                     WHERE p.commercial_partner_id = %(dealer)s AND l.state = 'sale'
                       AND l.company_id = %(company)s AND l.product_id IS NOT NULL AND l.display_type IS NULL
                ),
                peers AS (
                    SELECT dealer_id, SUM(weight) AS weight FROM (
                        SELECT p.commercial_partner_id AS dealer_id, COUNT(DISTINCT l.product_id) AS weight
                          FROM sale_order_line l
                          JOIN res_partner p ON p.id = l.order_partner_id
                         WHERE l.product_id IN (SELECT product_id FROM mine) AND l.state = 'sale'
                           AND l.company_id = %(company)s AND l.display_type IS NULL
                           AND p.commercial_partner_id <> %(dealer)s
                      GROUP BY p.commercial_partner_id
                     UNION ALL
                        SELECT id, %(tier_weight)s
                          FROM res_partner
                         WHERE %(tier)s IS NOT NULL AND b2b_tier_id = %(tier)s AND id <> %(dealer)s
                    ) w
                  GROUP BY dealer_id
                  ORDER BY SUM(weight) DESC, dealer_id
                     LIMIT %(peers)s
                ),
                bought AS (
                    SELECT DISTINCT p.commercial_partner_id AS dealer_id, l.product_id
                      FROM sale_order_line l
                      JOIN res_partner p ON p.id = l.order_partner_id
                     WHERE p.commercial_partner_id IN (SELECT dealer_id FROM peers) AND l.state = 'sale'
                       AND l.company_id = %(company)s AND l.product_id IS NOT NULL AND l.display_type IS NULL
                       AND l.product_id NOT IN (SELECT product_id FROM mine)
                )
                SELECT bought.product_id
                  FROM bought
                  JOIN peers ON peers.dealer_id = bought.dealer_id
              GROUP BY bought.product_id
              ORDER BY SUM(peers.weight) DESC, COUNT(*) DESC, bought.product_id
                 LIMIT %(limit)s
                """,
                company=ctx["company"].id,
                dealer=dealer.id,
                tier=dealer.b2b_tier_id.id or None,
                tier_weight=TIER_WEIGHT,
                peers=PEERS,
                limit=count,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]
