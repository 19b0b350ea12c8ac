from . import test_dealer_tier
