"""Dealer portal benches: catalogue page, quick-order validation, order submission.

``run(env, report)`` works on any database with b2b_portal installed (best on the
``make bench-data`` set). It takes the busiest dealer, gives it a portal user if it has
none, and measures with a cold ORM cache each run. The caller rolls the transaction back.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared helpers, also when run alone
from common import measure

PAGE = 48
RUNS = 15


def _measure(env, function, runs=RUNS, warmup=2):
    return measure(env, function, repeat=runs, warmup=warmup)


def _report(report, name, figures, note=""):
    detail = f"median {figures['median']:.1f} ms; {figures['queries']:.0f} queries; {figures['runs']} runs"
    report(name, round(figures["p95"], 1), "ms p95", f"{detail}; {note}" if note else detail)


def _dealer_user(env):
    env.cr.execute(
        """SELECT p.commercial_partner_id FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
            GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"""
    )
    row = env.cr.fetchone()
    if not row:
        return None
    dealer = env["res.partner"].browse(row[0])
    user = env["res.users"].search([("partner_id", "child_of", dealer.id), ("share", "=", True)], limit=1)
    if not user:
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Bench buyer",
                    "login": f"bench_portal_{dealer.id}",
                    "partner_id": env["res.partner"].create({"name": "Bench buyer", "parent_id": dealer.id}).id,
                    "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
                    "b2b_portal_role": "admin",
                }
            )
        )
    user.b2b_portal_role = "admin"  # all rights; approval rules off below
    dealer.write({"b2b_approval_amount": 0, "b2b_approval_category_ids": [(5,)], "b2b_approval_new_products": False})
    return user


def run(env, report):
    user = _dealer_user(env)
    if not user:
        report("portal: skipped", 0, "", "no order in the database: run make bench-data first")
        return
    ctx = user.with_user(user)._b2b_portal_context()
    start = time.perf_counter()
    templates = env["b2b.portal.catalogue"]._b2b_portal_refresh_popularity()
    report(
        "portal: popularity refresh (cron)",
        round((time.perf_counter() - start) * 1000, 1),
        "ms",
        f"one _read_group over confirmed lines + one UPDATE; {templates} templates sold",
    )
    Catalogue = env["b2b.portal.catalogue"].with_user(user)
    env.cr.execute(
        "SELECT categ_id FROM product_template WHERE active AND sale_ok GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    )
    category_id = env.cr.fetchone()[0]
    products = env["product.template"].search_count([("sale_ok", "=", True)])
    note = f"{products} saleable products, dealer {ctx['dealer'].display_name}, pricelist {ctx['pricelist'].name}"

    for label, kwargs in [
        ("catalogue page, all products, popular", {"sort": "popular"}),
        ("catalogue page, all products, newest", {"sort": "newest"}),
        ("catalogue page, biggest category, price", {"category_id": category_id, "sort": "price_asc"}),
        ("catalogue page, search 'a', name, page 2", {"search": "a", "sort": "name", "page": 2}),
        ("catalogue page, in stock filter", {"filters": ("in_stock",), "sort": "newest"}),
    ]:
        _report(
            report, f"portal: {label}", _measure(env, lambda kw=kwargs: Catalogue._b2b_portal_search(ctx, **kw)), note
        )

    env.cr.execute(
        "SELECT default_code FROM product_product WHERE active AND default_code IS NOT NULL ORDER BY id LIMIT 2000"
    )
    codes = [row[0] for row in env.cr.fetchall()]
    QuickOrder = env["b2b.quick.order"].with_user(user)
    for size in (200, 2000):
        rows = [{"sku": codes[i % len(codes)], "qty": str(1 + i % 5)} for i in range(size)]
        rows[size // 2]["sku"] = "NO-SUCH-SKU"
        _report(
            report,
            f"portal: quick order validation, {size} rows",
            _measure(env, lambda rows=rows: QuickOrder._validate_rows(ctx, rows), runs=5, warmup=1),
            f"{len(set(codes[:size]))} distinct SKUs",
        )

    SaleOrder = env["sale.order"].with_user(user)
    variants = env["product.product"].search([("sale_ok", "=", True), ("default_code", "in", codes[:200])])
    timings = []
    for index in range(3):
        cart = SaleOrder._b2b_portal_new_cart(ctx, f"bench {index}")
        cart._b2b_portal_add_products(ctx, {p.id: 1 for p in variants})
        env.invalidate_all()
        start = time.perf_counter()
        cart._b2b_portal_submit(ctx, f"bench-key-{index}", {})
        timings.append((time.perf_counter() - start) * 1000)
    report(
        "portal: submit a 200-line order",
        round(statistics.median(timings), 1),
        "ms",
        f"median of 3 (price recompute, approval rules, stock/credit checks, confirmation); {len(variants)} lines",
    )
