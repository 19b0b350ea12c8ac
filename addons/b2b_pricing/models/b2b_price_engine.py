import threading
from collections import defaultdict
from datetime import datetime
from urllib.parse import urlparse

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import float_round

from .price_conditions import CONDITIONS, PricingContext, PricingLine

MAX_PRICELIST_DEPTH = 10
SPECIFICITY_GLOBAL = 3
RPC_PATHS = ("/xmlrpc", "/jsonrpc", "/json/2")


def channel_from_request():
    """Sales channel of the current HTTP request: external RPC is the API channel.

    XML-RPC/JSON-RPC calls run inside ``odoo.http.borrow_request`` (the request is
    unbound), so the URL the HTTP layer records on the thread is used then."""
    path = None
    try:
        if request:
            path = request.httprequest.path
    except RuntimeError:  # no request bound to this thread
        path = None
    if path is None:
        url = getattr(threading.current_thread(), "url", None)
        path = urlparse(url).path if url else None
    if path and path.startswith(RPC_PATHS):
        return "api"
    return "backoffice"


class B2bPriceEngine(models.AbstractModel):
    """Prices N products for a dealer in a bounded number of queries.

    Rules of the pricelist (and global rules) are loaded once, checked once against
    the order-level conditions, indexed in memory by their most selective product
    condition, then every line only looks at the rules indexed under its variant,
    template, categories and tags. Every result carries the trace of the rules
    considered, applied and skipped, with the reason.
    """

    _name = "b2b.price.engine"
    _description = "B2B Price Engine"

    # ------------------------------------------------------------------
    # Public entry points
    # ------------------------------------------------------------------
    @api.model
    def price_for(
        self,
        products,
        dealer=None,
        quantities=1.0,
        date=None,
        channel=None,
        uom=None,
        pricelist=None,
        payment_term=None,
        currency=None,
        shipping_partner=None,
        order_lines=None,
        explain=True,
        tier=None,
    ):
        """Price ``products`` (product.product) for ``dealer``.

        :param quantities: one quantity for all, or {product_id: qty}
        :param uom: uom.uom the quantities and prices are expressed in (default: product uom)
        :param pricelist: default: the dealer's pricelist
        :param tier: dealer tier to price for when there is no dealer (simulator, price table)
        :param order_lines: optional [(product, qty, uom)] of the rest of the order, so
            mixed category breaks and order thresholds see the whole order
        :returns: {product_id: result dict} with price (in ``currency``, default the
            pricelist currency), rule_ids, promotion_ids, promotion_discount, trace, text
        """
        dealer = self._b2b_resolve_dealer(dealer)
        # The dealer is settled: pricing itself reads rules and products as superuser.
        self = self.sudo()  # noqa: PLW0642
        dealer = dealer.sudo()
        products = products.sudo()
        if pricelist is None:
            pricelist = dealer.property_product_pricelist if dealer else self.env["product.pricelist"]
        ctx = self._b2b_make_context(
            partner=dealer,
            pricelist=pricelist,
            date=date,
            channel=channel,
            payment_term=payment_term
            if payment_term is not None
            else (dealer.property_payment_term_id if dealer else False),
            shipping_partner=shipping_partner,
        )
        if tier and not dealer:
            ctx.tier_id = tier.id
        specs = []
        for product in products:
            qty = quantities.get(product.id, 1.0) if isinstance(quantities, dict) else quantities
            specs.append({"key": product.id, "product": product, "qty": qty or 1.0, "uom": uom, "in_order": False})
        for index, (product, qty, line_uom) in enumerate(order_lines or ()):
            specs.append({"key": ("order", index), "product": product, "qty": qty, "uom": line_uom})
        ctx.lines = self._b2b_make_lines(specs)
        results = self._b2b_evaluate(pricelist, ctx, explain=explain)
        results = {key: value for key, value in results.items() if not isinstance(key, tuple)}
        return self._b2b_convert_results(results, pricelist, currency, ctx.date)

    @api.model
    def price_for_portal(self, products, quantities=1.0, uom=None, order_lines=None):
        """Entry point for portal pages: the dealer is always the logged-in user's
        company and the channel is the portal; nothing about the dealer is read from
        the request."""
        dealer = self.env.user.partner_id.commercial_partner_id
        return self.sudo().price_for(
            products.sudo(),
            dealer=dealer.sudo(),
            quantities=quantities,
            uom=uom,
            channel="portal",
            order_lines=order_lines,
        )

    @api.model
    def _b2b_resolve_dealer(self, dealer):
        """Share (portal) users only ever get their own prices."""
        own = self.env.user.partner_id.commercial_partner_id
        if self.env.user.share and not self.env.su:
            if dealer and dealer.commercial_partner_id != own:
                raise AccessError(_("You can only see the prices of your own company."))
            return own
        return dealer.commercial_partner_id if dealer else self.env["res.partner"]

    # ------------------------------------------------------------------
    # Building the evaluation context
    # ------------------------------------------------------------------
    @api.model
    def _b2b_make_context(
        self,
        partner,
        pricelist,
        date=None,
        channel=None,
        payment_term=False,
        shipping_partner=None,
        order_amount=None,
    ):
        commercial = partner.commercial_partner_id if partner else self.env["res.partner"]
        region_partner = shipping_partner or commercial
        country = region_partner.country_id
        groups = (
            self.env["res.country.group"].sudo().search([("country_ids", "in", country.ids)])
            if country
            else self.env["res.country.group"]
        )
        if not date:
            date = fields.Datetime.now()
        elif not isinstance(date, datetime):
            date = fields.Datetime.to_datetime(date)
        return PricingContext(
            pricelist_id=pricelist.id if pricelist else False,
            date=date,
            partner_id=commercial.id,
            tier_id=commercial.b2b_tier_id.id,
            partner_category_ids=frozenset((commercial.category_id | partner.category_id).ids if partner else ()),
            country_id=country.id,
            state_id=region_partner.state_id.id,
            country_group_ids=frozenset(groups.ids),
            channel=channel or channel_from_request(),
            payment_term_id=payment_term.id if payment_term else False,
            order_amount=order_amount,
        )

    @api.model
    def _b2b_make_lines(self, specs):
        """PricingLine for each spec {key, product, qty, uom (None: product uom), packaging}.
        Product data is read from the templates in a few batched queries."""
        products = self.env["product.product"].concat(*(spec["product"] for spec in specs))
        products.fetch(["product_tmpl_id", "additional_product_tag_ids"])
        templates = products.product_tmpl_id
        templates.fetch(["categ_id", "uom_id", "product_tag_ids"])
        categ_paths = {
            categ.id: frozenset(int(part) for part in categ.parent_path.split("/") if part)
            for categ in templates.categ_id
        }
        tmpl_data = {
            tmpl.id: (tmpl.categ_id.id, tmpl.uom_id, frozenset(tmpl.product_tag_ids._ids)) for tmpl in templates
        }
        lines = []
        for spec in specs:
            product = spec["product"]
            tmpl_id = product.product_tmpl_id.id
            categ_id, product_uom, tag_ids = tmpl_data[tmpl_id]
            uom = spec.get("uom") or product_uom
            qty = spec["qty"]
            qty_product_uom = (
                uom._compute_quantity(qty, product_uom, raise_if_failure=False) if uom != product_uom else qty
            )
            packaging = spec.get("packaging")
            additional_tags = product.additional_product_tag_ids._ids
            lines.append(
                PricingLine(
                    key=spec["key"],
                    product_id=product.id,
                    tmpl_id=tmpl_id,
                    categ_id=categ_id,
                    categ_path_ids=categ_paths.get(categ_id, frozenset()),
                    tag_ids=tag_ids | frozenset(additional_tags) if additional_tags else tag_ids,
                    qty=qty,
                    qty_product_uom=qty_product_uom,
                    uom_id=uom.id,
                    product_uom_id=product_uom.id,
                    in_order=spec.get("in_order", True),
                    packaging_id=packaging.id if packaging else False,
                    packaging_qty=packaging.product_uom_id._compute_quantity(
                        packaging.qty, product_uom, raise_if_failure=False
                    )
                    if packaging
                    else 0.0,
                )
            )
        return lines

    @api.model
    def _b2b_list_prices(self, products):
        """{product_id: (sales price incl. attribute extras in the product uom, currency)}
        as core's ``_price_compute('list_price')``, reading templates in batch and
        computing variant extras only for variants that have attribute values."""
        products = products.with_company(self.env.company)
        products.fetch(["product_tmpl_id", "product_template_attribute_value_ids"])
        templates = products.product_tmpl_id
        templates.fetch(["list_price", "company_id"])
        currency_by_tmpl = {tmpl.id: tmpl.currency_id for tmpl in templates}
        with_extras = products.filtered("product_template_attribute_value_ids")
        extras = with_extras._price_compute("list_price") if with_extras else {}
        return {
            product.id: (
                extras[product.id] if product.id in extras else product.product_tmpl_id.list_price or 0.0,
                currency_by_tmpl[product.product_tmpl_id.id],
            )
            for product in products
        }

    @api.model
    def _b2b_labels(self):
        """Translated trace texts, looked up once per evaluation."""
        return {
            "first": _("First matching rule by priority"),
            "best": _("Best price for the dealer"),
            "higher": _("Higher price"),
            "outranked": _("Outranked by %s"),
            "start": _("Starting price"),
            "cumulative": _("Cumulative discount %s%%"),
            "capped": _("Total discount capped at %s%%"),
            "core_item": _("No B2B rule matched: core pricelist item %s"),
            "list_price": _("No rule matched: sales price"),
            "applied": _("Applied"),
            "skipped": _("Skipped"),
            "not_matched": _("Not matched"),
            "fallback": _("Fallback"),
            "price": _("Price: %s"),
        }

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------
    @api.model
    def _b2b_load_rules(self, pricelist):
        """The rules of the pricelist plus the global ones, in priority order."""
        domain = [
            ("company_id", "in", [self.env.company.id, False]),
            ("pricelist_id", "in", [pricelist.id, False] if pricelist else [False]),
        ]
        rules = self.env["b2b.price.rule"].sudo().with_context(active_test=True).search(domain)
        data = rules._b2b_rule_data()
        categ_ids = {categ for rule in data for categ in rule.values["categ_ids"]}
        # Core orders items of the same specificity by category (complete_name desc): same here.
        names = {c.id: c.complete_name or "" for c in self.env["product.category"].sudo().browse(categ_ids)}
        rank = {categ_id: index for index, categ_id in enumerate(sorted(names, key=names.get, reverse=True))}
        for rule in data:
            ranks = [c.index_rank for c in rule.active_conditions if c.index_rank is not None]
            specificity = min(*ranks, 2) if ranks else SPECIFICITY_GLOBAL
            categ_rank = min((rank[c] for c in rule.values["categ_ids"]), default=0)
            rule.sort_key = (rule.values["sequence"], specificity, -rule.values["min_quantity"], categ_rank, -rule.id)
        data.sort(key=lambda rule: rule.sort_key)
        return data

    @api.model
    def _b2b_evaluate(self, pricelist, ctx, explain=True, depth=0, shared=None):
        """{line key: result} for ``ctx.lines`` on ``pricelist``, prices in the
        pricelist currency and in each line's unit of measure. ``shared`` carries what
        nested evaluations (rules based on other pricelists) can reuse."""
        if depth > MAX_PRICELIST_DEPTH:
            raise UserError(_("Pricelists based on each other form a loop; check the 'Base Pricelist' of the rules."))
        env = self.env
        pricelist = pricelist.sudo() if pricelist else env["product.pricelist"]
        currency = pricelist.currency_id or env.company.currency_id
        lines = ctx.lines
        if not lines:
            return {}
        products = env["product.product"].sudo().browse([line.product_id for line in lines]).with_company(env.company)
        uoms = env["uom.uom"].sudo().browse({line.uom_id for line in lines} | {line.product_uom_id for line in lines})
        uoms.fetch(["factor", "rounding"])
        uom_by_id = {uom.id: uom for uom in uoms}
        products_by_id = {product.id: product for product in products}
        shared = {} if shared is None else shared
        if "list_prices" not in shared:
            shared["list_prices"] = self._b2b_list_prices(products)
            shared["labels"] = self._b2b_labels()
            shared["reasons"] = {}
        list_prices = shared["list_prices"]
        labels = shared["labels"]
        reasons = shared["reasons"]
        rates = {}

        def rate(src_currency):
            if src_currency not in rates:
                rates[src_currency] = src_currency._get_conversion_rate(src_currency, currency, env.company, ctx.date)
            return rates[src_currency]

        def to_line_uom(line, price):
            if line.uom_id == line.product_uom_id:
                return price
            return uom_by_id[line.product_uom_id]._compute_price(price, uom_by_id[line.uom_id])

        list_price_by_key = {}
        for line in lines:
            price, src = list_prices[line.product_id]
            price = to_line_uom(line, price)
            list_price_by_key[line.key] = price * rate(src) if src != currency else price
            line.list_amount = list_price_by_key[line.key] * line.qty
        if ctx.order_amount is None:
            ctx.order_amount = sum(line.list_amount for line in lines if line.in_order)

        rules = self._b2b_load_rules(pricelist)

        def reason_for(condition, rule, line):
            # Reasons are per condition and rule: translated once, not once per line.
            key = (condition.key, rule.id)
            if key not in reasons:
                reasons[key] = condition.reason(env, rule, ctx, line)
            return reasons[key]

        order_reason = {}
        for rule in rules:
            for condition in rule.active_conditions:
                if condition.scope == "order" and not condition.matches(rule, ctx, None):
                    order_reason[rule.id] = reason_for(condition, rule, None)
                    break
            else:
                if rule.values["rule_type"] == "promotion":
                    available, reason = rule.record._b2b_promotion_available()
                    if not available:
                        order_reason[rule.id] = reason
        index = defaultdict(list)
        unindexed = []
        for rule in rules:
            indexable = [c for c in rule.active_conditions if c.index_rank is not None]
            if indexable:
                condition = min(indexable, key=lambda c: c.index_rank)
                for key in condition.index_keys(rule):
                    index[condition.key, key].append(rule)
            else:
                unindexed.append(rule)
        index_conditions = [c for c in CONDITIONS.values() if c.index_rank is not None]

        # Phase 1: which rules match which line.
        matched_by_key = {}
        trace_by_key = {}
        for line in lines:
            candidates = set(unindexed)
            for condition in index_conditions:
                for key in condition.line_keys(line):
                    candidates.update(index.get((condition.key, key), ()))
            matched = []
            trace = []
            for rule in sorted(candidates, key=lambda rule: rule.sort_key):
                reason = order_reason.get(rule.id)
                if reason is None:
                    for condition in rule.active_conditions:
                        if condition.scope == "line" and not condition.matches(rule, ctx, line):
                            reason = reason_for(condition, rule, line)
                            break
                if reason is None:
                    matched.append(rule)
                elif explain:
                    trace.append(self._b2b_trace_entry(rule, "not_matched", reason))
            matched_by_key[line.key] = matched
            trace_by_key[line.key] = trace

        # Phase 2: bases the matched rules need, computed in bulk.
        need_cost = any(
            rule.values["base"] == "standard_price" and rule.values["compute_price"] != "fixed"
            for matched in matched_by_key.values()
            for rule in matched
        )
        cost_by_key = {}
        if need_cost:
            costs = products.sudo()._price_compute("standard_price")
            for line in lines:
                product = products_by_id[line.product_id]
                src = product.cost_currency_id
                price = to_line_uom(line, costs[line.product_id])
                cost_by_key[line.key] = price * rate(src) if src != currency else price
        lines_by_base = defaultdict(set)
        for line in lines:
            for rule in matched_by_key[line.key]:
                if rule.values["base"] == "pricelist" and rule.values["compute_price"] != "fixed":
                    lines_by_base[rule.values["base_pricelist_id"]].add(line.key)
        base_pricelist_prices = {}
        for base_pricelist_id, keys in lines_by_base.items():
            base_pricelist = env["product.pricelist"].sudo().browse(base_pricelist_id)
            # The whole order is evaluated on the base pricelist (its breaks see the same
            # quantities), only the lines that need it are read back.
            sub_ctx = PricingContext(
                **{**ctx.__dict__, "pricelist_id": base_pricelist_id, "_qty_cache": {}, "order_amount": None}
            )
            base_currency = base_pricelist.currency_id or env.company.currency_id
            sub_results = self._b2b_evaluate(base_pricelist, sub_ctx, explain=False, depth=depth + 1, shared=shared)
            for key, result in sub_results.items():
                if key not in keys:
                    continue
                price = result["price"]
                if base_currency != currency:
                    price *= rate(base_currency)
                base_pricelist_prices[base_pricelist_id, key] = price

        def base_price(rule, line):
            base = rule.values["base"]
            if base == "standard_price":
                return cost_by_key[line.key]
            if base == "pricelist":
                return base_pricelist_prices[rule.values["base_pricelist_id"], line.key]
            return list_price_by_key[line.key]

        def rule_price(rule, line):
            values = rule.values
            if values["compute_price"] == "fixed":
                return to_line_uom(line, values["fixed_price"])
            base = base_price(rule, line)
            if values["compute_price"] == "percentage":
                return (base - (base * (values["percent_price"] / 100))) or 0.0
            price = base - (base * (values["price_discount"] / 100))
            if values["price_round"]:
                price = float_round(price, precision_rounding=values["price_round"])
            if values["price_surcharge"]:
                price += to_line_uom(line, values["price_surcharge"])
            if values["price_min_margin"]:
                price = max(price, base + to_line_uom(line, values["price_min_margin"]))
            if values["price_max_margin"]:
                price = min(price, base + to_line_uom(line, values["price_max_margin"]))
            return price

        # Phase 3: combine.
        policy = pricelist.b2b_combination_policy if pricelist else "first"
        cap = pricelist.b2b_discount_cap if pricelist else 0.0
        results = {}
        fallback_lines = []
        for line in lines:
            matched = matched_by_key[line.key]
            trace = trace_by_key[line.key]
            if not matched:
                fallback_lines.append(line)
                continue
            price, applied, steps = self._b2b_combine(policy, cap, matched, line, rule_price, list_price_by_key, labels)
            promotions = [rule for rule in applied if rule.values["rule_type"] == "promotion"]
            promotion_discount = 0.0
            if promotions:
                others = [rule for rule in matched if rule.values["rule_type"] != "promotion"]
                price_without = (
                    self._b2b_combine(policy, cap, others, line, rule_price, list_price_by_key, labels)[0]
                    if others
                    else list_price_by_key[line.key]
                )
                promotion_discount = max(price_without - price, 0.0)
            results[line.key] = {
                "price": price,
                "list_price": list_price_by_key[line.key],
                "currency_id": currency.id,
                "rule_ids": [rule.id for rule in applied],
                "core_item_id": False,
                "promotion_ids": [rule.id for rule in promotions],
                "promotion_discount": promotion_discount,
                "policy": policy,
                "trace": (steps + trace) if explain else [],
            }

        # Products no B2B rule matched: the pricelist's core items, as core computes them.
        if fallback_lines:
            self._b2b_core_fallback(
                pricelist, ctx, fallback_lines, currency, uom_by_id, list_price_by_key, results, labels
            )
            if explain:
                for line in fallback_lines:
                    results[line.key]["trace"].extend(trace_by_key[line.key])
        return results

    @api.model
    def _b2b_combine(self, policy, cap, matched, line, rule_price, list_price_by_key, labels):
        """(price, applied rules, trace steps) of the combination policy."""
        steps = []
        if policy == "best":
            priced = [(rule_price(rule, line), rule) for rule in matched]
            price, best = min(priced, key=lambda pair: pair[0])
            for rule_result, rule in priced:
                if rule is best:
                    steps.insert(0, self._b2b_trace_entry(rule, "applied", labels["best"], rule_result))
                else:
                    steps.append(self._b2b_trace_entry(rule, "skipped", labels["higher"], rule_result))
            return price, [best], steps
        if policy == "cumulative":
            base_rules = [rule for rule in matched if rule.values["compute_price"] != "percentage"]
            discounts = [rule for rule in matched if rule.values["compute_price"] == "percentage"]
            applied = []
            if base_rules:
                start = rule_price(base_rules[0], line)
                applied.append(base_rules[0])
                steps.append(self._b2b_trace_entry(base_rules[0], "applied", labels["start"], start))
                steps.extend(
                    self._b2b_trace_entry(rule, "skipped", labels["outranked"] % base_rules[0].record.display_name)
                    for rule in base_rules[1:]
                )
            else:
                start = list_price_by_key[line.key]
            price = start
            for rule in discounts:
                price *= 1 - rule.values["percent_price"] / 100
                applied.append(rule)
                steps.append(
                    self._b2b_trace_entry(rule, "applied", labels["cumulative"] % rule.values["percent_price"], price)
                )
            if cap and start and price < start * (1 - cap / 100):
                price = start * (1 - cap / 100)
                steps.append(
                    {
                        "rule_id": False,
                        "rule": "",
                        "status": "capped",
                        "reason": labels["capped"] % cap,
                        "price": price,
                    }
                )
            return price, applied, steps
        first = matched[0]
        price = rule_price(first, line)
        steps.append(self._b2b_trace_entry(first, "applied", labels["first"], price))
        steps.extend(
            self._b2b_trace_entry(rule, "skipped", labels["outranked"] % first.record.display_name)
            for rule in matched[1:]
        )
        return price, [first], steps

    @api.model
    def _b2b_core_fallback(self, pricelist, ctx, lines, currency, uom_by_id, list_price_by_key, results, labels):
        has_core_items = bool(pricelist and pricelist.item_ids)
        groups = defaultdict(list)
        for line in lines:
            groups[line.qty, line.uom_id].append(line)
        for (qty, uom_id), group in groups.items():
            core = {}
            if has_core_items:
                group_products = self.env["product.product"].sudo().browse([line.product_id for line in group])
                core = pricelist._compute_price_rule(
                    group_products, qty, currency=currency, uom=uom_by_id[uom_id], date=ctx.date
                )
            for line in group:
                price, item_id = core.get(line.product_id, (list_price_by_key[line.key], False))
                item = self.env["product.pricelist.item"].sudo().browse(item_id)
                reason = labels["core_item"] % item.display_name if item else labels["list_price"]
                results[line.key] = {
                    "price": price,
                    "list_price": list_price_by_key[line.key],
                    "currency_id": currency.id,
                    "rule_ids": [],
                    "core_item_id": item_id or False,
                    "promotion_ids": [],
                    "promotion_discount": 0.0,
                    "policy": pricelist.b2b_combination_policy if pricelist else "first",
                    "trace": [
                        {
                            "rule_id": False,
                            "rule": item.display_name if item else "",
                            "status": "fallback",
                            "reason": reason,
                            "price": price,
                        }
                    ],
                }

    @api.model
    def _b2b_trace_entry(self, rule, status, reason, price=None):
        return {
            "rule_id": rule.id,
            "rule": rule.record.display_name,
            "status": status,
            "reason": reason,
            "price": price,
        }

    @api.model
    def _b2b_convert_results(self, results, pricelist, currency, date):
        source = (pricelist.currency_id if pricelist else False) or self.env.company.currency_id
        if currency and currency != source:
            rate = source._get_conversion_rate(source, currency, self.env.company, date)
            for result in results.values():
                result["price"] *= rate
                result["list_price"] *= rate
                result["promotion_discount"] *= rate
                result["currency_id"] = currency.id
        labels = self._b2b_labels()
        for result in results.values():
            result["text"] = self._b2b_format_trace(result, labels)
        return results

    @api.model
    def _b2b_format_trace(self, result, labels=None):
        """Human readable explanation of a result, one line per rule."""
        labels = labels or self._b2b_labels()
        digits = self.env["res.currency"].browse(result["currency_id"]).decimal_places
        lines = [labels["price"] % round(result["price"], digits)]
        for entry in result["trace"]:
            price = f" → {round(entry['price'], digits)}" if entry.get("price") is not None else ""
            status = labels.get(entry["status"], entry["status"])
            lines.append(f"[{status}] {entry['rule']}: {entry['reason']}{price}")
        return "\n".join(lines)
