import threading
import time
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import DummyRLock, Registry
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCreditRace(TransactionCase):
    """Two real database connections confirm orders of the same dealer at the same time.

    TransactionCase's own transaction is never committed, so the data lives in committed
    cursors of its own and is removed by a cleanup that runs even when the test fails."""

    def _committed_env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _setup_committed_data(self):
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            env.company.b2b_credit_enforce = True
            partner = env["res.partner"].create({"name": "Racing dealer", "is_company": True, "credit_limit": 1000.0})
            # a service: confirming it creates no stock moves when stock is installed too,
            # so the committed data can be removed again whatever modules are present
            product = env["product.product"].create(
                {"name": "Racing crate", "type": "service", "list_price": 600.0, "taxes_id": [Command.clear()]}
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 600.0})
                        ],
                    }
                    for _index in range(2)
                ]
            )
            return partner.id, product.id, orders.ids

    def _cleanup(self, partner_id, product_id, order_ids):
        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            orders = env["sale.order"].browse(order_ids).exists()
            env["mail.activity"].search([("res_model", "=", "sale.order"), ("res_id", "in", order_ids)]).unlink()
            env["mail.message"].search([("model", "=", "sale.order"), ("res_id", "in", order_ids)]).unlink()
            orders.write({"state": "cancel"})
            orders.unlink()
            env["b2b.credit.history"].search([("partner_id", "=", partner_id)]).unlink()
            env["product.product"].browse(product_id).exists().product_tmpl_id.unlink()
            env["res.partner"].browse(partner_id).exists().unlink()

    def _wait_until_blocked_on_lock(self, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock' AND query ILIKE %s",
                    ["%res_partner%FOR UPDATE%"],
                )
                if cr.fetchone()[0]:
                    return True
            time.sleep(0.05)
        return False

    def test_two_connections_cannot_jointly_exceed_the_limit(self):
        partner_id, product_id, (order_a_id, order_b_id) = self._setup_committed_data()
        self.addCleanup(self._cleanup, partner_id, product_id, [order_a_id, order_b_id])

        a_confirmed = threading.Event()
        a_may_commit = threading.Event()
        b_snapshot_taken = threading.Event()
        errors = []
        b_attempts = []

        def confirm_a():
            try:
                with self.registry.cursor() as cr:
                    env = self._committed_env(cr)
                    env["sale.order"].browse(order_a_id).action_confirm()
                    env.flush_all()
                    a_confirmed.set()
                    a_may_commit.wait(30)
            except Exception as error:  # noqa: BLE001 - reported to the main thread
                errors.append(("A", error))
                a_confirmed.set()

        def confirm_b():
            try:
                with self.registry.cursor() as cr:
                    env = self._committed_env(cr)
                    order = env["sale.order"].browse(order_b_id)
                    order.read(["amount_total", "state"])  # B's snapshot predates A's commit
                    b_snapshot_taken.set()

                    def attempt():
                        b_attempts.append(time.monotonic())
                        return order.action_confirm()

                    retrying(attempt, env)  # what RPC and HTTP do on a serialization failure
            except Exception as error:  # noqa: BLE001 - reported to the main thread
                errors.append(("B", error))
                b_snapshot_taken.set()

        # The test runner holds the registry lock for the whole run (server.run); worker threads
        # of a real server never wait on it once the registry is loaded, so lift it here.
        lock_patcher = patch.object(Registry, "_lock", DummyRLock())
        lock_patcher.start()
        self.addCleanup(lock_patcher.stop)
        thread_a = threading.Thread(target=confirm_a)
        thread_b = threading.Thread(target=confirm_b)
        for thread in (thread_a, thread_b):
            thread.testing = True
        sql_logger_muted = mute_logger("odoo.sql_db")  # B's expected serialization failure
        sql_logger_muted.__enter__()
        self.addCleanup(sql_logger_muted.__exit__, None, None, None)
        thread_a.start()
        try:
            self.assertTrue(a_confirmed.wait(60), "A did not confirm in time")
            thread_b.start()
            self.assertTrue(b_snapshot_taken.wait(60), "B did not start in time")
            blocked = self._wait_until_blocked_on_lock()
        finally:
            a_may_commit.set()
            thread_a.join(60)
            if thread_b.is_alive() or thread_b.ident:
                thread_b.join(90)
        self.assertFalse(errors, errors)
        self.assertTrue(blocked, "B must wait for A's lock on the dealer row")
        self.assertGreaterEqual(len(b_attempts), 2, "B must be retried with a fresh snapshot after A commits")

        with self.registry.cursor() as cr:
            env = self._committed_env(cr)
            order_a, order_b = env["sale.order"].browse([order_a_id, order_b_id])
            self.assertEqual(order_a.state, "sale")
            self.assertIn(order_b.state, ("draft", "sent"))
            self.assertTrue(order_b.b2b_credit_hold)
            self.assertEqual(order_b.b2b_credit_hold_exposure, 600.0)
            exposure = env["res.partner"]._b2b_credit_exposure(env["res.partner"].browse(partner_id))[partner_id]
            self.assertLessEqual(exposure["exposure"], 1000.0)
