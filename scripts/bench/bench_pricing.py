"""Pricing benchmark: the B2B engine against Odoo's core pricelists on 10,000 products.

``run(env, report)`` builds, inside the caller's transaction (the runner rolls it back):
- 10,000 products (the database's own when it has that many, else created here in batch);
- a core chain: a base pricelist with category percentages, and a dealer pricelist with
  category formulas over the base (quantity breaks 0/10/50), 100 fixed product prices and
  50 dated product discounts;
- the same chain as B2B rules, plus rules on other dimensions (tier, channel, region,
  dealer contracts, payment terms, seasons) that must not change this dealer's prices,
  200+ rules in all;
then checks both give the same prices and times them (median of 5, cold ORM cache).

Standalone: python scripts/bench/bench_pricing.py --db DB -- -c odoo.conf --addons-path=...
(always rolled back).
"""

import statistics
import time
from datetime import datetime, timedelta

PRODUCTS = 10_000
QUANTITY = 10
RUNS = 5


def _measure(env, functions, runs=RUNS):
    """{name: figures} running the functions in turn (one warm-up round, then ``runs``
    rounds) so that load from other processes weighs on all of them alike."""
    samples = {name: {"timings": [], "queries": [], "result": None} for name in functions}
    for round_index in range(runs + 1):
        for name, function in functions.items():
            env.invalidate_all()
            before = env.cr.sql_log_count
            start = time.perf_counter()
            result = function()
            elapsed = time.perf_counter() - start
            if round_index:
                samples[name]["timings"].append(elapsed)
                samples[name]["queries"].append(env.cr.sql_log_count - before)
            samples[name]["result"] = result
    return {
        name: {
            "median": statistics.median(sample["timings"]),
            "min": min(sample["timings"]),
            "max": max(sample["timings"]),
            "queries": statistics.median(sample["queries"]),
            "result": sample["result"],
        }
        for name, sample in samples.items()
    }


def _products(env):
    products = env["product.product"].search([("sale_ok", "=", True)], limit=PRODUCTS, order="id")
    if len(products) >= PRODUCTS:
        return products, False
    roots = env["product.category"].create([{"name": f"Bench root {i}"} for i in range(5)])
    leaves = env["product.category"].create(
        [{"name": f"Bench leaf {i}.{j}", "parent_id": root.id} for i, root in enumerate(roots) for j in range(4)]
    )
    missing = PRODUCTS - len(products)
    created = env["product.product"]
    for start in range(0, missing, 2000):
        created |= env["product.product"].create(
            [
                {
                    "name": f"Bench product {index:05d}",
                    "list_price": round(1 + (index % 997) * 0.37, 2),
                    "standard_price": round(0.5 + (index % 991) * 0.21, 2),
                    "categ_id": leaves[index % len(leaves)].id,
                    "taxes_id": [(5, 0, 0)],
                }
                for index in range(start, min(start + 2000, missing))
            ]
        )
    return products | created, True


