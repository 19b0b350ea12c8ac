"""Benchmark of b2b_logistics: signed webhook ingestion on Odoo's multi-worker server.

What it measures (each figure goes through ``report(name, value, unit, note)``):

- ``logistics.webhook_events_per_s``: signed generic-webhook events (one event per request,
  HMAC-SHA256) accepted (HTTP 200, stored) per second by ``odoo-bin --workers=2`` while
  ``--concurrency`` client threads post for ``--seconds`` seconds;
- ``logistics.webhook_latency_p50_ms`` / ``_p95_ms``: request latency seen by the client;
- ``logistics.order_confirm_idle_ms`` / ``logistics.order_confirm_under_load_ms``: median time to
  create and confirm a sale order (committed) before and while the webhook load runs;
- ``logistics.events_applied_per_s``: speed of the processing cron applying the stored events
  to shipments (status, ETA, position) afterwards.

Usage:
- from the bench harness: ``run(env, report)`` with an env on a database where b2b_logistics is
  installed; the function commits its fixtures (it needs a real server to see them) and starts
  and stops its own Odoo server on a free port;
- standalone: ``.venv/bin/python scripts/bench/bench_logistics.py -d DB [--install]
  [--seconds 20] [--concurrency 12]`` (``--install`` creates DB with b2b_logistics first).
"""

import argparse
import asyncio
import hashlib
import hmac
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the shared helpers, also when run alone
from common import ODOO_PATH, ROOT, addons_path, odoo_cmd, start_odoo_server

SECRET = "bench-fleet-secret"
# Odoo's advice for a prefork server: about 2 workers per core plus one.
WORKERS = int(os.environ.get("B2B_BENCH_WORKERS", "5"))
SHIPMENTS = 200


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sign(body):
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def _prepare(env):
    """A generic-webhook carrier and one delivery order with SHIPMENTS tracking numbers."""
    carrier = env["delivery.carrier"].search([("name", "=", "Bench Fleet")], limit=1)
    if not carrier:
        product = env["product.product"].create({"name": "Bench Shipping", "type": "service"})
        carrier = env["delivery.carrier"].create(
            {
                "name": "Bench Fleet",
                "delivery_type": "fixed",
                "product_id": product.id,
                "b2b_tracking_provider": "generic",
                "b2b_webhook_secret": SECRET,
            }
        )
    partner = env["res.partner"].search([("name", "=", "Bench Dealer")], limit=1) or env["res.partner"].create(
        {"name": "Bench Dealer", "is_company": True}
    )
    product = env["product.product"].search([("name", "=", "Bench Product")], limit=1) or env["product.product"].create(
        {"name": "Bench Product", "type": "consu"}
    )
    shipments = env["b2b.shipment"].search([("carrier_id", "=", carrier.id)])
    if len(shipments) < SHIPMENTS:
        picking_type = env["stock.picking.type"].search([("code", "=", "outgoing")], limit=1)
        picking = env["stock.picking"].create(
            {
                "partner_id": partner.id,
                "picking_type_id": picking_type.id,
                "location_id": picking_type.default_location_src_id.id,
                "location_dest_id": env.ref("stock.stock_location_customers").id,
                "carrier_id": carrier.id,
            }
        )
        stamp = int(time.time())
        env["b2b.shipment"].create(
            [
                {"name": f"BENCH-{stamp}-{index:04d}", "picking_id": picking.id, "carrier_id": carrier.id}
                for index in range(SHIPMENTS)
            ]
        )
        shipments = env["b2b.shipment"].search([("carrier_id", "=", carrier.id)])
    env.cr.commit()
    return carrier, partner, product, shipments.mapped("name")


