"""Benchmark data set for the B2B suite: products, dealers and two years of sale orders.

``generate(env, scale, seed)`` fills a database that has the five modules installed (without
demo data) with, at ``scale=1``: 20,000 products in a 3-level category tree, 2,000 dealer
companies spread over Chinese provinces, tiers and salespeople, and 200,000 historical sale
order lines over 24 months, plus stock for most products.

Small reference sets (tiers, salespeople, categories, tags) go through the ORM; the big tables
(products, partners, orders, lines, quants) are written with PostgreSQL COPY. Every stored
column of those tables is filled: the values we know (prices, amounts, states...) by hand,
the others from the ORM's own defaults, and any stored computed field we do not set is then
recomputed by the ORM, so the rows are what Odoo itself would have stored. Ids come from the
tables' sequences (nextval), so the sequences stay right.

Everything random comes from ``random.Random(seed)``: the same seed and scale always give the
same names, codes, prices, quantities and dates (relative to ``today``).

What is deliberately not generated: pickings/stock moves for past deliveries (``qty_delivered``
is stored as delivered, as after validated deliveries) and invoices (``qty_invoiced`` is 0, so
delivered lines are "to invoice"); stock quants are written without inventory moves.
"""

import io
import json
import math
import random
import time
from datetime import date, datetime, timedelta

BASE_COUNTS = {"products": 20_000, "dealers": 2_000, "lines": 200_000, "months": 24, "salespeople": 10}
MARKER_PARAM = "b2b_bench.generated"
COPY_CHUNK = 20_000

TIERS = [  # code, name, share of dealers, price factor on the list price
    ("T1", "Tier 1 Distributor", 0.10, 0.80),
    ("T2", "Tier 2 Dealer", 0.30, 0.90),
    ("RT", "Retail Outlet", 0.60, 1.00),
]
SALESPEOPLE = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "赵强", "黄丽", "周杰", "吴芳", "徐涛", "孙悦"]
CATEGORY_TREE = {
    "Beverages": ["Juice", "Tea", "Water", "Soft Drinks", "Coffee", "Energy Drinks"],
    "Snacks": ["Chips", "Biscuits", "Nuts", "Candy", "Chocolate", "Dried Fruit"],
    "Dairy": ["Milk", "Yogurt", "Cheese", "Milk Powder", "Butter", "Cream"],
    "Personal Care": ["Shampoo", "Soap", "Toothpaste", "Skin Care", "Tissues", "Deodorant"],
    "Household": ["Detergent", "Dishwashing", "Cleaners", "Paper", "Bags", "Air Care"],
}
LEAF_SUFFIXES = ["Classic", "Premium", "Family Pack", "Mini", "Sugar Free", "Seasonal"]
BRANDS = ["青山", "金泉", "好味", "康源", "雪峰", "乐享", "绿野", "鲜果园"]
OTHER_TAGS = ["New", "Best Seller", "Organic", "Imported", "Promotion", "Export Quality"]
FLAVOURS = ["Original", "Orange", "Apple", "Lemon", "Peach", "Grape", "Mango", "Honey", "Mint", "Berry", "Plain"]
PACKS = ["250ml", "330ml", "500ml", "1L", "1.5L", "2L", "100g", "200g", "500g", "1kg", "6 pack", "12 pack", "24 pack"]
DEALER_WORDS = ["鑫源", "华盛", "恒通", "永丰", "宏达", "金穗", "联合", "嘉禾", "万家", "顺发", "富民", "兴隆"]
DEALER_KINDS = ["商贸有限公司", "食品批发部", "贸易公司", "超市", "便利连锁", "供应链有限公司"]
SEASONALITY = [1.25, 0.7, 0.95, 1.0, 1.0, 1.05, 1.05, 1.1, 1.2, 1.0, 0.95, 1.1]  # January..December
ORDER_QTYS = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24, 30, 48, 50, 100]


class AlreadyGenerated(Exception):
    """The database already holds a generated data set."""


def scaled_counts(scale, overrides=None):
    """Counts for a scale (at least 1 of each); ``overrides`` sets some directly (tests)."""
    counts = {key: max(1, round(value * scale)) for key, value in BASE_COUNTS.items()}
    counts["months"] = BASE_COUNTS["months"]
    counts["salespeople"] = BASE_COUNTS["salespeople"]
    counts.update(overrides or {})
    return counts


# --------------------------------------------------------------------------------------------
# Pure, seeded specifications (no database): what to create.
# --------------------------------------------------------------------------------------------
def category_specs():
    """[(level-1 name, level-2 name, leaf name)] for the 5 x 6 x 6 tree."""
    return [
        (top, mid, f"{mid} {suffix}") for top, mids in CATEGORY_TREE.items() for mid in mids for suffix in LEAF_SUFFIXES
    ]


