from odoo import fields, models


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "complaint.document.mixin"]
    _complaint_field = "picking_id"

    complaint_ids = fields.One2many(
        "complaint.complaint",
        "picking_id",
        string="Complaints",
        groups="complaint_handling.group_complaint_user",
    )
