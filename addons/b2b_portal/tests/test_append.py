import re
import threading
import time
import uuid
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, http
from odoo.exceptions import AccessError, UserError
from odoo.modules.registry import DummyRLock, Registry
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import B2bPortalCase, B2bPortalHttpCase


@tagged("post_install", "-at_install")
class TestAppendAfterSubmit(B2bPortalCase):
    """截单后追加: lines join the submitted order until picking starts, then a supplementary order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.b2b_credit_enforce = True

    def submitted(self, quantities=None, user=None, key="base"):
        user = user or self.buyer_a
        ctx = self.ctx_of(user)
        cart = self.env["sale.order"]._b2b_portal_new_cart(ctx)
        cart._b2b_portal_add_products(ctx, {p.id: q for p, q in (quantities or {self.orange: 2}).items()})
        return cart._b2b_portal_submit(ctx, f"{key}-{cart.id}", {})

    def append(self, order, rows, key="add-1", user=None):
        return order._b2b_portal_append(self.ctx_of(user or self.buyer_a), rows, key)

    def outgoing(self, order):
        return order.picking_ids.filtered(lambda picking: picking.picking_type_code == "outgoing")

    def test_append_before_picking_joins_the_order_and_its_picking(self):
        order = self.submitted()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order._b2b_portal_append_mode(), "append")
        result = self.append(order, [{"sku": "B2B-AJ1", "qty": "2", "price_unit": "0.01"}])
        self.assertEqual(result["mode"], "appended")
        self.assertEqual(result["order"], order)
        line = order.order_line.filtered(lambda sol: sol.product_id == self.apple)
        self.assertEqual(line.product_uom_qty, 2)
        self.assertAlmostEqual(line.price_unit, 9.6)  # the dealer's pricelist, whatever was sent
        self.assertTrue(line.b2b_portal_appended_date)
        self.assertFalse(order.order_line.filtered(lambda sol: sol.product_id == self.orange).b2b_portal_appended_date)
        # Odoo's procurement put the new move on the same, not yet started, delivery
        picking = self.outgoing(order)
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.move_ids.product_id, self.orange | self.apple)
        self.assertFalse(order.b2b_supplementary_order_ids)
        # the same key again (double click, retry): nothing more
        again = self.append(order, [{"sku": "B2B-AJ1", "qty": "2"}])
        self.assertEqual(again, {"mode": "appended", "order": order})
        self.assertEqual(len(order.order_line), 2)

    def test_rows_are_validated_like_the_cart(self):
        order = self.submitted()
        bad_rows = [
            [{"sku": "B2B-CH1", "qty": "4"}],  # chips sell by cartons of 6
            [{"sku": "NOPE-1", "qty": "1"}],
            [{"sku": "B2B-AJ1", "qty": "1000000"}],
            [{"sku": "B2B-AJ1", "qty": "-1"}],
            [{"sku": "B2B-RAW", "qty": "1"}],  # not sold
            [{"sku": "B2B-AJ1", "qty": "1"}, {"sku": "NOPE-2", "qty": "1"}],  # all or nothing
            [],
            [{"sku": "B2B-AJ1", "qty": "1"}] * 51,
        ]
        for index, rows in enumerate(bad_rows):
            with self.subTest(rows=rows[:2]), self.assertRaises(UserError):
                self.append(order, rows, key=f"bad-{index}")
        self.assertEqual(order.order_line.product_id, self.orange)
        with self.assertRaises(UserError):
            self.append(order, [{"sku": "B2B-AJ1", "qty": "1"}], key="")
        self.assertEqual(self.append(order, [{"sku": "B2B-CH1", "qty": "6"}])["mode"], "appended")

    def test_after_picking_started_a_supplementary_order_is_submitted(self):
        for started in ("printed", "picked", "done"):
            with self.subTest(started=started):
                order = self.submitted(key=started)
                picking = self.outgoing(order)
                if started == "printed":
                    picking.printed = True
                elif started == "picked":
                    picking.move_ids[:1].picked = True
                else:
                    picking.move_ids.quantity = 2
                    picking.move_ids.picked = True
                    picking._action_done()
                self.assertEqual(order._b2b_portal_append_mode(), "supplementary")
                result = self.append(order, [{"sku": "B2B-AJ1", "qty": "1"}], key=f"late-{started}")
                supplementary = result["order"]
                self.assertEqual(result["mode"], "supplementary")
                self.assertNotEqual(supplementary, order)
                self.assertEqual(order.order_line.product_id, self.orange, "the started order is untouched")
                self.assertEqual(supplementary.b2b_parent_order_id, order)
                self.assertEqual(order.b2b_supplementary_order_ids, supplementary)
                self.assertEqual(supplementary.order_line.product_id, self.apple)
                self.assertEqual(supplementary.partner_shipping_id, order.partner_shipping_id)
                # submitted through the checkout's path: supplier checks passed, confirmed
                self.assertEqual(supplementary.b2b_portal_state, "confirmed")
                self.assertEqual(supplementary.state, "sale")
                self.assertEqual(supplementary.b2b_portal_idempotency_key, f"late-{started}")
                again = self.append(order, [{"sku": "B2B-AJ1", "qty": "1"}], key=f"late-{started}")
                self.assertEqual(again["order"], supplementary)
                self.assertEqual(len(order.b2b_supplementary_order_ids), 1)

    def test_supplementary_keeps_the_users_cart(self):
        ctx = self.ctx_of(self.buyer_a)
        order = self.submitted()
        self.outgoing(order).printed = True
        cart = self.env["sale.order"]._b2b_portal_new_cart(ctx, "Next week")
        self.append(order, [{"sku": "B2B-AJ1", "qty": "1"}])
        self.assertEqual(self.env["sale.order"]._b2b_portal_current_cart(self.ctx_of(self.buyer_a)), cart)

    def test_append_rechecks_credit(self):
        order = self.submitted()
        self.assertEqual(order.state, "sale")
        exposure = self.env["res.partner"]._b2b_credit_exposure(self.dealer_a)[self.dealer_a.id]["exposure"]
        self.dealer_a.credit_limit = exposure + 5.0
        with self.assertRaisesRegex(UserError, "credit"):
            self.append(order, [{"sku": "B2B-AJ1", "qty": "1"}])
        self.assertEqual(order.order_line.product_id, self.orange)
        self.assertEqual(self.outgoing(order).move_ids.product_id, self.orange)
        # prepaid orders do not use credit
        order.b2b_portal_payment_mode = "prepayment"
        self.assertEqual(self.append(order, [{"sku": "B2B-AJ1", "qty": "1"}], key="prepaid")["mode"], "appended")

    def test_lines_needing_approval_go_through_approval(self):
        self.dealer_a.b2b_approval_amount = 30.0
        order = self.submitted()  # 2 x 8.80 incl. tax: no approval needed
        self.assertEqual(order.b2b_portal_state, "confirmed")
        result = self.append(order, [{"sku": "B2B-AJ1", "qty": "3"}], key="big")
        self.assertEqual(result["mode"], "supplementary")
        self.assertEqual(result["order"].b2b_portal_state, "to_approve")
        self.assertEqual(order.order_line.product_id, self.orange)
        # an approver may add the same to the order itself
        result = self.append(order, [{"sku": "B2B-AJ1", "qty": "3"}], key="big-approver", user=self.approver_a)
        self.assertEqual(result, {"mode": "appended", "order": order})

    def test_order_waiting_for_approval_takes_lines_and_new_reasons(self):
        self.dealer_a.b2b_approval_amount = 10.0
        order = self.submitted({self.orange: 2})
        self.assertEqual(order.b2b_portal_state, "to_approve")
        self.append(order, [{"sku": "B2B-AJ1", "qty": "3"}])
        self.assertEqual(order.order_line.product_id, self.orange | self.apple)
        self.assertIn(f"{order.amount_total:.2f}", order.b2b_portal_approval_reasons)

    def test_who_and_when(self):
        order = self.submitted()
        with self.assertRaises(AccessError):
            self.append(order, [{"sku": "B2B-AJ1", "qty": "1"}], user=self.viewer_a)
        with self.assertRaises(AccessError):
            self.append(order, [{"sku": "B2B-AJ1", "qty": "1"}], user=self.buyer_b)
        order._action_cancel()
        self.assertFalse(order._b2b_portal_append_mode())
        with self.assertRaisesRegex(UserError, "no longer"):
            self.append(order, [{"sku": "B2B-AJ1", "qty": "1"}])
        cart = self.env["sale.order"]._b2b_portal_new_cart(self.ctx_of(self.buyer_a))
        self.assertFalse(cart._b2b_portal_append_mode(), "a cart is changed in the cart, not appended to")


@tagged("post_install", "-at_install")
class TestAppendRace(TransactionCase):
    """A warehouse worker starts picking while the dealer appends, on two real connections.

    The order row, its transfers and their moves are locked by the append, so whoever comes
    second waits, is retried with a fresh snapshot (as HTTP and RPC do) and sees the first one's
    work: never both "appended to the order" and "picking started without those lines".
    TransactionCase's own transaction is never committed: the data lives in committed cursors
    and a cleanup removes it even when the test fails."""

    def _committed_env(self, cr, uid=SUPERUSER_ID):
        return api.Environment(cr, uid, {"tracking_disable": True, "mail_notrack": True})

    def _setup_committed_data(self):
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            dealer = env["res.partner"].create(
                {"name": "Racing dealer (append)", "is_company": True, "credit_limit": 1e6, "b2b_pay_on_account": True}
            )
            contact = env["res.partner"].create({"name": "Racing buyer", "parent_id": dealer.id})
            user = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": "Racing buyer",
                        "login": f"b2b_race_append_{uuid.uuid4().hex[:8]}",
                        "partner_id": contact.id,
                        "groups_id": [Command.set(env.ref("base.group_portal").ids)],
                        "b2b_portal_role": "buyer",
                    }
                )
            )
            products = env["product.product"].create(
                [
                    {"name": f"Racing crate {code}", "default_code": f"B2B-RACE-{code}", "type": "consu",
                     "list_price": 10.0, "taxes_id": [Command.clear()]}
                    for code in ("A", "B")
                ]
            )  # fmt: skip
            order = env["sale.order"].create(
                {
                    "partner_id": contact.id,
                    "b2b_portal_dealer_id": dealer.id,
                    "order_line": [Command.create({"product_id": products[0].id, "product_uom_qty": 3})],
                }
            )
            order.action_confirm()
            order.b2b_portal_state = "confirmed"
            return {"dealer": dealer.id, "contact": contact.id, "user": user.id, "products": products.ids,
                    "order": order.id}  # fmt: skip

    def _cleanup(self, data):
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            orders = env["sale.order"].search([("partner_id", "child_of", data["dealer"])])
            pickings = orders.picking_ids
            orders._action_cancel()
            for model, field in (
                ("mail.activity", "res_model"),
                ("mail.followers", "res_model"),
                ("mail.message", "model"),
                ("mail.mail", "model"),
            ):
                env[model].search([(field, "=", "sale.order"), ("res_id", "in", orders.ids)]).unlink()  # fmt: skip
            groups = orders.procurement_group_id
            orders.unlink()
            pickings.exists().unlink()
            groups.exists().unlink()
            env["product.product"].browse(data["products"]).product_tmpl_id.unlink()
            env["res.users"].browse(data["user"]).unlink()
            env["res.partner"].browse([data["contact"], data["dealer"]]).unlink()

    def _wait_until_blocked(self, table, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock' AND query ILIKE %s",
                    [f"%{table}%"],
                )
                if cr.fetchone()[0]:
                    return True
            time.sleep(0.05)
        return False

    def _race(self, first, second, second_table):
        """Run ``first`` until it has written, start ``second`` (its snapshot taken before
        ``first`` commits, retried like a request), check it waits on ``second_table``, then let
        ``first`` commit. Returns (blocked, attempts of second, errors)."""
        first_done, first_may_commit, second_started = threading.Event(), threading.Event(), threading.Event()
        errors, attempts = [], []

        def run_first():
            try:
                with self.registry.cursor() as cr:
                    first(cr)
                    first_done.set()
                    first_may_commit.wait(30)
            except Exception as error:  # noqa: BLE001 - reported to the main thread
                errors.append(("first", error))
                first_done.set()

        def run_second():
            try:
                with self.registry.cursor() as cr:
                    env = self._committed_env(cr)
                    env["sale.order"].browse(self.data["order"]).read(["state"])  # snapshot before the commit
                    second_started.set()

                    def attempt():
                        attempts.append(time.monotonic())
                        return second(cr)

                    retrying(attempt, env)
            except Exception as error:  # noqa: BLE001 - reported to the main thread
                errors.append(("second", error))
                second_started.set()

        thread_first, thread_second = threading.Thread(target=run_first), threading.Thread(target=run_second)
        for thread in (thread_first, thread_second):
            thread.testing = True
        thread_first.start()
        blocked = False
        try:
            self.assertTrue(first_done.wait(60), "the first transaction did not write in time")
            thread_second.start()
            self.assertTrue(second_started.wait(60), "the second transaction did not start in time")
            blocked = self._wait_until_blocked(second_table)
        finally:
            first_may_commit.set()
            thread_first.join(60)
            if thread_second.ident:
                thread_second.join(90)
        return blocked, attempts, errors

    def setUp(self):
        super().setUp()
        lock_patcher = patch.object(Registry, "_lock", DummyRLock())
        lock_patcher.start()
        self.addCleanup(lock_patcher.stop)
        muted = mute_logger("odoo.sql_db", "odoo.service.model")  # the expected serialization failures
        muted.__enter__()
        self.addCleanup(muted.__exit__, None, None, None)
        self.data = self._setup_committed_data()
        self.addCleanup(self._cleanup, self.data)

    def _append(self, cr, key):
        env = self._committed_env(cr, self.data["user"])
        user = env["res.users"].browse(self.data["user"])
        ctx = user._b2b_portal_context()
        return (
            env["sale.order"]
            .sudo()
            .browse(self.data["order"])
            ._b2b_portal_append(ctx, [{"sku": "B2B-RACE-B", "qty": "2"}], key)
        )

    def _start_picking(self, cr):
        """The worker prints the picking list (Odoo marks the transfer printed)."""
        env = self._committed_env(cr)
        env["sale.order"].browse(self.data["order"]).picking_ids.write({"printed": True})
        env.flush_all()

    def test_picking_first_then_append_makes_a_supplementary_order(self):
        blocked, attempts, errors = self._race(
            self._start_picking, lambda cr: self._append(cr, "race-1"), "stock_picking"
        )
        self.assertFalse(errors, errors)
        self.assertTrue(blocked, "the dealer must wait for the worker's lock")
        self.assertGreaterEqual(len(attempts), 2, "and be retried with a fresh snapshot")
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            order = env["sale.order"].browse(self.data["order"])
            self.assertEqual(order.order_line.product_id.ids, self.data["products"][:1])
            self.assertEqual(order.b2b_supplementary_order_ids.order_line.product_id.ids, self.data["products"][1:])

    def test_append_first_then_picking_sees_the_new_lines(self):
        blocked, attempts, errors = self._race(
            lambda cr: self._append(cr, "race-2"), self._start_picking, "stock_picking"
        )
        self.assertFalse(errors, errors)
        self.assertTrue(blocked, "the worker must wait for the dealer's lock")
        self.assertGreaterEqual(len(attempts), 2)
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            order = env["sale.order"].browse(self.data["order"])
            self.assertEqual(order.order_line.product_id.ids, self.data["products"])
            self.assertFalse(order.b2b_supplementary_order_ids)
            picking = order.picking_ids
            self.assertTrue(picking.printed)
            self.assertEqual(picking.move_ids.product_id.ids, self.data["products"], "the printed list has both")


@tagged("post_install", "-at_install")
class TestAppendHttp(B2bPortalHttpCase):
    def setUp(self):
        super().setUp()
        ctx = self.ctx_of(self.buyer_a)
        cart = self.env["sale.order"]._b2b_portal_new_cart(ctx)
        cart._b2b_portal_add_products(ctx, {self.orange.id: 2})
        self.order = cart._b2b_portal_submit(ctx, f"http-append-{cart.id}", {})
        self.url = f"/my/b2b/orders/{self.order.id}/append"

    def post(self, data, csrf=True):
        if csrf:
            data = {**data, "csrf_token": http.Request.csrf_token(self)}
        return self.url_open(self.url, data=data, allow_redirects=False)

    def test_append_over_http(self):
        self.authenticate(self.buyer_a.login, "x")
        page = self.url_open(f"/my/b2b/orders/{self.order.id}").text
        self.assertIn("o_b2b_append", page)
        key = re.search(r'name="idempotency_key" value="(\w+)"', page).group(1)
        data = {"sku_0": "B2B-AJ1", "qty_0": "2", "price_unit": "0.01", "idempotency_key": key}
        self.assertEqual(self.post(data, csrf=False).status_code, 400)
        self.assertEqual(self.order.order_line.product_id, self.orange)
        response = self.post(data)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(f"/my/b2b/orders/{self.order.id}"))
        apple_line = self.order.order_line.filtered(lambda line: line.product_id == self.apple)
        self.assertAlmostEqual(apple_line.price_unit, 9.6)
        self.post(data)  # the same form sent twice
        self.assertEqual(len(self.order.order_line), 2)
        # bounded quantities: nothing added, the reason is shown on the order page
        self.post({"sku_0": "B2B-OJ1", "qty_0": "1000000", "idempotency_key": "http-big"})
        self.assertEqual(len(self.order.order_line), 2)
        self.assertIn("at most 100000", self.url_open(f"/my/b2b/orders/{self.order.id}").text)

    def test_viewer_cannot_append(self):
        self.authenticate(self.viewer_a.login, "x")
        self.assertNotIn("o_b2b_append", self.url_open(f"/my/b2b/orders/{self.order.id}").text)
        response = self.post({"sku_0": "B2B-AJ1", "qty_0": "1", "idempotency_key": "viewer-1"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.order.order_line.product_id, self.orange)

    def test_countdown_and_earliest_date_on_the_shop_pages(self):
        self.env["b2b.delivery.schedule"].create(
            {"name": "HTTP calendar", "sequence": 0, "warehouse_id": self.warehouse.id, "tz": "Asia/Shanghai"}
        )
        self.authenticate(self.buyer_a.login, "x")
        self.assertIn("o_b2b_countdown", self.url_open("/my/b2b/catalogue").text)
        cart = self.env["sale.order"]._b2b_portal_current_cart(self.ctx_of(self.buyer_a), create=True)
        cart._b2b_portal_add_products(self.ctx_of(self.buyer_a), {self.orange.id: 1})
        checkout = self.url_open("/my/b2b/checkout").text
        slot = self.env["b2b.delivery.schedule"]._b2b_portal_countdown(self.ctx_of(self.buyer_a), cart)
        self.assertIn(f'min="{slot["delivery_date"].isoformat()}"', checkout)
        self.assertIn("o_b2b_next_delivery", checkout)
        self.assertNotIn("o_b2b_countdown", self.url_open(f"/my/b2b/orders/{self.order.id}").text)
