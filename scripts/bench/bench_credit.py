"""Credit exposure of 2,000 dealers: b2b_credit's set-based method vs Odoo's standard fields.

``res.partner._b2b_credit_exposure(partners)`` (a fixed handful of SQL statements whatever the
number of dealers) against core's ``credit`` + ``credit_to_invoice`` read one dealer at a time
(what the sale order credit warning does) and for the whole recordset. Uses the dealers of the
``make bench-data`` set; when fewer than 2,000 dealers have activity, it creates dealers with a
posted invoice and a confirmed order each, in batch (rolled back by the bench runner).
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the shared helpers, also when run alone
from common import measure, report_measure

DEALERS = 2000


def _active_dealers(env, limit):
    env.cr.execute(
        """
        SELECT p.commercial_partner_id
          FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
         WHERE so.state = 'sale' AND so.company_id = %s
      GROUP BY p.commercial_partner_id
      ORDER BY count(*) DESC
         LIMIT %s
        """,
        (env.company.id, limit),
    )
    return [row[0] for row in env.cr.fetchall()]


def _make_dealers(env, count):
    """Dealers with one posted invoice (half of it paid) and one confirmed order each."""
    from odoo import Command

    product = env["product.product"].create({"name": "Bench crate", "list_price": 100.0, "taxes_id": []})
    partners = env["res.partner"].create(
        [{"name": f"Bench dealer {index}", "is_company": True, "credit_limit": 50000.0} for index in range(count)]
    )
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 5, "price_unit": 100.0})],
            }
            for partner in partners
        ]
    )
    orders.write({"state": "sale"})  # confirmed without side effects: the figure needs the rows only
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [Command.create({"name": "Bench", "price_unit": 250.0, "tax_ids": []})],
            }
            for partner in partners
        ]
    )
    invoices.action_post()
    env.flush_all()
    return partners.ids


def run(env, report):
    Partner = env["res.partner"]
    if not hasattr(Partner, "_b2b_credit_exposure"):
        report("skipped", 0, "", "b2b_credit is not installed in this database")
        return
    env.company.account_use_credit_limit = True  # core computes credit_to_invoice only then
    ids = _active_dealers(env, DEALERS)
    if len(ids) < DEALERS:
        missing = DEALERS - len(ids)
        start = time.perf_counter()
        ids += _make_dealers(env, missing)
        report("bench data created", round(time.perf_counter() - start, 1), "s", f"{missing} dealers, invoice + order")
    dealers = Partner.browse(ids)
    note = f"{len(ids)} dealers"

    def b2b_exposure():
        return Partner._b2b_credit_exposure(dealers)

    def core_per_dealer():
        for dealer_id in ids:
            dealer = Partner.browse(dealer_id)
            _ = dealer.credit + dealer.credit_to_invoice

    def core_batch():
        _ = [dealer.credit + dealer.credit_to_invoice for dealer in dealers]

    figures = measure(env, b2b_exposure, repeat=5)
    report_measure(report, "exposure, b2b_credit set-based (one call)", figures, note)
    report_measure(
        report, "exposure, core credit + credit_to_invoice per dealer", measure(env, core_per_dealer, 3), note
    )
    report_measure(report, "exposure, core credit + credit_to_invoice batch", measure(env, core_batch, 5), note)
    report("exposure under 1 s for 2,000 dealers", 1 if figures["median"] < 1000 else 0, "bool", note)
    rows = b2b_exposure()
    report(
        "dealers with exposure",
        sum(1 for row in rows.values() if row["exposure"]),
        "dealers",
        f"total exposure {sum(row['exposure'] for row in rows.values()):,.0f}",
    )
