from datetime import datetime

from odoo.tests import TransactionCase


class B2bPricingCase(TransactionCase):
    """Shared catalogue: beverages > juice / tea, snacks; dealers in tiers T1 and T2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        env = cls.env
        cls.company = env.company
        cls.currency = cls.company.currency_id
        cls.Rule = env["b2b.price.rule"]
        cls.engine = env["b2b.price.engine"]
        cls.categ_beverages = env["product.category"].create({"name": "B2B Beverages"})
        cls.categ_juice = env["product.category"].create({"name": "B2B Juice", "parent_id": cls.categ_beverages.id})
        cls.categ_tea = env["product.category"].create({"name": "B2B Tea", "parent_id": cls.categ_beverages.id})
        cls.categ_snacks = env["product.category"].create({"name": "B2B Snacks"})
        cls.tag_brand = env["product.tag"].create({"name": "B2B Brand Sunny"})
        cls.uom_unit = env.ref("uom.product_uom_unit")
        cls.uom_dozen = env.ref("uom.product_uom_dozen")

        def product(name, price, categ, cost=0.0, tags=None):
            return env["product.product"].create(
                {
                    "name": name,
                    "list_price": price,
                    "standard_price": cost,
                    "categ_id": categ.id,
                    "taxes_id": [(5, 0, 0)],
                    "product_tag_ids": [(6, 0, tags.ids)] if tags else [],
                }
            )

        cls.orange = product("Orange Juice 1L", 10.0, cls.categ_juice, cost=6.0, tags=cls.tag_brand)
        cls.apple = product("Apple Juice 1L", 8.0, cls.categ_juice, cost=5.0)
        cls.green_tea = product("Green Tea 500ml", 5.0, cls.categ_tea, cost=2.0)
        cls.chips = product("Chips 100g", 4.0, cls.categ_snacks, cost=1.5)
        cls.products = cls.orange | cls.apple | cls.green_tea | cls.chips

        cls.pricelist = env["product.pricelist"].create({"name": "B2B Tier 1", "currency_id": cls.currency.id})
        cls.pricelist_t2 = env["product.pricelist"].create({"name": "B2B Tier 2", "currency_id": cls.currency.id})
        cls.tier1 = env["b2b.dealer.tier"].create({"name": "Tier 1", "code": "XT1", "pricelist_id": cls.pricelist.id})
        cls.tier2 = env["b2b.dealer.tier"].create(
            {"name": "Tier 2", "code": "XT2", "pricelist_id": cls.pricelist_t2.id}
        )
        cls.country_cn = env.ref("base.cn")
        cls.country_fr = env.ref("base.fr")
        cls.state_zj = env["res.country.state"].search([("country_id", "=", cls.country_cn.id)], limit=1)
        cls.segment = env["res.partner.category"].create({"name": "Key account"})
        cls.term_immediate = env.ref("account.account_payment_term_immediate")
        cls.term_30 = env.ref("account.account_payment_term_30days")
        cls.dealer = env["res.partner"].create(
            {
                "name": "Dealer One",
                "is_company": True,
                "b2b_tier_id": cls.tier1.id,
                "country_id": cls.country_cn.id,
                "state_id": cls.state_zj.id,
                "category_id": [(6, 0, cls.segment.ids)],
            }
        )
        cls.dealer2 = env["res.partner"].create(
            {"name": "Dealer Two", "is_company": True, "b2b_tier_id": cls.tier2.id, "country_id": cls.country_fr.id}
        )
        cls.now = datetime(2026, 7, 15, 10, 0, 0)

    def rule(self, **vals):
        vals.setdefault("name", "Rule")
        vals.setdefault("pricelist_id", self.pricelist.id)
        return self.Rule.create(vals)

    def price(self, product, dealer=None, qty=1.0, **kwargs):
        kwargs.setdefault("date", self.now)
        kwargs.setdefault("channel", "backoffice")
        result = self.engine.price_for(product, dealer=dealer or self.dealer, quantities=qty, **kwargs)
        return result[product.id]
