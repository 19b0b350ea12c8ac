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
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_logistics_security.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/b2b_shipment_views.xml",
        "views/b2b_delivery_discrepancy_views.xml",
        "views/delivery_carrier_views.xml",
        "views/stock_picking_views.xml",
        "views/sale_order_views.xml",
        "wizard/b2b_carrier_suggestion_views.xml",
    ],
    "demo": [
        "demo/b2b_shipment_demo.xml",
    ],
    "installable": True,
}
