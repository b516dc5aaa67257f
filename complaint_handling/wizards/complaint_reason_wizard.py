from odoo import fields, models


class ComplaintReasonWizard(models.TransientModel):
    """Asks the reason of a step that needs one (withdrawing, reopening) before taking it."""

    _name = "complaint.reason.wizard"
    _description = "Complaint Step Reason"

    complaint_ids = fields.Many2many("complaint.complaint", required=True)
    action = fields.Selection([("withdraw", "Withdraw"), ("reopen", "Reopen")], required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        """Take the step on the complaints with the reason given."""
        self.ensure_one()
        getattr(self.complaint_ids, f"action_{self.action}")(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
