{
    "name": "B2B Dealer Portal",
    "summary": "Mobile-first dealer ordering portal: catalogue at my prices, quick order, approvals, tracking",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "B2B Dealer Ordering Suite",
    "license": "LGPL-3",
    "depends": [
        "portal",
        "b2b_pricing",
        "b2b_credit",
        "b2b_logistics",
    ],
    "external_dependencies": {"python": ["openpyxl"]},
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_portal_security.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "views/b2b_portal_templates.xml",
        "views/sale_order_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/b2b_order_list_views.xml",
    ],
    "assets": {
        # The /my/b2b pages load this lean bundle only (b2b_portal.lean_layout), not
        # web.assets_frontend: a dealer's first page stays under the 500 KB budget.
        "b2b_portal.assets_lean": [
            ("include", "web._assets_helpers"),
            ("include", "web._assets_frontend_helpers"),
            "web/static/src/scss/pre_variables.scss",
            "web/static/lib/bootstrap/scss/_variables.scss",
            "web/static/lib/bootstrap/scss/_variables-dark.scss",
            "web/static/lib/bootstrap/scss/_maps.scss",
            "b2b_portal/static/src/scss/b2b_portal_bootstrap.scss",
            "web/static/lib/bootstrap/scss/utilities/_api.scss",
            "b2b_portal/static/src/scss/b2b_portal.scss",
            "b2b_portal/static/src/js/b2b_portal.js",
        ],
        "web.assets_tests": [
            "b2b_portal/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/stock_demo.xml",
        "demo/sale_order_demo.xml",
        "demo/credit_demo.xml",
    ],
    "installable": True,
}
