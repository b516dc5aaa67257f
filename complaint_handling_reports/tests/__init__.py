from . import test_printed_reports
from . import test_recurring
from . import test_improvement_action
from . import test_management_review
from . import test_kpi_report
from . import test_objective
from . import test_kpi_ui
from . import test_security_process_fields
