from datetime import datetime

from odoo import Command
from odoo.tests import TransactionCase


class B2bReportCase(TransactionCase):
    """A small fixed data set built by the test, with amounts computable by hand.

    Two salespeople (Alice, Bob); dealers North (Alice, tier Gold, region R1, with a buyer
    contact), South (Bob, region R2) and Idle (Alice, never orders); products Apple (category
    Fruit, brand Sunny) and Tea (category Drinks) without taxes. Orders are created with
    explicit prices and dated with ``_order``.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True, tz="UTC"))
        env = cls.env
        cls.company = env.company
        if "b2b_credit_enforce" in cls.company._fields:
            cls.company.b2b_credit_enforce = False
        cls.currency = cls.company.currency_id
        salesman = env.ref("sales_team.group_sale_salesman")
        cls.alice = cls._user("Alice Report", "b2b_report_alice", salesman)
        cls.bob = cls._user("Bob Report", "b2b_report_bob", salesman)
        cls.tier = env["b2b.dealer.tier"].create({"name": "Report Gold", "code": "RPT-GOLD"})
        country = env.ref("base.cn")
        cls.region_north, cls.region_south = env["res.country.state"].search(
            [("country_id", "=", country.id)], order="code", limit=2
        )
        Partner = env["res.partner"]
        cls.north = Partner.create(
            {
                "name": "Report North Trading",
                "is_company": True,
                "user_id": cls.alice.id,
                "b2b_tier_id": cls.tier.id,
                "country_id": country.id,
                "state_id": cls.region_north.id,
            }
        )
        cls.north_buyer = Partner.create({"name": "North Buyer", "parent_id": cls.north.id, "type": "contact"})
        cls.south = Partner.create(
            {
                "name": "Report South Foods",
                "is_company": True,
                "user_id": cls.bob.id,
                "country_id": country.id,
                "state_id": cls.region_south.id,
                "customer_rank": 1,
            }
        )
        cls.idle = Partner.create(
            {"name": "Report Idle Shop", "is_company": True, "user_id": cls.alice.id, "b2b_tier_id": cls.tier.id}
        )
        Category = env["product.category"]
        cls.categ_root = Category.create({"name": "Report Goods"})
        cls.categ_fruit = Category.create({"name": "Report Fruit", "parent_id": cls.categ_root.id})
        cls.categ_drinks = Category.create({"name": "Report Drinks", "parent_id": cls.categ_root.id})
        cls.brand = env["product.tag"].create({"name": "Report Sunny"})
        Product = env["product.product"]
        cls.apple = Product.create(
            {
                "name": "Report Apple",
                "categ_id": cls.categ_fruit.id,
                "list_price": 10.0,
                "is_storable": True,
                "taxes_id": [Command.clear()],
                "product_tag_ids": [Command.set(cls.brand.ids)],
            }
        )
        cls.tea = Product.create(
            {
                "name": "Report Tea",
                "categ_id": cls.categ_drinks.id,
                "list_price": 20.0,
                "is_storable": True,
                "taxes_id": [Command.clear()],
            }
        )
        # a foreign currency worth half the company currency (1 company unit = 2 foreign units)
        cls.foreign = (
            env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", cls.currency.id), ("name", "in", ("EUR", "USD", "JPY"))], limit=1)
        )
        cls.foreign.active = True
        cls.foreign.rate_ids.unlink()
        env["res.currency.rate"].create(
            {"name": "2000-01-01", "rate": 2.0 * cls.currency.rate, "currency_id": cls.foreign.id}
        )
        # orders in the company currency unless a test says otherwise (the demo's default
        # pricelist may be in another currency)
        cls.pricelist = env["product.pricelist"].create(
            {"name": "Report prices", "currency_id": cls.currency.id, "company_id": False}
        )
        cls.foreign_pricelist = env["product.pricelist"].create(
            {"name": "Report foreign prices", "currency_id": cls.foreign.id}
        )

    @classmethod
    def _user(cls, name, login, group):
        return cls.env["res.users"].create(
            {
                "name": name,
                "login": login,
                "email": f"{login}@example.com",
                "groups_id": [Command.set([group.id, cls.env.ref("base.group_user").id])],
            }
        )

    @classmethod
    def _order(cls, partner, when, lines, user=None, confirm=True, **values):
        """An order of ``lines`` [(product, qty, price)], confirmed and dated ``when``."""
        Order = cls.env["sale.order"]
        if values.get("company_id"):
            Order = Order.with_company(values["company_id"])
        order = Order.create(
            {
                "partner_id": partner.id,
                "user_id": (user or partner.commercial_partner_id.user_id).id,
                "order_line": [
                    # explicit price and no discount: whatever pricelist the demo gives new dealers
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": qty, "price_unit": price, "discount": 0.0}
                    )
                    for product, qty, price in lines
                ],
                "pricelist_id": cls.pricelist.id,
                **values,
            }
        )
        if confirm:
            order.action_confirm()
            assert order.state == "sale", order.state
        order.date_order = when if isinstance(when, datetime) else datetime.fromisoformat(when)
        return order

    def _refresh(self):
        self.env.flush_all()
        self.env["b2b.report.sales"]._refresh_report()
        self.env["b2b.report.product.stock"]._refresh_report()
        self.env["b2b.report.dealer.activity"]._refresh_report()
        self.env["b2b.report.promotion"]._refresh_report()
        self.env["b2b.report.salesperson"].invalidate_model()

    def _groups(self, model, domain, groupby, aggregates):
        """{group key: aggregates} of a report, as the pivot reads it."""
        result = {}
        for row in self.env[model]._read_group(domain, groupby, aggregates):
            keys = tuple(getattr(key, "id", key) for key in row[: len(groupby)])
            result[keys[0] if len(keys) == 1 else keys] = row[len(groupby) :]
        return result
