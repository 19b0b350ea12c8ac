"""Open an Odoo environment on a database from a plain Python script (bench tooling)."""

import contextlib
import os
import sys


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
