from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .price_conditions import CONDITIONS, RuleData

CHANNELS = [("backoffice", "Back office"), ("portal", "Portal"), ("api", "API")]

# Fields the engine loads for every rule (conditions read them through RuleData.values).
RULE_SET_FIELDS = (
    "tier_ids",
    "partner_ids",
    "partner_category_ids",
    "country_ids",
    "state_ids",
    "country_group_ids",
    "payment_term_ids",
    "product_ids",
    "product_tmpl_ids",
    "categ_ids",
    "product_tag_ids",
    "uom_ids",
)
RULE_SCALAR_FIELDS = (
    "sequence",
    "pricelist_id",
    "rule_type",
    "channel",
    "date_start",
    "date_end",
    "season_months",
    "min_order_amount",
    "min_quantity",
    "quantity_scope",
    "packaging_required",
    "compute_price",
    "fixed_price",
    "percent_price",
    "base",
    "base_pricelist_id",
    "price_discount",
    "price_surcharge",
    "price_round",
    "price_min_margin",
    "price_max_margin",
    "promotion_budget",
    "promotion_budget_used",
    "promotion_usage_cap",
    "promotion_usage_count",
)
# Fields whose change can move a price (price table invalidation, conflict detection).
PRICING_FIELDS = (*RULE_SET_FIELDS, *RULE_SCALAR_FIELDS, "active", "company_id")


def parse_months(text):
    """'6-8, 12' -> {6, 7, 8, 12}; raises ValueError on anything else."""
    months = set()
    for chunk in (text or "").replace(" ", "").split(","):
        if not chunk:
            continue
        if "-" in chunk:
            low, high = (int(part) for part in chunk.split("-", 1))
            if low > high:
                raise ValueError(chunk)
            months.update(range(low, high + 1))
        else:
            months.add(int(chunk))
    if any(month < 1 or month > 12 for month in months):
        raise ValueError(text)
    return frozenset(months)


