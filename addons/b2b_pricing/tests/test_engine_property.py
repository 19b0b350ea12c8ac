"""Property-based check of the engine against a brute-force reference evaluator.

The reference below is written from the rule semantics only (straight loops over
rules and lines, no registry, no index): any disagreement on random rule sets is a
bug in one of them.
"""

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged
from odoo.tools import float_round

from .common import B2bPricingCase

NOW = datetime(2026, 7, 15, 10, 0, 0)
DATES = [None, datetime(2026, 7, 1), datetime(2026, 7, 20), datetime(2026, 8, 1)]


def reference_prices(rules, env_data, dealer, lines, policy, cap, channel):
    """{line index: price} by brute force. ``rules`` are plain dicts."""
    products = env_data["products"]
    ancestors = env_data["ancestors"]  # categ -> set of itself and its ancestors
    amount = sum(products[p]["list_price"] * qty for p, qty in lines)

    def line_qty(rule, index):
        product, qty = lines[index]
        scope = rule["quantity_scope"]
        if scope == "line":
            return qty
        if scope == "product":
            return sum(q for p, q in lines if products[p]["tmpl"] == products[product]["tmpl"])
        categs = set(rule["categs"]) or {products[product]["categ"]}
        return sum(q for p, q in lines if ancestors[products[p]["categ"]] & categs)

    def matches(rule, index):
        product = products[lines[index][0]]
        checks = [
            not rule["tiers"] or dealer["tier"] in rule["tiers"],
            not rule["dealers"] or dealer["id"] in rule["dealers"],
            not rule["channel"] or rule["channel"] == channel,
            not rule["date_start"] or rule["date_start"] <= NOW,
            not rule["date_end"] or NOW <= rule["date_end"],
            amount >= rule["min_order_amount"],
            not rule["tmpls"] or product["tmpl"] in rule["tmpls"],
            not rule["categs"] or bool(ancestors[product["categ"]] & set(rule["categs"])),
            not rule["tags"] or bool(product["tags"] & set(rule["tags"])),
            line_qty(rule, index) >= rule["min_quantity"],
        ]
        return all(checks)

    def specificity(rule):
        if rule["tmpls"]:
            return 1
        if rule["categs"] or rule["tags"]:
            return 2
        return 3

    categ_names = env_data["categ_names"]

    def categ_rank(rule):
        ordered = sorted(categ_names, key=categ_names.get, reverse=True)
        return min((ordered.index(c) for c in rule["categs"]), default=0)

    def order_key(rule):
        return (rule["sequence"], specificity(rule), -rule["min_quantity"], categ_rank(rule), -rule["id"])

    def rule_price(rule, list_price):
        if rule["compute_price"] == "fixed":
            return rule["fixed_price"]
        if rule["compute_price"] == "percentage":
            return list_price - list_price * rule["percent_price"] / 100
        price = list_price - list_price * rule["price_discount"] / 100
        if rule["price_round"]:
            price = float_round(price, precision_rounding=rule["price_round"])
        price += rule["price_surcharge"]
        if rule["price_min_margin"]:
            price = max(price, list_price + rule["price_min_margin"])
        return price

    result = {}
    for index, (product, _qty) in enumerate(lines):
        list_price = products[product]["list_price"]
        matching = sorted((rule for rule in rules if matches(rule, index)), key=order_key)
        if not matching:
            result[index] = list_price
        elif policy == "first":
            result[index] = rule_price(matching[0], list_price)
        elif policy == "best":
            result[index] = min(rule_price(rule, list_price) for rule in matching)
        else:
            bases = [rule for rule in matching if rule["compute_price"] != "percentage"]
            start = rule_price(bases[0], list_price) if bases else list_price
            price = start
            for rule in matching:
                if rule["compute_price"] == "percentage":
                    price = price * (1 - rule["percent_price"] / 100)
            if cap and price < start * (1 - cap / 100):
                price = start * (1 - cap / 100)
            result[index] = price
    return result


def rule_strategy(n_tiers, n_dealers, n_tmpls, n_categs, n_tags):
    subset = lambda n: st.lists(st.integers(0, n - 1), max_size=2, unique=True)  # noqa: E731
    return st.fixed_dictionaries(
        {
            "sequence": st.integers(1, 3),
            "tiers": subset(n_tiers),
            "dealers": st.lists(st.integers(0, n_dealers - 1), max_size=1),
            "channel": st.sampled_from([False, False, "backoffice", "portal"]),
            "date_start": st.sampled_from(DATES),
            "date_end": st.sampled_from(DATES),
            "min_order_amount": st.sampled_from([0, 0, 100, 400]),
            "tmpls": subset(n_tmpls),
            "categs": subset(n_categs),
            "tags": st.lists(st.integers(0, n_tags - 1), max_size=1),
            "min_quantity": st.sampled_from([0, 0, 5, 10, 20]),
            "quantity_scope": st.sampled_from(["line", "product", "category"]),
            "compute_price": st.sampled_from(["fixed", "percentage", "formula"]),
            "fixed_price": st.sampled_from([1.0, 3.5, 7.25]),
            "percent_price": st.sampled_from([5.0, 10.0, 33.0, -10.0]),
            "price_discount": st.sampled_from([0.0, 15.0, -20.0]),
            "price_round": st.sampled_from([0.0, 0.1, 1.0]),
            "price_surcharge": st.sampled_from([0.0, 0.5]),
            "price_min_margin": st.sampled_from([0.0, -1.0]),
        }
    )


