"""Fill a database (the five modules installed, no demo) with a synthetic data set for
``bench_reports`` in a few minutes: 1,000,000 order lines of 10,000 dealers over 24 months.

Only the columns the b2b_reports views read are filled (with SQL; the ORM computes nothing),
so the database is for timing the report queries, not for using the orders. Made for sessions
where ``make bench-data SCALE=5`` (which prices every line through the ORM) does not finish;
the shapes follow scripts/bench/data_generator.py: 100,000 products in a 5 x 6 x 6 category
tree with brand tags, 10,000 dealers over the Chinese provinces, 3 tiers and 10 salespeople,
orders growing over 24 months (94% confirmed, 4% cancelled), 1-25 lines per order with
skewed product popularity, stock for 80% of the products.

Usage: python scripts/bench/reports_synthetic_data.py --db DB [--lines 1000000] -- <odoo config args>
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import init_odoo, superuser_env

SQL_STEPS = [
    (
        "products",
        """
        WITH leaves AS (SELECT array_agg(id ORDER BY id) AS ids FROM product_category WHERE name LIKE 'RB leaf %%')
        INSERT INTO product_template (name, categ_id, uom_id, uom_po_id, type, service_tracking, tracking,
                                      sale_line_warn, active, sale_ok, purchase_ok, is_storable, list_price,
                                      create_date, write_date)
        SELECT jsonb_build_object('en_US', 'RB product ' || g),
               leaves.ids[1 + (g * 7919) %% array_length(leaves.ids, 1)], 1, 1, 'consu', 'no', 'none',
               'no-message', TRUE, TRUE, TRUE, TRUE, round((1 + random() * 50)::numeric, 2), now(), now()
          FROM generate_series(1, %(products)s) g, leaves
        """,
    ),
    (
        "variants",
        """
        INSERT INTO product_product (product_tmpl_id, active, create_date, write_date)
        SELECT id, TRUE, now(), now() FROM product_template WHERE name->>'en_US' LIKE 'RB product %%'
        """,
    ),
    (
        "brand tags",
        """
        INSERT INTO product_tag_product_template_rel (product_tag_id, product_template_id)
        SELECT tags.ids[1 + t.id %% array_length(tags.ids, 1)], t.id
          FROM product_template t,
               (SELECT array_agg(id ORDER BY id) AS ids FROM product_tag WHERE name->>'en_US' LIKE 'RB brand %%') tags
         WHERE t.name->>'en_US' LIKE 'RB product %%'
        """,
    ),
    (
        "dealers",
        """
        WITH states AS (SELECT array_agg(id ORDER BY id) AS ids FROM res_country_state
                         WHERE country_id = (SELECT id FROM res_country WHERE code = 'CN')),
             users AS (SELECT array_agg(id ORDER BY id) AS ids FROM res_users WHERE login LIKE 'rb_sales_%%'),
             tiers AS (SELECT array_agg(id ORDER BY id) AS ids FROM b2b_dealer_tier WHERE code LIKE 'RB%%')
        INSERT INTO res_partner (name, complete_name, active, is_company, type, country_id, state_id, user_id,
                                 b2b_tier_id, b2b_commercial_tier_id, customer_rank, supplier_rank, autopost_bills,
                                 create_date, write_date)
        SELECT 'RB dealer ' || g, 'RB dealer ' || g, TRUE, TRUE, 'contact',
               (SELECT id FROM res_country WHERE code = 'CN'),
               states.ids[1 + g %% array_length(states.ids, 1)],
               users.ids[1 + (g %% array_length(states.ids, 1)) %% array_length(users.ids, 1)],
               tiers.ids[CASE WHEN g %% 10 = 0 THEN 1 WHEN g %% 10 < 4 THEN 2 ELSE 3 END],
               tiers.ids[CASE WHEN g %% 10 = 0 THEN 1 WHEN g %% 10 < 4 THEN 2 ELSE 3 END],
               1, 0, 'ask', now(), now()
          FROM generate_series(1, %(dealers)s) g, states, users, tiers
        """,
    ),
    ("dealers' commercial partner", "UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'RB dealer %%'"),
    (
        "orders",
        """
        WITH dealers AS (SELECT min(id) AS first, count(*) AS n FROM res_partner WHERE name LIKE 'RB dealer %%'),
             o AS (
                SELECT g,
                       dealers.first + floor(dealers.n * power(random(), 1.5))::int AS partner_id,
                       -- growth: more orders in recent months (age drawn from a triangular-ish law)
                       (now() at time zone 'UTC')::date
                         - (730 * (1 - sqrt(random())))::int * interval '1 day'
                         + ((8 + random() * 11) * interval '1 hour') AS date_order,
                       random() AS roll
                  FROM generate_series(1, %(orders)s) g, dealers
             )
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id, date_order,
                                state, picking_policy, currency_id, currency_rate, user_id, b2b_channel,
                                create_date, write_date)
        SELECT 'RB' || lpad(o.g::text, 7, '0'), o.partner_id, o.partner_id, o.partner_id, 1, o.date_order,
               CASE WHEN o.roll < 0.04 THEN 'cancel' WHEN o.roll < 0.06 THEN 'draft' ELSE 'sale' END,
               'direct', (SELECT currency_id FROM res_company WHERE id = 1), 1.0, p.user_id,
               CASE WHEN o.roll < 0.6 THEN 'portal' ELSE 'backoffice' END, now(), now()
          FROM o JOIN res_partner p ON p.id = o.partner_id
        """,
    ),
    (
        "order lines",
        # product ids are consecutive (one INSERT): pick by offset, popular products first
        """
        WITH products AS (SELECT min(pp.id) AS first, count(*) AS n FROM product_product pp
                            JOIN product_template pt ON pt.id = pp.product_tmpl_id
                           WHERE pt.name->>'en_US' LIKE 'RB product %%'),
             orders AS (SELECT id, partner_id, state, company_id, currency_id, user_id,
                               row_number() OVER (ORDER BY id) AS n
                          FROM sale_order WHERE name LIKE 'RB%%'),
             l AS (
                SELECT o.*, products.first + floor(products.n * power(random(), 3))::int AS product_id,
                       (ARRAY[1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 30, 48, 50, 100])[1 + floor(random() * 16)::int]
                           AS qty,
                       round((1 + random() * 50)::numeric, 2) AS price
                  FROM generate_series(1, %(lines)s) g
                  JOIN orders o ON o.n = 1 + (g - 1) %% %(orders)s
                 CROSS JOIN products
             )
        INSERT INTO sale_order_line (order_id, name, product_id, product_uom, product_uom_qty, price_unit,
                                     price_subtotal, price_total, qty_delivered, customer_lead, state, company_id,
                                     currency_id, order_partner_id, salesman_id, is_downpayment, is_delivery,
                                     b2b_promotion_discount, create_date, write_date)
        SELECT l.id, 'RB line', l.product_id, 1, l.qty, l.price, l.qty * l.price, l.qty * l.price,
               CASE WHEN l.state = 'sale' THEN l.qty ELSE 0 END, 0, l.state, l.company_id, l.currency_id,
               l.partner_id, l.user_id, FALSE, FALSE, 0, now(), now()
          FROM l
        """,
    ),
    (
        "order totals",
        """
        UPDATE sale_order o SET amount_untaxed = t.amount, amount_total = t.amount
          FROM (SELECT order_id, sum(price_subtotal) AS amount FROM sale_order_line GROUP BY order_id) t
         WHERE t.order_id = o.id AND o.name LIKE 'RB%%'
        """,
    ),
    (
        "stock",
        """
        INSERT INTO stock_quant (product_id, location_id, company_id, quantity, reserved_quantity, in_date,
                                 create_date, write_date)
        SELECT pp.id, (SELECT lot_stock_id FROM stock_warehouse WHERE company_id = 1 ORDER BY id LIMIT 1), 1,
               floor(random() * 500), 0, now(), now(), now()
          FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
         WHERE pt.name->>'en_US' LIKE 'RB product %%' AND random() < 0.8
        """,
    ),
]


def main(argv):
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args(argv[:split])
    odoo = init_odoo(args.db, argv[split + 1 :])
    sizes = {
        "lines": args.lines,
        "orders": args.lines // 8,
        "products": args.lines // 10,
        "dealers": max(10, args.lines // 100),
    }
    with superuser_env(odoo, args.db) as env:
        if env["res.users"].search_count([("login", "=like", "rb_sales_%")]):
            print("reports_synthetic_data: this database already has the synthetic set", file=sys.stderr)
            return 2
        started = time.monotonic()
        salesman = env.ref("sales_team.group_sale_salesman")
        env["res.users"].create(
            [
                {"name": f"RB Salesperson {index}", "login": f"rb_sales_{index}", "groups_id": [(6, 0, salesman.ids)]}
                for index in range(10)
            ]
        )
        env["b2b.dealer.tier"].create(
            [{"name": name, "code": f"RB{index}"} for index, name in enumerate(("Tier 1", "Tier 2", "Retail"))]
        )
        Category = env["product.category"]
        for top in range(5):
            parent = Category.create({"name": f"RB top {top}"})
            for middle in range(6):
                child = Category.create({"name": f"RB mid {top}.{middle}", "parent_id": parent.id})
                Category.create(
                    [{"name": f"RB leaf {top}.{middle}.{leaf}", "parent_id": child.id} for leaf in range(6)]
                )
        env["product.tag"].create([{"name": f"RB brand {index}"} for index in range(8)])
        env.flush_all()
        for name, query in SQL_STEPS:
            step = time.monotonic()
            env.cr.execute(query, sizes)
            print(f"reports_synthetic_data: {name}: {env.cr.rowcount} rows in {time.monotonic() - step:.1f}s")
        env.cr.execute("SELECT setval('product_product_id_seq', (SELECT max(id) FROM product_product))")
        print(f"reports_synthetic_data: done in {time.monotonic() - started:.0f}s")
    with superuser_env(odoo, args.db) as env:
        env.cr.execute("ANALYZE")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
