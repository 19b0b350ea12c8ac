from . import b2b_carrier_suggestion
