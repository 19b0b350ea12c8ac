from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, TransactionCase


class B2bPortalDataMixin:
    """Dealers, portal users, categories and products built by the tests themselves."""

    @classmethod
    def _setup_b2b_data(cls):
        env = cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.company = env.company
        cls.company.write(
            {
                "b2b_portal_price_display": "tax_excluded",
                "b2b_portal_stock_display": "level",
                "b2b_portal_low_stock_threshold": 10,
                "b2b_portal_block_out_of_stock": False,
                "account_use_credit_limit": True,
            }
        )
        cls.currency = cls.company.currency_id
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.tax = env["account.tax"].create(
            {"name": "B2B test VAT 10%", "amount": 10.0, "amount_type": "percent", "type_tax_use": "sale"}
        )
        cls.pricelist = env["product.pricelist"].create(
            {
                "name": "B2B test dealer pricelist",
                "currency_id": cls.currency.id,
                "item_ids": [
                    Command.create({"applied_on": "3_global", "compute_price": "percentage", "percent_price": 20})
                ],
            }
        )
        # 3-level category tree
        Category = env["product.category"]
        cls.categ_root = Category.create({"name": "B2B Test Drinks"})
        cls.categ_juice = Category.create({"name": "B2B Test Juice", "parent_id": cls.categ_root.id})
        cls.categ_orange = Category.create({"name": "B2B Test Orange", "parent_id": cls.categ_juice.id})
        cls.categ_snacks = Category.create({"name": "B2B Test Snacks"})

        Template = env["product.template"]
        common = {"type": "consu", "is_storable": True, "sale_ok": True, "taxes_id": [Command.set(cls.tax.ids)]}
        cls.tmpl_orange = Template.create(
            {**common, "name": "B2B Orange Juice 1L", "default_code": "B2B-OJ1", "barcode": "6901234500017",
             "list_price": 10.0, "categ_id": cls.categ_orange.id}
        )  # fmt: skip
        env["res.lang"]._activate_lang("zh_CN")
        cls.tmpl_orange.with_context(lang="zh_CN").name = "B2B 橙汁 1升"
        cls.tmpl_apple = Template.create(
            {**common, "name": "B2B Apple Juice 1L", "default_code": "B2B-AJ1", "list_price": 12.0,
             "categ_id": cls.categ_juice.id}
        )  # fmt: skip
        cls.tmpl_chips = Template.create(
            {**common, "name": "B2B Potato Chips", "default_code": "B2B-CH1", "list_price": 5.0,
             "categ_id": cls.categ_snacks.id}
        )  # fmt: skip
        cls.tmpl_service = Template.create(
            {"name": "B2B Gift Wrap", "type": "service", "default_code": "B2B-GW1", "list_price": 2.0,
             "categ_id": cls.categ_snacks.id, "taxes_id": [Command.set(cls.tax.ids)]}
        )  # fmt: skip
        cls.tmpl_archived = Template.create(
            {**common, "name": "B2B Old Soda", "default_code": "B2B-OLD", "list_price": 3.0, "active": False}
        )
        cls.tmpl_not_sold = Template.create(
            {**common, "name": "B2B Raw Sugar", "default_code": "B2B-RAW", "list_price": 1.0, "sale_ok": False}
        )
        cls.orange = cls.tmpl_orange.product_variant_id
        cls.apple = cls.tmpl_apple.product_variant_id
        cls.chips = cls.tmpl_chips.product_variant_id
        cls.service = cls.tmpl_service.product_variant_id
        # Chips sell by cartons of 6 (a b2b_pricing quantity rule)
        env["b2b.quantity.rule"].create({"product_tmpl_id": cls.chips.product_tmpl_id.id, "multiple_qty": 6})
        # A T-shirt with size x colour variants for the matrix
        size = env["product.attribute"].create(
            {"name": "B2B Size", "value_ids": [Command.create({"name": n}) for n in ("S", "M", "L")]}
        )
        colour = env["product.attribute"].create(
            {"name": "B2B Colour", "value_ids": [Command.create({"name": n}) for n in ("Red", "Blue")]}
        )
        cls.tmpl_shirt = Template.create(
            {
                **common,
                "name": "B2B Team Shirt",
                "list_price": 20.0,
                "categ_id": cls.categ_snacks.id,
                "attribute_line_ids": [
                    Command.create({"attribute_id": size.id, "value_ids": [Command.set(size.value_ids.ids)]}),
                    Command.create({"attribute_id": colour.id, "value_ids": [Command.set(colour.value_ids.ids)]}),
                ],
            }
        )
        for index, variant in enumerate(cls.tmpl_shirt.product_variant_ids):
            variant.default_code = f"B2B-SH{index}"
        stock = env["stock.quant"]
        location = cls.warehouse.lot_stock_id
        stock._update_available_quantity(cls.orange, location, 100)
        stock._update_available_quantity(cls.apple, location, 5)  # low
        for variant in cls.tmpl_shirt.product_variant_ids:
            stock._update_available_quantity(variant, location, 50)
        # chips: out of stock

        cls.dealer_a, cls.users_a = cls._create_dealer("B2B Dealer A", "a")
        cls.dealer_b, cls.users_b = cls._create_dealer("B2B Dealer B", "b")
        cls.buyer_a, cls.approver_a, cls.admin_a, cls.viewer_a = (
            cls.users_a[role] for role in ("buyer", "approver", "admin", "viewer")
        )
        cls.buyer_b = cls.users_b["buyer"]
        cls.delivery_a = env["res.partner"].create(
            {"name": "Dealer A Warehouse", "type": "delivery", "parent_id": cls.dealer_a.id, "city": "Hangzhou"}
        )
        cls.delivery_b = env["res.partner"].create(
            {"name": "Dealer B Warehouse", "type": "delivery", "parent_id": cls.dealer_b.id, "city": "Suzhou"}
        )

    @classmethod
    def _create_dealer(cls, name, suffix):
        env = cls.env
        dealer = env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"dealer_{suffix}@example.com",
                "credit_limit": 1000000.0,
                "b2b_pay_on_account": True,
            }
        )
        dealer.property_product_pricelist = cls.pricelist
        users = {}
        portal = env.ref("base.group_portal")
        for role in ("buyer", "approver", "admin", "viewer"):
            login = f"b2b_{suffix}_{role}"
            contact = env["res.partner"].create(
                {"name": f"{name} {role}", "parent_id": dealer.id, "email": f"{login}@example.com"}
            )
            users[role] = env["res.users"].create(
                {
                    "name": contact.name,
                    "login": login,
                    "password": login + "_pw1234",
                    "partner_id": contact.id,
                    "groups_id": [Command.set(portal.ids)],
                    "b2b_portal_role": role,
                }
            )
        return dealer, users

    @classmethod
    def _confirmed_sale(cls, partner, quantities, days_ago=0):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": q}) for p, q in quantities.items()
                ],
            }
        )
        order.action_confirm()
        if days_ago:
            order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    def ctx_of(self, user):
        return user.with_user(user)._b2b_portal_context()

    def env_of(self, user):
        return self.env(user=user)


class B2bPortalCase(B2bPortalDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_b2b_data()


class B2bPortalHttpCase(B2bPortalDataMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_b2b_data()
