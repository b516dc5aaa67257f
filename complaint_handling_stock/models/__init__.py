from . import complaint_complaint
from . import stock_picking
from . import stock_lot