class B2bPriceRule(models.Model):
    """A B2B price rule.

    Why an own model rather than more columns on ``product.pricelist.item``: a core
    item applies on exactly one product dimension (``applied_on``) and core code
    (``_compute_price_rule``, ``_is_applicable_for``, the pricelist report, the
    eCommerce) iterates items one by one assuming that shape. Our rules combine any
    number of dimensions through the condition registry, carry promotion budgets and
    an explanation, and are evaluated in bulk by ``b2b.price.engine``. They still hang
    off ``product.pricelist`` (``pricelist_id``), so dealers keep Odoo's pricelist
    field; rules without a pricelist apply on every pricelist (contracts, promotions).
    The action fields (fixed / percentage / formula with base, discount, surcharge,
    rounding and margins) mirror core items one to one, and products no rule matches
    are priced by the pricelist's core items, so an equivalent core chain gives the
    same prices.
    """

    _name = "b2b.price.rule"
    _description = "B2B Price Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(
        string="Priority", default=10, tracking=True, help="Lower numbers are tried first by the 'first match' policy."
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, tracking=True)
    rule_type = fields.Selection(
        [("price", "Price rule"), ("contract", "Contract price"), ("promotion", "Promotion")],
        default="price",
        required=True,
        tracking=True,
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        ondelete="cascade",
        index=True,
        tracking=True,
        help="Pricelist the rule belongs to; empty means every pricelist (contracts, promotions).",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")

    # --- conditions (one registered condition type reads each group of fields) ---
    tier_ids = fields.Many2many("b2b.dealer.tier", string="Dealer Tiers", tracking=True)
    partner_ids = fields.Many2many(
        "res.partner",
        "b2b_price_rule_partner_rel",
        string="Dealers",
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category", string="Dealer Segments", tracking=True, help="Partner tags of the dealer."
    )
    channel = fields.Selection(CHANNELS, string="Sales Channel", tracking=True)
    country_ids = fields.Many2many("res.country", string="Countries", tracking=True)
    state_ids = fields.Many2many("res.country.state", string="States", tracking=True)
    country_group_ids = fields.Many2many("res.country.group", string="Country Groups", tracking=True)
    payment_term_ids = fields.Many2many("account.payment.term", string="Payment Terms", tracking=True)
    date_start = fields.Datetime(string="Start Date", tracking=True)
    date_end = fields.Datetime(string="End Date", tracking=True)
    season_months = fields.Char(
        string="Season (months)", tracking=True, help="Months the rule applies every year, e.g. '6-8' or '1,2,12'."
    )
    min_order_amount = fields.Monetary(
        string="Minimum Order Total",
        currency_field="currency_id",
        tracking=True,
        help="Order total at list price, in the pricelist currency.",
    )
    product_ids = fields.Many2many("product.product", string="Variants", tracking=True)
    product_tmpl_ids = fields.Many2many("product.template", string="Products", tracking=True)
    categ_ids = fields.Many2many(
        "product.category", string="Product Categories", tracking=True, help="Sub-categories are included."
    )
    product_tag_ids = fields.Many2many("product.tag", string="Product Tags / Brands", tracking=True)
    uom_ids = fields.Many2many("uom.uom", string="Units of Measure", tracking=True)
    packaging_required = fields.Boolean(
        string="Whole Packages Only", tracking=True, help="Only for lines ordered in whole packages (cases)."
    )
    min_quantity = fields.Float(
        digits="Product Unit of Measure", tracking=True, help="Quantity break, in the product's unit of measure."
    )
    quantity_scope = fields.Selection(
        [
            ("line", "Per order line"),
            ("product", "Product, summed over the order"),
            ("category", "Mixed across the category"),
        ],
        default="line",
        required=True,
        tracking=True,
        help="'Mixed across the category' sums the quantities of all order lines in the rule's categories "
        "(or in the line's category), e.g. any 50 cases of juice.",
    )

    # --- action (same meaning as product.pricelist.item) ---
    compute_price = fields.Selection(
        [("fixed", "Fixed Price"), ("percentage", "Discount"), ("formula", "Formula")],
        default="percentage",
        required=True,
        tracking=True,
    )
    fixed_price = fields.Float(digits="Product Price", tracking=True)
    percent_price = fields.Float(string="Discount (%)", tracking=True)
    base = fields.Selection(
        [("list_price", "Sales Price"), ("standard_price", "Cost"), ("pricelist", "Other Pricelist")],
        string="Based on",
        default="list_price",
        required=True,
        tracking=True,
    )
    base_pricelist_id = fields.Many2one("product.pricelist", tracking=True)
    price_discount = fields.Float(
        string="Formula Discount (%)", tracking=True, help="Negative for a markup (e.g. -20 on cost)."
    )
    price_surcharge = fields.Float(digits="Product Price", tracking=True)
    price_round = fields.Float(string="Rounding", digits="Product Price", tracking=True)
    price_min_margin = fields.Float(digits="Product Price", tracking=True)
    price_max_margin = fields.Float(digits="Product Price", tracking=True)

    # --- promotion ---
    promotion_description = fields.Text(translate=True)
    promotion_budget = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        help="Total discount the promotion may grant; 0 means no budget limit.",
    )
    promotion_budget_used = fields.Monetary(currency_field="currency_id", readonly=True, copy=False)
    promotion_usage_cap = fields.Integer(
        string="Maximum Orders", tracking=True, help="Number of confirmed orders; 0 means unlimited."
    )
    promotion_usage_count = fields.Integer(string="Orders", readonly=True, copy=False)
    promotion_budget_remaining = fields.Monetary(currency_field="currency_id", compute="_compute_promotion_remaining")
    price_request_id = fields.Many2one("b2b.price.request", string="From Price Request", readonly=True, copy=False)
    conflict_warning = fields.Char(compute="_compute_conflict_warning")
    condition_summary = fields.Char(compute="_compute_condition_summary", string="Conditions")

    _sql_constraints = [
        ("fixed_price_positive", "CHECK(fixed_price >= 0)", "A fixed price cannot be negative."),
        ("min_quantity_positive", "CHECK(min_quantity >= 0)", "A quantity break cannot be negative."),
        ("price_round_positive", "CHECK(price_round >= 0)", "The rounding cannot be negative."),
        (
            "promotion_limits_positive",
            "CHECK(promotion_budget >= 0 AND promotion_usage_cap >= 0)",
            "A promotion budget or usage cap cannot be negative.",
        ),
    ]

    @api.depends("pricelist_id.currency_id", "company_id")
    def _compute_currency_id(self):
        for rule in self:
            rule.currency_id = (
                rule.pricelist_id.currency_id or rule.company_id.currency_id or self.env.company.currency_id
            )

    @api.depends("promotion_budget", "promotion_budget_used")
    def _compute_promotion_remaining(self):
        for rule in self:
            rule.promotion_budget_remaining = (
                max(rule.promotion_budget - rule.promotion_budget_used, 0.0) if rule.promotion_budget else 0.0
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for rule in self:
            if rule.date_start and rule.date_end and rule.date_end < rule.date_start:
                raise ValidationError(
                    _("Rule '%(rule)s': the end date must be after the start date.", rule=rule.display_name)
                )

    @api.constrains("season_months")
    def _check_season_months(self):
        for rule in self:
            try:
                parse_months(rule.season_months)
            except ValueError:
                raise ValidationError(
                    _(
                        "Rule '%(rule)s': season '%(season)s' is not a list of months 1-12 such as '6-8' or '1,2,12'.",
                        rule=rule.display_name,
                        season=rule.season_months,
                    )
                ) from None

    @api.constrains("compute_price", "percent_price", "price_discount", "base", "base_pricelist_id", "pricelist_id")
    def _check_action(self):
        for rule in self:
            if rule.compute_price == "percentage" and not -100 <= rule.percent_price <= 100:
                raise ValidationError(
                    _("Rule '%(rule)s': a discount must be between -100%% and 100%%.", rule=rule.display_name)
                )
            if rule.compute_price == "formula" and rule.price_discount > 100:
                raise ValidationError(
                    _("Rule '%(rule)s': a formula discount above 100%% gives negative prices.", rule=rule.display_name)
                )
            if rule.compute_price == "formula" and rule.base == "pricelist":
                if not rule.base_pricelist_id:
                    raise ValidationError(_("Rule '%(rule)s': choose the base pricelist.", rule=rule.display_name))
                if rule.base_pricelist_id == rule.pricelist_id:
                    raise ValidationError(
                        _("Rule '%(rule)s': a pricelist cannot be based on itself.", rule=rule.display_name)
                    )
            if rule.rule_type == "promotion" and not (rule.date_start and rule.date_end):
                raise ValidationError(
                    _("Promotion '%(rule)s' must have a start and an end date.", rule=rule.display_name)
                )

    # ------------------------------------------------------------------
    # Loading for the engine
    # ------------------------------------------------------------------
    def _b2b_rule_data(self):
        """RuleData for these rules, fetched in a bounded number of queries."""
        self.fetch([*RULE_SET_FIELDS, *RULE_SCALAR_FIELDS])
        result = []
        for rule in self:
            values = {name: frozenset(rule[name]._ids) for name in RULE_SET_FIELDS}
            for name in RULE_SCALAR_FIELDS:
                value = rule[name]
                values[name] = value.id if isinstance(value, models.BaseModel) else value
            values["season_month_set"] = parse_months(rule.season_months)
            result.append(RuleData(rule, values))
        return result

    def _condition_signature(self):
        """Same pricelist, priority and conditions: two such rules contradict each other
        when their actions differ."""
        self.ensure_one()
        values = self._b2b_rule_data()[0].values
        condition_fields = sorted({f for condition in CONDITIONS.values() for f in condition.fields})
        return (
            self.pricelist_id.id,
            self.sequence,
            values["quantity_scope"],
            *(values[f] for f in condition_fields),
        )

    def _action_signature(self):
        return (
            self.compute_price,
            self.fixed_price,
            self.percent_price,
            self.base,
            self.base_pricelist_id.id,
            self.price_discount,
            self.price_surcharge,
            self.price_round,
            self.price_min_margin,
            self.price_max_margin,
        )

    @api.depends(*PRICING_FIELDS)
    def _compute_conflict_warning(self):
        rules = self.filtered("id")
        (self - rules).conflict_warning = False
        if not rules:
            return
        siblings = self.search(
            [("pricelist_id", "in", [*rules.pricelist_id.ids, False]), ("sequence", "in", rules.mapped("sequence"))]
        )
        by_signature = defaultdict(list)
        for sibling in siblings | rules:
            by_signature[sibling._condition_signature()].append(sibling)
        for rule in rules:
            others = [
                other
                for other in by_signature[rule._condition_signature()]
                if other != rule and other._action_signature() != rule._action_signature()
            ]
            rule.conflict_warning = (
                _(
                    "Contradicts %(rules)s: same priority and conditions, different price. "
                    "Change the priority or the conditions.",
                    rules=", ".join(other.display_name for other in others),
                )
                if others
                else False
            )

    @api.depends(*RULE_SET_FIELDS, "channel", "date_start", "date_end", "season_months", "min_quantity")
    def _compute_condition_summary(self):
        for rule in self:
            parts = []
            for label, records in (
                (_("Tiers"), rule.tier_ids),
                (_("Dealers"), rule.partner_ids),
                (_("Segments"), rule.partner_category_ids),
                (_("Variants"), rule.product_ids),
                (_("Products"), rule.product_tmpl_ids),
                (_("Categories"), rule.categ_ids),
                (_("Tags"), rule.product_tag_ids),
                (_("Countries"), rule.country_ids),
                (_("States"), rule.state_ids),
                (_("Country groups"), rule.country_group_ids),
                (_("Payment terms"), rule.payment_term_ids),
                (_("Units"), rule.uom_ids),
            ):
                if records:
                    parts.append(f"{label}: {', '.join(records[:3].mapped('display_name'))}")
            if rule.channel:
                parts.append(dict(self._fields["channel"]._description_selection(self.env))[rule.channel])
            if rule.min_quantity:
                parts.append(_("Qty ≥ %(qty)s", qty=rule.min_quantity))
            if rule.season_months:
                parts.append(_("Months %(months)s", months=rule.season_months))
            rule.condition_summary = "; ".join(parts) or _("All")

    # ------------------------------------------------------------------
    # Changes: the price table follows
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._b2b_invalidate_price_table()
        return rules

    def write(self, vals):
        pricing_change = any(name in vals for name in PRICING_FIELDS)
        if pricing_change:
            self._b2b_invalidate_price_table()  # rows the rules touched before the change
        res = super().write(vals)
        if pricing_change:
            self._b2b_invalidate_price_table()  # and after
        return res

    def unlink(self):
        self._b2b_invalidate_price_table()
        return super().unlink()

    def _b2b_invalidate_price_table(self):
        """Mark dirty only the table rows these rules can touch."""
        table = self.env["b2b.price.table"].sudo()
        for rule in self.with_context(active_test=False):
            data = rule._b2b_rule_data()[0]
            product_domains = [
                condition.product_domain(data)
                for condition in data.active_conditions
                if condition.product_domain(data) is not None
            ]
            table._mark_dirty(
                pricelists=rule.pricelist_id or None,
                product_domain=product_domains[0] if product_domains else None,
            )
        self.env["b2b.price.table"].sudo()._mark_dependent_pricelists_dirty(self.pricelist_id)

    # ------------------------------------------------------------------
    # Promotions
    # ------------------------------------------------------------------
    def _b2b_promotion_available(self):
        """(bool, reason) whether the promotion can still be granted."""
        self.ensure_one()
        if self.promotion_budget and self.promotion_budget_used >= self.promotion_budget:
            return False, _("Promotion budget exhausted")
        if self.promotion_usage_cap and self.promotion_usage_count >= self.promotion_usage_cap:
            return False, _("Promotion usage cap reached")
        return True, ""

    @api.model
    def b2b_active_promotions(self, partner=None, date=None, channel="portal"):
        """Promotions the dealer is targeted by, today, with budget left.

        The portal calls this with no argument: the dealer is always the current
        user's commercial partner for portal users (never taken from the request).
        Returns a list of dicts ready for a template.
        """
        engine = self.env["b2b.price.engine"]
        partner = engine._b2b_resolve_dealer(partner)
        ctx = engine._b2b_make_context(
            partner=partner,
            pricelist=partner.property_product_pricelist if partner else self.env["product.pricelist"],
            date=date,
            channel=channel,
        )
        promotions = (
            self.sudo()
            .search(
                [
                    ("rule_type", "=", "promotion"),
                    ("company_id", "in", [self.env.company.id, False]),
                    ("date_start", "<=", ctx.date),
                    ("date_end", ">=", ctx.date),
                    "|",
                    ("pricelist_id", "=", False),
                    ("pricelist_id", "=", ctx.pricelist_id),
                ]
            )
            .filtered(lambda promo: promo._b2b_promotion_available()[0])
        )
        result = []
        for data in promotions._b2b_rule_data():
            if all(
                c.matches(data, ctx, None)
                for c in data.active_conditions
                if c.scope == "order" and c.key != "order_amount"
            ):
                promo = data.record
                result.append(
                    {
                        "id": promo.id,
                        "name": promo.name,
                        "description": promo.promotion_description or "",
                        "date_end": promo.date_end,
                        "compute_price": promo.compute_price,
                        "percent_price": promo.percent_price,
                        "fixed_price": promo.fixed_price,
                        "conditions": promo.condition_summary,
                        "budget_remaining": promo.promotion_budget_remaining if promo.promotion_budget else None,
                        "product_ids": promo.product_ids.ids,
                        "product_tmpl_ids": promo.product_tmpl_ids.ids,
                        "categ_ids": promo.categ_ids.ids,
                        "product_tag_ids": promo.product_tag_ids.ids,
                    }
                )
        return result

    def action_open_simulator(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("b2b_pricing.b2b_price_simulator_action")
        action["context"] = {
            "default_product_ids": (self.product_ids | self.product_tmpl_ids.product_variant_ids).ids[:20],
            "default_tier_ids": self.tier_ids.ids,
            "default_partner_ids": self.partner_ids.ids,
        }
        return action
