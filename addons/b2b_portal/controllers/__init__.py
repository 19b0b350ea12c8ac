from . import account, main, recommendation
