"""Registry of the condition types a B2B price rule can carry.

A dimension of pricing (dealer tier, category, season, ...) is one small class here:
it names the rule field(s) it reads, says whether a rule uses it, matches a rule
against an evaluation context and, when it selects products, gives the keys that
let the engine index rules for a fast lookup. Adding a dimension means adding the
rule field(s) and one registered class; the engine, the explanation trace, the
price table invalidation and the reference test evaluator need no change.

Rules are given to conditions as plain ``RuleData`` objects (loaded once per
evaluation), lines as ``PricingLine`` and the order as ``PricingContext``.
"""

from dataclasses import dataclass, field
from datetime import datetime

from odoo.tools import float_compare

CONDITIONS = {}


def register_condition(cls):
    """Class decorator: make a condition type known to the engine."""
    CONDITIONS[cls.key] = cls()
    return cls


def ordered_conditions():
    """Conditions sorted so cheap order-level checks run first."""
    return sorted(CONDITIONS.values(), key=lambda c: (c.scope != "order", c.sequence))


@dataclass
class PricingLine:
    """One (product, quantity) to price."""

    key: object
    product_id: int
    tmpl_id: int
    categ_id: int
    categ_path_ids: frozenset  # the category and its ancestors
    tag_ids: frozenset
    qty: float  # in the line unit of measure
    qty_product_uom: float  # in the product's unit of measure (rule quantities use it)
    uom_id: int
    product_uom_id: int
    packaging_id: int = False
    packaging_qty: float = 0.0  # units of the product uom in one package
    # False for a product priced on its own (catalogue, simulator): it counts in the
    # order's sums for itself only, other probes do not add up with it.
    in_order: bool = True
    list_amount: float = 0.0  # quantity x sales price, in the pricelist currency


@dataclass
class PricingContext:
    """Everything about the order that conditions may look at."""

    pricelist_id: int
    date: datetime
    partner_id: int = False  # commercial partner
    tier_id: int = False
    partner_category_ids: frozenset = frozenset()
    country_id: int = False
    state_id: int = False
    country_group_ids: frozenset = frozenset()
    channel: str = False
    payment_term_id: int = False
    order_amount: float = 0.0
    lines: list = field(default_factory=list)
    _qty_cache: dict = field(default_factory=dict, repr=False)

    def summed_qty(self, scope, line, categ_ids=frozenset()):
        """Quantity a break is measured on: the line, the product across lines, or
        the rule's categories (or the line's own category) across the whole order."""
        if scope == "product":
            cache_key = ("product", line.tmpl_id)
            if cache_key not in self._qty_cache:
                self._qty_cache[cache_key] = sum(
                    other.qty_product_uom for other in self.lines if other.in_order and other.tmpl_id == line.tmpl_id
                )
        elif scope == "category":
            categs = categ_ids or frozenset([line.categ_id])
            cache_key = ("category", categs)
            if cache_key not in self._qty_cache:
                self._qty_cache[cache_key] = sum(
                    other.qty_product_uom for other in self.lines if other.in_order and other.categ_path_ids & categs
                )
        else:
            return line.qty_product_uom
        return self._qty_cache[cache_key] + (0.0 if line.in_order else line.qty_product_uom)

    def amount_for(self, line):
        """Order total (at sales price) a line is priced with."""
        return self.order_amount + (0.0 if line.in_order else line.list_amount)


class PriceCondition:
    """Base class of a condition type.

    ``scope`` is "order" when the result is the same for every line of one
    evaluation (checked once per rule), "line" otherwise. ``index_rank`` set (lower
    is more selective) means the condition selects products and rules carrying it
    can be indexed by ``index_keys`` / looked up by ``line_keys``.
    """

    key = None
    label = ""
    fields = ()
    scope = "order"
    sequence = 50
    index_rank = None

    def is_set(self, rule):
        return any(rule.values[f] for f in self.fields)

    def matches(self, rule, ctx, line):
        raise NotImplementedError

    def reason(self, env, rule, ctx, line):
        """Why the rule does not apply, in the user's language."""
        return env._("%(condition)s does not match", condition=self.label)

    def index_keys(self, rule):
        return ()

    def line_keys(self, line):
        return ()

    def product_domain(self, rule):
        """Domain on product.product selecting the products this condition can touch
        (used to invalidate the price table); None when not a product condition."""
        return None