def _confirm_order(env, partner, product):
    start = time.perf_counter()
    order = env["sale.order"].create(
        {"partner_id": partner.id, "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})]}
    )
    order.action_confirm()
    env.cr.commit()
    return (time.perf_counter() - start) * 1000


def _start_server(db, port):
    return start_odoo_server(
        db,
        port,
        os.path.join(ROOT, "var", f"bench-logistics-{port}.log"),
        f"--workers={WORKERS}",
        "--max-cron-threads=1",
    )


def _requests(port, path, numbers, count, batch, stamp):
    """Pre-built raw HTTP requests (unique events, signed bodies): the client spends its CPU
    before the timed window, so the figure measures the server, not the load generator."""
    base = datetime(2025, 1, 1)
    requests_ = []
    for index in range(count):
        events = []
        for offset in range(batch):
            sequence = index * batch + offset
            events.append(
                {
                    "tracking_number": numbers[sequence % len(numbers)],
                    "status": "in_transit",
                    "time": (base + timedelta(seconds=sequence)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "description": f"Checkpoint {stamp}-{sequence}",
                    "location": "Hangzhou",
                    "latitude": 30.27,
                    "longitude": 120.15,
                }
            )
        body = json.dumps({"events": events}).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"X-B2B-Signature: {_sign(body)}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        requests_.append(head + body)
    return requests_


def _fire(port, prepared, seconds, concurrency, rate=None):
    """Post ``prepared`` requests from ``concurrency`` asyncio connections for ``seconds``, as fast
    as the server answers or, with ``rate``, paced at ``rate`` requests per second.
    Returns (status counts, latencies in ms, elapsed seconds)."""
    codes = {}
    latencies = []
    feed = iter(prepared)
    sent = [0]

    async def worker(deadline):
        while time.time() < deadline:
            data = next(feed, None)
            if data is None:
                return
            if rate:
                due = started + sent[0] / rate
                sent[0] += 1
                if due > time.time():
                    await asyncio.sleep(due - time.time())
            start = time.perf_counter()
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(data)
                await writer.drain()
                response = await asyncio.wait_for(reader.read(), 30)
                writer.close()
            except (OSError, asyncio.TimeoutError):
                codes["error"] = codes.get("error", 0) + 1
                continue
            latencies.append((time.perf_counter() - start) * 1000)
            code = response[9:12].decode() or "empty"
            codes[code] = codes.get(code, 0) + 1

    async def main():
        deadline = time.time() + seconds
        await asyncio.gather(*(worker(deadline) for _index in range(concurrency)))

    started = time.time()
    asyncio.run(main())
    return codes, sorted(latencies), time.time() - started


def _fire_child(connection, port, prepared, seconds, concurrency, rate):
    connection.send(_fire(port, prepared, seconds, concurrency, rate))
    connection.close()


def _fire_into(result, port, prepared, seconds, concurrency, rate=None):
    """Run the load generator in its own process: in this one it would share the GIL with the
    order confirmations measured meanwhile and the figure would measure the client."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_fire_child, args=(sender, port, prepared, seconds, concurrency, rate))
    child.start()
    sender.close()
    result["codes"], result["latencies"], result["elapsed"] = receiver.recv()
    child.join()


def _cpu_seconds(pids):
    """User+system CPU seconds of processes ``pids`` and their direct children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) in pids or int(fields[1]) in pids:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def _backend_pids(env):
    env.cr.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
    return {row[0] for row in env.cr.fetchall()}


def run(env, report, seconds=20, concurrency=16, scenarios=((1, None), (1, 200), (10, None))):
    """``scenarios``: (events per request, paced requests/s or None for as fast as answered)."""
    db = env.cr.dbname
    os.makedirs(os.path.join(ROOT, "var"), exist_ok=True)
    carrier, partner, product, numbers = _prepare(env)
    idle = [_confirm_order(env, partner, product) for _index in range(5)]
    port = _free_port()
    process, log = _start_server(db, port)
    path = f"/b2b_logistics/webhook/{carrier.id}"
    stamp = f"{time.time():.0f}"
    try:
        # Warm-up: load the registry in both workers.
        _fire(port, _requests(port, path, numbers, 40, 1, stamp + "w"), 3, 4)
        for batch, rate in scenarios:
            prepared = _requests(
                port, path, numbers, int(seconds * 600 / batch) + 100, batch, f"{stamp}b{batch}r{rate}"
            )
            env.cr.execute("SELECT count(*) FROM b2b_shipment_event")
            events_before = env.cr.fetchone()[0]
            env.cr.commit()
            pids = {process.pid} | _backend_pids(env)
            cpu_before = _cpu_seconds(pids)
            result = {}
            thread = threading.Thread(target=_fire_into, args=(result, port, prepared, seconds, concurrency, rate))
            thread.start()
            under_load = []
            time.sleep(1)
            while thread.is_alive():
                under_load.append(_confirm_order(env, partner, product))
                time.sleep(0.5)
            thread.join()
            pids |= _backend_pids(env)
            cpu = _cpu_seconds(pids) - cpu_before
            env.cr.execute("SELECT count(*) FROM b2b_shipment_event")
            stored = env.cr.fetchone()[0] - events_before
            env.cr.commit()
            codes, latencies, elapsed = result["codes"], result["latencies"], result["elapsed"]
            accepted = codes.get("200", 0)
            suffix = (f"_batch{batch}" if batch > 1 else "") + (f"_paced{rate}" if rate else "")
            pace = f", paced at {rate} requests/s" if rate else ", as fast as answered"
            report(
                f"logistics.webhook_events_per_s{suffix}",
                round(accepted * batch / elapsed, 1),
                "events/s",
                f"{accepted} signed requests x {batch} event(s) accepted in {elapsed:.1f}s, "
                f"{concurrency} connections{pace}, --workers={WORKERS}, answers {codes}, {stored} events stored",
            )
            if latencies:
                report(f"logistics.webhook_latency_p50_ms{suffix}", round(latencies[len(latencies) // 2], 1), "ms", "")
                report(
                    f"logistics.webhook_latency_p95_ms{suffix}",
                    round(latencies[int(len(latencies) * 0.95)], 1),
                    "ms",
                    "",
                )
            if accepted:
                report(
                    f"logistics.webhook_cpu_ms_per_request{suffix}",
                    round(cpu * 1000 / sum(codes.values()), 2),
                    "ms",
                    "CPU of the Odoo server processes + their PostgreSQL backends per request",
                )
            if under_load:
                report(
                    f"logistics.order_confirm_under_load_ms{suffix}",
                    round(statistics.median(under_load), 1),
                    "ms",
                    f"median of {len(under_load)} sale order create+confirm+commit during the webhook load",
                )
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
    report("logistics.order_confirm_idle_ms", round(statistics.median(idle), 1), "ms", "median of 5, no load")
    _bench_module_path(env, report, carrier, numbers, stamp)
    # Processing of the backlog by the cron method (what the cron worker does in the background).
    Shipment = env["b2b.shipment"]
    env.cr.execute("SELECT count(*) FROM b2b_shipment_event WHERE processed IS NOT TRUE")
    backlog = env.cr.fetchone()[0]
    start = time.perf_counter()
    while Shipment._cron_process_events(limit=200):
        env.cr.commit()
    env.cr.commit()
    spent = time.perf_counter() - start
    if backlog:
        report(
            "logistics.events_applied_per_s",
            round(backlog / spent, 1),
            "events/s",
            f"{backlog} stored events applied to {len(numbers)} shipments in {spent:.2f}s",
        )


def _bench_module_path(env, report, carrier, numbers, stamp, count=1000):
    """The module's own share of a webhook request, in-process without HTTP: signature check,
    parsing and the INSERT ... ON CONFLICT of one event, committed like a request."""
    from odoo.addons.b2b_logistics.providers import ProviderConfig, get_provider

    provider = get_provider("generic", ProviderConfig(webhook_secret=SECRET))
    Event = env["b2b.shipment.event"].sudo()
    prepared = []
    for index in range(count):
        body = json.dumps(
            {
                "events": [
                    {
                        "tracking_number": numbers[index % len(numbers)],
                        "status": "in_transit",
                        "time": "2025-02-01T00:00:00Z",
                        "description": f"In-process {stamp}-{index}",
                    }
                ]
            }
        ).encode()
        prepared.append((body, {"X-B2B-Signature": _sign(body)}))
    start = time.perf_counter()
    for body, headers in prepared:
        if not provider.verify_webhook(headers, body, {}):
            raise RuntimeError("signature check failed")
        Event._b2b_insert_events(carrier.id, provider.parse_webhook(headers, body, {}), source="webhook")
        env.cr.commit()
    spent = time.perf_counter() - start
    report(
        "logistics.module_ingest_ms_per_event",
        round(spent * 1000 / count, 3),
        "ms",
        f"verify + parse + INSERT + commit of {count} single-event bodies in-process (no HTTP stack)",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--install", action="store_true", help="create the database with b2b_logistics first")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    if args.install:
        subprocess.run(
            odoo_cmd(
                args.database, "-i", "b2b_logistics", "--stop-after-init", "--without-demo=all", "--log-level=warn"
            ),
            check=True,
            cwd=ROOT,
        )
    sys.path.insert(0, ODOO_PATH)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", os.path.join(ROOT, "odoo.conf"), f"--addons-path={addons_path()}"])
    registry = odoo.modules.registry.Registry(args.database)

    def report(name, value, unit, note=""):
        print(f"{name:40s} {value:>10} {unit:10s} {note}", flush=True)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        run(env, report, seconds=args.seconds, concurrency=args.concurrency)


if __name__ == "__main__":
    main()
