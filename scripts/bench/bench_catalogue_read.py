"""Catalogue page read: 48 products' display data, stock and dealer prices, per record vs batch.

What a catalogue page needs for one dealer (name, reference, barcode, category, list price,
the dealer's pricelist price, available quantity), read the naive way (one product at a time,
as a loop over ids does) and the set-based way (``search_fetch`` of the page, then one
``qty_available`` and one ``_get_products_price`` call for the 48 records).
"""

from common import measure, report_measure

PAGE = 48
FIELDS = ["display_name", "default_code", "barcode", "categ_id", "lst_price"]


def run(env, report):
    Product = env["product.product"]
    env.cr.execute(
        """SELECT p.commercial_partner_id FROM sale_order o
             JOIN res_partner p ON p.id = o.partner_id
             JOIN b2b_dealer_tier t ON t.id = p.b2b_tier_id
            GROUP BY 1, t.sequence ORDER BY t.sequence, count(*) DESC LIMIT 1"""
    )
    row = env.cr.fetchone()
    if not row:
        report("skipped", 0, "", "no dealer with orders: run make bench-data first")
        return
    dealer = env["res.partner"].browse(row[0])
    pricelist = dealer.property_product_pricelist
    # the busiest dealer of the first tier (a pricelist rule applies); the page: the most
    # populated category, first 48 by name as the catalogue sorts
    env.cr.execute(
        """SELECT t.categ_id FROM product_template t WHERE t.active AND t.sale_ok
            GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"""
    )
    category_id = env.cr.fetchone()[0]
    domain = [("categ_id", "=", category_id), ("sale_ok", "=", True)]
    page_ids = Product.search(domain, limit=PAGE, order="name, id").ids
    results = {}

    def per_record():
        rows = []
        for product_id in page_ids:
            product = Product.browse(product_id)
            price = pricelist._get_product_price(product, 1.0) if pricelist else product.lst_price
            rows.append(
                (*(product[name] for name in FIELDS), product.categ_id.display_name, price, product.qty_available)
            )
        results["per_record"] = [(r[0], r[-2], r[-1]) for r in rows]

    def batch():
        products = Product.search_fetch(
            domain, ["default_code", "barcode", "categ_id", "list_price"], limit=PAGE, order="name, id"
        )
        prices = pricelist._get_products_price(products, 1.0) if pricelist else {p.id: p.lst_price for p in products}
        quantities = {p.id: p.qty_available for p in products}
        results["batch"] = [(p.display_name, prices[p.id], quantities[p.id]) for p in products]
        _ = [(p.categ_id.display_name, p.default_code, p.barcode, p.lst_price) for p in products]

    note = f"{len(page_ids)} products, dealer {dealer.ref or dealer.id}, pricelist {pricelist.display_name or '-'}"
    report_measure(report, "catalogue page, one product at a time", measure(env, per_record, repeat=7), note)
    report_measure(
        report, "catalogue page, batch (search_fetch + bulk price/stock)", measure(env, batch, repeat=7), note
    )
    same = results.get("per_record") == results.get("batch")
    report("batch and per-record pages identical", int(same), "bool", "names, prices and stock compared")