class RuleData:
    """A rule loaded once for an evaluation: ids and values, no ORM access."""

    __slots__ = ("active_conditions", "id", "record", "sort_key", "values")

    def __init__(self, record, values):
        self.record = record
        self.id = record.id
        self.values = values
        self.active_conditions = [c for c in ordered_conditions() if c.is_set(self)]
        self.sort_key = None


@register_condition
class DealerTierCondition(PriceCondition):
    key = "tier"
    label = "Dealer tier"
    fields = ("tier_ids",)
    sequence = 10

    def reason(self, env, rule, ctx, line):
        return env._("Dealer tier not in the rule")

    def matches(self, rule, ctx, line):
        return ctx.tier_id in rule.values["tier_ids"]


@register_condition
class DealerCondition(PriceCondition):
    key = "dealer"
    label = "Dealer"
    fields = ("partner_ids",)
    sequence = 11

    def reason(self, env, rule, ctx, line):
        return env._("Rule is for other dealers")

    def matches(self, rule, ctx, line):
        return ctx.partner_id in rule.values["partner_ids"]


@register_condition
class DealerSegmentCondition(PriceCondition):
    key = "segment"
    label = "Dealer segment"
    fields = ("partner_category_ids",)
    sequence = 12

    def reason(self, env, rule, ctx, line):
        return env._("Dealer segment not in the rule")

    def matches(self, rule, ctx, line):
        return bool(ctx.partner_category_ids & rule.values["partner_category_ids"])


@register_condition
class ChannelCondition(PriceCondition):
    key = "channel"
    label = "Sales channel"
    fields = ("channel",)
    sequence = 13

    def reason(self, env, rule, ctx, line):
        return env._("Other sales channel")

    def matches(self, rule, ctx, line):
        return ctx.channel == rule.values["channel"]


@register_condition
class RegionCondition(PriceCondition):
    key = "region"
    label = "Region"
    fields = ("country_ids", "state_ids", "country_group_ids")
    sequence = 14

    def reason(self, env, rule, ctx, line):
        return env._("Delivery region not in the rule")

    def matches(self, rule, ctx, line):
        values = rule.values
        if values["country_ids"] and ctx.country_id not in values["country_ids"]:
            return False
        if values["state_ids"] and ctx.state_id not in values["state_ids"]:
            return False
        return not (values["country_group_ids"] and not ctx.country_group_ids & values["country_group_ids"])


@register_condition
class PaymentTermCondition(PriceCondition):
    key = "payment_term"
    label = "Payment term"
    fields = ("payment_term_ids",)
    sequence = 15

    def reason(self, env, rule, ctx, line):
        return env._("Payment term not in the rule")

    def matches(self, rule, ctx, line):
        return ctx.payment_term_id in rule.values["payment_term_ids"]


@register_condition
class DateWindowCondition(PriceCondition):
    key = "date_window"
    label = "Validity dates"
    fields = ("date_start", "date_end")
    sequence = 5

    def matches(self, rule, ctx, line):
        start, end = rule.values["date_start"], rule.values["date_end"]
        return (not start or start <= ctx.date) and (not end or ctx.date <= end)

    def reason(self, env, rule, ctx, line):
        return env._("Outside the validity dates")


@register_condition
class SeasonCondition(PriceCondition):
    key = "season"
    label = "Season"
    fields = ("season_month_set",)
    sequence = 6

    def matches(self, rule, ctx, line):
        return ctx.date.month in rule.values["season_month_set"]

    def reason(self, env, rule, ctx, line):
        return env._("Out of season")


@register_condition
class OrderAmountCondition(PriceCondition):
    key = "order_amount"
    label = "Order total"
    fields = ("min_order_amount",)
    scope = "line"  # a product priced on its own adds its amount to the order's
    sequence = 16

    def matches(self, rule, ctx, line):
        return float_compare(ctx.amount_for(line), rule.values["min_order_amount"], precision_digits=6) >= 0

    def reason(self, env, rule, ctx, line):
        return env._("Order total below the threshold")


