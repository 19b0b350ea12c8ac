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
    "data": [
        "security/ir.model.access.csv",
    ],
    "demo": [
        "demo/sale_order_demo.xml",
    ],
    "installable": True,
}
