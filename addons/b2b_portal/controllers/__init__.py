from . import delivery, main
