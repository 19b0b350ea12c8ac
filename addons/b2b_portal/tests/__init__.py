from . import (
    test_account_tours,
    test_catalogue,
    test_notice,
    test_order_flow,
    test_price_request_portal,
    test_quick_order,
    test_recommendation,
    test_security,
    test_statement_portal,
    test_tours,
)
