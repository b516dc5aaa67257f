from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_currency_id = fields.Many2one(related="company_id.currency_id", string="Complaint Currency")
    complaint_approval_limit = fields.Monetary(
        related="company_id.complaint_approval_limit", readonly=False, currency_field="complaint_currency_id"
    )
    complaint_auto_acknowledge = fields.Boolean(related="company_id.complaint_auto_acknowledge", readonly=False)
    complaint_portal_policy = fields.Html(related="company_id.complaint_portal_policy", readonly=False)
    complaint_portal_max_files = fields.Integer(related="company_id.complaint_portal_max_files", readonly=False)
    complaint_portal_max_file_size = fields.Integer(related="company_id.complaint_portal_max_file_size", readonly=False)
    complaint_portal_allowed_mimetypes = fields.Char(
        related="company_id.complaint_portal_allowed_mimetypes", readonly=False
    )
    complaint_portal_limit_email = fields.Integer(related="company_id.complaint_portal_limit_email", readonly=False)
    complaint_portal_limit_ip = fields.Integer(related="company_id.complaint_portal_limit_ip", readonly=False)
    complaint_rating_request = fields.Boolean(related="company_id.complaint_rating_request", readonly=False)
    complaint_retention_years = fields.Integer(related="company_id.complaint_retention_years", readonly=False)
