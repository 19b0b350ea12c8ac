"""Open an Odoo environment on a database from a plain Python script (bench tooling)."""

import contextlib
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo")


def addons_path():
    paths = [os.path.join(ROOT, "addons"), os.path.join(ROOT, "tests"), os.path.join(ODOO_PATH, "odoo", "addons")]
    if os.path.isdir(os.path.join(ODOO_PATH, "addons", "web")):
        paths.append(os.path.join(ODOO_PATH, "addons"))
    return ",".join(paths)


def odoo_cmd(db, *args):
    """odoo-bin (through scripts/odoo_run.py) on ``db`` with our odoo.conf and addons path."""
    return [
        sys.executable,
        os.path.join(ROOT, "scripts", "odoo_run.py"),
        "--",
        "-c",
        os.path.join(ROOT, "odoo.conf"),
        f"--addons-path={addons_path()}",
        "-d",
        db,
        *args,
    ]


def start_odoo_server(db, port, log_path, *args):
    """Start an Odoo server on ``db`` and ``port`` and wait until /web/health answers.

    A single database given by --database (and no --db-filter) spares every request a
    connection to "postgres" to list the databases (Odoo's list_dbs). Returns (process, log
    file); the caller terminates the one and closes the other."""
    import requests

    log = open(log_path, "w")
    process = subprocess.Popen(
        odoo_cmd(db, f"--http-port={port}", "--log-level=warn", "--limit-time-real=600", *args),
        stdout=log,
        stderr=subprocess.STDOUT,
        # The prefork server spawns its gevent (websocket) process as ``sys.argv[0] gevent``;
        # odoo_run.py sets argv[0] to "odoo-bin", which only resolves from the Odoo directory.
        cwd=ODOO_PATH,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/health", timeout=2).status_code == 200:
                return process, log
        except requests.RequestException:
            pass
        if process.poll() is not None:
            log.close()
            raise RuntimeError(f"Odoo server exited, see {log_path}")
        time.sleep(0.5)
    process.terminate()
    log.close()
    raise RuntimeError("Odoo server did not start in time")


def init_odoo(db, config_args):
    """Load Odoo from ODOO_PATH with our odoo.conf / addons path; return the odoo package."""
    sys.path.insert(0, os.environ.get("ODOO_PATH", "/opt/odoo"))
    import odoo

    odoo.tools.config.parse_config([*config_args, "-d", db, "--max-cron-threads=0", "--workers=0"])
    return odoo


@contextlib.contextmanager
def superuser_env(odoo, db):
    """Yield an env as superuser on a fresh cursor; commit when the block succeeds."""
    from odoo.modules.registry import Registry

    registry = Registry(db)
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})


def measure(env, function, repeat=5, warmup=1):
    """Run ``function()`` ``warmup`` + ``repeat`` times with a cold ORM cache each time (the
    PostgreSQL cache stays warm); return {median, p95, min, max} in ms and SQL queries per run."""
    import statistics
    import time

    timings, queries = [], []
    for index in range(warmup + repeat):
        env.invalidate_all()
        before = env.cr.sql_log_count
        start = time.perf_counter()
        function()
        elapsed = (time.perf_counter() - start) * 1000
        if index >= warmup:
            timings.append(elapsed)
            queries.append(env.cr.sql_log_count - before)
    ordered = sorted(timings)
    return {
        "median": statistics.median(timings),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "min": min(timings),
        "max": max(timings),
        "queries": statistics.median(queries),
        "runs": repeat,
    }


def report_measure(report, name, figures, note=""):
    """Record a ``measure`` result as a median figure in ms with min/max/queries in the note."""
    detail = (
        f"min {figures['min']:.1f}, max {figures['max']:.1f} ms; "
        f"{figures['queries']:.0f} queries; median of {figures['runs']}"
    )
    report(name, round(figures["median"], 1), "ms", f"{detail}; {note}" if note else detail)
