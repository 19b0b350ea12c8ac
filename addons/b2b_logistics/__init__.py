from . import controllers, models, providers, wizard
