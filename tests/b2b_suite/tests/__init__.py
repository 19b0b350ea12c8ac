from . import test_proof_of_delivery, test_suite_install
