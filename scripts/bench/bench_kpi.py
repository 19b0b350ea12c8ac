"""KPI dashboard, report views and monthly scorecard of b2b_reports on the bench data set.

The bench data set (``make bench-data``) has orders and lines only. Inside the bench
transaction (rolled back by the runner) this bench first gives the confirmed orders a
channel (70 % portal, 10 % API, 20 % back office) and a portal submission 3-40 minutes before
their confirmation, gives one dealer in two a portal user, and ships every confirmed order of
the last 12 months (one picking and one b2b.shipment each, 1 in 20 with a problem event), all
set-based SQL. Then it times, with a cold ORM cache:
- ``b2b.kpi.b2b_kpi_dashboard`` for last month (figures + 12-month trend + receivables): at its
  first opening (no kept month: the 12 closed months computed and kept in b2b.kpi.snapshot),
  then as every later opening (kept months read), and as it opens by default (this month so
  far, live); the monthly cron's recomputation of the last 3 closed months;
- each report view grouped by month over 12 months and by dealer (what its pivot asks);
- the monthly scorecard generation for every dealer.
Invoices are not generated: the collection figures are b2b_credit's, timed by bench_credit.
"""

import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared helpers, also when run alone
from common import measure, report_measure


def _prepare(env, report):
    cr = env.cr
    start = time.perf_counter()
    cr.execute(
        """
        UPDATE sale_order
           SET b2b_channel = CASE WHEN id %% 10 < 7 THEN 'portal' WHEN id %% 10 = 7 THEN 'api' ELSE 'backoffice' END,
               b2b_portal_submitted_date = CASE
                   WHEN id %% 10 < 8 THEN date_order - make_interval(mins => 3 + mod(id::bigint * 7919, 38)::int)
               END
         WHERE state = 'sale' AND company_id = %s
        """,
        [env.company.id],
    )
    orders = cr.rowcount
    # a portal user for one dealer in two
    cr.execute(
        """
        WITH dealers AS (
            SELECT id FROM res_partner WHERE is_company AND id IN (
                SELECT DISTINCT p.commercial_partner_id FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
            ) AND id %% 2 = 0
        ), users AS (
            INSERT INTO res_users (login, partner_id, company_id, notification_type, active, share)
            SELECT 'kpi-bench-' || d.id, d.id, %s, 'email', TRUE, TRUE FROM dealers d
            RETURNING id
        )
        INSERT INTO res_company_users_rel (cid, user_id) SELECT %s, id FROM users
        """,
        [env.company.id, env.company.id],
    )
    users = cr.rowcount
    picking_type = env["stock.picking.type"].search(
        [("code", "=", "outgoing"), ("company_id", "=", env.company.id)], limit=1
    )
    carriers = env["delivery.carrier"].search([], limit=3)
    if not carriers:
        product = env["product.product"].create({"name": "Bench shipping", "type": "service"})
        carriers = env["delivery.carrier"].create(
            [
                {
                    "name": f"Bench carrier {i}",
                    "delivery_type": "fixed",
                    "product_id": product.id,
                    "b2b_transit_days": 2 + i,
                }
                for i in range(3)
            ]
        )
    env.flush_all()
    cr.execute(
        """
        WITH orders AS (
            SELECT so.id, so.partner_id, so.date_order, p.commercial_partner_id
              FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale' AND so.company_id = %(company)s
               AND so.date_order >= now() - interval '12 months'
        ), pickings AS (
            INSERT INTO stock_picking (name, partner_id, picking_type_id, location_id, location_dest_id, move_type,
                                       company_id, state, sale_id, scheduled_date, date_done, date_deadline)
            SELECT 'KPIBENCH/' || o.id, o.partner_id, %(type)s, %(src)s, %(dest)s, 'direct', %(company)s, 'done', o.id,
                   o.date_order + interval '1 day', o.date_order + interval '1 day',
                   o.date_order + interval '4 days'
              FROM orders o
            RETURNING id, sale_id, date_done
        )
        INSERT INTO b2b_shipment (name, picking_id, carrier_id, sale_id, commercial_partner_id, company_id, state,
                                  create_date, in_transit_at, delivered_at)
        SELECT 'KPIB' || pk.id, pk.id, (%(carriers)s)[1 + pk.id %% %(ncarriers)s], pk.sale_id, o.commercial_partner_id,
               %(company)s,
               CASE WHEN pk.id %% 20 = 0 THEN 'exception' ELSE 'delivered' END,
               pk.date_done, pk.date_done + interval '2 hours',
               CASE WHEN pk.id %% 20 = 0 THEN NULL
                    ELSE pk.date_done + make_interval(days => 1 + pk.id %% 4, hours => pk.id %% 9) END
          FROM pickings pk JOIN orders o ON o.id = pk.sale_id
        """,
        {
            "company": env.company.id,
            "type": picking_type.id,
            "src": picking_type.default_location_src_id.id,
            "dest": env.ref("stock.stock_location_customers").id,
            "carriers": carriers.ids,
            "ncarriers": len(carriers),
        },
    )
    shipments = cr.rowcount
    cr.execute(
        """
        INSERT INTO b2b_shipment_event (shipment_id, event_time, state, dedup_key, processed, source)
        SELECT id, create_date + interval '1 day', 'failed_attempt', 'kpibench-' || id, TRUE, 'manual'
          FROM b2b_shipment WHERE name LIKE %s AND id %% 20 = 1
        """,
        ["KPIB%"],
    )
    cr.execute("ANALYZE sale_order; ANALYZE stock_picking; ANALYZE b2b_shipment; ANALYZE b2b_shipment_event")
    report(
        "bench data prepared",
        round(time.perf_counter() - start, 1),
        "s",
        f"{orders} orders with a channel, {users} portal dealers, {shipments} shipments",
    )


