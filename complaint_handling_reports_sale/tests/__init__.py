from . import test_complaint_rate_report
