from . import test_bench_data, test_suite_install
