from datetime import timedelta

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class B2bCreditCommon(AccountTestInvoicingCommon):
    """Dealers, products and helpers with hand-computable amounts (no tax unless asked)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.company = cls.env.company
        cls.company.write(
            {
                "b2b_credit_enforce": True,
                "b2b_credit_overdue_block": True,
                "b2b_credit_overdue_grace_days": 15,
                "b2b_credit_overdue_max_amount": 0.0,
                "b2b_credit_include_pending": False,
            }
        )
        cls.today = fields.Date.context_today(cls.env.user)
        cls.company.email = "credit@example.com"
        cls.env.user.partner_id.email = "accountant@example.com"
        cls.product = cls._create_product(name="Crate of juice", lst_price=100.0, taxes_id=[Command.clear()])
        cls.dealer = cls.env["res.partner"].create(
            {
                "name": "Dealer One",
                "is_company": True,
                "email": "dealer1@example.com",
                "credit_limit": 1000.0,
                "b2b_pay_on_account": True,
            }
        )
        cls.dealer_contact = cls.env["res.partner"].create(
            {"name": "Buyer of Dealer One", "parent_id": cls.dealer.id, "type": "contact", "email": "buyer@example.com"}
        )
        cls.other_dealer = cls.env["res.partner"].create(
            {"name": "Dealer Two", "is_company": True, "email": "dealer2@example.com", "credit_limit": 5000.0}
        )
        cls.salesman = cls.env["res.users"].create(
            {
                "name": "Sam Salesman",
                "login": "b2b_credit_salesman",
                "email": "sam@example.com",
                "groups_id": [Command.set([cls.env.ref("sales_team.group_sale_salesman").id])],
            }
        )
        cls.credit_manager = cls.env["res.users"].create(
            {
                "name": "Cleo Credit",
                "login": "b2b_credit_manager",
                "email": "cleo@example.com",
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("sales_team.group_sale_salesman").id,
                            cls.env.ref("b2b_credit.group_b2b_credit_manager").id,
                        ]
                    )
                ],
            }
        )
        cls.company.b2b_credit_manager_id = cls.credit_manager

    @classmethod
    def _order(cls, partner, qty=1.0, price=100.0, product=None, **values):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": (product or cls.product).id, "product_uom_qty": qty, "price_unit": price}
                    )
                ],
                **values,
            }
        )

    @classmethod
    def _invoice(cls, partner, amount, invoice_date=None, due_date=None, move_type="out_invoice", post=True):
        invoice_date = invoice_date or cls.today
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "date": invoice_date,
                "invoice_payment_term_id": False,
                "invoice_date_due": due_date or invoice_date,
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "quantity": 1.0, "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, invoices, amount=None, date=None):
        values = {"payment_date": date or cls.today}
        if amount is not None:
            values["amount"] = amount
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(values)
        )
        return wizard._create_payments()

    @classmethod
    def _days(cls, days):
        return cls.today + timedelta(days=days)
