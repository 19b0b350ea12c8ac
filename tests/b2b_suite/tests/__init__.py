from . import test_suite_install
from . import test_proof_of_delivery
