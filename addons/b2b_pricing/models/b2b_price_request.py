from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class B2bPriceRequest(models.Model):
    """Negotiated price (在线议价): a dealer asks a price for a product and quantity,
    the salesperson counters or accepts; an accepted price becomes a contract rule of
    that dealer, valid until a date."""

    _name = "b2b.price.request"
    _description = "B2B Price Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(default=lambda self: _("New"), readonly=True, copy=False)
    partner_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, tracking=True, domain="[('is_company', '=', True)]", index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        tracking=True,
        default=lambda self: self.env.user if not self.env.user.share else False,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    product_id = fields.Many2one("product.product", required=True, tracking=True)
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure", tracking=True)
    uom_id = fields.Many2one(related="product_id.uom_id")
    pricelist_id = fields.Many2one("product.pricelist", compute="_compute_pricelist_id", store=True, readonly=False)
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id", store=True)
    current_price = fields.Monetary(compute="_compute_current_price")
    requested_price = fields.Monetary(required=True, tracking=True)
    counter_price = fields.Monetary(tracking=True)
    agreed_price = fields.Monetary(readonly=True, tracking=True, copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("countered", "Countered"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
            ("expired", "Expired"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    validity_date = fields.Date(
        string="Answer By",
        tracking=True,
        default=lambda self: fields.Date.context_today(self) + relativedelta(days=14),
        help="The request expires if not settled by this date.",
    )
    contract_end_date = fields.Date(
        string="Price Valid Until",
        tracking=True,
        default=lambda self: fields.Date.context_today(self) + relativedelta(months=6),
    )
    rule_id = fields.Many2one("b2b.price.rule", string="Contract Rule", readonly=True, copy=False)
    note = fields.Text()

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity must be positive."),
        ("requested_price_positive", "CHECK(requested_price >= 0)", "The requested price cannot be negative."),
        ("counter_price_positive", "CHECK(counter_price >= 0)", "The counter price cannot be negative."),
    ]

    @api.depends("partner_id")
    def _compute_pricelist_id(self):
        for request in self:
            request.pricelist_id = request.partner_id.commercial_partner_id.property_product_pricelist

    @api.depends("pricelist_id", "company_id")
    def _compute_currency_id(self):
        for request in self:
            request.currency_id = request.pricelist_id.currency_id or request.company_id.currency_id

    @api.depends("partner_id", "product_id", "quantity", "pricelist_id")
    def _compute_current_price(self):
        engine = self.env["b2b.price.engine"].sudo()
        for request in self:
            if not (request.partner_id and request.product_id):
                request.current_price = 0.0
                continue
            result = engine.price_for(
                request.product_id,
                dealer=request.partner_id.commercial_partner_id,
                quantities=request.quantity or 1.0,
                pricelist=request.pricelist_id,
                currency=request.currency_id,
                explain=False,
            )
            request.current_price = result[request.product_id.id]["price"]

    @api.constrains("validity_date", "contract_end_date")
    def _check_dates(self):
        for request in self:
            if request.contract_end_date and request.contract_end_date < fields.Date.context_today(request):
                if request.state in ("draft", "submitted", "countered"):
                    raise ValidationError(_("The price must be valid until a future date."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("b2b.price.request") or _("New")
            if vals.get("partner_id"):
                vals["partner_id"] = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Workflow (back office)
    # ------------------------------------------------------------------
    def _check_state(self, allowed):
        for request in self:
            if request.state not in allowed:
                raise UserError(
                    _(
                        "Price request %(name)s is %(state)s; this action is not possible any more.",
                        name=request.name,
                        state=dict(request._fields["state"]._description_selection(request.env))[request.state],
                    )
                )

    def action_submit(self):
        self._check_state(("draft",))
        for request in self:
            if request.requested_price <= 0:
                raise UserError(_("Enter the price you ask for."))
        self.write({"state": "submitted"})

    def action_counter(self):
        self._check_state(("submitted", "countered"))
        for request in self:
            if request.counter_price <= 0:
                raise UserError(_("Enter the counter price first."))
        self.write({"state": "countered"})
        for request in self:
            request.message_post(
                body=_("Counter offer: %(price)s", price=request.currency_id.format(request.counter_price)),
                partner_ids=request.partner_id.ids,
            )

    def action_accept(self):
        """Salesperson accepts the dealer's price (submitted) or confirms the counter."""
        self._check_state(("submitted", "countered"))
        for request in self:
            price = request.counter_price if request.state == "countered" else request.requested_price
            request._accept(price)

    def action_reject(self):
        self._check_state(("draft", "submitted", "countered"))
        self.write({"state": "rejected"})

    def action_reset_draft(self):
        self._check_state(("rejected", "expired"))
        self.write({"state": "draft"})

    def _accept(self, price):
        self.ensure_one()
        if self.contract_end_date and self.contract_end_date < fields.Date.context_today(self):
            raise UserError(_("The price validity date is in the past."))
        rule = (
            self.env["b2b.price.rule"]
            .sudo()
            .create(
                {
                    "name": _("Contract %(request)s: %(product)s", request=self.name, product=self.product_id.name),
                    "rule_type": "contract",
                    "sequence": 1,
                    "company_id": self.company_id.id,
                    "pricelist_id": self.pricelist_id.id,
                    "partner_ids": [(6, 0, self.partner_id.ids)],
                    "product_ids": [(6, 0, self.product_id.ids)],
                    "min_quantity": self.quantity,
                    "compute_price": "fixed",
                    "fixed_price": price,
                    "date_start": fields.Datetime.now(),
                    "date_end": fields.Datetime.to_datetime(self.contract_end_date).replace(hour=23, minute=59)
                    if self.contract_end_date
                    else False,
                    "price_request_id": self.id,
                }
            )
        )
        self.write({"state": "accepted", "agreed_price": price, "rule_id": rule.id})
        self.message_post(
            body=_(
                "Accepted at %(price)s; contract price valid until %(date)s.",
                price=self.currency_id.format(price),
                date=self.contract_end_date or _("further notice"),
            )
        )

    @api.model
    def _cron_expire(self):
        self.search(
            [("state", "in", ("submitted", "countered")), ("validity_date", "<", fields.Date.context_today(self))]
        ).write({"state": "expired"})

    # ------------------------------------------------------------------
    # Portal API: the dealer is always the logged-in user's company
    # ------------------------------------------------------------------
    def _check_portal_owner(self):
        own = self.env.user.partner_id.commercial_partner_id
        for request in self.sudo():
            if request.partner_id != own:
                raise AccessError(_("This price request belongs to another company."))

    @api.model
    def b2b_portal_create(self, product_id, quantity, requested_price, note=None):
        """Create and submit a request for the current user's company."""
        partner = self.env.user.partner_id.commercial_partner_id
        product = self.env["product.product"].sudo().browse(int(product_id)).exists()
        if not product or not product.sale_ok:
            raise UserError(_("This product cannot be requested."))
        try:
            quantity, requested_price = float(quantity), float(requested_price)
        except (TypeError, ValueError):
            raise UserError(_("Quantity and price must be numbers.")) from None
        if quantity <= 0 or requested_price <= 0:
            raise UserError(_("Quantity and price must be positive."))
        request = self.sudo().create(
            {
                "partner_id": partner.id,
                "product_id": product.id,
                "quantity": quantity,
                "requested_price": requested_price,
                "note": note or False,
                "user_id": partner.user_id.id,
                "company_id": self.env.company.id,
            }
        )
        request.action_submit()
        return request.with_env(self.env)

    def b2b_portal_accept_counter(self):
        self._check_portal_owner()
        requests = self.sudo()
        requests._check_state(("countered",))
        for request in requests:
            request._accept(request.counter_price)
        return True

    def b2b_portal_reject(self):
        self._check_portal_owner()
        requests = self.sudo()
        requests._check_state(("draft", "submitted", "countered"))
        requests.write({"state": "rejected"})
        return True
