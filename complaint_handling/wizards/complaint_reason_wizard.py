from odoo import fields, models


class ComplaintReasonWizard(models.TransientModel):
    """Asks the reason of a step that needs one (withdrawing, reopening, archiving) before taking it."""

    _name = "complaint.reason.wizard"
    _description = "Complaint Step Reason"

    complaint_ids = fields.Many2many("complaint.complaint", required=True, context={"active_test": False})
    action = fields.Selection(
        [("withdraw", "Withdraw"), ("reopen", "Reopen"), ("archive", "Archive"), ("unarchive", "Restore")],
        required=True,
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        """Take the step on the complaints with the reason given."""
        self.ensure_one()
        complaints = self.with_context(active_test=False).complaint_ids
        if self.action in ("archive", "unarchive"):
            complaints._set_active(self.action == "unarchive", self.reason)
        else:
            getattr(complaints, f"action_{self.action}")(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
