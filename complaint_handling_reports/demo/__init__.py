from . import complaint_demo_history
