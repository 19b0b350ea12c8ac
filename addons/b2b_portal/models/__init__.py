from . import (
    b2b_order_list,
    b2b_portal_catalogue,
    b2b_portal_notice,
    b2b_price_request,
    b2b_product_copurchase,
    b2b_quick_order,
    product_template,
    res_company,
    res_config_settings,
    res_partner,
    res_users,
    sale_order,
)
