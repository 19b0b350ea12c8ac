"""Prepare a load-test database (a copy of the ``make bench-data`` set) and check it afterwards.

``setup``: 500 dealers get a portal user each (dealer admin: orders without approval, pays on
account with room on its credit), the company refuses portal orders beyond the free stock,
and HOT products are brought down to a few units each so that dealers compete for the last
ones. Writes ``var/load/fixture.json`` for the locustfile (logins, products, SKUs...).

``check``: after the run, per low-stock product, the quantity of the orders the run created
that were accepted (confirmed, or submitted and waiting for the supplier) must not exceed the
stock it had; no quant may have more reserved than on hand. Prints a JSON summary and exits
non-zero on oversell.

Usage: .venv/bin/python tests/load/setup_load.py setup|check --db DB [--users 500] -- <odoo args>
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "bench"))
from common import init_odoo, superuser_env  # noqa: E402

OUT = ROOT / "var" / "load"
PASSWORD = "load-test"
HOT = 20  # low-stock products
HOT_STOCK = 6  # units of each


def setup(env, users):
    company = env.company
    company.b2b_portal_block_out_of_stock = True
    cr = env.cr
    cr.execute(
        """SELECT id FROM res_partner WHERE is_company AND active AND b2b_tier_id IS NOT NULL
            ORDER BY id LIMIT %s""",
        [users],
    )
    dealers = env["res.partner"].browse([row[0] for row in cr.fetchall()])
    dealers.write(
        {
            "b2b_approval_amount": 0,
            "b2b_approval_category_ids": [(5,)],
            "b2b_approval_new_products": False,
            "b2b_pay_on_account": True,
            "credit_limit": 1e9,
        }
    )
    portal = env.ref("base.group_portal")
    logins = [f"load_dealer_{dealer.id}" for dealer in dealers]
    existing = set(env["res.users"].with_context(active_test=False).search([("login", "in", logins)]).mapped("login"))
    contacts = env["res.partner"].create(
        [
            {"name": f"Load buyer {dealer.ref or dealer.id}", "parent_id": dealer.id}
            for dealer, login in zip(dealers, logins, strict=True)
            if login not in existing
        ]
    )
    new_logins = [login for login in logins if login not in existing]
    env["res.users"].with_context(no_reset_password=True, tracking_disable=True).create(
        [
            {
                "name": contact.name,
                "login": login,
                "partner_id": contact.id,
                "groups_id": [(6, 0, portal.ids)],
                "b2b_portal_role": "admin",
            }
            for contact, login in zip(contacts, new_logins, strict=True)
        ]
    )
    env.flush_all()
    # One hash (600,000 PBKDF2 rounds) for all: hashing 500 passwords one by one takes minutes.
    hashed = env["res.users"]._crypt_context().hash(PASSWORD)
    cr.execute("UPDATE res_users SET password = %s WHERE login = ANY(%s)", [hashed, logins])
    env.invalidate_all()
    sessions = _signed_in_sessions(env, logins)

    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    location = warehouse.lot_stock_id
    # Popular single-variant storable products: the ones dealers want most.
    cr.execute(
        """SELECT pp.id FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
            WHERE pp.active AND pt.sale_ok AND pt.is_storable AND pp.default_code IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM stock_move m
                               WHERE m.product_id = pp.id AND m.state NOT IN ('done', 'cancel'))
            ORDER BY pt.b2b_portal_sold_qty DESC NULLS LAST, pp.id LIMIT %s""",
        [HOT],
    )
    hot = env["product.product"].browse([row[0] for row in cr.fetchall()])
    Quant = env["stock.quant"].with_context(inventory_mode=True)
    quants = Quant.search([("product_id", "in", hot.ids), ("location_id.usage", "=", "internal")])
    quants.write({"inventory_quantity": 0})
    quants.action_apply_inventory()
    Quant.create(
        [{"product_id": p.id, "location_id": location.id, "inventory_quantity": HOT_STOCK} for p in hot]
    ).action_apply_inventory()
    # Everyday products: plenty of stock, so ordinary orders go through.
    cr.execute(
        """SELECT q.product_id FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
             JOIN product_product pp ON pp.id = q.product_id JOIN product_template pt ON pt.id = pp.product_tmpl_id
            WHERE l.usage = 'internal' AND pt.sale_ok AND pp.active AND pp.default_code IS NOT NULL
              AND NOT (q.product_id = ANY(%s))
            GROUP BY q.product_id HAVING sum(q.quantity - q.reserved_quantity) >= 1000
            ORDER BY q.product_id LIMIT 1500""",
        [hot.ids],
    )
    products = env["product.product"].browse([row[0] for row in cr.fetchall()])
    cr.execute("SELECT coalesce(max(id), 0) FROM sale_order")
    first_order = cr.fetchone()[0] + 1
    cr.execute(
        "SELECT categ_id FROM product_template WHERE active AND sale_ok GROUP BY 1 ORDER BY count(*) DESC LIMIT 30"
    )
    categories = [row[0] for row in cr.fetchall()]
    fixture = {
        "password": PASSWORD,
        "logins": logins,
        "sessions": sessions,
        "hot": [{"product_id": p.id, "sku": p.default_code, "stock": HOT_STOCK} for p in hot],
        "products": products.ids,
        "skus": products.mapped("default_code"),
        "templates": products.product_tmpl_id.ids,
        "categories": categories,
        "words": ["Juice", "Tea", "Water", "Milk", "Chips", "Soap", "Orange", "500ml", "1L", "青山", "金泉", "BN0001"],
        "first_order_id": first_order,
    }
    env.cr.commit()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "fixture.json").write_text(json.dumps(fixture, ensure_ascii=False), encoding="utf-8")
    print(f"load setup: {len(logins)} dealer users, {len(hot)} products at {HOT_STOCK} units, {len(products)} products")


def _signed_in_sessions(env, logins):
    """{login: session id} of sessions signed in as each user, stored where the server keeps
    its sessions: dealers stay signed in for weeks (Odoo's session lasts 90 days), so most
    simulated dealers arrive signed in; the others log in with their password."""
    from odoo.http import get_default_session, root

    store = root.session_store
    users = env["res.users"].search([("login", "in", logins)])
    sessions = {}
    for user in users:
        session = store.new()
        session.update(get_default_session())
        session.update(
            {
                "db": env.cr.dbname,
                "login": user.login,
                "uid": user.id,
                "context": dict(user.with_user(user).context_get()),
                "session_token": user._compute_session_token(session.sid),
            }
        )
        store.save(session)
        sessions[user.login] = session.sid
    return sessions


def check(env):
    fixture = json.loads((OUT / "fixture.json").read_text(encoding="utf-8"))
    cr = env.cr
    hot = {item["product_id"]: item["stock"] for item in fixture["hot"]}
    cr.execute(
        """SELECT l.product_id, coalesce(sum(l.product_uom_qty), 0)
             FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id
            WHERE o.id >= %s AND l.product_id = ANY(%s)
              AND (o.state = 'sale' OR o.b2b_portal_state IN ('submitted', 'confirmed'))
            GROUP BY 1""",
        [fixture["first_order_id"], list(hot)],
    )
    accepted = dict(cr.fetchall())
    oversold = {pid: qty for pid, qty in accepted.items() if qty > hot[pid] + 1e-6}
    cr.execute(
        """SELECT count(*) FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
            WHERE l.usage = 'internal' AND q.reserved_quantity > q.quantity + 1e-6 AND q.product_id = ANY(%s)""",
        [list(hot)],
    )
    over_reserved = cr.fetchone()[0]
    cr.execute(
        """SELECT coalesce(b2b_portal_state, state), count(*) FROM sale_order
            WHERE id >= %s AND b2b_portal_state IS NOT NULL GROUP BY 1 ORDER BY 1""",
        [fixture["first_order_id"]],
    )
    states = dict(cr.fetchall())
    summary = {
        "low_stock_products": len(hot),
        "units_available": sum(hot.values()),
        "units_accepted": sum(accepted.values()),
        "products_sold_out": sum(1 for pid, qty in accepted.items() if qty >= hot[pid] - 1e-6),
        "oversold_products": len(oversold),
        "over_reserved_quants": over_reserved,
        "orders_by_portal_state": states,
    }
    print(json.dumps(summary))
    (OUT / "check.json").write_text(json.dumps(summary), encoding="utf-8")
    return 1 if oversold or over_reserved else 0


def main(argv):
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["setup", "check"])
    parser.add_argument("--db", required=True)
    parser.add_argument("--users", type=int, default=500)
    args = parser.parse_args(argv[:split])
    odoo = init_odoo(args.db, argv[split + 1 :])
    with superuser_env(odoo, args.db) as env:
        if args.action == "setup":
            setup(env, args.users)
            return 0
        return check(env)


if __name__ == "__main__":
    os.environ.setdefault("TZ", "UTC")
    sys.exit(main(sys.argv[1:]))
