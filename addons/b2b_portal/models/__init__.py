from . import (
    b2b_delivery_discrepancy,
    b2b_delivery_schedule,
    b2b_order_list,
    b2b_portal_catalogue,
    b2b_quick_order,
    product_template,
    res_company,
    res_config_settings,
    res_partner,
    res_users,
    sale_order,
    sale_order_line,
)
