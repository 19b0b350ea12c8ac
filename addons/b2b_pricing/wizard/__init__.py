from . import b2b_price_simulator
