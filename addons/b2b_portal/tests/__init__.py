from . import (
    test_catalogue,
    test_order_flow,
    test_quick_order,
    test_security,
    test_tours,
)
