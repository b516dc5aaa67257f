from . import test_complaint_sale
from . import test_sale_order_complaints
from . import test_portal_order
