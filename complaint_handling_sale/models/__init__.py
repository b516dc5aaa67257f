from . import complaint_complaint
from . import sale_order
