from . import (
    test_forecast,
    test_kpi,
    test_kpi_demo,
    test_portal,
    test_report_dealer_activity,
    test_report_demo,
    test_report_product_stock,
    test_report_promotion,
    test_report_sales,
    test_report_salesperson,
    test_report_security,
    test_scorecard,
)
