import base64

from odoo import api, models
from odoo.exceptions import AccessError, UserError


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        """A complainant's file attached straight to a complaint follows the upload rules of complaints.

        Odoo's upload route lets a portal or public user (e.g. one holding a complaint's tracking link) attach
        a file to the record itself; for complaints the file's type and size are checked first, as on the
        tracking page (``complaint.complaint._portal_check_file``), and a refused file is not stored. Only for
        attachments of complaints created by a shared user; everything else is as Odoo does it. (Files uploaded
        as pending, then posted with a message, are checked by ``complaint.complaint.message_post``.)
        """
        if self.env.user.share:
            for vals in vals_list:
                if vals.get("res_model") == "complaint.complaint":
                    self._check_complaint_upload(vals)
        return super().create(vals_list)

    @api.model
    def _check_complaint_upload(self, vals):
        """Refuse, before anything is stored, a complainant's file that the complaint's upload rules refuse."""
        complaint = self.env["complaint.complaint"].sudo().browse(vals.get("res_id") or 0).exists()
        data = vals.get("raw")
        if data is None and vals.get("datas"):
            data = base64.b64decode(vals["datas"])
        if isinstance(data, str):
            data = data.encode()
        try:
            complaint._portal_check_file(vals.get("name"), data or b"", complaint.company_id)
        except UserError as error:
            # Odoo's upload route answers an access error with a message to the uploader.
            raise AccessError(error.args[0]) from error
