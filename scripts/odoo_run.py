"""Run odoo-bin in-process and, for test runs, print one closing line from Odoo's own
assertion report: ``N passed, N failed`` (``, N skipped`` when any).

Odoo 18 logs its test totals only as a free-text line, and a module that fails to load
or an error logged outside any test does not always change them; here both count as
failures, so a run is green only when everything really loaded and passed.

Usage: python scripts/odoo_run.py [--summary FILE] -- <odoo-bin arguments>
"""

import json
import logging
import os
import re
import sys

TEST_LOGGER = re.compile(r"^odoo\.addons\.[^.]+\.tests(\.|$)")
# Warnings that mean a requested module was not loaded at all.
LOAD_WARNINGS = re.compile(r"invalid module names|not installable, skipped|Couldn't load module")


class ErrorCounter(logging.Handler):
    """Counts records at ERROR or above that no test accounts for (load errors...)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        if record.levelno < logging.ERROR and not LOAD_WARNINGS.search(str(record.msg)):
            return
        if TEST_LOGGER.match(record.name) or record.name == "odoo.tests.result":
            return
        try:
            self.messages.append(f"{record.name}: {record.getMessage().splitlines()[0]}")
        except Exception:  # noqa: BLE001 - a broken log record must not hide the others
            self.messages.append(f"{record.name}: <unprintable>")


def main(argv):
    summary_path = None
    if argv[:1] == ["--summary"]:
        summary_path, argv = argv[1], argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    odoo_path = os.environ.get("ODOO_PATH", "/opt/odoo")
    sys.path.insert(0, odoo_path)
    import odoo
    from odoo.service import server

    reports = {}
    original_preload = server.preload_registries

    def preload_and_keep_reports(dbnames):
        rc = original_preload(dbnames)
        from odoo.modules.registry import Registry

        for dbname in dbnames or []:
            registry = Registry.registries.get(dbname)
            if registry is not None:
                reports[dbname] = (registry._assertion_report, rc)
        if not reports:
            reports["?"] = (None, rc)
        return rc

    server.preload_registries = preload_and_keep_reports
    counter = ErrorCounter()
    logging.getLogger().addHandler(counter)
    sys.argv = ["odoo-bin", *argv]
    rc = 0
    try:
        odoo.cli.main()
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else (1 if exc.code else 0)

    if "--test-enable" not in argv:
        return rc
    testsrun = failed = skipped = 0
    load_failures = 0
    for report, preload_rc in reports.values():
        if report is None or preload_rc < 0:
            load_failures += 1
            continue
        testsrun += report.testsRun
        failed += report.failures_count + report.errors_count
        skipped += report.skipped
    if not reports:
        load_failures += 1
    if counter.messages:
        print("\nErrors logged outside tests (each counts as a failure):", file=sys.stderr)
        for message in counter.messages[:50]:
            print(f"  - {message}", file=sys.stderr)
    failed_total = failed + load_failures + len(counter.messages)
    passed = max(testsrun - failed - skipped, 0)
    if summary_path:
        with open(summary_path, "w", encoding="utf-8") as handle:
            json.dump({"passed": passed, "failed": failed_total, "skipped": skipped}, handle)
    line = f"{passed} passed, {failed_total} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line, flush=True)
    if failed_total or rc:
        return rc or 1
    if testsrun == 0:
        print("no test ran", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
