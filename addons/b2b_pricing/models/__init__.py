from . import b2b_dealer_tier, res_partner
