from . import (
    test_dealer_tier,
    test_demo_rules,
    test_engine_property,
    test_price_engine,
    test_price_table,
    test_sale_order,
    test_security_negotiation,
)
