from . import account, delivery, main, recommendation
