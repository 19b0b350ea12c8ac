"""Sale order totals for 1,000 orders: ORM per record vs ORM batch vs one SQL aggregate.

Recomputing ``amount_untaxed/amount_tax/amount_total`` the way Odoo does (taxes engine) one
order at a time, then for the whole recordset at once (prefetch), and the set-based SQL sum
reports use. Every run recomputes from the lines and checks the result equals what is stored.
"""

import random

from common import measure, report_measure

ORDERS = 1000
AMOUNT_FIELDS = ("amount_untaxed", "amount_tax", "amount_total")


def run(env, report):
    Order = env["sale.order"]
    env.cr.execute("SELECT id FROM sale_order WHERE state != 'cancel' ORDER BY id")
    all_ids = [row[0] for row in env.cr.fetchall()]
    if not all_ids:
        report("skipped", 0, "", "no sale orders: run make bench-data first")
        return
    ids = sorted(random.Random(7).sample(all_ids, min(ORDERS, len(all_ids))))
    env.cr.execute("SELECT id, amount_untaxed, amount_tax, amount_total FROM sale_order WHERE id = ANY(%s)", (ids,))
    stored = {row[0]: tuple(float(v) for v in row[1:]) for row in env.cr.fetchall()}
    env.cr.execute("SELECT count(*) FROM sale_order_line WHERE order_id = ANY(%s)", (ids,))
    n_lines = env.cr.fetchone()[0]
    fields = [Order._fields[name] for name in AMOUNT_FIELDS]
    mismatches = set()

    def recompute(orders):
        for field in fields:
            env.add_to_compute(field, orders)
        for order in orders:
            got = tuple(order[name] for name in AMOUNT_FIELDS)
            if any(abs(a - b) > 0.005 for a, b in zip(got, stored[order.id], strict=True)):
                mismatches.add(order.id)

    def per_record():
        for order_id in ids:
            recompute(Order.browse(order_id))
        env.cr.rollback()  # drop the pending writes: benches never change data

    def batch():
        recompute(Order.browse(ids))
        env.cr.rollback()

    def sql_sum():
        env.cr.execute(
            """SELECT order_id, sum(price_subtotal), sum(price_tax), sum(price_total)
                 FROM sale_order_line WHERE order_id = ANY(%s) AND display_type IS NULL
                GROUP BY order_id""",
            (ids,),
        )
        return env.cr.fetchall()

    note = f"{len(ids)} orders, {n_lines} lines"
    report_measure(report, "amounts recomputed, ORM one order at a time", measure(env, per_record, repeat=3), note)
    report_measure(report, "amounts recomputed, ORM batch (one recordset)", measure(env, batch, repeat=5), note)
    report_measure(report, "line totals per order, one SQL GROUP BY", measure(env, sql_sum, repeat=7), note)
    report("orders whose recomputed amounts differ from stored", len(mismatches), "orders", note)
