from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file, float_round


@tagged("post_install", "-at_install")
class TestDemoRules(TransactionCase):
    """The demo price rules load against the demo story's xmlids (stand-ins are
    created for the ones the database does not have) and give the story's prices."""

    def _ensure(self, name, model, vals):
        record = self.env.ref(f"b2b_pricing.{name}", raise_if_not_found=False)
        if record:
            return record
        record = self.env[model].create(vals)
        self.env["ir.model.data"].create({"module": "b2b_pricing", "name": name, "model": model, "res_id": record.id})
        return record

    def test_demo_rules_load_and_price(self):
        tiers = [
            self._ensure(f"dealer_tier_{index}", "b2b.dealer.tier", {"name": code, "code": f"ZZ{code}"})
            for index, code in ((1, "T1"), (2, "T2"), (3, "RT"))
        ]
        beverages = self._ensure("product_category_beverages", "product.category", {"name": "Beverages"})
        categs = {
            name: self._ensure(
                f"product_category_{name}", "product.category", {"name": name, "parent_id": beverages.id}
            )
            for name in ("juice", "tea", "water", "soft_drinks")
        }
        self._ensure("product_category_snacks", "product.category", {"name": "Snacks"})
        products = {
            name: self._ensure(
                f"product_{name}", "product.template", {"name": name, "list_price": price, "categ_id": categs[categ].id}
            )
            for name, categ, price in (
                ("orange_juice_1l", "juice", 12.0),
                ("apple_juice_1l", "juice", 11.0),
                ("green_tea_500ml", "tea", 4.0),
                ("mineral_water_550ml", "water", 2.0),
                ("cola_330ml", "soft_drinks", 3.0),
            )
        }
        dealers = [
            self._ensure(
                f"dealer_{index}",
                "res.partner",
                {"name": f"Dealer {index}", "is_company": True, "b2b_tier_id": tiers[(index - 1) // 2].id},
            )
            for index in range(1, 7)
        ]
        convert_file(
            self.env, "b2b_pricing", "demo/b2b_price_rule_demo.xml", {}, mode="init", noupdate=True, kind="demo"
        )
        promotion = self.env.ref("b2b_pricing.promotion_summer_tea")
        promo_ids = [promo["id"] for promo in self.env["b2b.price.rule"].b2b_active_promotions(dealers[4])]
        self.assertIn(promotion.id, promo_ids)
        self.assertNotIn(promotion.id, [p["id"] for p in self.env["b2b.price.rule"].b2b_active_promotions(dealers[0])])
        orange = products["orange_juice_1l"].product_variant_id
        result = self.env["b2b.price.engine"].price_for(orange, dealer=dealers[0], quantities=12, channel="backoffice")
        self.assertIn(self.env.ref("b2b_pricing.rule_contract_dealer_1_orange").id, result[orange.id]["rule_ids"])
        self.assertAlmostEqual(
            result[orange.id]["price"], float_round(orange.lst_price * 0.8, precision_rounding=0.1), places=6
        )
        check = self.env["b2b.quantity.rule"].b2b_check_quantity(orange, 13, partner=dealers[0])
        self.assertFalse(check["ok"])
