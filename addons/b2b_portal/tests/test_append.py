from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import B2bPortalCase


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
