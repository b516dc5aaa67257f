from . import test_count_summary
from . import test_kpi_count_summary
