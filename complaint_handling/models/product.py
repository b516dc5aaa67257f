from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    complaint_count = fields.Integer(
        compute="_compute_complaint_count", groups="complaint_handling.group_complaint_user"
    )

    def _compute_complaint_count(self):
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("product_id.product_tmpl_id", "in", self.ids)], ["product_id"], ["__count"]
            )
        )
        for template in self:
            template.complaint_count = sum(
                count for product, count in counts.items() if product.product_tmpl_id == template
            )

    def action_view_complaints(self):
        """Open the complaints about this product (all its variants)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("complaint_handling.complaint_complaint_action")
        action["domain"] = [("product_id.product_tmpl_id", "=", self.id)]
        action["context"] = {"default_product_id": self.product_variant_id.id}
        return action
