{
    "name": "B2B Reports",
    "summary": "Dealer-ordering analytics, KPI dashboard and monthly health scorecard",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "B2B Dealer Ordering Suite",
    "license": "LGPL-3",
    "depends": [
        "b2b_pricing",
        "b2b_credit",
        "b2b_logistics",
        "b2b_portal",
    ],
    "data": [
        "security/b2b_reports_security.xml",
        "security/ir.model.access.csv",
        "views/b2b_reports_menus.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [],
    "installable": True,
}
