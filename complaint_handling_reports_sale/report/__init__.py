from . import complaint_rate_report