def ean13(number):
    """A valid EAN-13 with the 690-699 (China) GS1 prefix for a serial number."""
    body = f"69{number:010d}"[:12]
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def product_specs(count, seed):
    rng = random.Random(f"{seed}-products")
    leaves = category_specs()
    specs = []
    for index in range(count):
        leaf_index = rng.randrange(len(leaves))
        _top, mid, _leaf = leaves[leaf_index]
        brand = rng.choice(BRANDS)
        list_price = round(min(math.exp(rng.gauss(3.3, 0.9)), 2000.0) + 1, 2)
        extra = sorted(len(BRANDS) + t for t in rng.sample(range(len(OTHER_TAGS)), rng.choice([0, 0, 1, 1, 2])))
        tags = [BRANDS.index(brand), *extra]
        specs.append(
            {
                "name": f"{brand} {mid} {rng.choice(FLAVOURS)} {rng.choice(PACKS)}",
                "default_code": f"BN{index + 1:06d}",
                "barcode": ean13(index + 1),
                "leaf": leaf_index,
                "list_price": list_price,
                "cost": round(list_price * rng.uniform(0.45, 0.75), 2),
                "weight": round(rng.uniform(0.1, 15), 3),
                "volume": round(rng.uniform(0.0005, 0.05), 4),
                "tags": tags,
                "stock": rng.choice([0, 0, 5, 12, 24, 48, 100, 150, 240, 500, 1000]) if rng.random() < 0.8 else None,
            }
        )
    return specs


def dealer_specs(count, state_count, salespeople, seed):
    rng = random.Random(f"{seed}-dealers")
    specs = []
    for index in range(count):
        roll, tier = rng.random(), len(TIERS) - 1
        cumulated = 0.0
        for tier_index, (_code, _name, share, _factor) in enumerate(TIERS):
            cumulated += share
            if roll < cumulated:
                tier = tier_index
                break
        state = rng.randrange(state_count) if state_count else None
        specs.append(
            {
                "name": f"{rng.choice(DEALER_WORDS)}{rng.choice(DEALER_KINDS)} {index + 1:05d}",
                "ref": f"D{index + 1:05d}",
                "tier": tier,
                "state": state,
                # a salesperson covers whole provinces
                "salesperson": (state if state is not None else index) % salespeople,
                "phone": f"+86 1{rng.randrange(30, 90)}{rng.randrange(10**8):08d}",
                "email": f"dealer{index + 1:05d}@example.cn",
                "weight": 1.0 / (1 + index % 97) ** 0.7,  # a few big dealers, a long tail
            }
        )
    return specs


def order_specs(counts, dealers, products, today, seed):
    """Orders (dicts with their lines) until the line count is reached."""
    rng = random.Random(f"{seed}-orders")
    n_products = len(products)
    popularity = [1.0 / (1 + i) ** 0.6 for i in range(n_products)]
    cumulative, total = [], 0.0
    for weight in popularity:
        total += weight
        cumulative.append(total)
    dealer_cumulative, dealer_total = [], 0.0
    for dealer in dealers:
        dealer_total += dealer["weight"]
        dealer_cumulative.append(dealer_total)
    usual = {}
    days = max(1, round(counts["months"] * 30.44))
    orders, lines_left, number = [], counts["lines"], 0
    while lines_left > 0:
        number += 1
        dealer = _pick(rng, dealer_cumulative, dealer_total)
        if dealer not in usual:  # each dealer's habitual assortment
            usual[dealer] = [_pick(rng, cumulative, total) for _ in range(min(40, n_products))]
        # growth (the last month has about twice the orders of the first) and seasons (Spring
        # Festival stock-up in January, the February holiday dip, Mid-Autumn), by rejection
        while True:
            age = int(days * (1 - math.sqrt(rng.random()))) if rng.random() < 1 / 3 else rng.randrange(days)
            if rng.random() * max(SEASONALITY) <= SEASONALITY[(today - timedelta(days=age)).month - 1]:
                break
        moment = datetime.combine(today - timedelta(days=age), datetime.min.time()) + timedelta(
            seconds=rng.randrange(8 * 3600, 19 * 3600)
        )
        roll = rng.random()
        if age < 7:
            state = "draft" if roll < 0.35 else "sent" if roll < 0.45 else "sale"
        else:
            state = "cancel" if roll < 0.04 else "draft" if roll < 0.06 else "sale"
        size = min(lines_left, max(1, int(rng.triangular(1, 25, 6))))
        lines_left -= size
        chosen = []
        for _ in range(size):
            product = rng.choice(usual[dealer]) if rng.random() < 0.7 else _pick(rng, cumulative, total)
            if product not in chosen:
                chosen.append(product)
        while len(chosen) < size:  # keep the exact line count; a product once per order
            product = rng.randrange(n_products)
            if product not in chosen or len(chosen) >= n_products:
                chosen.append(product)
        orders.append(
            {
                "number": number,
                "dealer": dealer,
                "date": moment,
                "state": state,
                "locked": state == "sale" and age > 30 and rng.random() < 0.7,
                "delivered": state == "sale" and age > 3,
                "lines": [
                    {
                        "product": product,
                        "qty": rng.choice(ORDER_QTYS),
                        "discount": rng.choice([0.0] * 8 + [5.0, 10.0]),
                    }
                    for product in chosen
                ],
            }
        )
    return orders


