from . import (
    test_catalogue,
    test_order_flow,
    test_page_weight,
    test_quick_order,
    test_security,
    test_stock_race,
    test_tours,
)
