import importlib.util
from datetime import date
from pathlib import Path

from odoo.tests import TransactionCase, tagged

GENERATOR = Path(__file__).resolve().parents[3] / "scripts" / "bench" / "data_generator.py"
TINY = {"products": 50, "dealers": 5, "lines": 100, "salespeople": 3}


def load_generator():
    spec = importlib.util.spec_from_file_location("b2b_bench_data_generator", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestBenchDataGenerator(TransactionCase):
    """The `make bench-data` generator at a tiny scale: counts, ORM consistency, determinism."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not GENERATOR.exists():
            cls.skipTest(cls, f"bench generator not found at {GENERATOR} (module installed outside the repository)")
        cls.generator = load_generator()
        # The generator fills an empty bench database: B2B rules of a demo database (contracts,
        # promotions, case packs on the demo tiers) would legitimately price its orders otherwise.
        cls.env["b2b.price.rule"].search([]).action_archive()
        cls.env["b2b.quantity.rule"].search([]).action_archive()
        for tier in cls.env["b2b.dealer.tier"].search([]):
            tier.code = f"DEMO-{tier.code}"  # the generator then makes its own T1/T2/RT pricelists
        cls.today = date(2026, 3, 15)
        cls.result = cls.generator.generate(
            cls.env, seed=7, counts=TINY, today=cls.today, log=lambda message: None, check_orders=1000
        )

    def test_counts_and_links(self):
        result = self.result
        self.assertEqual((result["products"], result["dealers"], result["lines"]), (50, 5, 100))
        products = self.env["product.product"].browse(result["product_ids"])
        self.assertEqual(len(products.exists()), 50)
        self.assertEqual(len(set(products.mapped("barcode"))), 50)
        self.assertTrue(all(p.categ_id.parent_id.parent_id for p in products), "products sit on level-3 categories")
        self.assertTrue(all(p.product_tag_ids for p in products), "every product has at least its brand tag")
        dealers = self.env["res.partner"].browse(result["dealer_ids"])
        self.assertTrue(all(d.is_company and d.b2b_tier_id and d.user_id for d in dealers))
        self.assertEqual(set(dealers.mapped("country_id.code")), {"CN"})
        orders = self.env["sale.order"].browse(result["order_ids"])
        self.assertEqual(len(orders.order_line), 100)
        self.assertLessEqual(set(orders.mapped("state")), {"draft", "sent", "sale", "cancel"})
        self.assertEqual(orders.partner_id, orders.partner_id & dealers)
        oldest = date(self.today.year - 2, self.today.month, 1)
        self.assertTrue(all(oldest <= o.date_order.date() <= self.today for o in orders), "24 months of history")
        quants = self.env["stock.quant"].search([("product_id", "in", products.ids)])
        self.assertEqual(sum(quants.mapped("quantity")), sum(products.mapped("qty_available")))

    def test_stored_amounts_match_orm(self):
        """Recompute every generated order and line with the ORM: same amounts as COPY stored."""
        orders = self.env["sale.order"].browse(self.result["order_ids"])
        lines = orders.order_line
        self.assertEqual(len(lines), 100)
        self.generator.check_consistency(self.env, orders.ids, self.result["product_ids"], 1000, seed=1)
        for order in orders:
            self.assertAlmostEqual(order.amount_untaxed, sum(order.order_line.mapped("price_subtotal")), places=2)
            self.assertAlmostEqual(order.amount_total, order.amount_untaxed + order.amount_tax, places=2)

    def test_consistency_check_detects_a_wrong_amount(self):
        order = self.env["sale.order"].browse(self.result["order_ids"][0])
        self.env.cr.execute("UPDATE sale_order SET amount_total = amount_total + 1 WHERE id = %s", (order.id,))
        self.env.invalidate_all()
        with self.assertRaises(AssertionError):
            self.generator.check_consistency(self.env, [order.id], self.result["product_ids"], 1, seed=1)

    def test_deterministic(self):
        generator = self.generator
        first = generator.product_specs(50, 7)
        self.assertEqual(first, generator.product_specs(50, 7))
        self.assertNotEqual(first, generator.product_specs(50, 8))
        products = self.env["product.product"].browse(self.result["product_ids"])
        self.assertEqual(products.mapped("name"), [spec["name"] for spec in first])
        self.assertEqual(products.mapped("lst_price"), [spec["list_price"] for spec in first])
        dealers = generator.dealer_specs(5, 30, 3, 7)
        counts = generator.scaled_counts(1, TINY)
        orders = generator.order_specs(counts, dealers, first, self.today, 7)
        self.assertEqual(orders, generator.order_specs(counts, dealers, first, self.today, 7))
        self.assertEqual(sum(len(o["lines"]) for o in orders), 100)

    def test_refuses_a_second_run(self):
        with self.assertRaises(self.generator.AlreadyGenerated):
            self.generator.generate(self.env, counts=TINY, log=lambda message: None)

    def test_scale_counts(self):
        counts = self.generator.scaled_counts(5)
        self.assertEqual((counts["products"], counts["dealers"], counts["lines"]), (100_000, 10_000, 1_000_000))
        self.assertEqual(self.generator.scaled_counts(0.01)["lines"], 2_000)
        self.assertEqual(self.generator.ean13(1), "6900000000014")
