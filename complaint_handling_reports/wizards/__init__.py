from . import complaint_report_filter
from . import complaint_register_wizard
from . import complaint_audit_wizard
