import csv
import io
import logging
import re

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from .sale_order import MAX_PORTAL_QTY

_logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 5000
HEADER_WORDS = {
    "sku", "code", "ref", "reference", "internal reference", "barcode", "product", "item",
    "qty", "quantity", "amount", "数量", "编码", "商品编码", "货号", "条码", "物料编码", "订货数量",
}  # fmt: skip


class B2bQuickOrder(models.AbstractModel):
    """Quick order by SKU: parse typed, pasted or uploaded rows and validate them in bulk.

    Used by the quick-order page, the reorder buttons and the tests, so every door
    applies the same rules. Validation is set-based: one product search, one stock read,
    one price call, whatever the number of rows.
    """

    _name = "b2b.quick.order"
    _description = "Dealer Quick Order"

    # ------------------------------------------------------------------ parsing

    @api.model
    def _parse_text(self, text):
        """Rows [{"sku", "qty"}] from pasted text: tab, comma or semicolon separated."""
        text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
        lines = [line for line in text.split("\n") if line.strip()]
        if not lines:
            return []
        sample = lines[0]
        delimiter = "\t" if "\t" in sample else (";" if ";" in sample and "," not in sample else ",")
        reader = csv.reader(lines, delimiter=delimiter)
        return self._rows_from_table(list(reader))

    @api.model
    def _parse_file(self, filename, content):
        """Rows from an uploaded CSV or XLSX file (bytes)."""
        if not content:
            raise UserError(_("The file is empty."))
        if len(content) > MAX_FILE_SIZE:
            raise UserError(_("The file is too large (at most %s MB).", MAX_FILE_SIZE // (1024 * 1024)))
        name = (filename or "").lower()
        if name.endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
            return self._rows_from_table(self._read_xlsx(content))
        if name.endswith(".xls"):
            raise UserError(_("Old .xls files are not supported: save the file as .xlsx or .csv."))
        return self._parse_text(self._decode(content))

    @api.model
    def _decode(self, content):
        if content.startswith(b"\xef\xbb\xbf"):
            return content[3:].decode("utf-8", errors="replace")
        for encoding in ("utf-8", "gb18030"):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                continue
        return content.decode("latin-1")

    @api.model
    def _read_xlsx(self, content):
        try:
            import openpyxl
        except ImportError:
            raise UserError(_("Excel files cannot be read on this server; please upload a CSV file.")) from None
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any parse failure is the user's file
            _logger.info("Unreadable quick order workbook: %s", exc)
            raise UserError(_("This file is not a readable Excel workbook.")) from None
        try:
            sheet = workbook.worksheets[0]
            table = []
            for row in sheet.iter_rows(values_only=True):
                table.append(["" if cell is None else cell for cell in row[:10]])
                if len(table) > MAX_ROWS + 1:
                    break
            return table
        finally:
            workbook.close()

    @api.model
    def _cell_text(self, cell):
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))  # Excel stores SKUs such as 10023 as 10023.0
        return str(cell).strip().strip("\ufeff").strip()

    @api.model
    def _rows_from_table(self, table):
        rows = []
        for index, raw_cells in enumerate(table):
            cells = [self._cell_text(cell) for cell in raw_cells]
            while cells and not cells[-1]:
                cells.pop()
            if not any(cells):
                continue
            if index == 0 and self._is_header(cells):
                continue
            rows.append({"sku": cells[0] if cells else "", "qty": cells[1] if len(cells) > 1 else ""})
            if len(rows) > MAX_ROWS:
                raise UserError(_("Too many rows: at most %s per upload.", MAX_ROWS))
        return rows

    @api.model
    def _is_header(self, cells):
        words = {cell.lower() for cell in cells}
        if words & HEADER_WORDS:
            return True
        return len(cells) > 1 and self._parse_qty(cells[1]) is None and not re.search(r"\d", cells[1])

    @api.model
    def _parse_qty(self, raw):
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        text = str(raw or "").strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
            text = text.replace(",", "")
        elif re.fullmatch(r"\d+,\d+", text):
            text = text.replace(",", ".")
        try:
            return float(text)
        except ValueError:
            return None

    # ------------------------------------------------------------------ validation

    @api.model
    def _validate_rows(self, ctx, rows):
        """Validate rows [{"sku", "qty"} or {"product_id", "qty"}] for the dealer.

        Returns one result per row: {"index", "sku", "qty", "status" ("ok", "warning",
        "error"), "message", "product_id", "name", "price", "stock"}. Set-based.
        """
        Product = self.env["product.product"].sudo().with_context(active_test=False, lang=ctx["lang"])
        skus = {str(row.get("sku") or "").strip() for row in rows} - {""}
        product_ids = set()
        for row in rows:
            try:
                product_ids.add(int(row.get("product_id") or 0))
            except (TypeError, ValueError):
                continue
        product_ids.discard(0)
        domain = []
        if skus:
            domain = ["|", ("default_code", "in", list(skus)), ("barcode", "in", list(skus))]
        if product_ids:
            domain = ["|", *domain, ("id", "in", list(product_ids))] if domain else [("id", "in", list(product_ids))]
        products = Product.search(domain) if domain else Product
        products.fetch(
            ["default_code", "barcode", "active", "sale_ok", "display_name", "product_tmpl_id", "uom_id", "company_id"]
        )
        by_code, by_barcode = {}, {}
        for product in products:
            if product.default_code:
                # an active product wins over an archived one with the same code
                if product.default_code not in by_code or product.active:
                    by_code[product.default_code] = product
            if product.barcode:
                by_barcode[product.barcode] = product
        by_id = {p.id: p for p in products}
        orderable = products.filtered(
            lambda p: p.active and p.sale_ok and p.company_id.id in (False, ctx["company"].id)
        )
        Catalogue = self.env["b2b.portal.catalogue"]
        prices = Catalogue._b2b_portal_prices(ctx, orderable)
        stock = Catalogue._b2b_portal_stock(ctx, orderable)
        block_stock = ctx["company"].b2b_portal_block_out_of_stock

        ok_message = _("OK")
        results = []
        wanted = {}
        to_check = []
        for index, row in enumerate(rows):
            sku = str(row.get("sku") or "").strip()
            qty = self._parse_qty(row.get("qty"))
            product = None
            try:
                product = by_id.get(int(row.get("product_id") or 0))
            except (TypeError, ValueError):
                product = None
            product = product or by_code.get(sku) or by_barcode.get(sku)
            result = {
                "index": index,
                "sku": sku or (product.default_code if product else "") or "",
                "qty": qty if qty is not None else row.get("qty"),
                "status": "error",
                "message": "",
                "product_id": False,
                "name": "",
                "price": 0.0,
                "stock": {},
            }
            results.append(result)
            if product is None:
                result["message"] = _("Enter a SKU.") if not sku else _("Unknown SKU “%s”.", sku)
                continue
            result.update(product_id=product.id, name=product.display_name)
            if not product.active:
                result["message"] = _("This product is no longer sold (archived).")
                continue
            if not product.sale_ok or product not in orderable:
                result["message"] = _("This product cannot be ordered.")
                continue
            if qty is None:
                result["message"] = _("The quantity “%s” is not a number.", row.get("qty") or "")
                continue
            if qty <= 0:
                result["message"] = _("The quantity must be above 0.")
                continue
            if qty > MAX_PORTAL_QTY:
                result["message"] = _("The quantity must be at most %s.", MAX_PORTAL_QTY)
                continue
            rounding = product.uom_id.rounding
            if float_compare(float_round(qty, precision_rounding=rounding), qty, precision_rounding=rounding / 10) != 0:
                result["message"] = _("The quantity is finer than the unit %s allows.", product.uom_id.name)
                continue
            to_check.append((result, product, qty))
        # Quantity rules (minimum, case pack, maximum): b2b_pricing's rule, one call for all rows.
        checks = self.env["b2b.quantity.rule"].b2b_check_quantities(
            [(product, qty) for _result, product, qty in to_check], partner=ctx["dealer"]
        )
        for (result, product, qty), check in zip(to_check, checks, strict=True):
            if not check["ok"]:
                result["message"] = check["message"]
                continue
            result["price"] = prices.get(product.id, {}).get("price", 0.0)
            result["stock"] = stock.get(product.id, {})
            result["status"] = "ok"
            result["message"] = ok_message
            wanted[product.id] = wanted.get(product.id, 0.0) + qty
        # Stock is checked on the total asked per product over all rows.
        for result in results:
            if result["status"] != "ok":
                continue
            info = result["stock"]
            if info.get("qty") is None:
                continue
            if float_compare(wanted[result["product_id"]], info["qty"], precision_digits=3) > 0:
                available = max(info["qty"], 0.0)
                if block_stock:
                    result["status"] = "error"
                    result["message"] = _("Only %s available.", format(available, "g"))
                else:
                    result["status"] = "warning"
                    result["message"] = _("Only %s in stock: the rest will be backordered.", format(available, "g"))
        return results

    @api.model
    def _valid_quantities(self, results):
        """{product_id: qty} summed over rows that may go to the cart."""
        quantities = {}
        for result in results:
            if result["status"] in ("ok", "warning"):
                quantities[result["product_id"]] = quantities.get(result["product_id"], 0.0) + result["qty"]
        return quantities

    @api.model
    def _add_rows_to_cart(self, ctx, rows, cart=None):
        """Validate rows and add the valid ones to the cart; return the per-row results."""
        results = self._validate_rows(ctx, rows)
        quantities = self._valid_quantities(results)
        if quantities:
            cart = cart or self.env["sale.order"]._b2b_portal_current_cart(ctx, create=True)
            cart._b2b_portal_add_products(ctx, quantities)
        return results
