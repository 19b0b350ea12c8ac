from . import forecast
