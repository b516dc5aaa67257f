from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_currency_id = fields.Many2one(related="company_id.currency_id", string="Complaint Currency")
    complaint_approval_limit = fields.Monetary(
        related="company_id.complaint_approval_limit", readonly=False, currency_field="complaint_currency_id"
    )
    complaint_auto_acknowledge = fields.Boolean(related="company_id.complaint_auto_acknowledge", readonly=False)
