from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .b2b_price_rule import parse_months

PERSONAL_CONDITIONS = ("dealer", "segment", "region", "payment_term", "channel", "order_amount")


class B2bPriceTable(models.Model):
    """Cached catalogue price per (pricelist, product) at quantity 1.

    Rows are marked dirty only where a change can move them (the rules' products,
    the products edited, the pricelist edited) and recomputed lazily by the reader or
    in batches by a cron. Rows also expire at the next date boundary of the rules
    (start/end dates, season months), so time-boxed promotions need no trigger.
    The row prices what a tier dealer sees on that pricelist; rules that depend on the
    individual dealer are applied live on top by ``b2b_catalogue_prices``.
    """

    _name = "b2b.price.table"
    _description = "B2B Price Table"
    _rec_name = "product_id"
    _order = "pricelist_id, product_id"

    pricelist_id = fields.Many2one("product.pricelist", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", index=True)
    price = fields.Float(digits="Product Price")
    list_price = fields.Float(digits="Product Price")
    currency_id = fields.Many2one("res.currency")
    rule_ids_text = fields.Char(string="Applied Rules")
    explanation = fields.Text()
    dirty = fields.Boolean(index=True)
    expires_at = fields.Datetime()
    computed_at = fields.Datetime()

    _sql_constraints = [
        ("pricelist_product_uniq", "unique(pricelist_id, product_id)", "One row per pricelist and product."),
    ]

    # ------------------------------------------------------------------
    # Invalidation
    # ------------------------------------------------------------------
    @api.model
    def _mark_dirty(self, pricelists=None, product_domain=None, products=None):
        """Flag rows dirty. ``pricelists`` None means every pricelist."""
        conditions = [SQL("dirty IS NOT TRUE")]
        if pricelists is not None:
            conditions.append(SQL("pricelist_id IN %s", tuple(pricelists.ids) or (0,)))
        if products is not None:
            conditions.append(SQL("product_id IN %s", tuple(products.ids) or (0,)))
        if product_domain is not None:
            query = self.env["product.product"].with_context(active_test=False)._search(product_domain)
            conditions.append(SQL("product_id IN %s", query.subselect()))
        self.env.flush_all()
        self.env.cr.execute(SQL("UPDATE b2b_price_table SET dirty = TRUE WHERE %s", SQL(" AND ").join(conditions)))
        self.invalidate_model(["dirty"])

    @api.model
    def _mark_dependent_pricelists_dirty(self, pricelists, seen=None):
        """Pricelists whose rules or items are based on these follow them."""
        seen = (seen or self.env["product.pricelist"]) | pricelists
        if not pricelists:
            return
        dependents = (
            self.env["b2b.price.rule"]
            .sudo()
            .with_context(active_test=False)
            .search([("base_pricelist_id", "in", pricelists.ids)])
            .pricelist_id
            | self.env["product.pricelist.item"]
            .sudo()
            .search([("base_pricelist_id", "in", pricelists.ids)])
            .pricelist_id
        )
        dependents -= seen
        if dependents:
            self._mark_dirty(pricelists=dependents)
            self._mark_dependent_pricelists_dirty(dependents, seen)

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    @api.model
    def _b2b_get_table_prices(self, pricelist, products):
        """{product_id: price} on ``pricelist`` (quantity 1), one SELECT for the rows
        that are fresh, the live engine (in bulk) for the missing, dirty or expired."""
        if not products:
            return {}
        now = fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT product_id, price FROM b2b_price_table
                    WHERE pricelist_id = %s AND product_id IN %s
                      AND dirty IS NOT TRUE AND (expires_at IS NULL OR expires_at > %s)""",
                pricelist.id,
                tuple(products.ids),
                now,
            )
        )
        prices = dict(self.env.cr.fetchall())
        missing = products.filtered(lambda product: product.id not in prices)
        if missing:
            prices.update(self._b2b_refresh(pricelist, missing))
        return prices

    @api.model
    def _b2b_table_tier(self, pricelist):
        tiers = self.env["b2b.dealer.tier"].sudo().search([("pricelist_id", "=", pricelist.id)])
        return tiers if len(tiers) == 1 else self.env["b2b.dealer.tier"]

    @api.model
    def _b2b_refresh(self, pricelist, products):
        """Recompute and upsert the rows of these products; returns {product_id: price}."""
        engine = self.env["b2b.price.engine"].sudo()
        now = fields.Datetime.now()
        results = engine.price_for(
            products.sudo(),
            dealer=self.env["res.partner"],
            pricelist=pricelist.sudo(),
            tier=self._b2b_table_tier(pricelist) or None,
            channel="portal",
            date=now,
            payment_term=False,
        )
        if getattr(self.env.cr, "readonly", False):
            # Read-only request (replica cursor): serve live prices, the cron fills the rows.
            return {product_id: result["price"] for product_id, result in results.items()}
        expires_at = self._b2b_next_boundary(pricelist, now)
        rows = [
            (
                pricelist.id,
                product_id,
                result["price"],
                result["list_price"],
                result["currency_id"],
                ",".join(str(rule_id) for rule_id in result["rule_ids"]),
                result["text"],
                expires_at,
                now,
            )
            for product_id, result in results.items()
        ]
        if rows:
            self.env.cr.execute(
                SQL(
                    """INSERT INTO b2b_price_table (pricelist_id, product_id, price, list_price, currency_id,
                                                    rule_ids_text, explanation, expires_at, computed_at, dirty,
                                                    create_uid, write_uid, create_date, write_date)
                       SELECT r.*, FALSE, %(uid)s, %(uid)s, %(now)s, %(now)s FROM (VALUES %(rows)s) AS r
                       ON CONFLICT (pricelist_id, product_id) DO UPDATE SET
                           price = EXCLUDED.price, list_price = EXCLUDED.list_price,
                           currency_id = EXCLUDED.currency_id, rule_ids_text = EXCLUDED.rule_ids_text,
                           explanation = EXCLUDED.explanation, expires_at = EXCLUDED.expires_at,
                           computed_at = EXCLUDED.computed_at, dirty = FALSE,
                           write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date""",
                    uid=self.env.uid,
                    now=now,
                    rows=SQL(", ").join(
                        SQL("(%s, %s, %s, %s, %s, %s, %s, %s::timestamp, %s::timestamp)", *row) for row in rows
                    ),
                )
            )
            self.invalidate_model()
        return {product_id: result["price"] for product_id, result in results.items()}

    @api.model
    def _b2b_next_boundary(self, pricelist, now):
        """Earliest future moment a rule of the pricelist starts, ends or changes season."""
        rules = (
            self.env["b2b.price.rule"]
            .sudo()
            .search([("pricelist_id", "in", [pricelist.id, False]), ("company_id", "in", [self.env.company.id, False])])
        )
        moments = [d for d in rules.mapped("date_start") + rules.mapped("date_end") if d and d > now]
        if any(parse_months(season) for season in rules.mapped("season_months")):
            moments.append(datetime.combine(now.date().replace(day=1) + relativedelta(months=1), time.min))
        return min(moments) if moments else None

    @api.model
    def _cron_refresh_dirty(self, batch_size=2000):
        """Queued recompute of dirty and expired rows, a batch per pricelist."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """SELECT pricelist_id, array_agg(product_id) FROM (
                       SELECT pricelist_id, product_id FROM b2b_price_table
                        WHERE dirty OR expires_at <= %s LIMIT %s) AS t
                   GROUP BY pricelist_id""",
                now,
                batch_size,
            )
        )
        for pricelist_id, product_ids in self.env.cr.fetchall():
            self._b2b_refresh(
                self.env["product.pricelist"].browse(pricelist_id),
                self.env["product.product"].browse(product_ids).exists(),
            )

    @api.model
    def b2b_catalogue_prices(self, products):
        """Prices for a catalogue page of the logged-in dealer (portal) or of the
        dealer in context: table rows, with the rules specific to this dealer (contracts,
        segments, regions, payment terms...) applied live on the products they touch.
        Returns {product_id: price} in the dealer pricelist currency."""
        engine = self.env["b2b.price.engine"]
        asked = None if self.env.user.share else self.env.context.get("b2b_dealer_id")
        dealer = engine._b2b_resolve_dealer(self.env["res.partner"].browse(asked))
        pricelist = dealer.property_product_pricelist if dealer else self.env["product.pricelist"]
        if not pricelist:
            priced = engine.sudo().price_for(products.sudo(), dealer=dealer.sudo(), channel="portal", explain=False)
            return {product_id: result["price"] for product_id, result in priced.items()}
        products = products.sudo()
        prices = self.sudo()._b2b_get_table_prices(pricelist, products)
        personal = self._b2b_personal_products(pricelist, dealer, products)
        if personal:
            live = engine.sudo().price_for(personal, dealer=dealer.sudo(), channel="portal", explain=False)
            prices.update({product_id: result["price"] for product_id, result in live.items()})
        return prices

    @api.model
    def _b2b_personal_products(self, pricelist, dealer, products):
        """Products a dealer-specific rule may price differently from the table."""
        engine = self.env["b2b.price.engine"].sudo()
        tier = self._b2b_table_tier(pricelist)
        rules = [
            rule
            for rule in engine._b2b_load_rules(pricelist)
            if any(c.key in PERSONAL_CONDITIONS for c in rule.active_conditions)
            or (rule.values["tier_ids"] and tier.id not in rule.values["tier_ids"])
        ]
        if not dealer:
            return self.env["product.product"]
        if dealer.b2b_tier_id != tier:
            return products
        if not rules:
            return self.env["product.product"]
        ctx = engine._b2b_make_context(partner=dealer, pricelist=pricelist, channel="portal")
        rules = [
            rule
            for rule in rules
            if all(c.matches(rule, ctx, None) for c in rule.active_conditions if c.scope == "order")
        ]
        lines = engine._b2b_make_lines(
            [{"key": p.id, "product": p, "qty": 1.0, "uom": p.uom_id} for p in products.sudo()]
        )
        product_keys = {"variant", "product", "category", "tag"}
        touched = {
            line.product_id
            for line in lines
            for rule in rules
            if all(c.matches(rule, ctx, line) for c in rule.active_conditions if c.key in product_keys)
        }
        return products.filtered(lambda product: product.id in touched)
