"""Dealer catalogue vs Odoo's /shop over real HTTP, side by side, plus the first page weight.

What it measures, on one Odoo server it starts itself (``--workers``, ``-d DB`` without
``--db-filter``), logged in as one dealer's portal user:

- ``portal_http: /my/b2b/catalogue (48 products)`` and ``portal_http: /shop (same 48 products)``:
  p95 and median server time of >= 30 warm requests each, interleaved (A, B, A, B...) so
  background load on the shared machine hits both alike. Server time is the time Odoo logs
  for the request (its werkzeug line: SQL time + Python time, from request start to the end of
  the response); the client time on loopback is given in the note;
- ``portal_http: /shop slower than the catalogue``: ratio of the two p95 (target: >= 3x);
- ``portal_http: first page weight ...``: the catalogue page's HTML plus every JS/CSS asset it
  references (``<script src>``, lazy ``<script data-src>``, ``<link rel=stylesheet href>``), as
  served by Odoo (uncompressed) and gzip-compressed (what a proxy with gzip would send);
  the same for /shop as a reference. Product images and fonts are not counted.

Fairness of the comparison: both pages show the same 48 products (a product category
"Bench side-by-side" holding them, moved under their own leaf category so category pricing
rules still apply, and a public category with the same products for /shop, which shows 48 per
page with ``ppg=48``), both priced with the dealer's pricelist (the shop pricelist is set to it
through ``/shop/change_pricelist``), both as the same logged-in portal user.

website_sale is installed into the bench database only (``-i website_sale`` in a subprocess,
once); it is never a dependency of our modules. The fixtures (the category, the published
products, the portal user ``bench_http_<dealer id>`` with password ``bench``) are committed:
the server must see them.

Standalone: ``.venv/bin/python scripts/bench/bench_portal_http.py -d b2b_bench [--runs 40]``.
"""

import gzip
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared helpers, also when run alone
from common import ODOO_PATH, ROOT, addons_path, odoo_cmd, start_odoo_server

PAGE = 48
RUNS = int(os.environ.get("B2B_BENCH_HTTP_RUNS", "40"))
WARMUP = 5
WORKERS = int(os.environ.get("B2B_BENCH_WORKERS", "2"))
PORTS = range(8500, 8600)  # this bench's own port range
CATEGORY = "Bench side-by-side"
PASSWORD = "bench"
LOG_LINE = re.compile(
    r'"GET (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d+) \S+ (?P<queries>\d+) (?P<sql>[\d.]+) (?P<py>[\d.]+)'
)


def _port():
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8500-8599")


