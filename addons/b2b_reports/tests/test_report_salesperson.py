from odoo.tests import tagged

from .report_common import B2bReportCase


@tagged("post_install", "-at_install")
class TestReportSalesperson(B2bReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._order(cls.north, "2025-01-10 09:00:00", [(cls.apple, 10, 10.0)])  # 100, North's first: new
        cls._order(cls.north_buyer, "2025-01-31 22:00:00", [(cls.tea, 2, 25.0)])  # 50
        cls._order(cls.north, "2025-02-01 02:00:00", [(cls.apple, 3, 10.0)])  # 30, next month
        # 160 in a currency worth half: 80; sold by Alice to Bob's dealer
        cls._order(
            cls.south,
            "2025-02-10 09:00:00",
            [(cls.tea, 8, 20.0)],
            user=cls.alice,
            pricelist_id=cls.foreign_pricelist.id,
        )
        cls._order(cls.south, "2025-02-11 09:00:00", [(cls.apple, 50, 10.0)])._action_cancel()
        cls._invoice(cls.north, 300.0, "out_invoice", cls.alice)
        cls._invoice(cls.north, 50.0, "out_refund", cls.alice)
        cls._invoice(cls.south, 400.0, "out_invoice", cls.bob)
        cls._invoice(cls.south, 999.0, "out_invoice", cls.bob, post=False)
        cls._payment(cls.north, 120.0, "inbound")
        cls._payment(cls.south, 30.0, "outbound")  # money paid back to the dealer
        cls._payment(cls.south, 77.0, "inbound", post=False)

    @classmethod
    def _invoice(cls, partner, amount, move_type, user, post=True):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": "2025-02-20",
                "invoice_user_id": user.id,
                "invoice_line_ids": [(0, 0, {"name": "Goods", "quantity": 1, "price_unit": amount, "tax_ids": []})],
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _payment(cls, partner, amount, payment_type, post=True):
        payment = cls.env["account.payment"].create(
            {
                "partner_type": "customer",
                "payment_type": payment_type,
                "partner_id": partner.id,
                "amount": amount,
                "date": "2025-02-25",
            }
        )
        if post:
            payment.action_post()
        return payment

    def setUp(self):
        super().setUp()
        self._refresh()
        self.domain = [("dealer_id", "in", (self.north | self.south).ids)]

    def test_per_salesperson(self):
        groups = self._groups(
            "b2b.report.salesperson",
            self.domain,
            ["user_id"],
            [
                "order_count:sum",
                "amount_ordered:sum",
                "amount_invoiced:sum",
                "amount_collected:sum",
                "new_dealer_count:sum",
                "active_dealer_id:count_distinct",
            ],
        )
        self.assertEqual(
            groups,
            {
                # orders 100 + 50 + 30 (North) + 80 (South); invoices 300 - 50 credit note; North paid 120
                self.alice.id: (4, 260.0, 250.0, 120.0, 2, 2),
                # South's invoice 400; 30 paid back to South
                self.bob.id: (0, 0.0, 400.0, -30.0, 0, 0),
            },
        )

    def test_per_month(self):
        groups = self._groups(
            "b2b.report.salesperson",
            self.domain,
            ["date:month"],
            ["order_count:sum", "amount_ordered:sum", "new_dealer_count:sum", "active_dealer_id:count_distinct"],
        )
        self.assertEqual(
            {str(key)[:7]: value for key, value in groups.items()},
            {"2025-01": (2, 150.0, 1, 1), "2025-02": (2, 110.0, 1, 2)},
        )

    def test_dealer_salesperson_dimension(self):
        groups = self._groups("b2b.report.salesperson", self.domain, ["dealer_user_id"], ["amount_ordered:sum"])
        self.assertEqual(groups, {self.alice.id: (180.0,), self.bob.id: (80.0,)})
