from . import complaint_reason_wizard
from . import complaint_timeliness_wizard
from . import complaint_quick_entry
from . import complaint_privacy_export