def _ensure_website_sale(env):
    env.cr.execute("SELECT state FROM ir_module_module WHERE name = 'website_sale'")
    row = env.cr.fetchone()
    env.cr.rollback()  # hold no lock while the install alters the tables
    if row and row[0] == "installed":
        return False
    log_path = os.path.join(ROOT, "var", "bench-portal-http-install.log")
    with open(log_path, "w") as log:
        subprocess.run(
            odoo_cmd(
                env.cr.dbname,
                "-i",
                "website_sale",
                "--without-demo=all",
                "--stop-after-init",
                "--workers=0",
                "--max-cron-threads=0",
                "--http-port=0",
                "--log-level=warn",
            ),
            check=True,
            cwd=ODOO_PATH,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return True


def _prepare(odoo, db):
    """Commit the fixtures in a fresh registry (the caller's predates website_sale)."""
    from odoo.modules.registry import Registry

    registry = Registry.new(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        cr.execute(
            """SELECT p.commercial_partner_id FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
                GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"""
        )
        dealer = env["res.partner"].browse(cr.fetchone()[0])
        login = f"bench_http_{dealer.id}"
        user = env["res.users"].with_context(active_test=False).search([("login", "=", login)])
        if not user:
            contact = env["res.partner"].create({"name": "Bench HTTP buyer", "parent_id": dealer.id})
            user = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": "Bench HTTP buyer",
                        "login": login,
                        "partner_id": contact.id,
                        "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
                    }
                )
            )
        user.write({"active": True, "password": PASSWORD, "b2b_portal_role": "admin"})
        category = env["product.category"].search([("name", "=", CATEGORY)], limit=1)
        if not category:
            cr.execute(
                """SELECT categ_id FROM product_template WHERE active AND sale_ok
                    GROUP BY 1 HAVING count(*) >= %s ORDER BY count(*) DESC, categ_id LIMIT 1""",
                [PAGE],
            )
            leaf = env["product.category"].browse(cr.fetchone()[0])
            category = env["product.category"].create({"name": CATEGORY, "parent_id": leaf.id})
            templates = env["product.template"].search(
                [("categ_id", "=", leaf.id), ("sale_ok", "=", True)], order="id", limit=PAGE
            )
            templates.write({"categ_id": category.id})
        templates = env["product.template"].search([("categ_id", "=", category.id)])
        public = env["product.public.category"].search([("name", "=", CATEGORY)], limit=1) or env[
            "product.public.category"
        ].create({"name": CATEGORY})
        templates.write({"public_categ_ids": [(6, 0, public.ids)], "is_published": True})
        pricelist = user._b2b_portal_context()["pricelist"]
        # /shop takes the pricelist of the logged-in contact: the dealer's, as in the portal
        user.partner_id.property_product_pricelist = pricelist
        values = {
            "login": login,
            "dealer": dealer.display_name,
            "category_id": category.id,
            "public_category_id": public.id,
            "pricelist_id": pricelist.id,
            "pricelist": pricelist.display_name,
            "products": len(templates),
        }
        cr.commit()
    return values


def _start_server(db, port):
    log_path = os.path.join(ROOT, "var", f"bench-portal-http-{port}.log")
    process, log = start_odoo_server(
        db,
        port,
        log_path,
        f"--workers={WORKERS}",
        "--max-cron-threads=0",
        # one line per request with its SQL and Python time: the server time
        "--log-handler=werkzeug:INFO",
    )
    return process, log, log_path


def _login(base, login):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = session.post(
        f"{base}/web/login",
        data={"login": login, "password": PASSWORD, "csrf_token": token, "redirect": "/my"},
        timeout=60,
    )
    if "/web/login" in answer.url:
        raise RuntimeError(f"login of {login} failed")
    return session


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and (attrs.get("src") or attrs.get("data-src")):
            self.urls.append(attrs.get("src") or attrs.get("data-src"))
        elif tag == "link" and "stylesheet" in (attrs.get("rel") or "") and attrs.get("href"):
            self.urls.append(attrs["href"])


def page_weight(session, base, path):
    """{"html", "assets", "total", "gzip", "files"}: bytes of the page and its JS/CSS assets."""
    html = session.get(base + path, timeout=60).content
    parser = _Assets()
    parser.feed(html.decode("utf-8", "replace"))
    total, packed, files = len(html), len(gzip.compress(html)), []
    for url in dict.fromkeys(parser.urls):
        body = session.get(url if url.startswith("http") else base + url, timeout=60).content
        total += len(body)
        packed += len(gzip.compress(body))
        files.append((url, len(body)))
    return {"html": len(html), "total": total, "gzip": packed, "files": files}


def _times(log_path, tag):
    """Server times (ms) of the tagged requests, from the werkzeug log lines."""
    found = {}
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            match = LOG_LINE.search(line)
            if match and tag in match["path"]:
                number = re.search(rf"{tag}=(\w+)", match["path"]).group(1)
                found[number] = (float(match["sql"]) + float(match["py"])) * 1000, int(match["queries"])
    return found


