from . import (
    b2b_report_abstract,
    b2b_report_dealer_activity,
    b2b_report_forecast,
    b2b_report_product_stock,
    b2b_report_promotion,
    b2b_report_sales,
    b2b_report_salesperson,
    res_config_settings,
)
