from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "complaint.document.mixin"]
    _complaint_field = "sale_order_id"

    complaint_ids = fields.One2many(
        "complaint.complaint",
        "sale_order_id",
        string="Complaints",
        groups="complaint_handling.group_complaint_user",
    )
