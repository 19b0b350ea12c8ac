{
    "name": "B2B Logistics",
    "summary": "Carrier tracking by webhook and polling, ETA and proof of delivery",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "author": "B2B Dealer Ordering Suite",
    "license": "LGPL-3",
    "depends": [
        "sale_stock",
        "stock_delivery",
    ],
    "data": [
        "security/ir.model.access.csv",
    ],
    "demo": [
        "demo/stock_demo.xml",
    ],
    "installable": True,
}
