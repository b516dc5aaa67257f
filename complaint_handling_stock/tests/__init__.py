from . import test_complaint_stock
