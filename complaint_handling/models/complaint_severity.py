from odoo import fields, models


class ComplaintSeverity(models.Model):
    """How serious a complaint is, set at the initial assessment (ISO 10002 7.5)."""

    _name = "complaint.severity"
    _description = "Complaint Severity"
    _inherit = ["complaint.process.mixin"]
    _order = "level, id"

    name = fields.Char(required=True, translate=True)
    level = fields.Integer(required=True, default=1, help="Higher is more severe; used to sort and to choose targets.")
    description = fields.Text(translate=True)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [("level_uniq", "unique (level)", "Two severities cannot have the same level.")]
