from odoo import Command, api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_approval_limit = fields.Monetary(
        string="Complaint Decision Approval Limit",
        currency_field="currency_id",
        help="Decisions costing more than this amount must be approved by a complaint manager. "
        "Zero: no approval needed.",
    )
    complaint_auto_acknowledge = fields.Boolean(
        string="Acknowledge Complaints Automatically",
        default=True,
        help="Send the acknowledgement e-mail as soon as a complaint with an e-mail address is registered.",
    )
    # Public complaint form and portal (ISO 10002 4.4-4.5, 7.1)
    complaint_portal_policy = fields.Html(
        string="Published Complaints Policy",
        translate=True,
        help="Shown on the public complaint page: the organisation's commitment and how complaints are handled.",
    )
    complaint_portal_max_files = fields.Integer(
        string="Files per Submission", default=5, help="Most files a complainant may attach at once. Zero: no limit."
    )
    complaint_portal_max_file_size = fields.Integer(
        string="Maximum File Size (MB)", default=10, help="Largest file a complainant may attach. Zero: no limit."
    )
    complaint_portal_allowed_mimetypes = fields.Char(
        string="Accepted File Types",
        default="application/pdf,image/jpeg,image/png,image/gif,image/webp,text/plain",
        help="Comma-separated MIME types, checked against the content of each file (not its name).",
    )
    complaint_portal_limit_email = fields.Integer(
        string="Web Complaints per E-mail per Hour",
        default=3,
        help="More web complaints from one e-mail address within an hour are refused. Zero: no limit.",
    )
    complaint_portal_limit_ip = fields.Integer(
        string="Web Complaints per IP Address per Hour",
        default=10,
        help="More web complaints from one network address within an hour are refused. Zero: no limit.",
    )
    complaint_rating_request = fields.Boolean(
        string="Ask for a Satisfaction Rating",
        default=True,
        help="E-mail the complainant a satisfaction survey when their complaint is closed (ISO 10004).",
    )
    complaint_retention_years = fields.Integer(
        string="Anonymise Closed Complaints After (Years)",
        default=5,
        help="Closed, rejected and withdrawn complaints whose closing is older than this are anonymised by a "
        "daily job: personal data removed, statistics kept (ISO 10002 4.9, GDPR). Zero: never.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._complaint_create_default_policy()
        return companies

    def _complaint_create_default_policy(self):
        """Give new companies the shipped default time policy and its ISO 10001 promises (copies of
        the first company's), so that their complaints get deadlines from the start."""
        default = self.env.ref("complaint_handling.complaint_policy_default", raise_if_not_found=False)
        if not default:
            return
        default = default.sudo()
        for company in self:
            promises = default.promise_ids.browse()
            for promise in default.promise_ids:
                promises |= promise.copy({"company_id": company.id})
            default.copy(
                {
                    "company_id": company.id,
                    "calendar_id": (company.resource_calendar_id or default.calendar_id).id,
                    "promise_ids": [Command.set(promises.ids)],
                }
            )
