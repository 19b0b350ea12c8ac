from . import (
    account_move,
    b2b_delivery_discrepancy,
    b2b_shipment,
    b2b_shipment_event,
    delivery_carrier,
    sale_order,
    stock_picking,
)
