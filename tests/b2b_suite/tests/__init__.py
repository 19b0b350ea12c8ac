from . import test_bench_data, test_demo_data, test_promotion_credit_hold, test_proof_of_delivery, test_suite_install
