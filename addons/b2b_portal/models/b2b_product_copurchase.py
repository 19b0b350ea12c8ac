from odoo import api, fields, models
from odoo.tools import SQL

# Candidates read from SQL before the orderable filter keeps the first `limit`.
CANDIDATES_FACTOR = 5


class B2bProductCopurchase(models.Model):
    """How many confirmed orders contain both product A and product B ("frequently bought
    together"). Rebuilt by a scheduled action from the order lines in one SQL statement."""

    _name = "b2b.product.copurchase"
    _description = "Products Bought Together"
    _order = "order_count desc, id"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True, ondelete="cascade")
    product_a_id = fields.Many2one(
        "product.product", string="Product", required=True, readonly=True, index=True, ondelete="cascade"
    )
    product_b_id = fields.Many2one(
        "product.product", string="Bought With", required=True, readonly=True, ondelete="cascade"
    )
    order_count = fields.Integer(string="Orders", readonly=True)
    last_order_date = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "pair_uniq",
            "UNIQUE(company_id, product_a_id, product_b_id)",
            "A product pair is counted once per company.",
        ),
    ]

    # ------------------------------------------------------------------ refresh (cron)

    @api.model
    def _b2b_refresh(self):
        """Full rebuild: every ordered pair of distinct products on a confirmed order.

        The pairs are computed by one INSERT ... SELECT (self-join of the order lines by
        order); the old rows are dropped just before, in the same transaction."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("DELETE FROM b2b_product_copurchase")
        # recommendations follow the new purchase history on the dealers' next visit
        self.env["b2b.product.recommendation"]._b2b_forget()
        cr.execute(
            """
            INSERT INTO b2b_product_copurchase (company_id, product_a_id, product_b_id, order_count, last_order_date)
            SELECT a.company_id, a.product_id, b.product_id, COUNT(DISTINCT a.order_id), MAX(o.date_order)
              FROM sale_order_line a
              JOIN sale_order_line b ON b.order_id = a.order_id AND b.product_id <> a.product_id
              JOIN sale_order o ON o.id = a.order_id
             WHERE a.state = 'sale' AND a.product_id IS NOT NULL AND b.product_id IS NOT NULL
               AND a.display_type IS NULL AND b.display_type IS NULL
               AND a.is_downpayment IS NOT TRUE AND b.is_downpayment IS NOT TRUE
          GROUP BY a.company_id, a.product_id, b.product_id
            """
        )
        count = cr.rowcount
        self.invalidate_model()
        return count

    # ------------------------------------------------------------------ portal queries

    @api.model
    def _b2b_orderable_templates(self, ctx, template_ids, limit):
        """The templates among ``template_ids`` the dealer may order (catalogue domain),
        in the given order, at most ``limit``."""
        if not template_ids:
            return self.env["product.template"]
        Catalogue = self.env["b2b.portal.catalogue"]
        Template = self.env["product.template"].sudo().with_context(lang=ctx["lang"])
        found = set(Template._search([*Catalogue._b2b_portal_domain(ctx), ("id", "in", template_ids)]))
        ordered = [tid for tid in dict.fromkeys(template_ids) if tid in found]
        return Template.browse(ordered[:limit])

    @api.model
    def _b2b_templates_of(self, product_ids):
        """[template_id] of variants, keeping the order."""
        if not product_ids:
            return []
        self.env.cr.execute("SELECT id, product_tmpl_id FROM product_product WHERE id = ANY(%s)", [list(product_ids)])
        tmpl_of = dict(self.env.cr.fetchall())
        return [tmpl_of[pid] for pid in product_ids if pid in tmpl_of]

    @api.model
    def _b2b_portal_bought_together(self, ctx, products, limit=4):
        """Cards of the products most often bought with ``products`` (not themselves),
        that the dealer may order, at the dealer's prices."""
        products = products.sudo()
        if not products:
            return []
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT product_b_id
                  FROM b2b_product_copurchase
                 WHERE company_id = %(company)s AND product_a_id = ANY(%(ids)s)
                   AND NOT product_b_id = ANY(%(excluded)s)
              GROUP BY product_b_id
              ORDER BY SUM(order_count) DESC, product_b_id
                 LIMIT %(limit)s
                """,
                company=ctx["company"].id,
                ids=products.ids,
                excluded=(products | products.product_tmpl_id.product_variant_ids).ids,
                limit=limit * CANDIDATES_FACTOR,
            )
        )
        template_ids = self._b2b_templates_of([row[0] for row in self.env.cr.fetchall()])
        exclude = set(products.product_tmpl_id.ids)
        template_ids = [tid for tid in template_ids if tid not in exclude]
        templates = self._b2b_orderable_templates(ctx, template_ids, limit)
        return self.env["b2b.portal.catalogue"]._b2b_portal_cards(ctx, templates)

    @api.model
    def _b2b_portal_recommended(self, ctx, limit=8):
        """Cards of products "recommended for you" (see b2b.product.recommendation), the
        dealer may order, at the dealer's prices."""
        product_ids = self.env["b2b.product.recommendation"]._b2b_product_ids(ctx, limit * CANDIDATES_FACTOR)
        template_ids = self._b2b_templates_of(product_ids)
        templates = self._b2b_orderable_templates(ctx, template_ids, limit)
        return self.env["b2b.portal.catalogue"]._b2b_portal_cards(ctx, templates)

    @api.model
    def _b2b_portal_usual(self, ctx, limit=12):
        """The dealer's most frequently ordered products ("my usual products") with the
        quantity of the last order, the dealer's price and stock, for one-click reorder."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.product_id, COUNT(DISTINCT l.order_id) AS times,
                       (ARRAY_AGG(l.product_uom_qty ORDER BY o.date_order DESC, o.id DESC))[1] AS last_qty,
                       MAX(o.date_order) AS last_date
                  FROM sale_order_line l
                  JOIN sale_order o ON o.id = l.order_id
                  JOIN res_partner p ON p.id = o.partner_id
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE l.state = 'sale' AND l.company_id = %(company)s AND l.display_type IS NULL
                   AND p.commercial_partner_id = %(dealer)s
                   AND pp.active AND pt.active AND pt.sale_ok
                   AND (pt.company_id IS NULL OR pt.company_id = %(company)s)
              GROUP BY l.product_id
              ORDER BY times DESC, last_date DESC, l.product_id
                 LIMIT %(limit)s
                """,
                company=ctx["company"].id,
                dealer=ctx["dealer"].id,
                limit=limit,
            )
        )
        rows = self.env.cr.fetchall()
        Catalogue = self.env["b2b.portal.catalogue"]
        products = self.env["product.product"].sudo().with_context(lang=ctx["lang"]).browse([r[0] for r in rows])
        prices = Catalogue._b2b_portal_prices(ctx, products)
        stock = Catalogue._b2b_portal_stock(ctx, products)
        return [
            {
                "product": product,
                "name": product.display_name,
                "default_code": product.default_code or "",
                "times": times,
                "last_qty": last_qty,
                "last_date": last_date,
                "price": prices.get(product.id, {}),
                "stock": stock.get(product.id, {}),
            }
            for product, (_pid, times, last_qty, last_date) in zip(products, rows, strict=True)
        ]
