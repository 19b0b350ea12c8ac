from datetime import timedelta

from odoo import Command, fields, http
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import B2bPortalCase, B2bPortalHttpCase


class NoticeDataMixin:
    @classmethod
    def _setup_notice_data(cls):
        env = cls.env
        cls.tier_gold = env["b2b.dealer.tier"].create({"name": "B2B Notice Gold", "code": "B2B-NGOLD"})
        cls.tier_silver = env["b2b.dealer.tier"].create({"name": "B2B Notice Silver", "code": "B2B-NSILV"})
        cls.dealer_a.b2b_tier_id = cls.tier_gold
        cls.dealer_b.b2b_tier_id = cls.tier_silver
        now = fields.Datetime.now()
        cls.promo_gold = env["b2b.price.rule"].create(
            {
                "name": "B2B Gold juice week",
                "rule_type": "promotion",
                "tier_ids": [Command.set(cls.tier_gold.ids)],
                "categ_ids": [Command.set(cls.categ_juice.ids)],
                "percent_price": 10,
                "date_start": now - timedelta(days=1),
                "date_end": now + timedelta(days=6),
            }
        )
        cls.new_product = env["product.template"].create(
            {"name": "B2B Sparkling Lemon", "sale_ok": True, "list_price": 4.0, "type": "consu"}
        )
        cls.dealers = cls.dealer_a | cls.dealer_b


@tagged("post_install", "-at_install")
class TestNotice(NoticeDataMixin, B2bPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_notice_data()

    def notices_of(self, dealer):
        return self.env["b2b.portal.notice"].search([("dealer_id", "=", dealer.id)])

    def test_new_product_one_notice_per_dealer_and_mail(self):
        Notice = self.env["b2b.portal.notice"]
        notices = Notice._b2b_notify_new_products(self.new_product, self.company, self.dealers)
        self.assertEqual(notices.dealer_id, self.dealers)
        self.assertEqual(len(notices), 2)
        self.assertEqual(set(notices.mapped("event_key")), {f"product:{self.new_product.id}"})
        self.assertIn("B2B Sparkling Lemon", notices[0].name)
        mails = self.env["mail.mail"].search([("model", "=", "b2b.portal.notice"), ("res_id", "in", notices.ids)])
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails.recipient_ids, self.dealers)
        # the same event again creates nothing
        self.assertFalse(Notice._b2b_notify_new_products(self.new_product, self.company, self.dealers))
        # a product not for sale is no news
        self.new_product.sale_ok = False
        other = self.new_product.copy({"name": "B2B Hidden"})
        self.assertFalse(Notice._b2b_notify_new_products(other, self.company, self.dealers))

    def test_promotions_reach_their_tier_only(self):
        notices = self.env["b2b.portal.notice"]._b2b_notify_promotions(self.company, self.dealers)
        promo_notices = notices.filtered(lambda n: n.price_rule_id == self.promo_gold)
        self.assertEqual(promo_notices.dealer_id, self.dealer_a)
        self.assertEqual(promo_notices.notice_type, "promotion")
        self.assertFalse(self.env["b2b.portal.notice"]._b2b_notify_promotions(self.company, self.dealers))

    def test_cron_covers_dealers_with_portal_users(self):
        params = self.env["ir.config_parameter"]
        params.set_param("b2b_portal.notice_last_run", False)
        notices = self.env["b2b.portal.notice"]._cron_b2b_generate()
        self.assertFalse(notices.filtered("product_tmpl_id"), "the first run starts the clock only")
        self.assertIn(self.dealer_a, notices.filtered(lambda n: n.price_rule_id == self.promo_gold).dealer_id)
        self.assertNotIn(self.dealer_b, notices.filtered(lambda n: n.price_rule_id == self.promo_gold).dealer_id)
        params.set_param("b2b_portal.notice_last_run", fields.Datetime.to_string(self.new_product.create_date))
        notices = self.env["b2b.portal.notice"]._cron_b2b_generate()
        product_key = f"product:{self.new_product.id}"
        self.assertEqual(notices.filtered(lambda n: n.event_key == product_key).dealer_id & self.dealers, self.dealers)
        self.assertFalse(notices.filtered(lambda n: n.price_rule_id == self.promo_gold), "already notified")
        self.assertFalse(
            self.env["b2b.portal.notice"]._cron_b2b_generate().filtered(lambda n: n.dealer_id in self.dealers)
        )

    def test_unread_count_and_mark_read(self):
        Notice = self.env["b2b.portal.notice"]
        Notice._b2b_notify_new_products(self.new_product, self.company, self.dealers)
        Notice._b2b_notify_promotions(self.company, self.dealers)
        ctx_a, ctx_b = self.ctx_of(self.buyer_a), self.ctx_of(self.buyer_b)
        count_a, count_b = len(self.notices_of(self.dealer_a)), len(self.notices_of(self.dealer_b))
        self.assertGreaterEqual(count_a, 2)
        self.assertEqual(Notice._b2b_portal_unread_count(ctx_a), count_a)
        notice = self.notices_of(self.dealer_a).filtered(lambda n: n.notice_type == "product")
        Notice.with_user(self.buyer_a)._b2b_portal_get(ctx_a, notice.id)._b2b_portal_mark_read()
        self.assertTrue(notice.is_read)
        self.assertEqual(Notice._b2b_portal_unread_count(ctx_a), count_a - 1)
        with self.assertRaises(AccessError):
            Notice.with_user(self.buyer_b)._b2b_portal_get(ctx_b, notice.id)
        Notice._b2b_portal_mark_all_read(ctx_a)
        self.assertEqual(Notice._b2b_portal_unread_count(ctx_a), 0)
        self.assertEqual(Notice._b2b_portal_unread_count(ctx_b), count_b)

    def test_portal_rpc_reads_own_notices_only(self):
        Notice = self.env["b2b.portal.notice"]
        Notice._b2b_notify_new_products(self.new_product, self.company, self.dealers)
        seen = Notice.with_user(self.buyer_a).search([])
        self.assertEqual(seen.dealer_id, self.dealer_a)
        with self.assertRaises(AccessError):
            seen.with_user(self.buyer_a).write({"is_read": True})
        with self.assertRaises(AccessError):
            Notice.with_user(self.buyer_a).create(
                {"name": "x", "dealer_id": self.dealer_b.id, "notice_type": "product", "event_key": "x"}
            )


