from . import complaint_kpi_report
from . import complaint_recurring_report
from . import complaint_complaint_print_report
