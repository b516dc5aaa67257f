from odoo import fields, models

from .complaint_target import TARGET_SELECTION


class ComplaintPause(models.Model):
    """A pause of a complaint's clock while waiting for the complainant."""

    _name = "complaint.pause"
    _description = "Complaint Pause"
    _inherit = ["complaint.process.mixin"]
    _order = "date_start desc, id desc"

    complaint_id = fields.Many2one("complaint.complaint", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    date_start = fields.Datetime(string="Paused On", required=True, default=fields.Datetime.now)
    date_end = fields.Datetime(string="Resumed On")
    hours = fields.Float(string="Working Hours", help="Working hours of the pause, counted when resumed.")
    reason = fields.Text(required=True)
    user_id = fields.Many2one("res.users", string="Paused By", required=True, default=lambda self: self.env.user)


class ComplaintExtension(models.Model):
    """More working time given for one target of a complaint, with the reason (counted apart from pauses)."""

    _name = "complaint.extension"
    _description = "Complaint Deadline Extension"
    _inherit = ["complaint.process.mixin"]
    _order = "date desc, id desc"

    complaint_id = fields.Many2one("complaint.complaint", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    target = fields.Selection(TARGET_SELECTION, string="Deadline", required=True)
    hours = fields.Float(string="Working Hours", required=True)
    reason = fields.Text(required=True)
    user_id = fields.Many2one("res.users", string="Extended By", required=True, default=lambda self: self.env.user)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
