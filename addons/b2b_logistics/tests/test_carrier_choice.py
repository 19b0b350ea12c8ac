from odoo.tests import TransactionCase, tagged

from .common import LogisticsCommon


@tagged("post_install", "-at_install")
class TestCarrierChoice(LogisticsCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_logistics()
        cls.china = cls.env.ref("base.cn")
        cls.dealer_contact.country_id = cls.china
        Carrier = cls.env["delivery.carrier"]

        def common():
            # fixed_price is stored on the delivery product: one product per carrier
            product = cls.env["product.product"].create({"name": "Ship", "type": "service"})
            return {"delivery_type": "fixed", "product_id": product.id}

        cls.cheap_slow = Carrier.create({**common(), "name": "Cheap slow", "fixed_price": 5, "b2b_transit_days": 6})
        cls.fast_dear = Carrier.create(
            {**common(), "name": "Fast dear", "fixed_price": 40, "b2b_transit_days": 1, "b2b_service_level": "express"}
        )
        cls.middle = Carrier.create({**common(), "name": "Middle", "fixed_price": 12, "b2b_transit_days": 3})
        cls.abroad = Carrier.create(
            {
                **common(),
                "name": "Abroad only",
                "fixed_price": 1,
                "b2b_transit_days": 1,
                "country_ids": [(6, 0, cls.env.ref("base.fr").ids)],
            }
        )
        cls.light = Carrier.create(
            {**common(), "name": "Light only", "fixed_price": 2, "b2b_transit_days": 1, "max_weight": 1}
        )
        cls.big_orders = Carrier.create(
            {**common(), "name": "Big orders", "fixed_price": 0.5, "b2b_transit_days": 1, "b2b_min_order_amount": 1e9}
        )
        cls.candidates = cls.cheap_slow | cls.fast_dear | cls.middle | cls.abroad | cls.light | cls.big_orders

    def test_cheapest_and_fastest(self):
        order = self._create_order()
        result = order._b2b_carrier_options(self.candidates)
        self.assertEqual(result["cheapest"], self.cheap_slow)
        self.assertEqual(result["fastest"], self.fast_dear)
        by_carrier = {option["carrier"]: option for option in result["options"]}
        self.assertFalse(by_carrier[self.abroad]["eligible"])
        self.assertIn("address", by_carrier[self.abroad]["reason"])
        self.assertFalse(by_carrier[self.light]["eligible"])
        self.assertIn("heavy", by_carrier[self.light]["reason"])
        self.assertFalse(by_carrier[self.big_orders]["eligible"])
        self.assertEqual(by_carrier[self.middle]["price"], 12)

    def test_wizard_applies_choice(self):
        order = self._create_order()
        wizard = self.env["b2b.carrier.suggestion"]._b2b_create_for_order(order)
        cheapest_line = wizard.line_ids.filtered("is_cheapest")
        self.assertTrue(cheapest_line.eligible)
        wizard.action_apply_fastest()
        fastest = wizard.fastest_carrier_id
        self.assertEqual(order.carrier_id, fastest)
        self.assertTrue(
            order.order_line.filtered(lambda line: line.is_delivery and line.product_id == fastest.product_id)
        )
        action = order.action_b2b_suggest_carrier()
        self.assertEqual(action["res_model"], "b2b.carrier.suggestion")

    def test_no_eligible_carrier(self):
        order = self._create_order()
        result = order._b2b_carrier_options(self.abroad | self.big_orders)
        self.assertFalse(result["cheapest"])
        self.assertFalse(result["fastest"])
