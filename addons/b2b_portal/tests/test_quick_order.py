import io
import time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import B2bPortalCase


@tagged("post_install", "-at_install")
class TestQuickOrder(B2bPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.QuickOrder = cls.env(user=cls.buyer_a)["b2b.quick.order"]
        cls.ctx = cls.buyer_a.with_user(cls.buyer_a)._b2b_portal_context()

    def test_parse_paste_tab_comma_and_header(self):
        rows = self.QuickOrder._parse_text("SKU\tQty\nB2B-OJ1\t12\nB2B-AJ1\t3\n\n")
        self.assertEqual(rows, [{"sku": "B2B-OJ1", "qty": "12"}, {"sku": "B2B-AJ1", "qty": "3"}])
        rows = self.QuickOrder._parse_text('商品编码,数量\r\nB2B-OJ1,"1,200"\r\n')
        self.assertEqual(rows, [{"sku": "B2B-OJ1", "qty": "1,200"}])
        self.assertEqual(self.QuickOrder._parse_qty("1,200"), 1200.0)
        self.assertEqual(self.QuickOrder._parse_qty("2,5"), 2.5)
        self.assertIsNone(self.QuickOrder._parse_qty("ten"))
        rows = self.QuickOrder._parse_text("B2B-OJ1;4\nB2B-AJ1;5")
        self.assertEqual(rows[1], {"sku": "B2B-AJ1", "qty": "5"})

    def test_parse_csv_bom_gbk_and_xlsx(self):
        csv_utf8 = "\ufeffsku,qty\nB2B-OJ1,2\n".encode()
        self.assertEqual(self.QuickOrder._parse_file("a.csv", csv_utf8), [{"sku": "B2B-OJ1", "qty": "2"}])
        csv_gbk = "编码,数量\nB2B-OJ1,7\n".encode("gbk")
        self.assertEqual(self.QuickOrder._parse_file("b.csv", csv_gbk), [{"sku": "B2B-OJ1", "qty": "7"}])
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["SKU", "Quantity"])
        sheet.append([10023.0, 4.0])  # numeric SKU as Excel stores it
        sheet.append(["B2B-AJ1", 2])
        buffer = io.BytesIO()
        workbook.save(buffer)
        rows = self.QuickOrder._parse_file("order.xlsx", buffer.getvalue())
        self.assertEqual(rows[0]["sku"], "10023")
        self.assertEqual(self.QuickOrder._parse_qty(rows[0]["qty"]), 4.0)
        self.assertEqual(rows[1]["sku"], "B2B-AJ1")
        with self.assertRaises(UserError):
            self.QuickOrder._parse_file("big.csv", b"x" * (5 * 1024 * 1024 + 1))
        with self.assertRaises(UserError):
            self.QuickOrder._parse_file("broken.xlsx", b"PK\x03\x04garbage")

    def test_validate_rows_messages(self):
        rows = [
            {"sku": "B2B-OJ1", "qty": "12"},  # ok
            {"sku": "NOPE-1", "qty": "1"},  # unknown
            {"sku": "B2B-OLD", "qty": "1"},  # archived
            {"sku": "B2B-RAW", "qty": "1"},  # not for sale
            {"sku": "B2B-AJ1", "qty": "abc"},  # not a number
            {"sku": "B2B-AJ1", "qty": "-2"},  # negative
            {"sku": "B2B-CH1", "qty": "8"},  # not a multiple of 6
            {"sku": "B2B-AJ1", "qty": "8"},  # more than the 5 in stock
            {"sku": "6901234500017", "qty": "1"},  # barcode
            {"sku": "B2B-OJ1", "qty": "100001"},  # above the bound
        ]
        results = self.QuickOrder._validate_rows(self.ctx, rows)
        status = [r["status"] for r in results]
        self.assertEqual(status, ["ok", "error", "error", "error", "error", "error", "error", "warning", "ok", "error"])
        self.assertIn("NOPE-1", results[1]["message"])
        self.assertIn("archived", results[2]["message"])
        self.assertIn("is sold by 6", results[6]["message"])
        self.assertIn("5", results[7]["message"])
        self.assertAlmostEqual(results[0]["price"], 8.0)
        self.assertEqual(results[8]["product_id"], self.orange.id)
        # when the company refuses to oversell, the shortage is an error
        self.company.b2b_portal_block_out_of_stock = True
        results = self.QuickOrder._validate_rows(self.ctx, [{"sku": "B2B-AJ1", "qty": "8"}])
        self.assertEqual(results[0]["status"], "error")
        # stock is checked on the total over rows of the same product
        self.company.b2b_portal_block_out_of_stock = False
        results = self.QuickOrder._validate_rows(
            self.ctx, [{"sku": "B2B-AJ1", "qty": "3"}, {"sku": "B2B-AJ1", "qty": "3"}]
        )
        self.assertEqual([r["status"] for r in results], ["warning", "warning"])

    def test_only_valid_rows_reach_the_cart(self):
        results = self.QuickOrder._add_rows_to_cart(
            self.ctx, [{"sku": "B2B-OJ1", "qty": "3"}, {"sku": "BAD", "qty": "1"}, {"sku": "B2B-OJ1", "qty": "2"}]
        )
        self.assertEqual([r["status"] for r in results], ["ok", "error", "ok"])
        cart = self.env["sale.order"]._b2b_portal_current_cart(self.ctx)
        self.assertEqual(cart.order_line.product_id, self.orange)
        self.assertEqual(cart.order_line.product_uom_qty, 5)
        self.assertEqual(cart.b2b_portal_dealer_id, self.dealer_a)
        self.assertAlmostEqual(cart.order_line.price_unit, 8.0)
        if "b2b_channel" in cart._fields:
            self.assertEqual(cart.b2b_channel, "portal")

    def test_validation_is_set_based_for_2000_rows(self):
        products = self.env["product.product"].create(
            [
                {"name": f"B2B Bulk SKU {i}", "default_code": f"B2B-BULK-{i:04d}", "is_storable": True}
                for i in range(200)
            ]
        )
        rows = [{"sku": products[i % 200].default_code, "qty": str(1 + i % 7)} for i in range(2000)]
        rows[10]["sku"] = "UNKNOWN"
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.QuickOrder._validate_rows(self.ctx, rows[:20])
        queries_for_20_rows = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        start = time.time()
        results = self.QuickOrder._validate_rows(self.ctx, rows)
        elapsed = time.time() - start
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(len(results), 2000)
        self.assertEqual(results[10]["status"], "error")
        self.assertEqual(sum(r["status"] != "error" for r in results), 1999)
        self.assertLessEqual(queries, queries_for_20_rows + 5, "validation must not query per row")
        # a rough guard only (figures are measured by the bench script)
        self.assertLess(elapsed, 30)
