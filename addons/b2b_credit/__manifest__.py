{
    "name": "B2B Credit",
    "summary": "Credit limits that block, payment terms, statements of account and collections",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "B2B Dealer Ordering Suite",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
        "account",
    ],
    "data": [
        "security/b2b_credit_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/b2b_dunning_data.xml",
        "report/b2b_credit_statement_report.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/b2b_credit_views.xml",
    ],
    "demo": [
        "demo/b2b_credit_demo.xml",
    ],
    "installable": True,
}
