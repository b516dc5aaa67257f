from odoo import api, fields, models


class ComplaintDocumentMixin(models.AbstractModel):
    """A business document complaints can be about: a sales order, an invoice, a delivery, a lot.

    The inheriting model names in ``_complaint_field`` the Many2one of complaint.complaint that
    points to it, and defines ``complaint_ids`` (its inverse). It gets the count of the complaints
    the user may see, the "Complaints" smart button and the "Register Complaint" button.
    """

    _name = "complaint.document.mixin"
    _description = "Document Complaints Can Be About"
    _complaint_field = None

    complaint_count = fields.Integer(
        compute="_compute_complaint_count", groups="complaint_handling.group_complaint_user"
    )

    @api.depends(lambda self: ["complaint_ids"] if "complaint_ids" in self._fields else [])
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_complaint_count(self):
        # Counts what the user may see: the complaint record rules apply.
        field = self._complaint_field
        counts = dict(self.env["complaint.complaint"]._read_group([(field, "in", self.ids)], [field], ["__count"]))
        for document in self:
            document.complaint_count = counts.get(document, 0)

    def _complaint_defaults(self):
        """Values of a new complaint about this document (its customer and company when it has them)."""
        self.ensure_one()
        values = {self._complaint_field: self.id}
        for field in ("partner_id", "company_id"):
            if field in self._fields:
                values[field] = self[field].id
        return values

    def action_view_complaints(self):
        """Open the complaints about this document."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("complaint_handling.complaint_complaint_action")
        action["domain"] = [(self._complaint_field, "=", self.id)]
        action["context"] = {f"default_{name}": value for name, value in self._complaint_defaults().items()}
        return action

    def action_register_complaint(self):
        """Open a new complaint about this document, prefilled."""
        self.ensure_one()
        values = {
            **self._complaint_defaults(),
            "subject": self.env._("Complaint about %(document)s", document=self.display_name),
            # Complaints sent by e-mail or through the portal are registered by the mail gateway
            # and the web form with their own channel: one typed in from a document was most
            # often received by phone. The field stays editable on the form.
            "channel": "phone",
        }
        return self.env["complaint.complaint"]._action_new_complaint(values)
