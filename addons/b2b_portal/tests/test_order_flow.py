import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import B2bPortalCase


@tagged("post_install", "-at_install")
class TestOrderFlow(B2bPortalCase):
    def setUp(self):
        super().setUp()
        self.SaleOrder = self.env(user=self.buyer_a)["sale.order"]
        self.ctx = self.ctx_of(self.buyer_a)

    def cart_with(self, quantities, user=None):
        user = user or self.buyer_a
        ctx = self.ctx_of(user)
        cart = self.env(user=user)["sale.order"]._b2b_portal_new_cart(ctx)
        cart._b2b_portal_add_products(ctx, {p.id: q for p, q in quantities.items()})
        return cart

    # ---- carts and lists

    def test_several_named_carts_and_switching(self):
        first = self.SaleOrder._b2b_portal_new_cart(self.ctx, "Weekly")
        second = self.SaleOrder._b2b_portal_new_cart(self.ctx, "Promo")
        self.assertEqual(self.SaleOrder._b2b_portal_current_cart(self.ctx), second)
        first._b2b_portal_make_current(self.ctx)
        # "another device": the current cart is stored server side on the user
        self.assertEqual(self.buyer_a.b2b_portal_cart_id, first)
        self.assertEqual(self.SaleOrder._b2b_portal_current_cart(self.ctx_of(self.buyer_a)), first)
        self.assertEqual(
            set(self.SaleOrder._b2b_portal_carts(self.ctx).mapped("b2b_portal_cart_name")), {"Weekly", "Promo"}
        )
        self.assertEqual(first.state, "draft")
        self.assertEqual(first.b2b_portal_state, "cart")
        # the other dealer sees none of them
        self.assertFalse(self.SaleOrder._b2b_portal_carts(self.ctx_of(self.buyer_b)) & (first | second))
        with self.assertRaises(AccessError):
            self.SaleOrder._b2b_portal_get(self.ctx_of(self.buyer_b), first.id)

    def test_add_merges_lines_and_bounds_quantities(self):
        cart = self.cart_with({self.orange: 2})
        cart._b2b_portal_add_products(self.ctx, {self.orange.id: 3, self.apple.id: 1})
        self.assertEqual(len(cart.order_line), 2)
        self.assertEqual(cart.order_line.filtered(lambda line: line.product_id == self.orange).product_uom_qty, 5)
        for bad in (0, -1, 100001, "x"):
            with self.assertRaises(UserError):
                cart._b2b_portal_add_products(self.ctx, {self.orange.id: bad})
        with self.assertRaises(UserError):
            cart._b2b_portal_add_products(self.ctx, {self.tmpl_not_sold.product_variant_id.id: 1})
        viewer_ctx = self.ctx_of(self.viewer_a)
        with self.assertRaises(AccessError):
            self.env(user=self.viewer_a)["sale.order"]._b2b_portal_new_cart(viewer_ctx)

    def test_order_list_is_not_emptied_by_use(self):
        OrderList = self.env(user=self.buyer_a)["b2b.order.list"]
        order_list = OrderList._b2b_portal_create(self.ctx, "Monday", {self.orange.id: 6, self.apple.id: 2})
        QuickOrder = self.env(user=self.buyer_a)["b2b.quick.order"]
        QuickOrder._add_rows_to_cart(self.ctx, order_list._b2b_portal_reorder_rows())
        QuickOrder._add_rows_to_cart(self.ctx, order_list._b2b_portal_reorder_rows())
        cart = self.SaleOrder._b2b_portal_current_cart(self.ctx)
        self.assertEqual(cart.order_line.filtered(lambda line: line.product_id == self.orange).product_uom_qty, 12)
        self.assertEqual(len(order_list.line_ids), 2)
        self.assertEqual(order_list.line_ids.filtered(lambda line: line.product_id == self.orange).quantity, 6)
        with self.assertRaises(AccessError):
            OrderList._b2b_portal_get(self.ctx_of(self.buyer_b), order_list.id)

    def test_reorder_past_order_keeps_invalid_rows_out(self):
        past = self._confirmed_sale(self.buyer_a.partner_id, {self.orange: 3, self.apple: 1})
        self.apple.product_tmpl_id.active = False
        rows = past._b2b_portal_reorder_rows()
        results = self.env(user=self.buyer_a)["b2b.quick.order"]._add_rows_to_cart(self.ctx, rows)
        self.assertEqual(sorted(r["status"] for r in results), ["error", "ok"])
        cart = self.SaleOrder._b2b_portal_current_cart(self.ctx)
        self.assertEqual(cart.order_line.product_id, self.orange)

    # ---- submit, idempotency, approval

    def test_submit_twice_with_same_key_creates_one_order(self):
        cart = self.cart_with({self.orange: 2})
        order = cart._b2b_portal_submit(
            self.ctx, "key-1", {"partner_shipping_id": self.delivery_a.id, "client_order_ref": "PO-77"}
        )
        self.assertEqual(order, cart)
        self.assertEqual(order.b2b_portal_state, "confirmed")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.client_order_ref, "PO-77")
        self.assertEqual(order.partner_shipping_id, self.delivery_a)
        # a retry of the same submission, even from another cart, returns the same order
        other = self.cart_with({self.apple: 1})
        again = other._b2b_portal_submit(self.ctx, "key-1", {})
        self.assertEqual(again, order)
        self.assertEqual(other.b2b_portal_state, "cart")
        # a reload with a new key on an already submitted order does not resubmit
        self.assertEqual(cart._b2b_portal_submit(self.ctx, "key-2", {}), order)
        count = self.env["sale.order"].search_count(
            [("b2b_portal_dealer_id", "=", self.dealer_a.id), ("b2b_portal_state", "!=", "cart")]
        )
        self.assertEqual(count, 1)
        with self.assertRaises(UserError):
            self.cart_with({self.orange: 1})._b2b_portal_submit(self.ctx, "", {})

    def test_idempotency_key_is_unique_per_dealer_in_the_database(self):
        """Two concurrent submissions of different carts with one key cannot both commit."""
        first, second = self.cart_with({self.orange: 1}), self.cart_with({self.orange: 1})
        first.b2b_portal_idempotency_key = "same-key"
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            second.b2b_portal_idempotency_key = "same-key"
            second.flush_recordset()
        other = self.cart_with({self.orange: 1}, user=self.buyer_b)
        other.b2b_portal_idempotency_key = "same-key"
        other.flush_recordset()

    def test_messages_are_translated(self):
        """zh_CN ships with the module: the buyer reads errors in Chinese."""
        empty = self.SaleOrder._b2b_portal_new_cart(self.ctx)
        with self.assertRaisesRegex(UserError, "购物车是空的"):
            empty.with_context(lang="zh_CN")._b2b_portal_submit(self.ctx, "k-zh", {})

    def test_checkout_values_are_checked(self):
        cart = self.cart_with({self.orange: 1})
        with self.assertRaises(AccessError):
            cart._b2b_portal_submit(self.ctx, "k-addr", {"partner_shipping_id": self.delivery_b.id})
        with self.assertRaises(UserError):
            cart._b2b_portal_submit(self.ctx, "k-date", {"commitment_date": "2001-01-01"})
        with self.assertRaises(UserError):
            self.SaleOrder._b2b_portal_new_cart(self.ctx)._b2b_portal_submit(self.ctx, "k-empty", {})

    def test_prices_are_recomputed_on_submit(self):
        cart = self.cart_with({self.orange: 2})
        cart.order_line.price_unit = 0.01  # whatever a cart line may hold
        order = cart._b2b_portal_submit(self.ctx, "k-price", {})
        self.assertAlmostEqual(order.order_line.price_unit, 8.0)

    def test_approval_by_amount_then_approve_with_mail(self):
        self.dealer_a.b2b_approval_amount = 50.0
        cart = self.cart_with({self.orange: 10})  # 80 + tax
        order = cart._b2b_portal_submit(self.ctx, "k-appr", {})
        self.assertEqual(order.b2b_portal_state, "to_approve")
        self.assertIn("above", order.b2b_portal_approval_reasons)
        self.assertEqual(order.state, "draft")
        request_msg = order.message_ids.filtered(lambda m: self.approver_a.partner_id in m.partner_ids)
        self.assertTrue(request_msg, "approvers are notified")
        with self.assertRaises(AccessError):
            order._b2b_portal_approve(self.ctx)  # a buyer cannot approve
        with self.assertRaises(AccessError):
            self.env(user=self.approver_a)["sale.order"]._b2b_portal_get(
                self.ctx_of(self.users_b["approver"]), order.id
            )
        order._b2b_portal_approve(self.ctx_of(self.approver_a))
        self.assertEqual(order.b2b_portal_state, "confirmed")
        self.assertEqual(order.b2b_portal_approver_id, self.approver_a)
        self.assertTrue(order.message_ids.filtered(lambda m: self.buyer_a.partner_id in m.partner_ids))
        with self.assertRaises(UserError):
            order._b2b_portal_approve(self.ctx_of(self.approver_a))

    def test_approval_rules_category_new_product_and_reject(self):
        self.dealer_a.b2b_approval_category_ids = self.categ_juice
        order = self.cart_with({self.orange: 1})._b2b_portal_submit(self.ctx, "k-cat", {})
        self.assertEqual(order.b2b_portal_state, "to_approve")
        order._b2b_portal_reject(self.ctx_of(self.approver_a), "Too early")
        self.assertEqual(order.b2b_portal_state, "rejected")
        self.assertEqual(order.state, "cancel")
        self.dealer_a.b2b_approval_category_ids = False
        self.dealer_a.b2b_approval_new_products = True
        self._confirmed_sale(self.buyer_a.partner_id, {self.apple: 1})
        known = self.cart_with({self.apple: 1})._b2b_portal_submit(self.ctx, "k-known", {})
        self.assertNotEqual(known.b2b_portal_state, "to_approve")
        new = self.cart_with({self.orange: 1})._b2b_portal_submit(self.ctx, "k-new", {})
        self.assertEqual(new.b2b_portal_state, "to_approve")
        self.assertIn("never ordered", new.b2b_portal_approval_reasons)
        # an approver's own order passes the rules it could approve itself
        own = self.cart_with({self.orange: 1}, user=self.approver_a)._b2b_portal_submit(
            self.ctx_of(self.approver_a), "k-own", {}
        )
        self.assertEqual(own.b2b_portal_state, "confirmed")

    # ---- supplier side

    def test_supplier_review_on_credit_stock_and_prepayment(self):
        self.dealer_a.credit_limit = 5.0
        order = self.cart_with({self.orange: 1})._b2b_portal_submit(self.ctx, "k-credit", {})
        self.assertEqual(order.b2b_portal_state, "review")
        self.assertIn("credit", order.b2b_portal_review_reasons)
        self.assertTrue(order.activity_ids)
        credit = order._b2b_portal_credit_check()[order.id]
        self.assertFalse(credit["allowed"])
        self.assertEqual(credit["limit"], 5.0)
        self.dealer_a.credit_limit = 1000000.0
        order.action_b2b_portal_recheck()
        self.assertEqual(order.b2b_portal_state, "confirmed")

        short = self.cart_with({self.apple: 8})._b2b_portal_submit(self.ctx, "k-stock", {})
        self.assertEqual(short.b2b_portal_state, "review")
        self.assertIn("stock", short.b2b_portal_review_reasons)

        prepaid = self.cart_with({self.orange: 1})._b2b_portal_submit(self.ctx, "k-pre", {"payment_mode": "prepayment"})
        self.assertEqual(prepaid.b2b_portal_state, "review")
        prepaid.action_confirm()  # the salesperson confirms once paid
        self.assertEqual(prepaid.b2b_portal_state, "confirmed")

    def test_timeline(self):
        order = self.cart_with({self.orange: 1})._b2b_portal_submit(self.ctx, "k-tl", {})
        steps = {step["name"]: step for step in order._b2b_portal_timeline()}
        self.assertTrue(steps["Submitted"]["done"])
        self.assertTrue(steps["Confirmed"]["done"])
        self.assertFalse(steps["Shipped"]["done"])
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.button_validate()
        steps = {step["name"]: step for step in order._b2b_portal_timeline()}
        self.assertTrue(steps["Shipped"]["done"])

    def test_order_list_record_rules_for_rpc(self):
        mine = self.env["b2b.order.list"].create({"name": "A list", "dealer_id": self.dealer_a.id})
        theirs = self.env["b2b.order.list"].create(
            {
                "name": "B list",
                "dealer_id": self.dealer_b.id,
                "line_ids": [Command.create({"product_id": self.orange.id})],
            }
        )
        as_buyer = self.env(user=self.buyer_a)["b2b.order.list"]
        self.assertEqual(as_buyer.search([("name", "in", ["A list", "B list"])]), mine)
        self.assertFalse(self.env(user=self.buyer_a)["b2b.order.list.line"].search([("list_id", "=", theirs.id)]))
        with self.assertRaises(AccessError):
            theirs.with_user(self.buyer_a).name = "hacked"
        with self.assertRaises(AccessError):
            as_buyer.create({"name": "Sneaky", "dealer_id": self.dealer_b.id})
        # products: saleable ones are readable (catalogue images), others are not
        Product = self.env(user=self.buyer_a)["product.product"]
        self.assertEqual(
            Product.search([("id", "in", (self.orange | self.tmpl_not_sold.product_variant_id).ids)]), self.orange
        )
        with self.assertRaises(AccessError):
            self.orange.with_user(self.buyer_a).name = "hacked"
