from . import test_decision
from . import test_lifecycle
from . import test_objectivity
from . import test_performance
from . import test_receipt
from . import test_reopen
from . import test_security
from . import test_ui
