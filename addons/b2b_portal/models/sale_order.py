import logging
import random
import time as clock
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

DEMO_SEED = 18_2026
DEMO_MONTHS = 12
# Purchase habits of the demo dealers (b2b_pricing demo): orders in the last 12 months,
# category preferences, lines per order, units per line (min, max, step = case size) and how
# they order (share of portal and API orders, the rest is keyed in by the back office).
DEMO_DEALER_HABITS = {
    "dealer_1": {
        "orders": 26,
        "categories": {"juice": 3, "water": 3, "tea": 2, "soft_drinks": 1},
        "lines": (5, 9),
        "units": (240, 1200, 24),
        "channels": {"portal": 5, "api": 3, "backoffice": 2},
    },
    "dealer_2": {
        "orders": 26,
        "categories": {"tea": 3, "soft_drinks": 3, "water": 2, "juice": 1},
        "lines": (5, 9),
        "units": (240, 1200, 24),
        "channels": {"api": 6, "portal": 3, "backoffice": 1},
    },
    "dealer_3": {
        "orders": 20,
        "categories": {"tea": 3, "snacks": 3, "soft_drinks": 1},
        "lines": (3, 7),
        "units": (48, 360, 12),
        "channels": {"portal": 7, "backoffice": 3},
    },
    "dealer_4": {
        "orders": 20,
        "categories": {"juice": 3, "snacks": 2, "tea": 2},
        "lines": (3, 7),
        "units": (48, 360, 12),
        "channels": {"portal": 8, "backoffice": 2},
    },
    "dealer_5": {
        "orders": 14,
        "categories": {"water": 2, "soft_drinks": 2, "snacks": 2, "juice": 1},
        "lines": (3, 5),
        "units": (12, 96, 6),
        "channels": {"portal": 9, "backoffice": 1},
    },
    "dealer_6": {
        "orders": 14,
        "categories": {"tea": 2, "snacks": 3},
        "lines": (3, 5),
        "units": (12, 96, 6),
        "channels": {"portal": 8, "backoffice": 2},
    },
    "dealer_7": {
        "orders": 18,
        "categories": {"water": 3, "soft_drinks": 3, "snacks": 1},
        "lines": (3, 7),
        "units": (48, 360, 12),
        "channels": {"portal": 5, "backoffice": 5},
    },
    "dealer_8": {
        "orders": 12,
        "categories": {"soft_drinks": 2, "water": 2, "snacks": 1},
        "lines": (3, 5),
        "units": (12, 96, 6),
        "channels": {"portal": 9, "backoffice": 1},
    },
}
DEMO_CATEGORIES = {
    "juice": "b2b_pricing.product_category_juice",
    "tea": "b2b_pricing.product_category_tea",
    "water": "b2b_pricing.product_category_water",
    "soft_drinks": "b2b_pricing.product_category_soft_drinks",
    "snacks": "b2b_pricing.product_category_snacks",
}
# Where an order of a given age (in days) ends up, as weights. Old orders are paid (a few
# invoices stay overdue), recent ones are still quotations or on their way.
DEMO_OUTCOMES_BY_AGE = (
    (7, {"draft": 3, "sent": 3, "sale": 3, "partial": 2, "cancel": 0.5}),
    (21, {"sent": 1, "sale": 2, "partial": 2, "delivered": 3, "invoiced": 2, "cancel": 0.5}),
    (60, {"partial": 0.3, "delivered": 1, "invoiced": 4, "paid": 4, "cancel": 0.6}),
    (10_000, {"delivered": 0.1, "invoiced": 0.8, "paid": 10, "cancel": 0.8}),
)
DELIVERED_OUTCOMES = ("partial", "delivered", "invoiced", "paid")
INVOICED_OUTCOMES = ("invoiced", "paid")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Demo data (called from demo/sale_order_demo.xml only)
    # ------------------------------------------------------------------

    @api.model
    def _b2b_demo_generate_order_history(self, seed=DEMO_SEED):
        """A year of dealer orders in every state, from the demo dealers' purchase habits.

        Deterministic for a given install day: a fixed seed drives every choice and dates are
        counted back from today. Orders are confirmed, delivered, invoiced and paid through
        the normal flows, then their dates are moved back to when it "happened".
        """
        rng = random.Random(seed)
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        started = clock.monotonic()

        def step(name):
            _logger.info("Demo order history: %s done at %.1fs", name, clock.monotonic() - started)

        plans = self._b2b_demo_plan_orders(rng, now)
        self = self.with_context(tracking_disable=True, mail_notrack=True, mail_create_nolog=True)  # noqa: PLW0642
        orders = self.create([plan["values"] for plan in plans])
        for plan, order in zip(plans, orders, strict=True):
            plan["order"] = order
        step(f"{len(orders)} orders created")

        def outcome(*names):
            return self.browse([plan["order"].id for plan in plans if plan["outcome"] in names])

        outcome("sent").action_quotation_sent()
        outcome("cancel")._action_cancel()
        to_deliver = [plan for plan in plans if plan["outcome"] in DELIVERED_OUTCOMES]
        self._b2b_demo_opening_stock(to_deliver, now - timedelta(days=DEMO_MONTHS * 31 + 7))
        step("opening stock")
        # Delivered orders first, so their pickings reserve the stock they will ship.
        for batch in (outcome(*DELIVERED_OUTCOMES), outcome("sale")):
            batch.action_confirm()
            unconfirmed = batch.filtered(lambda order: order.state != "sale")
            if unconfirmed:
                raise UserError(
                    self.env._(
                        "Demo data: orders %(orders)s could not be confirmed.",
                        orders=", ".join(unconfirmed.mapped("name")),
                    )
                )
        step("confirmation")
        self._b2b_demo_deliver(to_deliver, rng)
        step("deliveries")
        invoices = self._b2b_demo_invoice([plan for plan in plans if plan["outcome"] in INVOICED_OUTCOMES], rng)
        step("invoices")
        self._b2b_demo_pay([plan for plan in plans if plan["outcome"] == "paid"], rng, now)
        step("payments")
        self._b2b_demo_backdate_orders(plans)
        self._b2b_demo_check_history(plans, invoices)
        step("dates and checks")
        return orders

    @api.model
    def _b2b_demo_plan_orders(self, rng, now):
        products_by_category = {}
        for key, xmlid in DEMO_CATEGORIES.items():
            products_by_category[key] = self.env["product.product"].search(
                [("categ_id", "child_of", self.env.ref(xmlid).id), ("sale_ok", "=", True)],
                order="default_code, id",
            )
        has_channel = "b2b_channel" in self._fields
        plans = []
        for turn, (dealer_xmlid, habit) in enumerate(DEMO_DEALER_HABITS.items()):
            dealer = self.env.ref(f"b2b_pricing.{dealer_xmlid}", raise_if_not_found=False)
            if not dealer:
                continue
            buyer = self.env.ref(f"b2b_pricing.{dealer_xmlid}_buyer", raise_if_not_found=False) or dealer
            categories = list(habit["categories"])
            weights = list(habit["categories"].values())
            # The dealer's core range: what it reorders nearly every time.
            favourites = []
            for category, weight in habit["categories"].items():
                favourites += rng.sample(
                    products_by_category[category], k=min(weight + 1, len(products_by_category[category]))
                )
            ages = self._b2b_demo_order_ages(rng, habit["orders"])
            # Every story needs each state, whatever the install day: the dealer's last orders
            # and its oldest one have a set outcome (the oldest unpaid one is long overdue).
            forced_outcomes = {
                len(ages): ("draft", "sent", "sale", "partial")[turn % 4],
                len(ages) - 1: ("sent", "draft", "partial", "sale")[turn % 4],
                len(ages) - 2: ("delivered", "invoiced")[turn % 2],
                1: ("paid", "invoiced", "cancel", "paid")[turn % 4],
            }
            for sequence, age in enumerate(ages, 1):
                date_order = datetime.combine(
                    (now - timedelta(days=age)).date(), time(rng.randint(1, 9), rng.choice((0, 15, 30, 45)))
                )
                date_order = min(date_order, now - timedelta(minutes=rng.randint(30, 90)))  # never in the future
                line_count = rng.randint(*habit["lines"])
                picked = []
                while len(picked) < line_count:
                    if rng.random() < 0.6:
                        product = rng.choice(favourites)
                    else:
                        category = rng.choices(categories, weights)[0]
                        product = rng.choice(products_by_category[category])
                    if product not in picked:
                        picked.append(product)
                low, high, step = habit["units"]
                lines = []
                for product in picked:
                    units = rng.randint(low // step, high // step) * step
                    if product.lst_price > 3:  # gift boxes, multipacks, nuts: fewer units
                        units = max(step, units // 4 // step * step)
                    lines.append(Command.create({"product_id": product.id, "product_uom_qty": units}))
                channel = rng.choices(list(habit["channels"]), list(habit["channels"].values()))[0]
                for max_age, weights_by_outcome in DEMO_OUTCOMES_BY_AGE:
                    if age <= max_age:
                        outcome = rng.choices(list(weights_by_outcome), list(weights_by_outcome.values()))[0]
                        break
                outcome = forced_outcomes.get(sequence, outcome)
                values = {
                    "partner_id": (buyer if channel == "portal" else dealer).id,
                    "date_order": date_order,
                    "client_order_ref": f"PO-{dealer_xmlid[-1]}-{date_order:%y%m}-{sequence:02d}",
                    "order_line": lines,
                }
                if has_channel:
                    values["b2b_channel"] = channel
                quantities = [line[2]["product_uom_qty"] for line in lines]
                if outcome == "partial":
                    # Half of the first line, then in turn a line in full, half, none (backorder).
                    shares = [0.5] + [(0.5, 1, 0.5, 0)[index % 4] for index in range(1, len(lines))]
                    delivered = [
                        share and max(1, quantity * share // 1)
                        for quantity, share in zip(quantities, shares, strict=True)
                    ]
                elif outcome in DELIVERED_OUTCOMES:
                    delivered = quantities
                else:
                    delivered = [0] * len(lines)
                plans.append({"values": values, "outcome": outcome, "date": date_order, "delivered": delivered})
        plans.sort(key=lambda plan: plan["date"])
        return plans

    @api.model
    def _b2b_demo_order_ages(self, rng, count):
        """Days ago of a dealer's orders, oldest first: spread over the year, more in summer and before the
        Spring Festival, and always a few in the last weeks."""
        today = fields.Date.today()
        days = list(range(8, DEMO_MONTHS * 30))
        seasonal = [1 + 0.8 * ((today - timedelta(days=day)).month in (6, 7, 8, 1)) for day in days]
        recent = {rng.randint(0, 3), rng.randint(4, 7), rng.randint(2, 12), rng.randint(8, 21), rng.randint(22, 45)}
        ages = sorted(recent | set(rng.choices(days, seasonal, k=count - len(recent))))
        while len(ages) < count:
            ages = sorted(set(ages) | {rng.randint(21, DEMO_MONTHS * 30)})
        return ages[::-1]  # oldest first

    @api.model
    def _b2b_demo_opening_stock(self, plans, date):
        """Stock that the delivered history consumed, counted in a year ago, so that what is
        left in the warehouse after the history is what b2b_logistics' demo put there."""
        needed = defaultdict(float)
        for plan in plans:
            for (_command, _id, line), quantity in zip(plan["values"]["order_line"], plan["delivered"], strict=True):
                needed[line["product_id"]] += quantity
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        location = warehouse.lot_stock_id
        products = self.env["product.product"].browse(sorted(needed)).filtered("is_storable")
        quantities = {product.id: product.with_context(location=location.id).qty_available for product in products}
        Quant = self.env["stock.quant"].with_context(inventory_mode=True, inventory_name=self.env._("Opening stock"))
        quants = Quant.create(
            [
                {
                    "product_id": product.id,
                    "location_id": location.id,
                    "inventory_quantity": quantities[product.id] + needed[product.id],
                }
                for product in products
            ]
        )
        last_move = self.env["stock.move"].search([], order="id desc", limit=1)
        quants._apply_inventory()
        moves = self.env["stock.move"].search([("id", ">", last_move.id), ("is_inventory", "=", True)])
        self.env.flush_all()
        self.env.cr.execute("UPDATE stock_move SET date = %s WHERE id = ANY(%s)", [date, moves.ids])
        self.env.cr.execute("UPDATE stock_move_line SET date = %s WHERE move_id = ANY(%s)", [date, moves.ids])
        self.env.invalidate_all()

    @api.model
    def _b2b_demo_deliver(self, plans, rng):
        moves_done = self.env["stock.move"]
        for plan in plans:
            order = plan["order"]
            plan["date_done"] = min(
                plan["date"] + timedelta(days=rng.randint(1, 4), hours=rng.randint(1, 6)), fields.Datetime.now()
            )
            for line, quantity in zip(order.order_line.sorted("id"), plan["delivered"], strict=True):
                move = line.move_ids
                if move.quantity != quantity:
                    move.quantity = quantity
                if quantity:
                    moves_done |= move
        moves_done.picked = True
        pickings = moves_done.picking_id
        pickings.with_context(skip_backorder=True, skip_sms=True).button_validate()
        not_done = pickings.filtered(lambda picking: picking.state != "done")
        if not_done:
            raise UserError(
                self.env._("Demo data: deliveries %s could not be validated.", ", ".join(not_done.mapped("name")))
            )
        done_dates = {}
        for plan in plans:
            for picking in plan["order"].picking_ids.filtered(lambda picking: picking.state == "done"):
                picking.date_done = plan["date_done"]
                done_dates[picking.id] = plan["date_done"]
        self.env.flush_all()
        for table in ("stock_move", "stock_move_line"):
            self.env.cr.execute(
                f"""
                UPDATE {table} AS move
                   SET date = history.date_done
                  FROM unnest(%s::int[], %s::timestamp[]) AS history(picking_id, date_done)
                 WHERE move.picking_id = history.picking_id AND move.state = 'done'
                """,
                [list(done_dates), list(done_dates.values())],
            )
        self.env.invalidate_all()

    @api.model
    def _b2b_demo_invoice(self, plans, rng):
        """Invoice the delivered orders on the day after delivery (one invoice per order)."""
        orders_by_date = defaultdict(lambda: self.env["sale.order"])
        for plan in plans:
            invoice_date = min((plan["date_done"] + timedelta(days=rng.randint(0, 2))).date(), fields.Date.today())
            orders_by_date[invoice_date] |= plan["order"]
        invoices = self.env["account.move"]
        for invoice_date, orders in sorted(orders_by_date.items()):
            # Dated at creation: writing the date afterwards recomputes every invoice twice.
            invoices |= orders.with_context(default_invoice_date=invoice_date)._create_invoices(grouped=True)
        invoices.action_post()  # numbered in date order
        for plan in plans:
            plan["invoice"] = plan["order"].invoice_ids
        return invoices

    @api.model
    def _b2b_demo_pay(self, plans, rng, now):
        """Dealers settle on the 10th and 25th, around the due date; one payment per dealer
        and settlement day. The last ones have not paid yet."""
        last_day = now.date() - timedelta(days=1)
        invoices_by_date = defaultdict(lambda: self.env["account.move"])
        for plan in plans:
            invoice = plan["invoice"]
            pay_date = invoice.invoice_date_due + timedelta(days=rng.randint(-4, 6))
            pay_date = (
                pay_date.replace(day=10)
                if pay_date.day <= 10
                else pay_date.replace(day=25)
                if pay_date.day <= 25
                else pay_date
            )
            pay_date = max(invoice.invoice_date, min(pay_date, last_day))
            invoices_by_date[pay_date] |= invoice
        for pay_date, invoices in sorted(invoices_by_date.items()):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoices.ids
            ).create({"payment_date": pay_date, "group_payment": True})._create_payments()

    @api.model
    def _b2b_demo_backdate_orders(self, plans):
        """Confirmation stamps today's date: put each order back on its own day."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE sale_order AS so
               SET date_order = history.date_order, create_date = history.date_order
              FROM unnest(%s::int[], %s::timestamp[]) AS history(id, date_order)
             WHERE so.id = history.id
            """,
            [[plan["order"].id for plan in plans], [plan["date"] for plan in plans]],
        )
        open_pickings = self.env["stock.picking"].search(
            [("sale_id", "in", [plan["order"].id for plan in plans]), ("state", "not in", ("done", "cancel"))]
        )
        dates = {plan["order"].id: plan["date"] for plan in plans}
        for picking in open_pickings:
            picking.scheduled_date = dates[picking.sale_id.id] + timedelta(days=2)
        self.env.invalidate_all()

    @api.model
    def _b2b_demo_check_history(self, plans, invoices):
        """Fail the install rather than leave a demo that silently tells another story."""
        expected = {
            "draft": ("draft", None),
            "sent": ("sent", None),
            "cancel": ("cancel", None),
            "sale": ("sale", "pending"),
            "partial": ("sale", "partial"),
            "delivered": ("sale", "full"),
            "invoiced": ("sale", "full"),
            "paid": ("sale", "full"),
        }
        wrong = []
        for plan in plans:
            order = plan["order"]
            state, delivery = expected[plan["outcome"]]
            if order.state != state or (delivery and order.delivery_status != delivery):
                wrong.append(f"{order.name} ({plan['outcome']}: {order.state}/{order.delivery_status})")
            if plan["outcome"] == "paid" and plan["invoice"].payment_state not in ("paid", "in_payment"):
                wrong.append(f"{order.name} (paid: {plan['invoice'].payment_state})")
        if invoices.filtered(lambda invoice: invoice.state != "posted"):
            wrong.append("unposted invoices")
        if wrong:
            raise UserError(self.env._("Demo data: the order history went wrong: %s", ", ".join(wrong)))
