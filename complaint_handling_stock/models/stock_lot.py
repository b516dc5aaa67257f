from odoo import api, fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    complaint_ids = fields.One2many(
        "complaint.complaint",
        "lot_id",
        string="Complaints",
        groups="complaint_handling.group_complaint_user",
    )
    complaint_count = fields.Integer(
        compute="_compute_complaint_count", groups="complaint_handling.group_complaint_user"
    )

    @api.depends("complaint_ids")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_complaint_count(self):
        # Counts what the user may see: the complaint record rules apply.
        counts = dict(
            self.env["complaint.complaint"]._read_group([("lot_id", "in", self.ids)], ["lot_id"], ["__count"])
        )
        for lot in self:
            lot.complaint_count = counts.get(lot, 0)

    def action_view_complaints(self):
        """Open the complaints about this lot or serial number."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("complaint_handling.complaint_complaint_action")
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {"default_lot_id": self.id, "default_product_id": self.product_id.id}
        return action
