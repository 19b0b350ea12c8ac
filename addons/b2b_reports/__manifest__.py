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
        "security/ir.model.access.csv",
    ],
    "demo": [],
    "installable": True,
}