def _stats(values):
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(env, report, runs=RUNS):
    import odoo

    db = env.cr.dbname
    os.makedirs(os.path.join(ROOT, "var"), exist_ok=True)
    installed = _ensure_website_sale(env)
    fixtures = _prepare(odoo, db)
    port = _port()
    process, log, log_path = _start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    pages = {
        "catalogue": f"/my/b2b/catalogue?category={fixtures['category_id']}",
        "shop": f"/shop/category/{fixtures['public_category_id']}?ppg={PAGE}",
    }
    try:
        session = _login(base, fixtures["login"])
        answer = session.get(f"{base}/shop/change_pricelist/{fixtures['pricelist_id']}", timeout=60)
        if "invalid_pricelist" in answer.url:
            raise RuntimeError(f"/shop refused the dealer's pricelist {fixtures['pricelist']}")
        for name, path in pages.items():  # measure the canonical URL, not a redirect to it
            final = session.get(base + path, timeout=60).url
            pages[name] = final[len(base) :] if final.startswith(base) else path
        weights = {name: page_weight(session, base, path) for name, path in pages.items()}
        counts = {
            "catalogue": len(re.findall(r'o_b2b_card"', session.get(base + pages["catalogue"], timeout=60).text)),
            "shop": len(re.findall(r'class="oe_product_cart', session.get(base + pages["shop"], timeout=60).text)),
        }
        client = {name: {} for name in pages}
        for index in range(WARMUP + runs):
            for name, path in pages.items():
                tag = f"b2bbench{name}"
                start = time.perf_counter()
                joiner = "&" if "?" in path else "?"
                answer = session.get(f"{base}{path}{joiner}{tag}={index}", timeout=60, allow_redirects=False)
                elapsed = (time.perf_counter() - start) * 1000
                if answer.status_code != 200:
                    raise RuntimeError(f"{path} answered {answer.status_code}")
                if index >= WARMUP:
                    client[name][str(index)] = elapsed
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
    p95 = {}
    for name, label in (("catalogue", "/my/b2b/catalogue (48 products)"), ("shop", "/shop (same 48 products)")):
        server = _times(log_path, f"b2bbench{name}")
        measured = [server[key][0] for key in client[name] if key in server]
        if len(measured) < runs:
            raise RuntimeError(f"only {len(measured)} of {runs} {name} requests found in {log_path}")
        median, p95[name] = _stats(measured)
        client_median, client_p95 = _stats(client[name].values())
        queries = statistics.median(server[key][1] for key in client[name] if key in server)
        report(
            f"portal_http: {label}",
            round(p95[name], 1),
            "ms p95",
            f"server time, median {median:.1f} ms; client on loopback median {client_median:.1f} / "
            f"p95 {client_p95:.1f} ms; {queries:.0f} queries; {runs} warm requests interleaved; "
            f"{counts[name]} product cards; --workers={WORKERS}",
        )
    report(
        "portal_http: /shop slower than the catalogue",
        round(p95["shop"] / p95["catalogue"], 1),
        "x (p95)",
        f"dealer {fixtures['dealer']}, pricelist {fixtures['pricelist']}, category '{CATEGORY}' of "
        f"{fixtures['products']} products" + ("; website_sale installed by this run" if installed else ""),
    )
    for name, label in (("catalogue", "/my/b2b/catalogue"), ("shop", "/shop")):
        weight = weights[name]
        biggest = ", ".join(f"{url.split('?')[0]} {size // 1024} KB" for url, size in weight["files"])
        report(
            f"portal_http: first page weight {label}",
            round(weight["total"] / 1024, 1),
            "KB",
            f"HTML {weight['html'] // 1024} KB + {len(weight['files'])} JS/CSS files as served (uncompressed); "
            f"{weight['gzip'] / 1024:.1f} KB gzip-compressed; files: {biggest}",
        )


def main():
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    sys.path.insert(0, ODOO_PATH)
    import odoo

    odoo.tools.config.parse_config(["-c", os.path.join(ROOT, "odoo.conf"), f"--addons-path={addons_path()}"])
    registry = odoo.modules.registry.Registry(args.database)

    def report(name, value, unit, note=""):
        print(f"{name:50s} {value:>10} {unit:8s} {note}", flush=True)

    with registry.cursor() as cr:
        run(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), report, runs=args.runs)


if __name__ == "__main__":
    main()