def run(env, report):
    if "b2b.kpi" not in env:
        report("skipped", 0, "", "b2b_reports (reports-kpi) is not installed in this database")
        return
    env.cr.execute("SELECT count(*) FROM sale_order_line")
    lines = env.cr.fetchone()[0]
    _prepare(env, report)
    Kpi = env["b2b.kpi"]
    first, last = Kpi._b2b_kpi_last_month()
    year_from = date(first.year - 1, first.month, 1)
    note = f"{lines:,} order lines"

    Snapshot = env["b2b.kpi.snapshot"]

    def first_opening():
        Snapshot._b2b_forget(env.company)
        Kpi.b2b_kpi_dashboard(first, last)

    report_measure(
        report,
        "dashboard, first opening (computes and keeps the 12 closed months)",
        measure(env, first_opening, repeat=3),
        note,
    )
    report_measure(
        report,
        "monthly cron: recompute the last 3 closed months",
        measure(env, lambda: Kpi._b2b_kpi_refresh_snapshots(env.company), repeat=3),
        note,
    )
    dashboard = measure(env, lambda: Kpi.b2b_kpi_dashboard(first, last), repeat=5)
    report_measure(report, "dashboard (last month + 12-month trend + receivables)", dashboard, note)
    report("dashboard under 1 s", 1 if dashboard["median"] < 1000 else 0, "bool", note)
    report_measure(
        report,
        "dashboard as it opens: this month so far, live + 11 kept months",
        measure(env, lambda: Kpi.b2b_kpi_dashboard(), repeat=5),
        note,
    )
    values = Kpi._b2b_kpi_values(first, last, env.company)
    report(
        "dashboard figures, last month",
        values["order_count"],
        "orders",
        f"online {values['online_rate'] or 0:.1f} %, processing {values['processing_minutes'] or 0:.1f} min, "
        f"activation {values['activation_rate'] or 0:.1f} %, on time {values['on_time_rate'] or 0:.1f} %",
    )
    report_measure(
        report,
        "KPI values, 12 months by month",
        measure(env, lambda: Kpi._b2b_kpi_values(year_from, last, env.company, monthly=True), repeat=3),
        note,
    )
    slowest = 0.0
    domain = [("date", ">=", year_from)]
    for model, measures in (
        ("b2b.report.process", ["minutes_to_approval:avg", "hours_to_shipment:avg", "hours_to_delivery:avg"]),
        ("b2b.report.online", ["online_rate:avg", "activation_rate:avg", "order_count:sum"]),
        ("b2b.report.collection", ["amount_due:sum", "amount_collected:sum", "amount_open:sum"]),
        ("b2b.report.delivery", ["on_time_rate:avg", "exception_count:sum", "shipment_count:sum"]),
    ):
        Report = env[model]
        for groupby in (["date:month"], ["dealer_id"], ["date:month", "channel"]):
            figures = measure(env, lambda R=Report, g=groupby, m=measures: R._read_group(domain, g, m), repeat=3)
            slowest = max(slowest, figures["median"])
            report_measure(report, f"{model} by {', '.join(groupby)}, 12 months", figures, note)
    report("every report query under 2 s", 1 if slowest < 2000 else 0, "bool", f"slowest {slowest:.0f} ms")
    Scorecard = env["b2b.health.scorecard"]
    scorecard = measure(env, lambda: Scorecard._b2b_generate(first, env.company, send=False), repeat=1, warmup=0)
    cards = Scorecard.search_count([("month", "=", first), ("company_id", "=", env.company.id)])
    report_measure(report, "monthly scorecards, every dealer (cron)", scorecard, f"{cards - 1} dealers")
