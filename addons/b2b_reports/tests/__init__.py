from . import test_kpi, test_kpi_demo, test_portal, test_scorecard
