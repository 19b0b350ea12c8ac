{
    "name": "B2B Pricing",
    "summary": "Dealer tiers and a multi-dimension price engine that explains every price",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "B2B Dealer Ordering Suite",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
    ],
    "data": [
        "security/b2b_pricing_security.xml",
        "security/ir.model.access.csv",
        "views/b2b_dealer_tier_views.xml",
        "views/res_partner_views.xml",
    ],
    "demo": [
        "demo/product_demo.xml",
        "demo/dealer_demo.xml",
    ],
    "installable": True,
}