def _build(env, products):
    now = datetime.now().replace(microsecond=0)
    currency = env.company.currency_id
    Pricelist = env["product.pricelist"]
    Item = env["product.pricelist.item"]
    Rule = env["b2b.price.rule"]
    categs = products.categ_id
    templates = products.product_tmpl_id

    core_base = Pricelist.create({"name": "Bench core base", "currency_id": currency.id})
    core = Pricelist.create({"name": "Bench core dealer", "currency_id": currency.id})
    ours_base = Pricelist.create({"name": "Bench B2B base", "currency_id": currency.id})
    ours = Pricelist.create({"name": "Bench B2B dealer", "currency_id": currency.id})
    tier = env["b2b.dealer.tier"].create({"name": "Bench tier", "code": "BENCHT1", "pricelist_id": ours.id})
    other_tier = env["b2b.dealer.tier"].create({"name": "Bench other tier", "code": "BENCHT2"})
    country = env.ref("base.cn")
    group = env["res.country.group"].create({"name": "Bench region", "country_ids": [(6, 0, country.ids)]})
    term = env.ref("account.account_payment_term_30days")
    other_term = env.ref("account.account_payment_term_immediate")
    dealer = env["res.partner"].create(
        {"name": "Bench dealer", "is_company": True, "b2b_tier_id": tier.id, "country_id": country.id}
    )
    other_dealer = env["res.partner"].create({"name": "Bench other dealer", "is_company": True})

    core_items, rules = [], []
    for index, categ in enumerate(categs):
        percent = index % 10 + 1
        core_items.append(
            {
                "pricelist_id": core_base.id,
                "applied_on": "2_product_category",
                "categ_id": categ.id,
                "compute_price": "percentage",
                "percent_price": percent,
            }
        )
        rules.append({"pricelist_id": ours_base.id, "categ_ids": [(6, 0, categ.ids)], "percent_price": percent})
        for min_qty, discount in ((0, 3), (10, 6), (50, 9)):
            action = {
                "compute_price": "formula",
                "base": "pricelist",
                "price_discount": discount + index % 3,
                "price_round": 0.05,
                "price_surcharge": 0.02,
                "price_min_margin": -50,
                "min_quantity": min_qty,
            }
            core_items.append(
                {
                    **action,
                    "pricelist_id": core.id,
                    "applied_on": "2_product_category",
                    "categ_id": categ.id,
                    "base_pricelist_id": core_base.id,
                }
            )
            rules.append(
                {
                    **action,
                    "pricelist_id": ours.id,
                    "categ_ids": [(6, 0, categ.ids)],
                    "base_pricelist_id": ours_base.id,
                    "tier_ids": [(6, 0, tier.ids)],  # matches the dealer
                }
            )
    step = len(products) // 100
    for index, product in enumerate(products[::step][:100]):
        price = round(2 + index * 0.5, 2)
        core_items.append(
            {
                "pricelist_id": core.id,
                "applied_on": "0_product_variant",
                "product_id": product.id,
                "compute_price": "fixed",
                "fixed_price": price,
            }
        )
        rules.append(
            {
                "pricelist_id": ours.id,
                "product_ids": [(6, 0, product.ids)],
                "compute_price": "fixed",
                "fixed_price": price,
                "channel": "backoffice",  # matches the channel priced
            }
        )
    step = len(templates) // 50
    for index, template in enumerate(templates[step // 2 :: step][:50]):
        # half of them running now, half over
        start, end = (
            (now - timedelta(days=5), now + timedelta(days=5))
            if index % 2
            else (
                now - timedelta(days=30),
                now - timedelta(days=10),
            )
        )
        core_items.append(
            {
                "pricelist_id": core.id,
                "applied_on": "1_product",
                "product_tmpl_id": template.id,
                "compute_price": "percentage",
                "percent_price": 15,
                "date_start": start,
                "date_end": end,
            }
        )
        rules.append(
            {
                "pricelist_id": ours.id,
                "product_tmpl_ids": [(6, 0, template.ids)],
                "percent_price": 15,
                "date_start": start,
                "date_end": end,
                "country_group_ids": [(6, 0, group.ids)],  # matches the dealer's region
            }
        )
    # Rules on other dimensions that do not apply to this dealer: same prices expected.
    for index, categ in enumerate(categs[:10]):
        rules += [
            {"pricelist_id": ours.id, "categ_ids": [(6, 0, categ.ids)], "percent_price": 40, "sequence": 1,
             "tier_ids": [(6, 0, other_tier.ids)]},
            {"pricelist_id": ours.id, "categ_ids": [(6, 0, categ.ids)], "percent_price": 45, "sequence": 1,
             "payment_term_ids": [(6, 0, other_term.ids)]},
            {"pricelist_id": False, "categ_ids": [(6, 0, categ.ids)], "percent_price": 50, "sequence": 1,
             "partner_ids": [(6, 0, other_dealer.ids)], "rule_type": "contract"},
            {"pricelist_id": ours.id, "categ_ids": [(6, 0, categ.ids)], "percent_price": 35, "sequence": 1,
             "season_months": str((now.month + 5) % 12 + 1)},
            {"pricelist_id": ours.id, "categ_ids": [(6, 0, categ.ids)], "percent_price": 30, "sequence": 1,
             "channel": "portal", "min_quantity": index},
        ]  # fmt: skip
    Item.create(core_items)
    for number, vals in enumerate(rules):
        vals["name"] = f"Bench rule {number}"
    Rule.with_context(tracking_disable=True).create(rules)
    return {
        "core": core,
        "ours": ours,
        "dealer": dealer,
        "term": term,
        "now": now,
        "core_items": len(core_items),
        "rules": len(rules),
    }


def run(env, report):
    env = env(context=dict(env.context, tracking_disable=True))
    start = time.perf_counter()
    products, created = _products(env)
    setup = _build(env, products)
    env.flush_all()
    report(
        "pricing.setup",
        round(time.perf_counter() - start, 1),
        "s",
        f"{len(products)} products ({'created by the bench' if created else 'from the database'}), "
        f"{setup['core_items']} core pricelist items, {setup['rules']} B2B rules",
    )
    core, ours, dealer, now = setup["core"], setup["ours"], setup["dealer"], setup["now"]
    engine = env["b2b.price.engine"]

    def core_prices():
        return core._get_products_price(products, QUANTITY, date=now)

    def our_prices(explain=True):
        results = engine.price_for(
            products,
            dealer=dealer,
            quantities=QUANTITY,
            date=now,
            channel="backoffice",
            pricelist=ours,
            payment_term=setup["term"],
            explain=explain,
        )
        return {product_id: result["price"] for product_id, result in results.items()}

    figures = _measure(env, {"core": core_prices, "ours": our_prices, "lean": lambda: our_prices(explain=False)})
    core_figures, ours_figures, ours_lean = figures["core"], figures["ours"], figures["lean"]

    expected, actual = core_figures["result"], ours_figures["result"]
    different = [
        product_id
        for product_id, price in expected.items()
        if abs(actual[product_id] - price) > 1e-6 * max(1.0, abs(price))
    ]
    assert not different, f"{len(different)} prices differ, e.g. product {different[0]}"
    discounted = sum(1 for product in products if expected[product.id] != product.list_price)
    speedup = core_figures["median"] / ours_figures["median"]

    def note(figures):
        return (
            f"min {figures['min']:.2f}, max {figures['max']:.2f} s; {figures['queries']:.0f} queries; "
            f"median of {RUNS}, cold ORM cache, runs interleaved with the other variants"
        )

    report("pricing.core_get_products_price_10k", round(core_figures["median"], 2), "s", note(core_figures))
    report(
        "pricing.engine_price_for_10k",
        round(ours_figures["median"], 2),
        "s",
        note(ours_figures) + "; with explanation trace per product",
    )
    report("pricing.engine_price_for_10k_no_trace", round(ours_lean["median"], 2), "s", note(ours_lean))
    report(
        "pricing.speedup_vs_core",
        round(speedup, 1),
        "x",
        f"same prices on {len(products)} products ({discounted} differ from the sales price); goal >= 5x",
    )
    assert speedup >= 5, f"engine only {speedup:.1f}x faster than core"

    # Catalogue page: 48 prices from the price table, then after a rule change.
    table = env["b2b.price.table"]
    page = products[:48]
    table._b2b_get_table_prices(ours, products[:480])
    warm = _measure(env, {"table": lambda: table._b2b_get_table_prices(ours, page)})["table"]
    report(
        "pricing.table_read_48",
        round(warm["median"] * 1000, 2),
        "ms",
        f"{warm['queries']:.0f} queries; fresh rows, median of {RUNS}",
    )
    env["b2b.price.rule"].search([("pricelist_id", "=", ours.id)], limit=1).percent_price += 1
    env.flush_all()
    env.cr.execute("SELECT count(*) FROM b2b_price_table WHERE pricelist_id = %s AND dirty", [ours.id])
    dirty = env.cr.fetchone()[0]
    started = time.perf_counter()
    before = env.cr.sql_log_count
    table._b2b_get_table_prices(ours, page)
    report(
        "pricing.table_read_48_after_rule_change",
        round((time.perf_counter() - started) * 1000, 1),
        "ms",
        f"{env.cr.sql_log_count - before} queries; {dirty} of 480 rows invalidated by one category rule",
    )


if __name__ == "__main__":
    import argparse
    import os
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("odoo_args", nargs="*")
    args = parser.parse_args()
    sys.path.insert(0, os.environ.get("ODOO_PATH", "/opt/odoo"))
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config([*args.odoo_args, "-d", args.db, "--max-cron-threads=0", "--workers=0"])
    with Registry(args.db).cursor() as cr:
        bench_env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            run(bench_env, lambda name, value, unit, note="": print(f"{name}: {value} {unit}  ({note})", flush=True))
        finally:
            cr.rollback()
