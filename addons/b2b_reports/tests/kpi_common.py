from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import new_test_user


class B2bKpiCommon(AccountTestInvoicingCommon):
    """A small fixed data set in a company of its own (the test company of the accounting
    tests), every figure of which is computed by hand in the tests.

    Month ``M`` is last month. Dealers: A (portal, salesperson Sam), B (portal), C (no
    portal, only a cancelled order), D (portal, Sam's, no order). Orders (amounts untaxed,
    company currency unless said):
      o1 A portal  submitted M+1d 10:00, approved 10:10, 1000
      o2 A api     created M+2d 10:00, approved 10:30, 500
      o3 B back office M+3d, 2000 (created two days earlier)
      o4 C back office M+3d, cancelled
      o5 B portal  last day of M 23:20 -> 23:30, 300 in EUR at 2 EUR per unit (150)
      o6 A portal  first day of M+1 00:10, submitted 00:00 (next month)
      o7 A back office mid M-1, 1600 (growth base)
    Invoices (due in M): A 1000 (600 paid M+12d), A 400 open, A credit note 70 (open),
    B 500 with its credit note of 100 reconciled, B 200 EUR (100) open.
    Shipments: s1 A delivered on time (o1's picking, done M+2d 10:10, delivered M+4d 12:00),
    s2 B late, s3 A late (scheduled + transit days), s4 B exception not delivered,
    s5 A delivered on time after a failed attempt.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # fixtures as superuser (tiers, carriers need managers); the tests choose their user
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True), su=True)
        env = cls.env
        cls.company = env.company
        cls.company.email = "kpi-company@example.com"
        cls.today = fields.Date.context_today(env.user)
        cls.M = cls.today.replace(day=1) - relativedelta(months=1)
        cls.M_end = cls.M + relativedelta(months=1, days=-1)
        cls.eur = cls.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        cls.tier = env["b2b.dealer.tier"].create({"name": "KPI Gold", "code": "KPIGOLD", "company_id": cls.company.id})
        cls.region = env["res.country.state"].search([], limit=1)
        cls.salesman = new_test_user(
            env,
            login="b2b_kpi_sam",
            groups="sales_team.group_sale_salesman,b2b_reports.group_b2b_reports_own_dealers",
            company_id=cls.company.id,
            email="sam@example.com",
        )
        cls.manager = new_test_user(
            env,
            login="b2b_kpi_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            email="manager@example.com",
        )
        cls.pricelist = env["product.pricelist"].create(
            {"name": "KPI plain", "currency_id": cls.company.currency_id.id, "company_id": cls.company.id}
        )
        cls.pricelist_eur = env["product.pricelist"].create(
            {"name": "KPI EUR", "currency_id": cls.eur.id, "company_id": cls.company.id}
        )

        def dealer(name, **values):
            return env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "email": f"{name.lower().replace(' ', '')}@example.com",
                    "property_product_pricelist": cls.pricelist.id,
                    **values,
                }
            )

        cls.dealer_a = dealer(
            "KPI Dealer A",
            user_id=cls.salesman.id,
            b2b_tier_id=cls.tier.id,
            state_id=cls.region.id,
            country_id=cls.region.country_id.id,
        )
        cls.dealer_b = dealer("KPI Dealer B")
        cls.dealer_c = dealer("KPI Dealer C")
        cls.dealer_d = dealer("KPI Dealer D", user_id=cls.salesman.id)
        cls.portal_users = {}
        for key, partner in (("a", cls.dealer_a), ("b", cls.dealer_b), ("d", cls.dealer_d)):
            contact = env["res.partner"].create({"name": f"Buyer {key}", "parent_id": partner.id})
            cls.portal_users[key] = new_test_user(
                env,
                login=f"b2b_kpi_portal_{key}",
                password=f"b2b_kpi_portal_{key}",
                groups="base.group_portal",
                partner_id=contact.id,
                company_id=cls.company.id,
            )
        cls.product = cls._create_product(name="KPI Crate", lst_price=100.0, taxes_id=[Command.clear()])
        cls.other_product = cls._create_product(name="KPI Barrel", lst_price=100.0, taxes_id=[Command.clear()])

        day = cls._at
        cls.o1 = cls._order(cls.dealer_a, "portal", 1000, day(1, 10, 10), day(1, 10, 0), submitted=True)
        cls.o2 = cls._order(cls.dealer_a, "api", 500, day(2, 10, 30), day(2, 10, 0))
        cls.o3 = cls._order(cls.dealer_b, "backoffice", 2000, day(3, 9, 0), day(1, 9, 0))
        cls.o4 = cls._order(cls.dealer_c, "backoffice", 800, day(3, 9, 0), day(3, 8, 0), state="cancel")
        last = (cls.M_end - cls.M).days
        cls.o5 = cls._order(
            cls.dealer_b, "portal", 300, day(last, 23, 30), day(last, 23, 20), submitted=True, currency=True
        )
        cls.o6 = cls._order(cls.dealer_a, "portal", 100, day(last + 1, 0, 10), day(last + 1, 0, 0), submitted=True)
        previous = datetime.combine(cls.M - relativedelta(months=1, days=-14), time(9, 0))
        cls.o7 = cls._order(cls.dealer_a, "backoffice", 1600, previous, previous)

        cls.inv_a1 = cls._invoice(cls.dealer_a, 1000, cls.M, cls.M + timedelta(days=10))
        cls.inv_a2 = cls._invoice(cls.dealer_a, 400, cls.M, cls.M + timedelta(days=20))
        cls.ref_a = cls._invoice(cls.dealer_a, 70, cls.M + timedelta(days=3), cls.M + timedelta(days=3), "out_refund")
        cls._pay(cls.inv_a1, 600, cls.M + timedelta(days=12))
        cls.inv_b1 = cls._invoice(cls.dealer_b, 500, cls.M, cls.M + timedelta(days=5))
        cls.ref_b = cls._invoice(cls.dealer_b, 100, cls.M + timedelta(days=1), cls.M + timedelta(days=1), "out_refund")
        (cls.inv_b1 | cls.ref_b).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        cls.inv_b2 = cls._invoice(cls.dealer_b, 200, cls.M, cls.M + timedelta(days=15), currency=cls.eur)

        carrier_product = env["product.product"].create({"name": "KPI shipping", "type": "service"})
        cls.carrier = env["delivery.carrier"].create(
            {
                "name": "KPI Express",
                "delivery_type": "fixed",
                "fixed_price": 0.0,
                "product_id": carrier_product.id,
                "b2b_transit_days": 3,
                "company_id": cls.company.id,
            }
        )
        cls.s1 = cls._shipment(
            cls.dealer_a,
            "S1",
            "delivered",
            created=day(2, 11),
            delivered=day(4, 12),
            deadline=day(4, 18),
            order=cls.o1,
            done=day(2, 10, 10),
        )
        cls.s2 = cls._shipment(
            cls.dealer_b, "S2", "delivered", created=day(3, 11), delivered=day(8, 9), deadline=day(6, 18)
        )
        cls.s3 = cls._shipment(
            cls.dealer_a, "S3", "delivered", created=day(6, 11), delivered=day(11, 9), scheduled=day(7, 9)
        )
        cls.s4 = cls._shipment(cls.dealer_b, "S4", "exception", created=day(5, 11))
        cls.s5 = cls._shipment(
            cls.dealer_a,
            "S5",
            "delivered",
            created=day(6, 11),
            delivered=day(10, 9),
            deadline=day(12, 18),
            problem_event=day(9, 9),
        )
        env.flush_all()

    # ------------------------------------------------------------------ helpers

    @classmethod
    def _at(cls, days, hour=0, minute=0):
        """A datetime (UTC) ``days`` after the first day of month M."""
        return datetime.combine(cls.M + timedelta(days=days), time(hour, minute))

    @classmethod
    def _order(cls, partner, channel, amount, confirmed, created, submitted=False, state="sale", currency=False):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "pricelist_id": (cls.pricelist_eur if currency else cls.pricelist).id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": amount})
                ],
            }
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            """
            UPDATE sale_order
               SET state = %s, b2b_channel = %s, date_order = %s, create_date = %s,
                   b2b_portal_submitted_date = %s, currency_rate = %s
             WHERE id = %s
            """,
            [state, channel, confirmed, created, created if submitted else None, 2.0 if currency else 1.0, order.id],
        )
        cls.env.invalidate_all()
        assert order.amount_untaxed == amount, "the test prices must be the given ones"
        return order

    @classmethod
    def _invoice(cls, partner, amount, invoice_date, due_date, move_type="out_invoice", currency=None):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "date": invoice_date,
                "invoice_payment_term_id": False,
                "invoice_date_due": due_date,
                "currency_id": (currency or cls.company.currency_id).id,
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "quantity": 1.0, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoices, amount, date):
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create({"payment_date": date, "amount": amount})
        )
        return wizard._create_payments()

    @classmethod
    def _shipment(
        cls,
        dealer,
        number,
        state,
        created,
        delivered=None,
        deadline=None,
        scheduled=None,
        order=None,
        done=None,
        problem_event=None,
    ):
        env = cls.env
        picking_type = env["stock.picking.type"].search(
            [("code", "=", "outgoing"), ("company_id", "=", cls.company.id)], limit=1
        )
        picking = env["stock.picking"].create(
            {
                "partner_id": dealer.id,
                "picking_type_id": picking_type.id,
                "location_id": picking_type.default_location_src_id.id,
                "location_dest_id": env.ref("stock.stock_location_customers").id,
                "company_id": cls.company.id,
            }
        )
        shipment = env["b2b.shipment"].create(
            {"name": f"KPI{number}", "picking_id": picking.id, "carrier_id": cls.carrier.id}
        )
        if problem_event:
            env["b2b.shipment.event"].create(
                {
                    "shipment_id": shipment.id,
                    "event_time": problem_event,
                    "state": "failed_attempt",
                    "dedup_key": f"kpi-{number}-failed",
                    "processed": True,
                }
            )
        env.flush_all()
        env.cr.execute(
            """
            UPDATE stock_picking SET date_deadline = %s, scheduled_date = COALESCE(%s, scheduled_date),
                   sale_id = %s, state = CASE WHEN %s::timestamp IS NULL THEN state ELSE 'done' END, date_done = %s
             WHERE id = %s
            """,
            [deadline, scheduled, order.id if order else None, done, done, picking.id],
        )
        env.cr.execute(
            """
            UPDATE b2b_shipment SET state = %s, delivered_at = %s, create_date = %s,
                   sale_id = %s, commercial_partner_id = %s, company_id = %s
             WHERE id = %s
            """,
            [state, delivered, created, order.id if order else None, dealer.id, cls.company.id, shipment.id],
        )
        env.invalidate_all()
        return shipment
