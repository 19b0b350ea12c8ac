from . import test_kpi, test_portal, test_scorecard
