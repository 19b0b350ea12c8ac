from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .b2b_kpi_report_mixin import ONLINE_CHANNELS

# Start of an order's processing: the portal submission, else its creation (API, back office).
PROCESS_START = SQL("COALESCE(so.b2b_portal_submitted_date, so.create_date)")
TREND_MONTHS = 12
# Closed months the monthly cron recomputes (late deliveries, payments, credit notes).
SNAPSHOT_REFRESH_MONTHS = 3


def month_start(day):
    return day.replace(day=1)


class B2bKpi(models.AbstractModel):
    """The dealer-ordering KPIs, computed in one place for the dashboard, the monthly
    scorecard, the portal and the tests."""

    _name = "b2b.kpi"
    _description = "Dealer Ordering KPIs"

    # ------------------------------------------------------------------ the figures

    @api.model
    def _b2b_kpi_values(self, date_from, date_to, company=None, salesperson=None, monthly=False):
        """KPIs of ``company`` for the days ``date_from`` .. ``date_to`` (inclusive, UTC days),
        with a fixed number of set-based queries whatever the volume.

        ``salesperson``: only the dealers whose salesperson it is. ``monthly``: a dict
        ``{first day of month: values}`` for each month of the period instead of one dict.
        Values (None when there is nothing to measure):

        - ``order_count``, ``online_order_count``, ``online_rate``: confirmed orders (cancelled
          ones are not orders), those placed on the portal or through the API, their share in %;
        - ``processing_minutes``: average minutes from submission to approval (confirmation)
          of the online orders confirmed in the period; ``processed_count`` their number;
        - ``portal_dealer_count`` (dealers with an active portal user of the company), ``active_dealer_count``
          (those of them with a confirmed portal order in the period), ``activation_rate`` in %;
        - ``collection_due``, ``collection_collected``, ``collection_rate`` in %: b2b_credit's
          collection rate (回款率) over the dealers with amounts due in the period;
        - ``delivered_count``, ``on_time_count``, ``on_time_rate`` in %, ``exception_count``:
          shipments delivered (exceptions: created) in the period, see ``b2b.report.delivery``.
        """
        company = company or self.env.company
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        if not date_from or not date_to or date_from > date_to:
            raise UserError(_("The period of the KPIs needs a start date on or before its end date."))
        if monthly:
            months = []
            cursor = month_start(date_from)
            while cursor <= date_to:
                months.append(cursor)
                cursor += relativedelta(months=1)
        else:
            months = [date_from]
        result = {month: self._b2b_kpi_empty() for month in months}

        def bucket(column):
            return SQL("date_trunc('month', %s)::date", column) if monthly else SQL("%s::date", date_from)

        def key(row_month):
            return row_month if monthly else date_from

        start = datetime.combine(date_from, time.min)
        end = datetime.combine(date_to + timedelta(days=1), time.min)
        dealer_filter = SQL("AND cp.user_id = %s", salesperson.id) if salesperson else SQL()
        self.env.flush_all()
        cr = self.env.cr

        # orders: online rate and processing time
        cr.execute(
            SQL(
                """
                SELECT %(bucket)s,
                       COUNT(*),
                       COUNT(*) FILTER (WHERE so.b2b_channel IN %(online)s),
                       AVG(GREATEST(EXTRACT(EPOCH FROM so.date_order - %(start_expr)s) / 60.0, 0))
                           FILTER (WHERE so.b2b_channel IN %(online)s),
                       COUNT(*) FILTER (WHERE so.b2b_channel IN %(online)s)
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                  JOIN res_partner cp ON cp.id = p.commercial_partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                   AND so.date_order >= %(start)s AND so.date_order < %(end)s
                   %(dealer_filter)s
              GROUP BY 1
                """,
                bucket=bucket(SQL("so.date_order")),
                online=ONLINE_CHANNELS,
                start_expr=PROCESS_START,
                company=company.id,
                start=start,
                end=end,
                dealer_filter=dealer_filter,
            )
        )
        for month, orders, online, minutes, processed in cr.fetchall():
            values = result[key(month)]
            values.update(
                order_count=orders,
                online_order_count=online,
                online_rate=100.0 * online / orders if orders else None,
                processing_minutes=float(minutes) if minutes is not None else None,
                processed_count=processed,
            )

        # dealer activation: portal dealers with a confirmed portal order
        cr.execute(
            SQL(
                """
                WITH portal_dealers AS (
                    SELECT DISTINCT cp.id
                      FROM res_users u
                      JOIN res_partner p ON p.id = u.partner_id
                      JOIN res_partner cp ON cp.id = p.commercial_partner_id
                     WHERE u.active AND u.share AND cp.active
                       AND EXISTS (SELECT 1 FROM res_company_users_rel cu
                                    WHERE cu.user_id = u.id AND cu.cid = %(company)s)
                       %(dealer_filter)s
                )
                SELECT TRUE, NULL, COUNT(*) FROM portal_dealers
                 UNION ALL
                SELECT FALSE, %(bucket)s, COUNT(DISTINCT p.commercial_partner_id)
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s AND so.b2b_channel = 'portal'
                   AND so.date_order >= %(start)s AND so.date_order < %(end)s
                   AND p.commercial_partner_id IN (SELECT id FROM portal_dealers)
              GROUP BY 2
                """,
                bucket=bucket(SQL("so.date_order")),
                company=company.id,
                start=start,
                end=end,
                dealer_filter=dealer_filter,
            )
        )
        rows = cr.fetchall()
        portal_dealers = next(count for is_total, _month, count in rows if is_total)
        for values in result.values():
            values.update(portal_dealer_count=portal_dealers, active_dealer_count=0)
            values["activation_rate"] = 0.0 if portal_dealers else None
        for _is_total, month, active in (row for row in rows if not row[0]):
            values = result[key(month)]
            values["active_dealer_count"] = active
            values["activation_rate"] = 100.0 * active / portal_dealers if portal_dealers else None

        # deliveries: on time and exceptions (the delivery report's definitions)
        cr.execute(
            SQL(
                """
                SELECT %(bucket)s, SUM(r.delivered_count), SUM(r.on_time_count), SUM(r.exception_count)
                  FROM b2b_report_delivery r
                  LEFT JOIN res_partner cp ON cp.id = r.dealer_id
                 WHERE r.company_id = %(company)s AND r.date >= %(start)s AND r.date < %(end)s
                   %(dealer_filter)s
              GROUP BY 1
                """,
                bucket=bucket(SQL("r.date")),
                company=company.id,
                start=start,
                end=end,
                dealer_filter=dealer_filter,
            )
        )
        for month, delivered, on_time, exceptions in cr.fetchall():
            values = result[key(month)]
            values.update(
                delivered_count=delivered,
                on_time_count=on_time,
                on_time_rate=100.0 * on_time / delivered if delivered else None,
                exception_count=exceptions,
            )

        # collection rate: b2b_credit's definition, over the dealers with amounts due
        Partner = self.env["res.partner"]
        for month, values in result.items():
            period_from = max(month, date_from)
            period_to = min(month + relativedelta(months=1, days=-1), date_to) if monthly else date_to
            dealers = Partner.browse(self._b2b_kpi_dealers_due(period_from, period_to, company, salesperson))
            rates = Partner._b2b_credit_collection_rate(dealers, period_from, period_to, company=company)
            due = sum(row["due"] or 0.0 for row in rates.values())
            collected = sum(row["collected"] or 0.0 for row in rates.values())
            values.update(
                collection_due=due,
                collection_collected=collected,
                collection_rate=100.0 * collected / due if due else None,
            )
        return result if monthly else result[date_from]

    @api.model
    def _b2b_kpi_empty(self):
        return {
            "order_count": 0,
            "online_order_count": 0,
            "online_rate": None,
            "processing_minutes": None,
            "processed_count": 0,
            "portal_dealer_count": 0,
            "active_dealer_count": 0,
            "activation_rate": None,
            "collection_due": 0.0,
            "collection_collected": 0.0,
            "collection_rate": None,
            "delivered_count": 0,
            "on_time_count": 0,
            "on_time_rate": None,
            "exception_count": 0,
        }

    @api.model
    def _b2b_kpi_dealers_due(self, date_from, date_to, company, salesperson=None):
        """Ids of the dealers with a customer invoice amount falling due in the period."""
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT p.commercial_partner_id
                  FROM account_move_line aml
                  JOIN account_account aa ON aa.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                  JOIN res_partner cp ON cp.id = p.commercial_partner_id
                 WHERE aml.company_id = %(company)s AND aml.parent_state = 'posted'
                   AND aa.account_type = 'asset_receivable' AND aml.balance > 0
                   AND aml.date_maturity BETWEEN %(date_from)s AND %(date_to)s
                   %(dealer_filter)s
                """,
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                dealer_filter=SQL("AND cp.user_id = %s", salesperson.id) if salesperson else SQL(),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _b2b_kpi_credit(self, date_to, company, salesperson=None):
        """Receivables of the dealers (b2b_credit's computations): exposure, aging, DSO."""
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT p.commercial_partner_id
                  FROM account_move_line aml
                  JOIN account_account aa ON aa.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                  JOIN res_partner cp ON cp.id = p.commercial_partner_id
                 WHERE aml.company_id = %(company)s AND aml.parent_state = 'posted'
                   AND aa.account_type = 'asset_receivable' AND NOT aml.reconciled
                   %(dealer_filter)s
                """,
                company=company.id,
                dealer_filter=SQL("AND cp.user_id = %s", salesperson.id) if salesperson else SQL(),
            )
        )
        Partner = self.env["res.partner"]
        dealers = Partner.browse([row[0] for row in self.env.cr.fetchall()])
        aging = Partner._b2b_credit_aging(dealers, as_of=date_to, company=company)
        dso = Partner._b2b_credit_dso(dealers, date_to=date_to, company=company)
        exposure = Partner._b2b_credit_exposure(dealers, company=company) if dealers else {}
        buckets = {}
        for row in aging.values():
            for name, amount in row.items():
                buckets[name] = buckets.get(name, 0.0) + (amount or 0.0)
        balance = sum(max(row["balance"], 0.0) for row in dso.values())
        sales = sum(row["sales"] for row in dso.values())
        return {
            "dealer_count": len(dealers),
            "aging": buckets,
            "exposure": sum(row.get("exposure") or 0.0 for row in exposure.values()),
            "overdue": sum(row.get("overdue_amount") or 0.0 for row in exposure.values()),
            "dso": balance / sales * 90 if sales > 0 else None,
        }

    # ------------------------------------------------------------------ dashboard

    @api.model
    def _b2b_kpi_salesperson(self):
        """The salesperson whose dealers only the user may see, or None."""
        user = self.env.user
        if user.has_group("sales_team.group_sale_manager"):
            return None
        if user.has_group("b2b_reports.group_b2b_reports_own_dealers"):
            return user
        return None

    @api.model
    def b2b_kpi_dashboard(self, date_from=None, date_to=None):
        """Everything the dashboard shows (called by the client action)."""
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(_("Only sales users may see the dealer KPI dashboard."))
        company = self.env.company
        today = fields.Date.context_today(self)
        date_to = fields.Date.to_date(date_to) or today
        date_from = fields.Date.to_date(date_from) or month_start(date_to)
        salesperson = self._b2b_kpi_salesperson()
        values = self._b2b_kpi_values(date_from, date_to, company, salesperson=salesperson)
        trend_from = month_start(date_to) - relativedelta(months=TREND_MONTHS - 1)
        trend = self._b2b_kpi_trend(trend_from, date_to, company, salesperson=salesperson)
        targets = self.env["b2b.kpi.target"]._b2b_targets(company)
        kpis = []
        for code, target in sorted(targets.items(), key=lambda item: item[1].sequence):
            value = values[code]
            kpis.append(
                {
                    "code": code,
                    "name": target.name,
                    "unit": target.unit,
                    "value": value,
                    "target": target.target,
                    "higher_is_better": target.higher_is_better,
                    "status": target._b2b_status(value),
                    "trend": [
                        {
                            "month": month.isoformat(),
                            "value": row[code],
                            "status": target._b2b_status(row[code]),
                        }
                        for month, row in sorted(trend.items())
                    ],
                }
            )
        return {
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "company": company.name,
            "currency": company.currency_id.name,
            "own_dealers_only": bool(salesperson),
            "kpis": kpis,
            "values": values,
            "credit": self._b2b_kpi_credit(date_to, company, salesperson),
        }

    @api.model
    def _b2b_kpi_trend(self, date_from, date_to, company, salesperson=None):
        """``{first day of month: values}`` as ``_b2b_kpi_values(..., monthly=True)`` gives,
        with the closed months (ended before today and within the period) read from
        ``b2b.kpi.snapshot``: missing ones computed in one call and kept; the open month live."""
        today = fields.Date.context_today(self)
        months = []
        cursor = month_start(date_from)
        while cursor <= date_to:
            months.append(cursor)
            cursor += relativedelta(months=1)

        def closed(month):
            last_day = month + relativedelta(months=1) - timedelta(days=1)
            return month >= date_from and last_day <= date_to and last_day < today

        closed_months = [month for month in months if closed(month)]
        Snapshot = self.env["b2b.kpi.snapshot"].sudo()
        trend = Snapshot._b2b_read(company, salesperson, closed_months)
        missing = [month for month in closed_months if month not in trend]
        if missing:
            last_day = missing[-1] + relativedelta(months=1) - timedelta(days=1)
            computed = self._b2b_kpi_values(missing[0], last_day, company, salesperson=salesperson, monthly=True)
            fresh = {month: computed[month] for month in missing}
            Snapshot._b2b_store(company, salesperson, fresh)
            trend.update(fresh)
        live = [month for month in months if month not in closed_months]
        if live:
            live_from = max(live[0], date_from)
            trend.update(self._b2b_kpi_values(live_from, date_to, company, salesperson=salesperson, monthly=True))
        return dict(sorted(trend.items()))

    @api.model
    def _b2b_kpi_refresh_snapshots(self, company, today=None):
        """Monthly: recompute the last closed months (late deliveries, payments and credit
        notes change them) and keep the 12 closed months of the dashboard's trend."""
        today = today or fields.Date.context_today(self)
        current = month_start(today)
        recent = [current - relativedelta(months=offset) for offset in range(SNAPSHOT_REFRESH_MONTHS, 0, -1)]
        self.env["b2b.kpi.snapshot"].sudo()._b2b_forget(company, recent)
        self._b2b_kpi_trend(current - relativedelta(months=TREND_MONTHS), current - timedelta(days=1), company)

    @api.model
    def _b2b_kpi_last_month(self, today=None):
        today = today or fields.Date.context_today(self)
        first = month_start(today) - relativedelta(months=1)
        return first, month_start(today) - timedelta(days=1)

    # ------------------------------------------------------------------ demo

    @api.model
    def _b2b_kpi_demo_setup(self):
        """Demo: the generated order history has no submission time; give the online orders
        one 3 to 40 minutes before their confirmation (deterministic per order)."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE sale_order
               SET b2b_portal_submitted_date = date_order - make_interval(mins => 3 + mod(id::bigint * 7919, 38)::int)
             WHERE state = 'sale' AND b2b_channel IN ('portal', 'api') AND b2b_portal_submitted_date IS NULL
            """
        )
        self.env.invalidate_all()
        return True

    # ------------------------------------------------------------------ portal

    @api.model
    def _b2b_portal_purchase_analysis(self, ctx, months=12):
        """The dealer's own purchases of the last ``months`` months (confirmed orders), in
        company currency, untaxed: by month, top categories and top products (3 queries)."""
        self.env["res.users"]._b2b_portal_check_right(ctx, "view")
        dealer, company = ctx["dealer"], ctx["company"]
        today = fields.Date.context_today(self)
        start = month_start(today) - relativedelta(months=months - 1)
        self.env.flush_all()
        cr = self.env.cr

        def query(select, group_by, order=None, limit=None):
            cr.execute(
                SQL(
                    """
                    SELECT %(select)s, COUNT(DISTINCT so.id), SUM(sol.product_uom_qty),
                           SUM(sol.price_subtotal / NULLIF(so.currency_rate, 0))
                      FROM sale_order_line sol
                      JOIN sale_order so ON so.id = sol.order_id
                      JOIN res_partner p ON p.id = so.partner_id
                      JOIN product_product pp ON pp.id = sol.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                     WHERE so.state = 'sale' AND so.company_id = %(company)s
                       AND p.commercial_partner_id = %(dealer)s AND so.date_order >= %(start)s
                       AND sol.display_type IS NULL
                  GROUP BY %(group_by)s
                  ORDER BY %(order)s
                     LIMIT %(limit)s
                    """,
                    select=select,
                    group_by=group_by,
                    order=order or SQL("1"),
                    limit=limit,
                    company=company.id,
                    dealer=dealer.id,
                    start=start,
                )
            )
            return cr.fetchall()

        by_month = {row[0]: row[1:] for row in query(SQL("date_trunc('month', so.date_order)::date"), SQL("1"))}
        monthly = []
        cursor = start
        while cursor <= today:
            orders, qty, amount = by_month.get(cursor, (0, 0.0, 0.0))
            monthly.append({"month": cursor, "orders": orders, "quantity": qty or 0.0, "amount": amount or 0.0})
            cursor += relativedelta(months=1)
        categories = query(SQL("pt.categ_id"), SQL("pt.categ_id"), SQL("4 DESC NULLS LAST"), 10)
        products = query(SQL("sol.product_id"), SQL("sol.product_id"), SQL("4 DESC NULLS LAST"), 10)
        Category = self.env["product.category"].sudo()
        Product = self.env["product.product"].sudo()
        return {
            "date_from": start,
            "currency": company.currency_id,
            "monthly": monthly,
            "total": sum(row["amount"] for row in monthly),
            "orders": sum(row["orders"] for row in monthly),
            "categories": [
                {"category": Category.browse(cid), "orders": n, "quantity": q or 0.0, "amount": a or 0.0}
                for cid, n, q, a in categories
            ],
            "products": [
                {"product": Product.browse(pid), "orders": n, "quantity": q or 0.0, "amount": a or 0.0}
                for pid, n, q, a in products
            ],
        }
