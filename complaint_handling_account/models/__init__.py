from . import complaint_complaint
from . import account_move
