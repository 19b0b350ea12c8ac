from collections import defaultdict
from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools.forecast import forecast

HISTORY_MONTHS = 36
FORECAST_MONTHS = 3
TOP_PRODUCTS = 50


class B2bReportForecast(models.Model):
    """Monthly sales history and forecast by product category and by top product.

    Rebuilt by ``_refresh_forecast`` (cron ``b2b_reports.ir_cron_refresh_reports``) from the sales
    analysis: complete months of history (the current month is still open, so it is forecast),
    then ``FORECAST_MONTHS`` forecast months per series with ``tools.forecast`` (Holt-Winters
    with two years of history, Holt's trend otherwise). A series is one company, one category
    (or one of the company's ``TOP_PRODUCTS`` best-selling products of the last 12 months) and
    one dealer salesperson, so the salesperson filter and the own-dealers rule apply; their sums
    are the forecast of the totals (the method is linear).
    """

    _name = "b2b.report.forecast"
    _description = "Sales Trend and Forecast"
    _order = "date, id"
    _rec_name = "date"

    date = fields.Date("Month", required=True, index=True)
    kind = fields.Selection([("actual", "Actual"), ("forecast", "Forecast")], required=True, index=True)
    level = fields.Selection([("category", "Category"), ("product", "Product")], required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    categ_id = fields.Many2one("product.category", "Product Category", index=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", index=True, ondelete="cascade")
    dealer_user_id = fields.Many2one("res.users", "Dealer's Salesperson", index=True, ondelete="cascade")
    qty = fields.Float("Quantity", readonly=True)
    amount = fields.Monetary("Untaxed Amount", readonly=True)

    @api.model
    def _refresh_forecast(self, today=None, periods=FORECAST_MONTHS):
        """Replace every row by the history up to last month and the next ``periods`` months."""
        today = today or fields.Date.context_today(self)
        current = today.replace(day=1)
        start = current - relativedelta(months=HISTORY_MONTHS)
        Sales = self.env["b2b.report.sales"].sudo()
        self.env.flush_all()
        domain = [
            ("date", ">=", fields.Datetime.to_datetime(start)),
            ("date", "<", fields.Datetime.to_datetime(current)),
        ]
        by_category = Sales._read_group(
            domain, ["company_id", "categ_id", "dealer_user_id", "date:month"], ["qty:sum", "amount:sum"]
        )
        year_ago = fields.Datetime.to_datetime(current - relativedelta(months=12))
        top = {}
        ranking = Sales._read_group(
            [("date", ">=", year_ago)], ["company_id", "product_id"], ["amount:sum"], order="amount:sum desc"
        )
        for company, product, _amount in ranking:
            products = top.setdefault(company.id, set())
            if len(products) < TOP_PRODUCTS:
                products.add(product.id)
        by_product = Sales._read_group(
            [*domain, ("product_id", "in", sorted(set().union(*top.values())))],
            ["company_id", "product_id", "dealer_user_id", "date:month"],
            ["qty:sum", "amount:sum"],
        )
        self.sudo().search([]).unlink()
        rows = []
        for level, groups in (("category", by_category), ("product", by_product)):
            rows += self._forecast_rows(level, groups, current, periods)
        return self.sudo().create(rows)

    @api.model
    def _forecast_rows(self, level, groups, current, periods):
        """Actual and forecast rows for the series in ``groups`` (read_group results)."""
        series = defaultdict(dict)
        first_month = {}
        for company, item, user, group_month, qty, amount in groups:
            month = group_month.date() if isinstance(group_month, datetime) else group_month
            series[(company.id, item.id, user.id)][month] = (qty, amount)
            first_month[company.id] = min(month, first_month.get(company.id, month))
        field = "categ_id" if level == "category" else "product_id"
        rows = []
        for (company_id, item_id, user_id), months in series.items():
            # every series of a company covers the same months (zeros where nothing sold)
            history = []
            month = first_month[company_id]
            while month < current:
                history.append(months.get(month, (0.0, 0.0)))
                month += relativedelta(months=1)
            values = {"level": level, "company_id": company_id, field: item_id, "dealer_user_id": user_id or False}
            for (qty, amount), month in zip(history, self._months(current, -len(history)), strict=True):
                if qty or amount:
                    rows.append({**values, "kind": "actual", "date": month, "qty": qty, "amount": amount})
            qty_forecast = forecast([qty for qty, _amount in history], periods)
            amount_forecast = forecast([amount for _qty, amount in history], periods)
            for qty, amount, month in zip(qty_forecast, amount_forecast, self._months(current, periods), strict=True):
                rows.append(
                    {**values, "kind": "forecast", "date": month, "qty": max(qty, 0.0), "amount": max(amount, 0.0)}
                )
        return rows

    @staticmethod
    def _months(current, count):
        """``count`` months from ``current`` on (negative: the ``-count`` months before it)."""
        if count < 0:
            return [current + relativedelta(months=offset) for offset in range(count, 0)]
        return [current + relativedelta(months=offset) for offset in range(count)]
