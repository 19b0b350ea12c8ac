from . import b2b_dealer_tier, product_template, res_partner