@tagged("post_install", "-at_install")
class TestNoticePages(NoticeDataMixin, B2bPortalHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_notice_data()
        Notice = cls.env["b2b.portal.notice"]
        Notice._b2b_notify_new_products(cls.new_product, cls.company, cls.dealers)

    def post(self, url):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self)}, allow_redirects=False)

    def test_inbox_badge_and_read(self):
        notice_a = self.env["b2b.portal.notice"].search([("dealer_id", "=", self.dealer_a.id)])
        notice_b = self.env["b2b.portal.notice"].search([("dealer_id", "=", self.dealer_b.id)])
        self.authenticate(self.buyer_a.login, "x")
        html = self.url_open("/my/b2b/catalogue").text
        self.assertIn('o_b2b_notice_unread">1<', html)
        html = self.url_open("/my/b2b/notices").text
        self.assertIn("B2B Sparkling Lemon", html)
        self.assertIn(f"/my/b2b/product/{self.new_product.id}", html)
        self.assertEqual(self.post(f"/my/b2b/notices/{notice_b.id}/read").status_code, 404)
        self.assertFalse(notice_b.is_read)
        self.assertEqual(self.post(f"/my/b2b/notices/{notice_a.id}/read").status_code, 303)
        self.assertTrue(notice_a.is_read)
        self.assertNotIn("o_b2b_notice_unread", self.url_open("/my/b2b/catalogue").text)
        self.assertEqual(self.post("/my/b2b/notices/read_all").status_code, 303)
        self.assertFalse(notice_b.is_read)
