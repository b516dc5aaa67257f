from odoo import fields, models

from ..models.complaint_target import TARGET_SELECTION


class ComplaintTimelinessWizard(models.TransientModel):
    """Asks the reason of a pause, or the deadline, hours and reason of an extension."""

    _name = "complaint.timeliness.wizard"
    _description = "Complaint Pause or Extension"

    complaint_ids = fields.Many2many("complaint.complaint", required=True)
    mode = fields.Selection([("pause", "Pause"), ("extend", "Extend")], required=True, default="pause")
    target = fields.Selection(TARGET_SELECTION, string="Deadline", default="resolution")
    hours = fields.Float(string="Working Hours", default=8.0)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "pause":
            self.complaint_ids.action_pause(reason=self.reason)
        else:
            self.complaint_ids._extend(self.target, self.hours, self.reason)
        return {"type": "ir.actions.act_window_close"}
