from odoo import fields, models


class ComplaintCause(models.Model):
    """Root-cause category found by the investigation (ISO 10002 7.6, 8.2)."""

    _name = "complaint.cause"
    _description = "Complaint Root Cause"
    _inherit = ["complaint.process.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [("name_uniq", "unique (name)", "A root cause with this name already exists.")]
