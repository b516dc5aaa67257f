from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_recurring_days = fields.Integer(
        string="Recurring Problem Window (days)",
        default=90,
        help="Complaints received within this many days are compared to find recurring problems.",
    )
    complaint_recurring_threshold = fields.Integer(
        string="Recurring Problem Threshold",
        default=3,
        help="A product, category, root cause or complainant with at least this many complaints within the "
        "window is a recurring problem (at least 2).",
    )

    @api.constrains("complaint_recurring_days", "complaint_recurring_threshold")
    def _check_complaint_recurring(self):
        for company in self:
            if company.complaint_recurring_days < 1 or company.complaint_recurring_threshold < 2:
                raise ValidationError(
                    self.env._(
                        "Recurring problems: the window must be at least 1 day and the threshold at least "
                        "2 complaints (%(company)s).",
                        company=company.name,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if {"complaint_recurring_days", "complaint_recurring_threshold"} & set(vals):
            # The clusters change with the window and the threshold: refresh every complaint's flag.
            self.env["complaint.complaint"]._refresh_recurring(full=True)
        return result
