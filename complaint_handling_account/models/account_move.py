from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    complaint_ids = fields.One2many(
        "complaint.complaint",
        "invoice_id",
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
            self.env["complaint.complaint"]._read_group([("invoice_id", "in", self.ids)], ["invoice_id"], ["__count"])
        )
        for move in self:
            move.complaint_count = counts.get(move, 0)

    def action_view_complaints(self):
        """Open the complaints about this invoice."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("complaint_handling.complaint_complaint_action")
        action["domain"] = [("invoice_id", "=", self.id)]
        action["context"] = {
            "default_invoice_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def action_register_complaint(self):
        """Open a new complaint about this customer invoice, its customer and company filled in."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Complaint"),
            "res_model": "complaint.complaint",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_invoice_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_company_id": self.company_id.id,
                "default_subject": self.env._("Complaint about %(invoice)s", invoice=self.name),
                # As on sales orders: e-mail and portal complaints get their channel from the
                # gateway; one typed in from the invoice was most often received by phone.
                "default_channel": "phone",
            },
        }