@register_condition
class VariantCondition(PriceCondition):
    key = "variant"
    label = "Product variant"
    fields = ("product_ids",)
    scope = "line"
    index_rank = 0

    def reason(self, env, rule, ctx, line):
        return env._("Other product variant")

    def matches(self, rule, ctx, line):
        return line.product_id in rule.values["product_ids"]

    def index_keys(self, rule):
        return rule.values["product_ids"]

    def line_keys(self, line):
        return (line.product_id,)

    def product_domain(self, rule):
        return [("id", "in", list(rule.values["product_ids"]))]


@register_condition
class ProductCondition(PriceCondition):
    key = "product"
    label = "Product"
    fields = ("product_tmpl_ids",)
    scope = "line"
    index_rank = 1

    def reason(self, env, rule, ctx, line):
        return env._("Other product")

    def matches(self, rule, ctx, line):
        return line.tmpl_id in rule.values["product_tmpl_ids"]

    def index_keys(self, rule):
        return rule.values["product_tmpl_ids"]

    def line_keys(self, line):
        return (line.tmpl_id,)

    def product_domain(self, rule):
        return [("product_tmpl_id", "in", list(rule.values["product_tmpl_ids"]))]


@register_condition
class CategoryCondition(PriceCondition):
    """Matches products of the categories and of all their sub-categories."""

    key = "category"
    label = "Product category"
    fields = ("categ_ids",)
    scope = "line"
    index_rank = 2

    def reason(self, env, rule, ctx, line):
        return env._("Product category not in the rule")

    def matches(self, rule, ctx, line):
        return bool(line.categ_path_ids & rule.values["categ_ids"])

    def index_keys(self, rule):
        return rule.values["categ_ids"]

    def line_keys(self, line):
        return line.categ_path_ids

    def product_domain(self, rule):
        return [("categ_id", "child_of", list(rule.values["categ_ids"]))]


@register_condition
class ProductTagCondition(PriceCondition):
    """Product tags, also used as brands."""

    key = "tag"
    label = "Product tag / brand"
    fields = ("product_tag_ids",)
    scope = "line"
    index_rank = 3

    def reason(self, env, rule, ctx, line):
        return env._("Product tag / brand not in the rule")

    def matches(self, rule, ctx, line):
        return bool(line.tag_ids & rule.values["product_tag_ids"])

    def index_keys(self, rule):
        return rule.values["product_tag_ids"]

    def line_keys(self, line):
        return line.tag_ids

    def product_domain(self, rule):
        return [("all_product_tag_ids", "in", list(rule.values["product_tag_ids"]))]


@register_condition
class UomCondition(PriceCondition):
    key = "uom"
    label = "Unit of measure"
    fields = ("uom_ids",)
    scope = "line"

    def reason(self, env, rule, ctx, line):
        return env._("Ordered in another unit of measure")

    def matches(self, rule, ctx, line):
        return line.uom_id in rule.values["uom_ids"]


@register_condition
class PackagingCondition(PriceCondition):
    """Only for lines ordered in whole packages (e.g. full cases, not loose bottles)."""

    key = "packaging"
    label = "Packaging"
    fields = ("packaging_required",)
    scope = "line"

    def matches(self, rule, ctx, line):
        if not line.packaging_id or not line.packaging_qty:
            return False
        packages = line.qty_product_uom / line.packaging_qty
        return float_compare(packages, round(packages), precision_digits=6) == 0

    def reason(self, env, rule, ctx, line):
        return env._("Not ordered in whole packages")


@register_condition
class QuantityCondition(PriceCondition):
    """Quantity break: on the line, on the product across lines, or mixed across a category."""

    key = "quantity"
    label = "Quantity"
    fields = ("min_quantity",)
    scope = "line"
    sequence = 90

    def matches(self, rule, ctx, line):
        qty = ctx.summed_qty(rule.values["quantity_scope"], line, rule.values["categ_ids"])
        return float_compare(qty, rule.values["min_quantity"], precision_digits=6) >= 0

    def reason(self, env, rule, ctx, line):
        return env._("Quantity below the break")