def _pick(rng, cumulative, total):
    """Index drawn with the weights whose running sums are ``cumulative`` (bisection)."""
    target, low, high = rng.random() * total, 0, len(cumulative) - 1
    while low < high:
        middle = (low + high) // 2
        if cumulative[middle] < target:
            low = middle + 1
        else:
            high = middle
    return low


# --------------------------------------------------------------------------------------------
# COPY with ORM defaults and ORM recomputation of what we leave out.
# --------------------------------------------------------------------------------------------
def _copy_value(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, datetime):
        value = value.strftime("%Y-%m-%d %H:%M:%S")
    elif isinstance(value, date):
        value = value.isoformat()
    elif isinstance(value, float):
        value = repr(value)
    else:
        value = str(value)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class TableWriter:
    """COPY rows into a model's table; fill unset columns from ORM defaults, then recompute
    the stored computed fields left unset through the ORM."""

    def __init__(self, env, model_name, known):
        self.env = env
        self.model = env[model_name]
        fields = self.model._fields
        self.columns = [
            name
            for name, field in fields.items()
            if field.store and field.column_type and name != "id" and not (field.inherited)
        ]
        defaults = self.model.default_get(
            [n for n in self.columns if n not in known and not fields[n].compute and not fields[n].company_dependent]
        )
        self.defaults = {}
        for name, default in defaults.items():
            field = fields[name]
            if field.translate and isinstance(default, str):
                default = {"en_US": default}  # noqa: PLW2901
            elif field.type == "many2one" and hasattr(default, "id"):
                default = default.id  # noqa: PLW2901
            self.defaults[name] = default
        self.known = set(known)
        # False means NULL for every type but booleans
        self.booleans = {n for n in self.columns if fields[n].type == "boolean"}
        self.to_recompute = [
            n
            for n in self.columns
            if fields[n].compute and n not in self.known and n not in self.defaults and not fields[n].company_dependent
        ]
        env.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND is_nullable = 'NO'",
            (self.model._table,),
        )
        not_null = {row[0] for row in env.cr.fetchall()}
        missing = [
            n
            for n in self.columns
            if (fields[n].required or n in not_null) and n not in self.known and n not in self.defaults
        ]
        if missing:
            raise ValueError(f"{model_name}: required columns without a value: {missing}")

    def allocate_ids(self, count):
        cr = self.env.cr
        cr.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", (self.model._table, count)
        )
        return [row[0] for row in cr.fetchall()]

    def write(self, rows):
        """rows: dicts with 'id' and known columns."""
        columns = ["id", *self.columns]
        quoted = ", ".join(f'"{name}"' for name in columns)
        cursor = self.env.cr._obj
        for start in range(0, len(rows), COPY_CHUNK):
            buffer = io.StringIO()
            for row in rows[start : start + COPY_CHUNK]:
                values = (row[c] if c in row else self.defaults.get(c) for c in columns)
                buffer.write(
                    "\t".join(
                        _copy_value(None if value is False and c not in self.booleans else value)
                        for c, value in zip(columns, values, strict=True)
                    )
                    + "\n"
                )
            buffer.seek(0)
            cursor.copy_expert(f'COPY "{self.model._table}" ({quoted}) FROM STDIN', buffer)

    def recompute(self, ids, batch=5000, log=None):
        """Let the ORM compute the stored fields we did not set, in batches."""
        if not self.to_recompute:
            return
        if log:
            log(f"bench-data: {self.model._name}: ORM computes {', '.join(self.to_recompute)}")
        env = self.env
        env.invalidate_all()
        for start in range(0, len(ids), batch):
            records = self.model.browse(ids[start : start + batch])
            for name in self.to_recompute:
                env.add_to_compute(self.model._fields[name], records)
            env.flush_all()
            env.invalidate_all()


