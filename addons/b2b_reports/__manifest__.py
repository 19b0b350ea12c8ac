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
        # reports-kpi
        "data/b2b_kpi_data.xml",
        "report/b2b_health_scorecard_report.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_kpi_data.xml",
        "views/b2b_kpi_views.xml",
        "views/b2b_health_scorecard_views.xml",
        "views/b2b_report_process_views.xml",
        "views/b2b_report_online_views.xml",
        "views/b2b_report_collection_views.xml",
        "views/b2b_report_delivery_views.xml",
        "views/b2b_reports_portal_templates.xml",
    ],
    "demo": [
        "demo/b2b_reports_kpi_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "b2b_reports/static/src/dashboard/*",
        ],
        "web.assets_tests": [
            "b2b_reports/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
