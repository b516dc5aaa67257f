from . import complaint_count_summary
from . import complaint_kpi_report
