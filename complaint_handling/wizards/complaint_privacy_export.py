import base64
import io
import json
import re
import zipfile

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

# Relational and technical fields left out of the export of a record (the related records that
# matter are exported on their own).
SKIPPED_FIELD_PREFIXES = ("message_", "activity_", "rating_", "website_message")
SKIPPED_FIELDS = {"access_token", "access_url", "access_warning"}


def _safe_filename(name, default="file"):
    """A file name that is safe inside a ZIP archive (no path, no control character)."""
    name = re.sub(r"[\x00-\x1f\x7f/\\:]+", "_", name or "").strip(" .")
    return (name or default)[:120]


class ComplaintPrivacyExport(models.TransientModel):
    """Export everything held about one complainant (GDPR art. 15 and 20): a ZIP download.

    The archive holds ``data.json`` (complaints, decisions, step history, messages, attachments
    list, ratings, disputes, pauses and extensions) and the attachments themselves.
    """

    _name = "complaint.privacy.export"
    _description = "Export a Complainant's Data"

    partner_id = fields.Many2one("res.partner", string="Complainant")
    email = fields.Char(string="Complainant E-mail", help="Also finds the complaints logged with this address.")
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)
    complaint_count = fields.Integer(readonly=True)

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and not self.email:
            self.email = self.partner_id.email

    def _check_manager(self):
        if not self.env.user.has_group("complaint_handling.group_complaint_manager"):
            raise AccessError(self.env._("Only a complaint manager can export a complainant's data."))

    def _find_complaints(self):
        self.ensure_one()
        Complaint = self.env["complaint.complaint"].sudo().with_context(active_test=False)
        domain = Complaint._privacy_subject_domain(self.partner_id, self.email)
        return Complaint.search(domain + [("company_id", "in", self.env.user.company_ids.ids)], order="id")

    @api.model
    def _record_data(self, records):
        """The stored, readable fields of ``records`` as JSON-ready dicts (relations by name)."""
        names = [
            name
            for name, field in records._fields.items()
            if field.store
            and field.type not in ("one2many", "many2many", "binary")
            and name not in SKIPPED_FIELDS
            and not name.startswith(SKIPPED_FIELD_PREFIXES)
        ]
        result = []
        for row in records.read(names):
            for key, value in row.items():
                if isinstance(value, tuple) and len(value) == 2:
                    row[key] = value[1]
            result.append(row)
        return result

    def _build_data(self, complaints):
        """The content of ``data.json`` and the attachments to put next to it."""
        env = complaints.env
        threads = [("complaint.complaint", complaints)]
        disputes = complaints.dispute_ids if "dispute_ids" in complaints._fields else None
        if disputes:
            threads.append(("complaint.dispute", disputes))
        files = []
        attachments_data = []
        messages_data = []
        ratings_data = []
        for model, records in threads:
            messages = env["mail.message"].search(
                [("model", "=", model), ("res_id", "in", records.ids)], order="date, id"
            )
            for message in messages:
                messages_data.append(
                    {
                        "model": model,
                        "record": env[model].browse(message.res_id).display_name,
                        "date": message.date.isoformat(),
                        "type": message.message_type,
                        "subject": message.subject or "",
                        "author": message.author_id.name or "",
                        "email_from": message.email_from or "",
                        "body": html2plaintext(message.body or ""),
                        "attachments": message.attachment_ids.mapped("name"),
                    }
                )
            attachments = env["ir.attachment"].search([("res_model", "=", model), ("res_id", "in", records.ids)])
            for attachment in attachments:
                record = env[model].browse(attachment.res_id)
                folder = _safe_filename(record.display_name)
                path = f"attachments/{folder}/{attachment.id}_{_safe_filename(attachment.name)}"
                attachments_data.append(
                    {
                        "record": record.display_name,
                        "name": attachment.name,
                        "mimetype": attachment.mimetype,
                        "size": attachment.file_size,
                        "file": path if attachment.type == "binary" else None,
                        "url": attachment.url if attachment.type == "url" else None,
                    }
                )
                if attachment.type == "binary":
                    files.append((path, attachment.raw or b""))
            ratings = env["rating.rating"].search([("res_model", "=", model), ("res_id", "in", records.ids)])
            ratings_data += [
                {
                    "record": env[model].browse(rating.res_id).display_name,
                    "date": rating.create_date.isoformat(),
                    "rating": rating.rating,
                    "feedback": rating.feedback or "",
                    "consumed": rating.consumed,
                }
                for rating in ratings
            ]
        data = {
            "exported_on": fields.Datetime.now().isoformat(),
            "exported_by": env.user.name,
            "complainant": {
                "contact": self._record_data(self.partner_id.sudo())[0] if self.partner_id else None,
                "email": self.email or None,
            },
            "complaints": self._record_data(complaints),
            "decisions": self._record_data(complaints.decision_ids),
            "steps": self._record_data(complaints.step_ids),
            "disputes": self._record_data(disputes) if disputes else [],
            "pauses": self._record_data(env["complaint.pause"].search([("complaint_id", "in", complaints.ids)])),
            "extensions": self._record_data(
                env["complaint.extension"].search([("complaint_id", "in", complaints.ids)])
            ),
            "messages": messages_data,
            "attachments": attachments_data,
            "ratings": ratings_data,
        }
        return data, files

    def action_export(self):
        """Build the archive and download it; the export is recorded in the data protection log."""
        self.ensure_one()
        self._check_manager()
        if not self.partner_id and not self.email:
            raise UserError(self.env._("Choose the complainant's contact or enter their e-mail address."))
        complaints = self._find_complaints()
        data, files = self._build_data(complaints)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False, default=str))
            for path, content in files:
                archive.writestr(path, content)
        subject = _safe_filename(self.partner_id.name or self.email, "complainant")
        self.write(
            {
                "file_data": base64.b64encode(buffer.getvalue()),
                "file_name": f"complaint_data_{subject}.zip",
                "complaint_count": len(complaints),
            }
        )
        self.env["complaint.privacy.log"].sudo().create(
            {
                "operation": "export",
                "user_id": self.env.uid,
                "job": self.env._("Export of a complainant's data"),
                "complaint_count": len(complaints),
                "complaint_refs": ", ".join(complaints.mapped("name")),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/?model={self._name}&id={self.id}&field=file_data"
            # The type is given: guessing it from the first kilobyte of a ZIP logs a warning.
            "&filename_field=file_name&mimetype=application/zip&download=true",
            "target": "self",
        }
