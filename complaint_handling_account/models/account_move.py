from odoo import fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "complaint.document.mixin"]
    _complaint_field = "invoice_id"

    complaint_ids = fields.One2many(
        "complaint.complaint",
        "invoice_id",
        string="Complaints",
        groups="complaint_handling.group_complaint_user",
    )
