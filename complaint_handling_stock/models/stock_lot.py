from odoo import fields, models


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "complaint.document.mixin"]
    _complaint_field = "lot_id"

    complaint_ids = fields.One2many(
        "complaint.complaint",
        "lot_id",
        string="Complaints",
        groups="complaint_handling.group_complaint_user",
    )

    def _complaint_defaults(self):
        return {**super()._complaint_defaults(), "product_id": self.product_id.id}
