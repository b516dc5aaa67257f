from . import test_complaint_account
