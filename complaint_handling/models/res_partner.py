from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_ids = fields.One2many("complaint.complaint", "partner_id", string="Complaints")
    complaint_count = fields.Integer(
        compute="_compute_complaint_count", groups="complaint_handling.group_complaint_user"
    )

    def _compute_complaint_count(self):
        """Complaints of the partner and of its contacts (same approach as sale_order_count)."""
        all_partners = self.with_context(active_test=False).search_fetch([("id", "child_of", self.ids)], ["parent_id"])
        groups = self.env["complaint.complaint"]._read_group(
            [("partner_id", "in", all_partners.ids)], ["partner_id"], ["__count"]
        )
        self.complaint_count = 0
        for partner, count in groups:
            while partner:
                if partner in self:
                    partner.complaint_count += count
                partner = partner.parent_id

    def action_view_complaints(self):
        """Open the complaints of this partner and its contacts."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("complaint_handling.complaint_complaint_action")
        action["domain"] = [("partner_id", "child_of", self.ids)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_register_complaint(self):
        """Open a new complaint from this contact, most often on the phone with them."""
        self.ensure_one()
        values = {"partner_id": self.id, "channel": "phone"}
        if self.company_id:
            values["company_id"] = self.company_id.id
        return self.env["complaint.complaint"]._action_new_complaint(values)
