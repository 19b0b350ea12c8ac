from . import test_bench_data
from . import test_proof_of_delivery
from . import test_suite_install