@tagged("post_install", "-at_install")
class TestEngineProperty(B2bPricingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.categ_extra = env["product.category"].create({"name": "B2B Juice Premium", "parent_id": cls.categ_juice.id})
        cls.categs = cls.categ_beverages | cls.categ_juice | cls.categ_tea | cls.categ_snacks | cls.categ_extra
        cls.tags = cls.tag_brand | env["product.tag"].create({"name": "B2B Brand Other"})
        cls.premium = env["product.product"].create(
            {"name": "Premium juice", "list_price": 13.0, "categ_id": cls.categ_extra.id,
             "product_tag_ids": [(6, 0, cls.tags[1].ids)]}
        )  # fmt: skip
        cls.all_products = cls.products | cls.premium
        cls.tiers = cls.tier1 | cls.tier2
        cls.dealers = cls.dealer | cls.dealer2
        cls.env_data = {
            "products": {
                p.id: {
                    "list_price": p.list_price,
                    "tmpl": p.product_tmpl_id.id,
                    "categ": p.categ_id.id,
                    "tags": set(p.product_tag_ids.ids),
                }
                for p in cls.all_products
            },
            "ancestors": {
                c.id: {int(x) for x in c.parent_path.split("/") if x} for c in env["product.category"].search([])
            },
            "categ_names": {c.id: c.complete_name for c in cls.categs},
        }

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        rules=st.lists(rule_strategy(2, 2, 5, 5, 2), min_size=0, max_size=8),
        lines=st.lists(st.tuples(st.integers(0, 4), st.sampled_from([1, 4, 6, 10, 25])), min_size=1, max_size=5),
        dealer_index=st.integers(0, 1),
        policy=st.sampled_from(["first", "best", "cumulative"]),
        cap=st.sampled_from([0.0, 0.0, 20.0]),
        channel=st.sampled_from(["backoffice", "portal"]),
    )
    def test_engine_matches_reference(self, rules, lines, dealer_index, policy, cap, channel):
        with self.env.cr.savepoint(flush=False) as savepoint:
            self.pricelist.write({"b2b_combination_policy": policy, "b2b_discount_cap": cap})
            tmpls = self.all_products.product_tmpl_id
            plain_rules = []
            for rule in rules:
                if rule["date_start"] and rule["date_end"] and rule["date_end"] < rule["date_start"]:
                    rule["date_start"], rule["date_end"] = rule["date_end"], rule["date_start"]
                record = self.Rule.create(
                    {
                        "name": "random",
                        "pricelist_id": self.pricelist.id,
                        "sequence": rule["sequence"],
                        "tier_ids": [(6, 0, [self.tiers[i].id for i in rule["tiers"]])],
                        "partner_ids": [(6, 0, [self.dealers[i].id for i in rule["dealers"]])],
                        "channel": rule["channel"],
                        "date_start": rule["date_start"],
                        "date_end": rule["date_end"],
                        "min_order_amount": rule["min_order_amount"],
                        "product_tmpl_ids": [(6, 0, [tmpls[i].id for i in rule["tmpls"]])],
                        "categ_ids": [(6, 0, [self.categs[i].id for i in rule["categs"]])],
                        "product_tag_ids": [(6, 0, [self.tags[i].id for i in rule["tags"]])],
                        "min_quantity": rule["min_quantity"],
                        "quantity_scope": rule["quantity_scope"],
                        "compute_price": rule["compute_price"],
                        "fixed_price": rule["fixed_price"],
                        "percent_price": rule["percent_price"],
                        "price_discount": rule["price_discount"],
                        "price_round": rule["price_round"],
                        "price_surcharge": rule["price_surcharge"],
                        "price_min_margin": rule["price_min_margin"],
                    }
                )
                plain_rules.append(
                    {
                        **rule,
                        "id": record.id,
                        "tiers": set(record.tier_ids.ids),
                        "dealers": set(record.partner_ids.ids),
                        "tmpls": set(record.product_tmpl_ids.ids),
                        "categs": set(record.categ_ids.ids),
                        "tags": set(record.product_tag_ids.ids),
                    }
                )
            dealer = self.dealers[dealer_index]
            line_products = [(self.all_products[i], qty) for i, qty in lines]
            expected = reference_prices(
                plain_rules,
                self.env_data,
                {"id": dealer.id, "tier": dealer.b2b_tier_id.id},
                [(product.id, qty) for product, qty in line_products],
                policy,
                cap,
                channel,
            )
            ctx = self.engine._b2b_make_context(dealer, self.pricelist, date=NOW, channel=channel)
            ctx.lines = self.engine._b2b_make_lines(
                [
                    {"key": index, "product": product, "qty": qty, "uom": product.uom_id}
                    for index, (product, qty) in enumerate(line_products)
                ]
            )
            actual = self.engine._b2b_evaluate(self.pricelist, ctx)
            for index, price in expected.items():
                self.assertAlmostEqual(
                    actual[index]["price"], price, places=6, msg=f"line {index}: {actual[index]['trace']}"
                )
            savepoint.rollback()
            self.env.invalidate_all()
