from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    complaint_ids = fields.One2many(
        "complaint.complaint",
        "sale_order_id",
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
            self.env["complaint.complaint"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.complaint_count = counts.get(order, 0)

    def action_view_complaints(self):
        """Open the complaints about this order."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("complaint_handling.complaint_complaint_action")
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {
            "default_sale_order_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def action_register_complaint(self):
        """Open a new complaint about this order, its customer and company filled in."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Complaint"),
            "res_model": "complaint.complaint",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._complaint_default_context(),
        }

    def _complaint_default_context(self):
        self.ensure_one()
        return {
            "default_sale_order_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_company_id": self.company_id.id,
            "default_subject": self.env._("Complaint about %(order)s", order=self.name),
            # Complaints sent by e-mail or through the portal are registered by the mail gateway
            # and the web form with their own channel: one typed in from the order was most often
            # received by phone. The field stays editable on the form.
            "default_channel": "phone",
        }
