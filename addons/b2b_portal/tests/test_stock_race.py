import psycopg2

from odoo import sql_db
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import B2bPortalCase


@tagged("post_install", "-at_install")
class TestStockRace(B2bPortalCase):
    """Dealers competing for the last units with "Refuse Portal Orders Beyond Stock"."""

    def cart_with(self, user, quantities):
        ctx = self.ctx_of(user)
        cart = self.env(user=user)["sale.order"]._b2b_portal_new_cart(ctx)
        cart._b2b_portal_add_products(ctx, {p.id: q for p, q in quantities.items()})
        return cart, ctx

    def test_block_refuses_what_another_order_reserved(self):
        self.company.b2b_portal_block_out_of_stock = True
        cart_a, ctx_a = self.cart_with(self.buyer_a, {self.apple: 4})  # 5 in stock
        cart_b, ctx_b = self.cart_with(self.buyer_b, {self.apple: 3})
        first = cart_a._b2b_portal_submit(ctx_a, "race-a", {})
        self.assertEqual(first.b2b_portal_state, "confirmed")
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            cart_b._b2b_portal_submit(ctx_b, "race-b", {})
        self.assertEqual(cart_b.b2b_portal_state, "cart")
        cart_b._b2b_portal_add_products(ctx_b, {self.apple.id: 1}, replace=True)
        self.assertEqual(cart_b._b2b_portal_submit(ctx_b, "race-b2", {}).b2b_portal_state, "confirmed")
        sold = sum(
            self.env["sale.order.line"]
            .search([("product_id", "=", self.apple.id), ("state", "=", "sale")])
            .mapped("product_uom_qty")
        )
        self.assertEqual(sold, 5)

    def test_without_block_the_shortage_goes_to_review(self):
        cart_a, ctx_a = self.cart_with(self.buyer_a, {self.apple: 4})
        cart_b, ctx_b = self.cart_with(self.buyer_b, {self.apple: 3})
        cart_a._b2b_portal_submit(ctx_a, "race-a", {})
        self.assertEqual(cart_b._b2b_portal_submit(ctx_b, "race-b", {}).b2b_portal_state, "review")

    def test_submit_holds_the_quants_until_commit(self):
        """A concurrent submission cannot read the free quantity before this one commits."""
        quant = self.env["stock.quant"].search(
            [
                ("location_id.usage", "=", "internal"),
                ("location_id.warehouse_id", "=", self.warehouse.id),
                ("product_id.sale_ok", "=", True),
                ("product_id", "not in", (self.orange | self.apple | self.tmpl_shirt.product_variant_ids).ids),
                ("quantity", ">", 2),
            ],
            order="id",
            limit=1,
        )
        if not quant:
            self.skipTest("needs a committed stock quant (demo data)")
        self.company.b2b_portal_block_out_of_stock = True
        self.dealer_a.b2b_approval_amount = 0.01  # the buyer's order waits for approval: nothing reserved
        cart, ctx = self.cart_with(self.buyer_a, {quant.product_id: 1})
        self.assertEqual(cart._b2b_portal_submit(ctx, "race-lock", {}).b2b_portal_state, "to_approve")
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SET lock_timeout = '200ms'")
            with self.assertRaises(psycopg2.errors.LockNotAvailable), mute_logger("odoo.sql_db"):
                other.execute("SELECT id FROM stock_quant WHERE id = %s FOR UPDATE NOWAIT", [quant.id])
            other.rollback()
