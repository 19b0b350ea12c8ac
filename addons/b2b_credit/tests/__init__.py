from . import (
    test_credit_enforcement,
    test_credit_exposure,
    test_credit_race,
    test_credit_score,
    test_dunning,
    test_payment_term_pod,
    test_statement,
)
