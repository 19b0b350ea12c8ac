from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

LAST_RUN_PARAM = "b2b_portal.notice_last_run"


class B2bPortalNotice(models.Model):
    """A message of the supplier in a dealer's portal inbox (a new product, a promotion of
    the dealer's tier), also sent by mail. One notice per dealer per event."""

    _name = "b2b.portal.notice"
    _description = "Dealer Portal Notice"
    _order = "create_date desc, id desc"

    name = fields.Char(string="Title", required=True)
    body = fields.Text()
    dealer_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    notice_type = fields.Selection(
        [("product", "New Product"), ("promotion", "Promotion")], string="Type", required=True
    )
    event_key = fields.Char(required=True, help="The event this notice is about, e.g. product:42 or promotion:7.")
    product_tmpl_id = fields.Many2one("product.template", string="Product", ondelete="cascade")
    price_rule_id = fields.Many2one("b2b.price.rule", string="Promotion", ondelete="cascade")
    date_end = fields.Datetime(string="Promotion Ends")
    is_read = fields.Boolean(string="Read", default=False, index=True)
    read_date = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "dealer_event_uniq",
            "UNIQUE(dealer_id, company_id, event_key)",
            "The dealer already has a notice for this event.",
        ),
    ]

    # ------------------------------------------------------------------ generation (cron)

    @api.model
    def _b2b_notice_dealers(self, company):
        """Dealers (commercial partners) with an active portal user in the company."""
        users = (
            self.env["res.users"]
            .sudo()
            .search_fetch(
                [("share", "=", True), ("company_ids", "in", company.ids)],
                ["partner_id"],
            )
        )
        return users.partner_id.commercial_partner_id

    @api.model
    def _b2b_create_notices(self, candidates, company, send_mail=True):
        """Create the notices of ``candidates`` (vals dicts with dealer_id and event_key)
        that do not exist yet, in one batch; mail them. Returns the new notices."""
        if not candidates:
            return self.browse()
        existing = self.sudo().search_fetch(
            [
                ("company_id", "=", company.id),
                ("dealer_id", "in", list({vals["dealer_id"] for vals in candidates})),
                ("event_key", "in", list({vals["event_key"] for vals in candidates})),
            ],
            ["dealer_id", "event_key"],
        )
        seen = {(notice.dealer_id.id, notice.event_key) for notice in existing}
        vals_list = []
        for vals in candidates:
            key = (vals["dealer_id"], vals["event_key"])
            if key not in seen:
                seen.add(key)
                vals_list.append({**vals, "company_id": company.id})
        notices = self.sudo().create(vals_list)
        if notices and send_mail:
            template = self.env.ref("b2b_portal.mail_template_b2b_portal_notice", raise_if_not_found=False)
            if template:
                template.sudo().send_mail_batch(notices.ids)
        return notices

    @api.model
    def _b2b_notify_new_products(self, templates, company, dealers=None):
        """One notice per dealer per newly published product (saleable in the company)."""
        dealers = dealers if dealers is not None else self._b2b_notice_dealers(company)
        templates = templates.sudo().filtered(
            lambda t: t.sale_ok and t.active and (not t.company_id or t.company_id == company)
        )
        candidates = []
        for template in templates:
            for dealer in dealers:
                lang = dealer.lang or "en_US"
                candidates.append(
                    {
                        "dealer_id": dealer.id,
                        "notice_type": "product",
                        "event_key": f"product:{template.id}",
                        "product_tmpl_id": template.id,
                        "name": self.with_context(lang=lang).env._(
                            "New product: %s", template.with_context(lang=lang).name
                        ),
                        "body": template.with_context(lang=lang).description_sale or False,
                    }
                )
        return self._b2b_create_notices(candidates, company)

    @api.model
    def _b2b_notify_promotions(self, company, dealers=None):
        """One notice per dealer per running promotion targeting it (its tier, pricelist,
        conditions), as b2b_pricing's b2b_active_promotions answers for that dealer."""
        dealers = dealers if dealers is not None else self._b2b_notice_dealers(company)
        Rule = self.env["b2b.price.rule"].sudo().with_company(company)
        candidates = []
        for dealer in dealers:
            lang = dealer.lang or "en_US"
            for promo in Rule.with_context(lang=lang).b2b_active_promotions(partner=dealer):
                candidates.append(
                    {
                        "dealer_id": dealer.id,
                        "notice_type": "promotion",
                        "event_key": f"promotion:{promo['id']}",
                        "price_rule_id": promo["id"],
                        "name": self.with_context(lang=lang).env._("Promotion: %s", promo["name"]),
                        "body": promo["description"] or promo["conditions"] or False,
                        "date_end": promo["date_end"],
                    }
                )
        return self._b2b_create_notices(candidates, company)

    @api.model
    def _cron_b2b_generate(self):
        """Products published since the last run, and running promotions, for every company.

        The first run only starts the clock: dealers are not flooded with the whole catalogue."""
        self = self.sudo()  # noqa: PLW0642 - notices of every dealer
        params = self.env["ir.config_parameter"]
        now = fields.Datetime.now()
        last_run = params.get_param(LAST_RUN_PARAM)
        params.set_param(LAST_RUN_PARAM, fields.Datetime.to_string(now))
        notices = self.browse()
        for company in self.env["res.company"].search([]):
            dealers = self._b2b_notice_dealers(company)
            if not dealers:
                continue
            if last_run:
                since = max(
                    fields.Datetime.to_datetime(last_run),
                    now - timedelta(days=company.b2b_portal_new_product_days or 30),
                )
                templates = self.env["product.template"].search(
                    [("sale_ok", "=", True), ("create_date", ">=", since), ("company_id", "in", [False, company.id])]
                )
                notices |= self._b2b_notify_new_products(templates, company, dealers)
            notices |= self._b2b_notify_promotions(company, dealers)
        return notices

    # ------------------------------------------------------------------ portal

    @api.model
    def _b2b_portal_domain(self, ctx):
        return [("dealer_id", "=", ctx["dealer"].id), ("company_id", "=", ctx["company"].id)]

    @api.model
    def _b2b_portal_unread_count(self, ctx):
        return self.sudo().search_count([*self._b2b_portal_domain(ctx), ("is_read", "=", False)])

    @api.model
    def _b2b_portal_notices(self, ctx, limit=50):
        return self.sudo().search(self._b2b_portal_domain(ctx), limit=limit)

    @api.model
    def _b2b_portal_get(self, ctx, notice_id):
        try:
            notice_id = int(notice_id)
        except (TypeError, ValueError):
            raise AccessError(_("This notice does not exist.")) from None
        notice = self.sudo().search([*self._b2b_portal_domain(ctx), ("id", "=", notice_id)])
        if not notice:
            raise AccessError(_("This notice does not exist."))
        return notice

    def _b2b_portal_mark_read(self):
        """Mark the (already dealer-checked, sudo) notices read."""
        unread = self.filtered(lambda n: not n.is_read)
        unread.write({"is_read": True, "read_date": fields.Datetime.now()})
        return len(unread)

    @api.model
    def _b2b_portal_mark_all_read(self, ctx):
        return self.sudo().search([*self._b2b_portal_domain(ctx), ("is_read", "=", False)])._b2b_portal_mark_read()
