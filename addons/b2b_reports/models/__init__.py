from . import (
    b2b_health_factor,
    b2b_health_scorecard,
    b2b_health_scorecard_line,
    b2b_kpi,
    b2b_kpi_report_mixin,
    b2b_kpi_target,
    b2b_report_collection,
    b2b_report_delivery,
    b2b_report_online_rate,
    b2b_report_order_processing,
    res_config_settings,
)
