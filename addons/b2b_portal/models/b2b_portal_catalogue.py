from datetime import timedelta

from odoo import _, api, fields, models, tools
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.misc import format_amount, get_lang

PAGE_SIZE = 48
# Above this many matching products, "price" sorts on the list price in SQL instead of
# computing every dealer price.
EXACT_PRICE_SORT_LIMIT = 500
SORTS = ("popular", "price_asc", "price_desc", "newest", "name")
STOCK_CLASSES = {"in": "text-success", "low": "text-warning", "out": "text-danger"}


class B2bPortalCatalogue(models.AbstractModel):
    """Catalogue queries of the dealer portal, set-based: a page costs a fixed number of
    queries whatever the number of products on it."""

    _name = "b2b.portal.catalogue"
    _description = "Dealer Portal Catalogue"

    # ------------------------------------------------------------------ adapters

    @api.model
    def _b2b_portal_prices(self, ctx, products, qty=1):
        """{product_id: {"price", "list_price", "discount"}} for the dealer, per the tax setting.

        Prices come from b2b_pricing: at quantity 1 from its price table (one query for a
        page, the dealer's own contract rules applied live), otherwise from the live engine.
        """
        products = products.sudo()
        if not products:
            return {}
        currency = ctx["currency"]
        engine = self.env["b2b.price.engine"]
        dealer = engine._b2b_resolve_dealer(ctx["dealer"])
        if qty == 1:
            raw = self.env["b2b.price.table"].with_context(b2b_dealer_id=dealer.id).b2b_catalogue_prices(products)
        else:
            priced = engine.sudo().price_for(
                products, dealer=dealer.sudo(), quantities=qty, channel="portal", explain=False
            )
            raw = {product_id: result["price"] for product_id, result in priced.items()}
        company = ctx["company"]
        tax_included = company.b2b_portal_price_display == "tax_included"
        key = "total_included" if tax_included else "total_excluded"
        fpos = self.env["account.fiscal.position"].sudo()._get_fiscal_position(ctx["dealer"])
        # One company filter and fiscal mapping per distinct tax set, not per product.
        mapped = {}
        taxes_of = {}
        for product in products:
            # the template's field: the variant's is a related field computed record by record
            taxes = product.product_tmpl_id.taxes_id
            if taxes not in mapped:
                mapped[taxes] = fpos.map_tax(taxes._filter_taxes_by_company(company))
            taxes_of[product.id] = mapped[taxes]
        # Percent/division taxes scale with the price: one compute_all per tax set, not per product.
        factors = {}
        for taxes in {taxes for taxes in taxes_of.values() if taxes}:
            if all(tax.amount_type in ("percent", "division") for tax in taxes):
                factors[taxes] = self._b2b_portal_tax_factor(taxes, currency, key)

        def shown(amount, product):
            taxes = taxes_of[product.id]
            if not taxes:
                return amount
            if taxes in factors:
                return currency.round(amount * factors[taxes])
            return taxes.compute_all(amount, currency, 1.0, product, ctx["dealer"])[key]

        list_prices = self._b2b_portal_list_prices(products)
        result = {}
        for product in products:
            price = shown(raw.get(product.id, 0.0), product)
            list_price = shown(list_prices.get(product.id, 0.0), product)
            result[product.id] = {
                "price": price,
                "list_price": list_price,
                "discount": round(100.0 * (1 - price / list_price)) if list_price and price < list_price else 0,
            }
        return result

    @api.model
    def _b2b_portal_tax_factor(self, taxes, currency, key):
        """Shown price / untaxed price of percent taxes, cached: the tax engine costs more
        than the rest of a page's prices. The key holds the taxes' write dates, so an edited
        rate is never served from the cache."""
        stamp = tuple((tax.id, tax.write_date) for tax in taxes)
        return self._b2b_portal_tax_factor_cached(stamp, currency.id, key)

    @tools.ormcache("stamp", "currency_id", "key")
    def _b2b_portal_tax_factor_cached(self, stamp, currency_id, key):
        taxes = self.env["account.tax"].sudo().browse([tax_id for tax_id, _write_date in stamp])
        currency = self.env["res.currency"].browse(currency_id)
        return taxes.compute_all(100.0, currency, 1.0)[key] / 100.0

    @api.model
    def _b2b_portal_list_prices(self, products):
        """{product_id: sales price}: the template's list price plus the variant's attribute
        extras, what ``product.lst_price`` computes (without a ``uom`` context), in one query:
        the ORM compute writes two computed fields per product into the cache, a third of a
        200-row quick order's time."""
        if not products:
            return {}
        self.env["product.template"].flush_model(["list_price"])
        self.env["product.template.attribute.value"].flush_model(["price_extra"])
        self.env["product.product"].flush_model(["product_tmpl_id", "product_template_attribute_value_ids"])
        self.env.cr.execute(
            """SELECT pp.id, pt.list_price + COALESCE(SUM(ptav.price_extra), 0)
                 FROM product_product pp
                 JOIN product_template pt ON pt.id = pp.product_tmpl_id
            LEFT JOIN product_variant_combination pvc ON pvc.product_product_id = pp.id
            LEFT JOIN product_template_attribute_value ptav ON ptav.id = pvc.product_template_attribute_value_id
                WHERE pp.id = ANY(%s)
             GROUP BY pp.id, pt.list_price""",
            [products.ids],
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _b2b_portal_quantity_rules(self, ctx, products):
        """{product_id: {"min", "multiple", "max"}} from b2b_pricing's quantity rules, shown on
        product cards; orders are checked by ``b2b.quantity.rule.b2b_check_quantities``."""
        dealer = self.env["b2b.price.engine"]._b2b_resolve_dealer(ctx["dealer"])
        rules = self.env["b2b.quantity.rule"].sudo()._b2b_rules_for(products.sudo(), dealer.b2b_tier_id)
        return {
            product_id: {"min": rule.min_qty, "multiple": rule.multiple_qty, "max": rule.max_qty}
            for product_id, rule in rules.items()
        }

    @api.model
    def _b2b_portal_promotion_domain(self, ctx):
        """product.template domain of the products on promotion for the dealer: the targeted,
        running promotions with budget left, from b2b_pricing."""
        promotions = self.env["b2b.price.rule"].b2b_active_promotions(partner=ctx["dealer"])
        domains = []
        for promo in promotions:
            scope = []
            if promo["product_tmpl_ids"]:
                scope.append([("id", "in", promo["product_tmpl_ids"])])
            if promo["product_ids"]:
                scope.append([("product_variant_ids", "in", promo["product_ids"])])
            if promo["categ_ids"]:
                scope.append([("categ_id", "child_of", promo["categ_ids"])])
            if promo["product_tag_ids"]:
                scope.append([("product_tag_ids", "in", promo["product_tag_ids"])])
            if not scope:
                return expression.TRUE_DOMAIN
            domains.extend(scope)
        return expression.OR(domains) if domains else expression.FALSE_DOMAIN

    @api.model
    def _b2b_portal_stock(self, ctx, products):
        """{product_id: {"qty", "level", "label"}}: free quantity (on hand minus reserved) in
        the company's warehouse, from one _read_group on quants (what free_qty computes,
        without the incoming/outgoing move queries)."""
        products = products.sudo()
        company = ctx["company"]
        storable = products.filtered(lambda product: product.product_tmpl_id.is_storable)
        free = {}
        if storable:
            warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)], limit=1)
            groups = (
                self.env["stock.quant"]
                .sudo()
                ._read_group(
                    [
                        ("product_id", "in", storable.ids),
                        ("location_id.usage", "=", "internal"),
                        ("location_id.warehouse_id", "=", warehouse.id),
                    ],
                    ["product_id"],
                    ["quantity:sum", "reserved_quantity:sum"],
                )
            )
            free = dict.fromkeys(storable.ids, 0.0)
            free.update({product.id: qty - reserved for product, qty, reserved in groups})
        threshold = company.b2b_portal_low_stock_threshold
        exact = company.b2b_portal_stock_display == "exact"
        labels = {"in": _("In stock"), "low": _("Low stock"), "out": _("Out of stock")}
        available = {"qty": None, "level": "in", "label": _("Available")}
        result = {}
        for product in products:
            if product.id not in free:
                result[product.id] = available
                continue
            qty = free[product.id]
            level = "out" if qty <= 0 else "low" if qty <= threshold else "in"
            label = labels[level]
            if exact and qty > 0:
                label = _("%(qty)s %(uom)s in stock", qty=format(qty, "g"), uom=product.uom_id.name)
            result[product.id] = {"qty": qty, "level": level, "label": label}
        return result

    # ------------------------------------------------------------------ queries

    @api.model
    def _b2b_portal_category_rows(self, ctx, depth=3):
        """The category tree as display rows ``(id, name, level)`` in tree order, cached per
        language (product.category clears the cache on change): every catalogue page shows
        the tree, which changes rarely."""
        return self._b2b_portal_category_rows_cached(ctx["lang"], depth)

    @tools.ormcache("lang", "depth")
    def _b2b_portal_category_rows_cached(self, lang, depth):
        rows = []

        def walk(nodes):
            for node in nodes:
                rows.append((node["id"], node["name"], node["level"]))
                walk(node["children"])

        walk(self.with_context(lang=lang)._b2b_portal_category_tree({"lang": lang}, depth))
        return tuple(rows)

    @api.model
    def _b2b_portal_category_tree(self, ctx, depth=3):
        """Category tree, 3 levels, from one search_read."""
        categories = (
            self.env["product.category"]
            .sudo()
            .with_context(lang=ctx.get("lang") or self.env.lang)
            .search_read([], ["id", "name", "parent_id", "parent_path"], order="name")
        )
        by_parent = {}
        for cat in categories:
            level = cat["parent_path"].count("/")
            if level > depth:
                continue
            cat["children"] = []
            cat["level"] = level
            by_parent.setdefault(cat["parent_id"] and cat["parent_id"][0], []).append(cat)
        for cats in by_parent.values():
            for cat in cats:
                cat["children"] = by_parent.get(cat["id"], [])
        return by_parent.get(False, [])

    @api.model
    def _b2b_portal_in_stock_template_sql(self, ctx):
        """Subquery of templates with a variant whose free quantity (on hand minus
        reserved, internal locations) is positive: the filter stays in SQL."""
        quants = (
            self.env["stock.quant"]
            .sudo()
            ._search([("location_id.usage", "=", "internal"), ("company_id", "=", ctx["company"].id)])
        )
        table = quants.table
        quants.groupby = SQL.identifier(table, "product_id")
        quants.having = SQL(
            "SUM(%s - %s) > 0", SQL.identifier(table, "quantity"), SQL.identifier(table, "reserved_quantity")
        )
        return SQL(
            "(SELECT pp.product_tmpl_id FROM product_product pp WHERE pp.id IN %s)",
            quants.subselect(SQL.identifier(table, "product_id")),
        )

    @api.model
    def _b2b_portal_usual_template_sql(self, ctx):
        """Subquery of the templates the dealer already bought ("my usual products")."""
        lines = (
            self.env["sale.order.line"]
            .sudo()
            ._search([("order_partner_id", "child_of", ctx["dealer"].id), ("state", "=", "sale")])
        )
        return SQL(
            "(SELECT pp.product_tmpl_id FROM product_product pp WHERE pp.id IN %s)",
            lines.subselect(SQL.identifier(lines.table, "product_id")),
        )

    @api.model
    def _b2b_portal_domain(self, ctx, category_id=None, search=None, filters=()):
        domain = [("sale_ok", "=", True), ("company_id", "in", [False, ctx["company"].id])]
        if category_id:
            domain.append(("categ_id", "child_of", int(category_id)))
        search = (search or "").strip()
        if search:
            # name ilike runs on the user's language (falls back to English), so Chinese works.
            domain += [
                "|",
                "|",
                ("name", "ilike", search),
                ("product_variant_ids.default_code", "ilike", search),
                ("product_variant_ids.barcode", "=", search),
            ]
        if "in_stock" in filters:
            domain += [
                "|",
                ("is_storable", "=", False),
                ("id", "in", self._b2b_portal_in_stock_template_sql(ctx)),
            ]
        if "promo" in filters:
            domain += self._b2b_portal_promotion_domain(ctx)
        if "usual" in filters:
            domain.append(("id", "in", self._b2b_portal_usual_template_sql(ctx)))
        if "new" in filters:
            since = fields.Datetime.now() - timedelta(days=ctx["company"].b2b_portal_new_product_days or 30)
            domain.append(("create_date", ">=", since))
        return domain

    @api.model
    def _b2b_portal_refresh_popularity(self):
        """Store on each template the quantity sold over confirmed order lines (cron).

        One _read_group over the lines and one UPDATE, so the catalogue sorts by
        popularity in SQL instead of aggregating order lines on every page.
        """
        groups = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group([("state", "=", "sale"), ("product_id", "!=", False)], ["product_id"], ["product_uom_qty:sum"])
        )
        variants = self.env["product.product"].sudo().browse([product.id for product, _qty in groups])
        tmpl_by_variant = {row["id"]: row["product_tmpl_id"][0] for row in variants.read(["product_tmpl_id"])}
        sold = {}
        for product, qty in groups:
            tmpl = tmpl_by_variant[product.id]
            sold[tmpl] = sold.get(tmpl, 0.0) + qty
        self.env.cr.execute(
            """UPDATE product_template t SET b2b_portal_sold_qty = s.qty
                 FROM unnest(%s::int[], %s::float8[]) AS s(id, qty)
                WHERE t.id = s.id AND t.b2b_portal_sold_qty IS DISTINCT FROM s.qty""",
            [list(sold), list(sold.values())],
        )
        self.env.cr.execute(
            """UPDATE product_template SET b2b_portal_sold_qty = 0
                WHERE b2b_portal_sold_qty <> 0 AND NOT (id = ANY(%s::int[]))""",
            [list(sold)],
        )
        self.env["product.template"].invalidate_model(["b2b_portal_sold_qty"])
        return len(sold)

    @api.model
    def _b2b_portal_search(self, ctx, category_id=None, search=None, filters=(), sort="popular", page=1):
        """One catalogue page: templates, their first variant's price, stock and rules."""
        Template = self.env["product.template"].with_context(lang=ctx["lang"]).sudo()
        domain = self._b2b_portal_domain(ctx, category_id, search, filters)
        sort = sort if sort in SORTS else "popular"
        page = max(int(page or 1), 1)
        offset = (page - 1) * PAGE_SIZE
        orders = {
            "popular": "b2b_portal_sold_qty desc nulls last, id",
            "newest": "create_date desc, id desc",
            "name": "name, id",
        }
        if sort in orders:
            total = Template.search_count(domain)
            templates = Template.search(domain, order=orders[sort], offset=offset, limit=PAGE_SIZE)
        else:
            ids = Template._search(domain, order="id").get_result_ids()
            total = len(ids)
            if total <= EXACT_PRICE_SORT_LIMIT:
                all_templates = Template.browse(ids)
                variants = all_templates.product_variant_id
                prices = self._b2b_portal_prices(ctx, variants)
                price_of = {
                    t.id: prices.get(t.product_variant_id.id, {}).get("price", t.list_price) for t in all_templates
                }
                ordered = sorted(ids, key=lambda tid: (price_of[tid], tid), reverse=sort == "price_desc")
                templates = Template.browse(ordered[offset : offset + PAGE_SIZE])
            else:
                # Large result: sort on the list price in SQL (same order as percentage
                # pricelists give); exact dealer prices sort narrower searches.
                order = "list_price desc, id" if sort == "price_desc" else "list_price, id"
                templates = Template.search(domain, order=order, offset=offset, limit=PAGE_SIZE)
        cards = self._b2b_portal_cards(ctx, templates)
        return {
            "cards": cards,
            "total": total,
            "page": page,
            "page_count": max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
            "sort": sort,
        }

    @api.model
    def _b2b_portal_cards(self, ctx, templates):
        """Card data for templates in a fixed number of queries."""
        templates = templates.with_context(lang=ctx["lang"]).sudo()
        templates.fetch(["name", "create_date", "uom_id", "categ_id", "is_storable", "taxes_id"])
        # Each template's first variant and variant count from one search, in the variants'
        # order (what product_variant_id and product_variant_count compute template by template).
        first_variant, variant_count = {}, {}
        for variant in (
            self.env["product.product"]
            .sudo()
            .search_fetch([("product_tmpl_id", "in", templates.ids)], ["product_tmpl_id", "default_code"])
        ):
            template_id = variant.product_tmpl_id.id
            first_variant.setdefault(template_id, variant)
            variant_count[template_id] = variant_count.get(template_id, 0) + 1
        templates = templates.filtered(lambda template: template.id in first_variant)
        variants = self.env["product.product"].sudo().browse([first_variant[t.id].id for t in templates])
        prices = self._b2b_portal_prices(ctx, variants)
        stock = self._b2b_portal_stock(ctx, variants)
        rules = self._b2b_portal_quantity_rules(ctx, variants)
        new_since = fields.Datetime.now() - timedelta(days=ctx["company"].b2b_portal_new_product_days or 30)
        promo_domain = self._b2b_portal_promotion_domain(ctx)
        promo_ids = set()
        if promo_domain != expression.FALSE_DOMAIN and templates:
            promo_ids = set(templates.filtered_domain(promo_domain).ids)
        money = self._b2b_portal_money(ctx)
        cards = []
        for template, variant in zip(templates, variants, strict=True):
            price = prices.get(variant.id, {})
            stock_info = stock.get(variant.id, {})
            cards.append(
                {
                    "template": template,
                    "product": variant,
                    "name": template.name,
                    "default_code": variant.default_code or "",
                    "multi": variant_count[template.id] > 1,
                    "price": price,
                    # formatted here once: a QWeb monetary widget per card costs more than the card
                    "price_text": money(price.get("price", 0.0)),
                    "list_price_text": money(price["list_price"]) if price.get("discount") else "",
                    "stock": stock_info,
                    "stock_class": STOCK_CLASSES.get(stock_info.get("level"), "text-muted"),
                    "rule": rules.get(variant.id, {}),
                    "is_new": template.create_date and template.create_date >= new_since,
                    "is_promo": template.id in promo_ids,
                }
            )
        return cards

    @api.model
    def _b2b_portal_money(self, ctx):
        """amount -> text in the dealer's currency and language, as ``format_amount`` (the
        monetary widget) writes it, with the language and currency looked up once per page
        instead of once per price."""
        currency = ctx["currency"]
        lang = self.env["res.lang"].browse(get_lang(self.env, ctx["lang"]).id)
        fmt = f"%.{currency.decimal_places}f"
        # the currency symbol and its spacing around the number, as format_amount puts them
        prefix, _number, suffix = format_amount(self.env, 0.0, currency, ctx["lang"]).partition(
            lang.format(fmt, 0.0, grouping=True)
        )

        def money(amount):
            text = lang.format(fmt, currency.round(amount or 0.0), grouping=True)
            text = text.replace(" ", "\N{NO-BREAK SPACE}").replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
            return prefix + text + suffix

        return money

    @api.model
    def _b2b_portal_variant_matrix(self, ctx, template):
        """Grid of a template's variants over its first two attributes (e.g. size x colour)."""
        template = template.with_context(lang=ctx["lang"]).sudo()
        variants = template.product_variant_ids
        lines = template.attribute_line_ids.filtered(lambda line: line.attribute_id.create_variant != "no_variant")
        rows_line = lines[:1]
        cols_line = lines[1:2]
        prices = self._b2b_portal_prices(ctx, variants)
        stock = self._b2b_portal_stock(ctx, variants)
        rules = self._b2b_portal_quantity_rules(ctx, variants)
        cell_of = {}
        for variant in variants:
            ptavs = variant.product_template_attribute_value_ids
            row = ptavs.filtered(lambda v: v.attribute_line_id == rows_line)[:1]
            col = ptavs.filtered(lambda v: v.attribute_line_id == cols_line)[:1]
            cell_of[(row.id, col.id)] = variant
        rows = rows_line.product_template_value_ids.filtered("ptav_active") if rows_line else []
        cols = cols_line.product_template_value_ids.filtered("ptav_active") if cols_line else []
        matrix = []
        for row in rows or [self.env["product.template.attribute.value"]]:
            cells = []
            for col in cols or [self.env["product.template.attribute.value"]]:
                variant = cell_of.get((row.id, col.id))
                cells.append(
                    {
                        "variant": variant,
                        "price": prices.get(variant.id, {}) if variant else {},
                        "stock": stock.get(variant.id, {}) if variant else {},
                        "rule": rules.get(variant.id, {}) if variant else {},
                    }
                )
            matrix.append({"row": row, "cells": cells})
        return {
            "row_attribute": rows_line.attribute_id,
            "col_attribute": cols_line.attribute_id,
            "cols": cols,
            "matrix": matrix,
            "variants": variants,
        }
