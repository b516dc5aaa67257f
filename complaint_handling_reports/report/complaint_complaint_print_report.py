from odoo import api, models


class ComplaintPrintReportMixin(models.AbstractModel):
    """Values of the documents printed from complaints, after checking the user may read them all."""

    _name = "complaint.print.report.mixin"
    _description = "Printed Complaint Document"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["complaint.complaint"].browse(docids)
        # A clear access error before anything is rendered (confidential complaints, other teams).
        docs.check_access("read")
        return {"doc_ids": docids, "doc_model": "complaint.complaint", "docs": docs, "data": data}


class ReportComplaintAcknowledgement(models.AbstractModel):
    _name = "report.complaint_handling_reports.complaint_ack_letter"
    _inherit = ["complaint.print.report.mixin"]
    _description = "Complaint Acknowledgement Letter"


class ReportComplaintDecision(models.AbstractModel):
    _name = "report.complaint_handling_reports.complaint_decision_letter"
    _inherit = ["complaint.print.report.mixin"]
    _description = "Complaint Decision Letter"


class ReportComplaintRecord(models.AbstractModel):
    _name = "report.complaint_handling_reports.complaint_record"
    _inherit = ["complaint.print.report.mixin"]
    _description = "Complaint Record"
