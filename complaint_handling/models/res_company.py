from odoo import fields, models


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
