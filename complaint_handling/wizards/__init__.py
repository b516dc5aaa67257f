from . import complaint_reason_wizard
