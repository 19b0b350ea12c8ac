from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

# What each dealer-side role may do on the portal.
ROLE_RIGHTS = {
    "admin": {"view", "order", "approve", "manage"},
    "approver": {"view", "order", "approve"},
    "buyer": {"view", "order"},
    "viewer": {"view"},
}
PORTAL_ROLES = [
    ("admin", "Dealer Admin"),
    ("approver", "Approver"),
    ("buyer", "Buyer"),
    ("viewer", "Viewer"),
]


class ResUsers(models.Model):
    _inherit = "res.users"

    b2b_portal_role = fields.Selection(
        PORTAL_ROLES,
        string="Dealer Portal Role",
        default="buyer",
        help="What this user may do on the dealer portal: viewers browse, buyers order, "
        "approvers also approve orders that need it, admins also manage their dealer's users.",
    )
    b2b_portal_cart_id = fields.Many2one(
        "sale.order",
        string="Current Portal Cart",
        copy=False,
        help="The draft order the portal adds products to; kept server side so the "
        "user finds it again on any device.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "b2b_portal_role", "b2b_portal_cart_id"]

    def _b2b_portal_context(self):
        """The dealer the user orders for, with its pricelist and the user's role.

        Every portal route derives the dealer from here (the logged-in user), never
        from a request parameter, so a dealer cannot act for another one.
        """
        self.ensure_one()
        if self._is_public():
            raise AccessError(_("Please sign in to use the dealer portal."))
        user = self.sudo()
        dealer = user.partner_id.commercial_partner_id
        company = user.company_id
        dealer_in_company = dealer.with_company(company)
        # the dealer's own pricelist first (what the computed property_product_pricelist
        # takes too), without its country-group search on every page
        pricelist = dealer_in_company.specific_property_product_pricelist.filtered("active")
        if not pricelist:
            pricelist = dealer_in_company.property_product_pricelist
        if not pricelist:
            pricelist = self.env["product.pricelist"].sudo()._get_partner_pricelist(dealer.id)
        role = user.b2b_portal_role or "buyer"
        return {
            "user": self,
            "partner": user.partner_id,
            "dealer": dealer,
            "company": company,
            "pricelist": pricelist,
            "currency": pricelist.currency_id or company.currency_id,
            "role": role,
            "rights": ROLE_RIGHTS.get(role, set()),
            "lang": user.lang or "en_US",
        }

    @api.model
    def _b2b_portal_check_right(self, ctx, right):
        if right not in ctx["rights"]:
            raise AccessError(_("Your dealer role does not allow this action."))

    # ---- dealer admin: manage the dealer's own portal users ----------------------------

    @api.model
    def _b2b_portal_dealer_users(self, ctx):
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("partner_id.commercial_partner_id", "=", ctx["dealer"].id),
                    ("share", "=", True),
                ],
                order="name",
            )
        )

    @api.model
    def _b2b_portal_invite_user(self, ctx, name, email, role):
        """A dealer admin creates a portal user for a new contact of its own company."""
        self._b2b_portal_check_right(ctx, "manage")
        name, email = (name or "").strip(), (email or "").strip().lower()
        if not name or not email or "@" not in email:
            raise UserError(_("Please give a name and a valid email address."))
        if role not in ROLE_RIGHTS:
            raise UserError(_("Unknown role."))
        users = self.sudo().with_context(active_test=False)
        if users.search_count([("login", "=", email)]):
            raise UserError(_("A user with this email already exists."))
        contact = (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": name,
                    "email": email,
                    "parent_id": ctx["dealer"].id,
                    "type": "contact",
                }
            )
        )
        user = users.with_context(no_reset_password=True).create(
            {
                "name": name,
                "login": email,
                "email": email,
                "partner_id": contact.id,
                "company_id": ctx["company"].id,
                "company_ids": [fields.Command.set(ctx["company"].ids)],
                "groups_id": [fields.Command.set([self.env.ref("base.group_portal").id])],
                "b2b_portal_role": role,
            }
        )
        user.partner_id.signup_prepare()
        try:
            user.action_reset_password()
        except UserError:
            # No outgoing mail: the admin can still send the invitation link later.
            pass
        return user

    def _b2b_portal_set_role(self, ctx, role=None, active=None):
        """A dealer admin changes the role of, or deactivates, one of its users."""
        self._b2b_portal_check_right(ctx, "manage")
        target = self.sudo().with_context(active_test=False)
        target.ensure_one()
        if target.partner_id.commercial_partner_id != ctx["dealer"] or not target.share:
            raise AccessError(_("This user does not belong to your company."))
        vals = {}
        if role is not None:
            if role not in ROLE_RIGHTS:
                raise UserError(_("Unknown role."))
            vals["b2b_portal_role"] = role
        if active is not None:
            vals["active"] = bool(active)
        if target == ctx["user"].sudo() and (
            vals.get("active") is False or vals.get("b2b_portal_role", "admin") != "admin"
        ):
            raise UserError(_("You cannot remove your own admin rights or deactivate yourself."))
        target.write(vals)
        return target
