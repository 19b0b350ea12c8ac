from . import test_bench_data, test_demo_data, test_proof_of_delivery, test_suite_install