def copy_relation(env, table, columns, pairs):
    buffer = io.StringIO("".join("\t".join(str(v) for v in pair) + "\n" for pair in pairs))
    env.cr._obj.copy_expert(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN', buffer)


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------
def generate(env, scale=1.0, seed=42, counts=None, today=None, log=print, check_orders=20):
    """Fill the database behind ``env`` (superuser) and return a dict of counts and timings."""
    started = time.monotonic()
    timings = {}
    counts = scaled_counts(scale, counts)
    today = today or date.today()
    params = env["ir.config_parameter"].sudo()
    previous = params.get_param(MARKER_PARAM)
    if previous:
        raise AlreadyGenerated(
            f"database {env.cr.dbname} already holds a bench data set ({previous}); "
            "drop it or use another DB= to generate again"
        )
    env.flush_all()

    def step(name, since):
        timings[name] = round(time.monotonic() - since, 2)
        log(f"bench-data: {name} in {timings[name]}s")
        return time.monotonic()

    t = time.monotonic()
    ctx = _context(env, counts, seed)
    ctx["log"] = log
    t = step("reference data (ORM)", t)
    products = _create_products(env, ctx, product_specs(counts["products"], seed), today)
    t = step(f"{len(products)} products (COPY)", t)
    dealers = _create_dealers(env, ctx, dealer_specs(counts["dealers"], len(ctx["states"]), len(ctx["users"]), seed))
    t = step(f"{len(dealers)} dealers (COPY)", t)
    orders = order_specs(counts, dealers, products, today, seed)
    n_orders, n_lines = _create_orders(env, ctx, orders, dealers, products)
    t = step(f"{n_orders} orders / {n_lines} lines (COPY)", t)
    n_quants = _create_quants(env, ctx, products, today)
    t = step(f"{n_quants} stock quants (COPY)", t)
    env.invalidate_all()
    env.registry.clear_cache()
    if check_orders:
        check_consistency(env, ctx["order_ids"], ctx["product_ids"], check_orders, seed)
        t = step("ORM consistency check", t)
    params.set_param(
        MARKER_PARAM,
        json.dumps({"scale": scale, "seed": seed, "date": today.isoformat(), "lines": n_lines}),
    )
    env.flush_all()
    result = {
        "products": len(products),
        "dealers": len(dealers),
        "orders": n_orders,
        "lines": n_lines,
        "quants": n_quants,
        "seconds": round(time.monotonic() - started, 1),
        "timings": timings,
        "product_ids": ctx["product_ids"],
        "template_ids": ctx["template_ids"],
        "dealer_ids": ctx["dealer_ids"],
        "order_ids": ctx["order_ids"],
    }
    return result


def _context(env, counts, seed):
    """Reference records through the ORM: company, tiers, salespeople, categories, tags."""
    from odoo.fields import Command

    company = env.ref("base.main_company")
    currency = company.currency_id
    china = env.ref("base.cn")
    states = env["res.country.state"].search([("country_id", "=", china.id)], order="code")
    Tier = env["b2b.dealer.tier"]
    tiers = []
    for sequence, (code, name, _share, factor) in enumerate(TIERS, start=1):
        tier = Tier.search([("code", "=", code)], limit=1) or Tier.create(
            {"name": name, "code": code, "sequence": sequence * 10}
        )
        if not tier.pricelist_id:  # the tier's price: a global discount on the list price
            tier.pricelist_id = env["product.pricelist"].create(
                {
                    "name": f"Bench {code} ({round((1 - factor) * 100)}% off list)",
                    "currency_id": currency.id,
                    "company_id": company.id,
                    "item_ids": [
                        Command.create(
                            {
                                "applied_on": "3_global",
                                "compute_price": "percentage",
                                "percent_price": (1 - factor) * 100,
                            }
                        )
                    ]
                    if factor != 1
                    else [],
                }
            )
        tiers.append(tier)
    team = env.ref("sales_team.team_sales_department", raise_if_not_found=False) or env["crm.team"].search([], limit=1)
    salesman_group = env.ref("sales_team.group_sale_salesman")
    logins = [f"bench_sales_{i + 1:02d}" for i in range(counts["salespeople"])]
    Users = env["res.users"].with_context(no_reset_password=True, mail_create_nosubscribe=True, tracking_disable=True)
    existing = {u.login: u for u in Users.search([("login", "in", logins)])}
    to_create = [
        {
            "name": SALESPEOPLE[i % len(SALESPEOPLE)] + ("" if i < len(SALESPEOPLE) else f" {i}"),
            "login": login,
            "email": f"{login}@example.cn",
            "company_id": company.id,
            "company_ids": [(6, 0, [company.id])],
            "groups_id": [(6, 0, [salesman_group.id])],
            "tz": "Asia/Shanghai",
        }
        for i, login in enumerate(logins)
        if login not in existing
    ]
    created = Users.create(to_create) if to_create else Users
    for user in created:
        existing[user.login] = user
    users = [existing[login] for login in logins]
    if team:
        team.sudo().write({"member_ids": [(4, user.id) for user in users]})
    # category tree: 5 x 6 x 6, created level by level in batches
    Category = env["product.category"]
    tops = Category.create([{"name": top} for top in CATEGORY_TREE])
    mids = Category.create(
        [
            {"name": mid, "parent_id": top.id}
            for top, mid_names in zip(tops, CATEGORY_TREE.values(), strict=True)
            for mid in mid_names
        ]
    )
    leaves = Category.create(
        [{"name": f"{mid.name} {suffix}", "parent_id": mid.id} for mid in mids for suffix in LEAF_SUFFIXES]
    )
    Tag = env["product.tag"]
    tags = Tag.create([{"name": f"Brand {brand}"} for brand in BRANDS] + [{"name": name} for name in OTHER_TAGS])
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    tax = company.account_sale_tax_id
    simple_tax = tax if tax and tax.amount_type == "percent" and not tax.price_include and len(tax) == 1 else None
    return {
        "company": company,
        "currency": currency,
        "country": china,
        "states": states.ids,
        "tiers": tiers,
        "team": team,
        "users": users,
        "leaves": leaves.ids,
        "tags": tags.ids,
        "warehouse": warehouse,
        "tax": simple_tax,
        "uom": env.ref("uom.product_uom_unit").id,
        "now": datetime.now().replace(microsecond=0),
        "uid": env.uid,
        "seed": seed,
        "round_globally": company.tax_calculation_rounding_method == "round_globally",
    }


def _stamp(ctx, when=None):
    when = when or ctx["now"]
    return {"create_uid": ctx["uid"], "write_uid": ctx["uid"], "create_date": when, "write_date": when}


def _create_products(env, ctx, specs, today):
    company_key = str(ctx["company"].id)
    templates = TableWriter(
        env,
        "product.template",
        [
            "name", "categ_id", "uom_id", "uom_po_id", "type", "service_tracking", "is_storable", "default_code",
            "list_price", "volume", "weight", "sale_ok", "purchase_ok", "active", "invoice_policy", "tracking",
            "has_configurable_attributes", "can_image_1024_be_zoomed", "sequence", "company_id",
            "create_uid", "write_uid", "create_date", "write_date",
        ],
    )  # fmt: skip
    variants = TableWriter(
        env,
        "product.product",
        [
            "product_tmpl_id", "default_code", "barcode", "combination_indices", "standard_price", "volume",
            "weight", "active", "can_image_variant_1024_be_zoomed",
            "create_uid", "write_uid", "create_date", "write_date",
        ],
    )  # fmt: skip
    template_ids = templates.allocate_ids(len(specs))
    product_ids = variants.allocate_ids(len(specs))
    created = datetime.combine(today - timedelta(days=800), datetime.min.time())
    template_rows, variant_rows, tag_pairs, tax_pairs = [], [], [], []
    for spec, template_id, product_id in zip(specs, template_ids, product_ids, strict=True):
        stamp = _stamp(ctx, created)
        template_rows.append(
            {
                "id": template_id,
                "name": {"en_US": spec["name"]},
                "categ_id": ctx["leaves"][spec["leaf"]],
                "uom_id": ctx["uom"],
                "uom_po_id": ctx["uom"],
                "type": "consu",
                "service_tracking": "no",
                "is_storable": True,
                "default_code": spec["default_code"],
                "list_price": spec["list_price"],
                "volume": spec["volume"],
                "weight": spec["weight"],
                "sale_ok": True,
                "purchase_ok": True,
                "active": True,
                "invoice_policy": "delivery",
                "tracking": "none",
                "has_configurable_attributes": False,
                "can_image_1024_be_zoomed": False,
                "sequence": 1,
                "company_id": None,
                **stamp,
            }
        )
        variant_rows.append(
            {
                "id": product_id,
                "product_tmpl_id": template_id,
                "default_code": spec["default_code"],
                "barcode": spec["barcode"],
                "combination_indices": "",
                "standard_price": {company_key: spec["cost"]},
                "volume": spec["volume"],
                "weight": spec["weight"],
                "active": True,
                "can_image_variant_1024_be_zoomed": False,
                **stamp,
            }
        )
        tag_pairs.extend((ctx["tags"][tag], template_id) for tag in spec["tags"])
        if ctx["tax"]:
            tax_pairs.append((template_id, ctx["tax"].id))
    templates.write(template_rows)
    variants.write(variant_rows)
    tag_field = env["product.template"]._fields["product_tag_ids"]
    copy_relation(env, tag_field.relation, [tag_field.column2, tag_field.column1], tag_pairs)
    if tax_pairs:
        tax_field = env["product.template"]._fields["taxes_id"]
        copy_relation(env, tax_field.relation, [tax_field.column1, tax_field.column2], tax_pairs)
    templates.recompute(template_ids, log=ctx["log"])
    variants.recompute(product_ids, log=ctx["log"])
    ctx["template_ids"], ctx["product_ids"] = template_ids, product_ids
    for spec, product_id in zip(specs, product_ids, strict=True):
        spec["id"] = product_id
    return specs


def _create_dealers(env, ctx, specs):
    partners = TableWriter(
        env,
        "res.partner",
        [
            "name", "complete_name", "commercial_company_name", "commercial_partner_id", "is_company", "type",
            "active", "company_id", "ref", "lang", "tz", "country_id", "state_id", "city", "street", "zip",
            "phone", "email", "email_normalized", "user_id", "customer_rank", "supplier_rank", "partner_share",
            "employee", "b2b_tier_id", "b2b_commercial_tier_id", "specific_property_product_pricelist",
            "create_uid", "write_uid", "create_date",
            "write_date",
        ],
    )  # fmt: skip
    ids = partners.allocate_ids(len(specs))
    states = env["res.country.state"].browse(ctx["states"])
    lang = env["res.lang"]._lang_get_code("zh_CN") if env["res.lang"]._lang_get("zh_CN") else "en_US"
    rows = []
    for spec, partner_id in zip(specs, ids, strict=True):
        state = states[spec["state"]] if spec["state"] is not None else None
        tier = ctx["tiers"][spec["tier"]]
        rows.append(
            {
                "id": partner_id,
                "name": spec["name"],
                "complete_name": spec["name"],
                "commercial_company_name": spec["name"],
                "commercial_partner_id": partner_id,
                "is_company": True,
                "type": "contact",
                "active": True,
                "company_id": None,
                "ref": spec["ref"],
                "lang": lang,
                "tz": "Asia/Shanghai",
                "country_id": ctx["country"].id,
                "state_id": state.id if state else None,
                "city": state.name if state else None,
                "street": f"{spec['ref']} Industrial Road",
                "zip": f"{100000 + int(spec['ref'][1:]):06d}",
                "phone": spec["phone"],
                "email": spec["email"],
                "email_normalized": spec["email"],
                "user_id": ctx["users"][spec["salesperson"]].id,
                "customer_rank": 1,
                "supplier_rank": 0,
                "partner_share": True,
                "employee": False,
                "b2b_tier_id": tier.id,
                "b2b_commercial_tier_id": tier.id,
                "specific_property_product_pricelist": {str(ctx["company"].id): tier.pricelist_id.id},
                **_stamp(ctx),
            }
        )
    partners.write(rows)
    partners.recompute(ids, log=ctx["log"])
    ctx["dealer_ids"] = ids
    for spec, partner_id in zip(specs, ids, strict=True):
        spec["id"] = partner_id
    return specs


def _create_orders(env, ctx, orders, dealers, products):
    from odoo.tools import float_round

    company, currency = ctx["company"], ctx["currency"]
    digits = currency.decimal_places

    def money(value):  # Odoo's half-up rounding, as currency.round
        return float_round(value, precision_digits=digits)

    rate = ctx["tax"].amount / 100.0 if ctx["tax"] else 0.0
    # what sale's computes give when the company has no quotation template and no invoice terms;
    # otherwise the ORM computes note/template/signature/payment itself
    simple_terms = not company.sale_order_template_id and not env["ir.config_parameter"].sudo().get_param(
        "account.use_invoice_terms"
    )
    company_values = (
        {
            "require_signature": company.portal_confirmation_sign,
            "require_payment": company.portal_confirmation_pay,
            "prepayment_percent": company.prepayment_percent,
        }
        if simple_terms
        else {}
    )
    order_writer = TableWriter(
        env,
        "sale.order",
        [
            "name", "state", "locked", "date_order", "company_id", "partner_id", "partner_invoice_id",
            "partner_shipping_id", "pricelist_id", "currency_id", "currency_rate", "user_id", "team_id",
            "amount_untaxed", "amount_tax", "amount_total", "invoice_status", "warehouse_id", "picking_policy",
            "delivery_status", "effective_date", "fiscal_position_id", "payment_term_id", "journal_id", "validity_date",
            "shipping_weight",
            "create_uid", "write_uid", "create_date", "write_date",
            *(["require_signature", "require_payment", "prepayment_percent", "note", "sale_order_template_id"]
              if simple_terms else []),
        ],
    )  # fmt: skip
    # b2b_pricing's explanation of a line price is computed with the whole price engine, one
    # line at a time (hours for 200,000 lines): historical lines carry none, as lines created
    # before b2b_pricing was installed.
    explained = [
        name
        for name in ("b2b_promotion_discount", "b2b_price_explanation", "b2b_price_explanation_text")
        if name in env["sale.order.line"]._fields
    ]
    line_writer = TableWriter(
        env,
        "sale.order.line",
        [
            *explained,
            "order_id", "sequence", "company_id", "currency_id", "order_partner_id", "salesman_id", "product_id",
            "product_uom", "state", "display_type", "name", "product_uom_qty", "price_unit", "technical_price_unit",
            "discount", "price_subtotal", "price_tax", "price_total", "price_reduce_taxexcl",
            "price_reduce_taxinc", "qty_delivered", "qty_delivered_method", "qty_invoiced", "qty_to_invoice",
            "untaxed_amount_invoiced", "untaxed_amount_to_invoice", "invoice_status", "customer_lead",
            "is_downpayment", "is_expense", "is_delivery", "warehouse_id", "product_packaging_id",
            "product_packaging_qty", "route_id", "analytic_distribution", "linked_line_id", "combo_item_id",
            "create_uid", "write_uid", "create_date", "write_date",
        ],
    )  # fmt: skip
    order_ids = order_writer.allocate_ids(len(orders))
    line_ids = line_writer.allocate_ids(sum(len(order["lines"]) for order in orders))
    factors = [factor for _code, _name, _share, factor in TIERS]
    warehouse_id = ctx["warehouse"].id if ctx["warehouse"] else None
    team_id = ctx["team"].id if ctx["team"] else None
    user_ids = [user.id for user in ctx["users"]]
    weights = [product["weight"] for product in products]

    def order_lines(order, order_id, first_line):
        """Line rows of an order and its sums (built twice: orders must be copied first)."""
        dealer = dealers[order["dealer"]]
        state = order["state"]
        stamp = _stamp(ctx, order["date"])
        rows, untaxed, tax_total, raw_tax, weight = [], 0.0, 0.0, 0.0, 0.0
        for sequence, line in enumerate(order["lines"], start=1):
            product = products[line["product"]]
            qty = line["qty"]
            price_unit = money(product["list_price"] * factors[dealer["tier"]])
            subtotal_raw = price_unit * (1 - line["discount"] / 100.0) * qty
            subtotal = money(subtotal_raw)
            # round per line (Odoo's default) taxes the rounded base
            tax_raw = subtotal_raw * rate if ctx["round_globally"] else subtotal * rate
            tax = money(tax_raw)
            # per-line rounding (Odoo's default): total = rounded base + rounded tax
            total = money(subtotal_raw + tax_raw) if ctx["round_globally"] else money(subtotal + tax)
            delivered = qty if order["delivered"] else 0.0
            to_invoice = delivered if state == "sale" else 0.0
            untaxed += subtotal
            tax_total += tax
            raw_tax += tax_raw
            weight += qty * weights[line["product"]]
            rows.append(
                {
                    "id": line_ids[first_line + sequence - 1],
                    "order_id": order_id,
                    "sequence": sequence * 10,
                    "company_id": company.id,
                    "currency_id": currency.id,
                    "order_partner_id": dealer["id"],
                    "salesman_id": user_ids[dealer["salesperson"]],
                    "product_id": product["id"],
                    "product_uom": ctx["uom"],
                    "state": state,
                    "display_type": None,
                    "name": f"[{product['default_code']}] {product['name']}",
                    "product_uom_qty": qty,
                    "price_unit": price_unit,
                    "technical_price_unit": price_unit,
                    "discount": line["discount"],
                    "price_subtotal": subtotal,
                    "price_tax": total - subtotal,
                    "price_total": total,
                    "price_reduce_taxexcl": money(subtotal / qty),
                    "price_reduce_taxinc": money(total / qty),
                    "qty_delivered": delivered,
                    "qty_delivered_method": "stock_move",
                    "qty_invoiced": 0.0,
                    "qty_to_invoice": to_invoice,
                    "untaxed_amount_invoiced": 0.0,
                    "untaxed_amount_to_invoice": money(price_unit * (1 - line["discount"] / 100.0) * to_invoice)
                    if state == "sale"
                    else 0.0,
                    "invoice_status": "to invoice" if to_invoice else "no",
                    "customer_lead": 0.0,
                    "is_downpayment": False,
                    "is_expense": False,
                    "is_delivery": False,
                    "warehouse_id": warehouse_id,
                    "product_packaging_id": None,
                    "product_packaging_qty": 0.0,
                    "route_id": None,
                    "analytic_distribution": None,
                    "linked_line_id": None,
                    "combo_item_id": None,
                    **stamp,
                }
            )
        sums = {"untaxed": untaxed, "tax": tax_total, "raw_tax": raw_tax, "weight": weight}
        return rows, sums

    order_rows = []
    offsets, offset = [], 0
    for order in orders:
        offsets.append(offset)
        offset += len(order["lines"])
    for order, order_id, first in zip(orders, order_ids, offsets, strict=True):
        dealer = dealers[order["dealer"]]
        state = order["state"]
        stamp = _stamp(ctx, order["date"])
        rows, sums = order_lines(order, order_id, first)
        to_invoice_any = any(row["qty_to_invoice"] for row in rows)
        untaxed, tax_total, raw_tax = sums["untaxed"], sums["tax"], sums["raw_tax"]
        amount_tax = money(raw_tax) if ctx["round_globally"] else money(tax_total)
        untaxed = money(untaxed)
        order_rows.append(
            {
                "id": order_id,
                "name": f"B{order['number']:07d}",
                "state": state,
                "locked": order["locked"],
                "date_order": order["date"],
                "company_id": company.id,
                "partner_id": dealer["id"],
                "partner_invoice_id": dealer["id"],
                "partner_shipping_id": dealer["id"],
                "pricelist_id": ctx["tiers"][dealer["tier"]].pricelist_id.id,
                "currency_id": currency.id,
                "currency_rate": 1.0,
                "user_id": user_ids[dealer["salesperson"]],
                "team_id": team_id,
                "amount_untaxed": untaxed,
                "amount_tax": amount_tax,
                "amount_total": money(untaxed + amount_tax),
                "invoice_status": "to invoice" if to_invoice_any else "no",
                "warehouse_id": warehouse_id,
                "picking_policy": "direct",
                "delivery_status": None,
                "effective_date": None,
                "fiscal_position_id": None,
                "payment_term_id": None,
                "journal_id": None,
                "validity_date": (order["date"] + timedelta(days=30)).date(),
                "shipping_weight": sums["weight"],
                **company_values,
                **({"note": None, "sale_order_template_id": None} if simple_terms else {}),
                **stamp,
            }
        )
    order_writer.write(order_rows)
    del order_rows
    # lines in chunks, rebuilt order by order: 1,000,000 line dicts never sit in memory at once
    chunk = []
    for order, order_id, first in zip(orders, order_ids, offsets, strict=True):
        rows, _sums = order_lines(order, order_id, first)
        chunk.extend(rows)
        if len(chunk) >= COPY_CHUNK:
            line_writer.write(chunk)
            chunk = []
    line_writer.write(chunk)
    if ctx["tax"]:
        tax_field = env["sale.order.line"]._fields["tax_id"]
        copy_relation(
            env, tax_field.relation, [tax_field.column1, tax_field.column2], ((i, ctx["tax"].id) for i in line_ids)
        )
    order_writer.recompute(order_ids, log=ctx["log"])
    line_writer.recompute(line_ids, log=ctx["log"])
    ctx["order_ids"] = order_ids
    return len(order_ids), len(line_ids)


def _create_quants(env, ctx, products, today):
    if not ctx["warehouse"]:
        return 0
    writer = TableWriter(
        env,
        "stock.quant",
        [
            "product_id", "company_id", "location_id", "quantity", "reserved_quantity", "inventory_quantity",
            "inventory_diff_quantity", "inventory_quantity_set", "in_date", "lot_id", "package_id", "owner_id",
            "create_uid", "write_uid", "create_date", "write_date",
        ],
    )  # fmt: skip
    stocked = [product for product in products if product["stock"] is not None]
    ids = writer.allocate_ids(len(stocked))
    in_date = datetime.combine(today - timedelta(days=30), datetime.min.time())
    location_id = ctx["warehouse"].lot_stock_id.id
    rows = [
        {
            "id": quant_id,
            "product_id": product["id"],
            "company_id": ctx["company"].id,
            "location_id": location_id,
            "quantity": float(product["stock"]),
            "reserved_quantity": 0.0,
            "inventory_quantity": 0.0,
            "inventory_diff_quantity": 0.0,
            "inventory_quantity_set": False,
            "in_date": in_date,
            "lot_id": None,
            "package_id": None,
            "owner_id": None,
            **_stamp(ctx),
        }
        for product, quant_id in zip(stocked, ids, strict=True)
    ]
    writer.write(rows)
    writer.recompute(ids, log=ctx["log"])
    return len(rows)


# --------------------------------------------------------------------------------------------
# Consistency: the ORM recomputes what we stored
# --------------------------------------------------------------------------------------------
ORDER_CHECK_FIELDS = [
    "amount_untaxed", "amount_tax", "amount_total", "invoice_status", "shipping_weight", "require_signature",
    "require_payment", "prepayment_percent", "note", "sale_order_template_id", "warehouse_id",
]  # fmt: skip
LINE_CHECK_FIELDS = [
    "price_subtotal", "price_tax", "price_total", "price_reduce_taxexcl", "price_reduce_taxinc",
    "qty_to_invoice", "untaxed_amount_to_invoice", "invoice_status", "order_partner_id", "salesman_id",
    "company_id", "currency_id", "state", "qty_delivered_method", "customer_lead", "warehouse_id",
]  # fmt: skip


def check_consistency(env, order_ids, product_ids, sample, seed):
    """Recompute stored fields of random orders/lines with the ORM and compare with the rows
    written by COPY; raise AssertionError listing every difference."""
    rng = random.Random(f"{seed}-check")
    orders = env["sale.order"].browse(rng.sample(order_ids, min(sample, len(order_ids))))
    lines = orders.order_line
    problems = []
    for records, names in ((orders, ORDER_CHECK_FIELDS), (lines, LINE_CHECK_FIELDS)):
        stored = {rec.id: {name: rec[name] for name in names} for rec in records}
        for name in names:
            env.add_to_compute(records._fields[name], records)
        for rec in records:
            for name in names:
                before, after = stored[rec.id][name], rec[name]
                if isinstance(before, float):
                    same = abs(before - after) < 1e-6
                else:
                    same = before == after
                if not same:
                    problems.append(f"{rec._name}({rec.id}).{name}: stored {before!r}, ORM computes {after!r}")
    env.flush_all()
    from odoo.tools import float_round

    price_digits = env["decimal.precision"].precision_get("Product Price")
    for line in lines.filtered(lambda line: line.order_id.pricelist_id.name.startswith("Bench ")):
        price = line.order_id.pricelist_id._get_product_price(line.product_id, line.product_uom_qty)
        price = float_round(price, precision_digits=price_digits)  # as the line's price_unit field stores it
        if abs(price - line.price_unit) > 1e-6:
            problems.append(f"sale.order.line({line.id}).price_unit {line.price_unit} but its pricelist gives {price}")
    products = env["product.product"].browse(rng.sample(product_ids, min(sample, len(product_ids))))
    for product in products:
        if not product.display_name.startswith(f"[{product.default_code}] "):
            problems.append(f"product.product({product.id}) display name {product.display_name!r}")
        if product.product_tmpl_id.product_variant_id != product:
            problems.append(f"product.product({product.id}) is not its template's variant")
        if product.standard_price <= 0:
            problems.append(f"product.product({product.id}) has no cost")
    if problems:
        raise AssertionError("bench data inconsistent with the ORM:\n" + "\n".join(problems[:50]))
