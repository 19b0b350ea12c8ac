from . import (
    test_append,
    test_catalogue,
    test_cutoff,
    test_delivery_tours,
    test_order_flow,
    test_quick_order,
    test_receipt_portal,
    test_security,
    test_tours,
)
