from odoo import fields, models

# The fixed process states of ISO 10002 clause 7. Stages are configurable, each one
# mapped onto one state; the rules of the process are written against the states.
COMPLAINT_STATES = [
    ("received", "Received"),
    ("acknowledged", "Acknowledged"),
    ("assessed", "Assessed"),
    ("investigating", "Investigating"),
    ("response_proposed", "Response Proposed"),
    ("decision_communicated", "Decision Communicated"),
    ("escalated", "Escalated"),
    ("reopened", "Reopened"),
    ("closed", "Closed"),
    ("rejected", "Rejected (out of scope)"),
    ("withdrawn", "Withdrawn"),
]
# States in which nothing remains to be done.
DONE_STATES = ("closed", "rejected", "withdrawn")


class ComplaintStage(models.Model):
    """A column of the complaint kanban, mapped onto one fixed process state."""

    _name = "complaint.stage"
    _description = "Complaint Stage"
    _inherit = ["complaint.process.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    state = fields.Selection(
        COMPLAINT_STATES,
        string="Process State",
        required=True,
        help="The step of the ISO 10002 process this stage belongs to. Moving a complaint "
        "to this stage applies the rules of that step.",
    )
    description = fields.Text(translate=True)
    fold = fields.Boolean(string="Folded in Kanban")
    active = fields.Boolean(default=True)
