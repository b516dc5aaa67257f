from odoo import fields, models


class ComplaintRegisterWizard(models.TransientModel):
    """Print the complaint register of a period (ISO 10002 8.1): one line per complaint."""

    _name = "complaint.register.wizard"
    _inherit = ["complaint.report.filter"]
    _description = "Print Complaint Register"

    def _get_complaints(self):
        """The complaints of the register, oldest first, with the current user's access rights."""
        self.ensure_one()
        return (
            self.env["complaint.complaint"]
            .with_context(active_test=False)
            .search(self._get_domain(), order="date_received, id")
        )

    def _get_lines(self):
        """One dict per complaint with what the register prints (complainant hidden when it must be)."""
        self.ensure_one()
        lines = []
        now = fields.Datetime.now()
        for complaint in self._get_complaints():
            if complaint.is_done:
                on_time = not complaint.is_breached
            elif complaint.is_breached or (complaint.date_deadline and complaint.date_deadline < now):
                on_time = False
            else:
                on_time = None  # open and not late yet
            lines.append({"complaint": complaint, "complainant": complaint._report_complainant(), "on_time": on_time})
        return lines

    def action_print(self):
        """Print the register as PDF."""
        self.ensure_one()
        return self.env.ref("complaint_handling_reports.action_report_complaint_register").report_action(self)
