import logging

from odoo import api, fields, models
from odoo.tools import SQL, formataddr, html2plaintext
from odoo.tools.mail import email_normalize, parse_contact_from_email

_logger = logging.getLogger(__name__)

SUBJECT_MAX_LENGTH = 200
SUBJECT_FROM_BODY_LENGTH = 80
ACKNOWLEDGEMENT_BATCH_SIZE = 200


def _shorten(text, length):
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class ComplaintComplaint(models.Model):
    """Complaints received by e-mail (mail gateway) and their automatic acknowledgement (ISO 10002 7.2, 7.4)."""

    _inherit = "complaint.complaint"  # pylint: disable=consider-merging-classes-inherited

    ack_pending = fields.Boolean(
        string="Acknowledgement Pending",
        readonly=True,
        copy=False,
        help="The automatic acknowledgement e-mail is queued and will be sent within minutes.",
    )

    complainant_display = fields.Char(
        string="Complainant Shown",
        compute="_compute_complainant_display",
        help="The complainant's contact, else the name given, else “Anonymous”.",
    )

    @api.model
    def _index_specs(self):
        # The queue of acknowledgements to send is small: index only its rows.
        return [*super()._index_specs(), ("complaint_complaint_ack_pending_index", ["id"], "ack_pending IS TRUE")]

    @api.depends("partner_id", "complainant_name", "anonymous")
    @api.depends_context("lang")
    def _compute_complainant_display(self):
        # Lists show one column for the complainant, also of complaints without a contact.
        for complaint in self:
            complaint.complainant_display = (
                complaint.partner_id.display_name
                or complaint.complainant_name
                or (self.env._("Anonymous") if complaint.anonymous else False)
            )

    # ---------------------------------------------------------------------- views

    @api.model
    def get_views(self, views, options=None):
        """No "Activities" button nor planned activities in the chatter for the read-only (auditors).

        Scheduling an activity needs the right to change the complaint: they would only meet an access error.
        """
        res = super().get_views(views, options)
        if "form" in res["views"] and not self.has_access("write"):
            res["models"][self._name]["has_activities"] = False
        return res

    # ---------------------------------------------------------------------- CRUD

    @api.model
    def _complete_create_values(self, vals_list):
        return self._prepare_acknowledgement_queue(super()._complete_create_values(vals_list))

    def _on_created(self, vals_list):
        result = super()._on_created(vals_list)
        if any(vals.get("ack_pending") for vals in vals_list):
            # Sent by the cron right after the commit, never inside the user's transaction.
            # (``_xmlid_to_res_id`` is cached: unlike ``env.ref`` it costs no query.)
            cron_id = self.env["ir.model.data"]._xmlid_to_res_id("complaint_handling.ir_cron_complaint_acknowledgement")
            self.env["ir.cron"].sudo().browse(cron_id)._trigger()
        return result

    @api.model
    def _prepare_acknowledgement_queue(self, vals_list):
        """Mark the new complaints that can be acknowledged by e-mail as ``ack_pending``.

        An address is needed (the contact's or the one typed in) and the complainant must have
        given their identity; the company may switch the automatic acknowledgement off. A fixed
        number of queries whatever the batch size (partners and companies are read together).
        """
        vals_list = [dict(vals) for vals in vals_list]
        partners = (
            self.env["res.partner"].sudo().browse({vals["partner_id"] for vals in vals_list if vals.get("partner_id")})
        )
        partner_emails = {partner.id: partner.email for partner in partners}
        companies = (
            self.env["res.company"].sudo().browse({vals.get("company_id") or self.env.company.id for vals in vals_list})
        )
        auto_by_company = {company.id: company.complaint_auto_acknowledge for company in companies}
        for vals in vals_list:
            vals["ack_pending"] = bool(
                auto_by_company[vals.get("company_id") or self.env.company.id]
                and not vals.get("anonymous")
                and (vals.get("complainant_email") or partner_emails.get(vals.get("partner_id")))
            )
        return vals_list

    # -------------------------------------------------------------- mail gateway

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A complaint from an e-mail sent to a team's alias (or to the gateway's fallback model).

        The sender is the complainant: the contact with that address when there is one, otherwise
        the name and address of the From header. The message itself (with its attachments) is
        posted in the chatter by the gateway; its body is also kept as the description.
        """
        values = dict(custom_values or {})
        team = self.env["complaint.team"].browse(values.get("team_id")).exists()
        company = self.env["res.company"].browse(values.get("company_id")) or team.company_id or self.env.company
        values.setdefault("company_id", company.id)
        # The mail fetching job has no user language: the receipt's texts are in the company's.
        complaints = self.with_context(mail_create_nosubscribe=True, lang=self._job_lang(company))
        # The reference comes from the sequence (the default ``message_new`` would take the subject).
        values.setdefault("name", "/")
        values.setdefault("channel", "email")
        values.setdefault("subject", complaints._subject_from_message(msg_dict))
        values.setdefault("description", msg_dict.get("body"))
        values.update(self._complainant_from_message(msg_dict, company))
        return super(ComplaintComplaint, complaints).message_new(msg_dict, custom_values=values)

    @api.model
    def _subject_from_message(self, msg_dict):
        subject = (msg_dict.get("subject") or "").strip()
        if not subject:
            body_text = html2plaintext(msg_dict.get("body") or "").strip()
            first_line = next((line for line in body_text.splitlines() if line.strip()), "")
            subject = _shorten(first_line, SUBJECT_FROM_BODY_LENGTH) if first_line else ""
        return _shorten(subject, SUBJECT_MAX_LENGTH) if subject else self.env._("(no subject)")

    @api.model
    def _complainant_from_message(self, msg_dict, company):
        """Complainant values from the sender of an incoming e-mail."""
        name, email = parse_contact_from_email(msg_dict.get("email_from") or "")
        partner = self.env["res.partner"].browse(msg_dict.get("author_id")).exists()
        if partner and (
            partner == self.env.ref("base.partner_root")
            or (partner.company_id and partner.company_id != company)
            or email_normalize(partner.email or "") != email_normalize(email or "")
        ):
            partner = self.env["res.partner"]
        if partner:
            return {
                "partner_id": partner.id,
                "complainant_name": partner.name,
                "complainant_email": partner.email,
                "complainant_phone": partner.phone or partner.mobile,
            }
        return {"complainant_name": name or email, "complainant_email": email}

    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        # Odoo's gateway ignores a sender who opened too many complaints in a short time.
        return [
            "|",
            ("complainant_email", "=ilike", email_from_normalized),
            ("partner_id.email_normalized", "=", email_from_normalized),
        ]

    # ----------------------------------------------------------- acknowledgement

    @api.model
    def _cron_send_acknowledgements(self, batch_size=ACKNOWLEDGEMENT_BATCH_SIZE):
        """Send the queued acknowledgements, one batch per call (the cron calls again while some remain).

        Rows are locked with SKIP LOCKED: two workers never acknowledge the same complaint.
        """
        self.env["complaint.complaint"].flush_model(["ack_pending"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM complaint_complaint WHERE ack_pending IS TRUE "
                "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                batch_size,
            )
        )
        complaints = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        if complaints:
            complaints._send_acknowledgement()
        self.env.cr.execute(SQL("SELECT COUNT(*) FROM complaint_complaint WHERE ack_pending IS TRUE"))
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)

    def _acknowledgement_email_to(self):
        """The address of a complainant who is not a contact, for the acknowledgement template."""
        self.ensure_one()
        if self.partner_id or not self.complainant_email:
            return ""
        return formataddr((self.complainant_name or "", self.complainant_email))

    def _send_acknowledgement(self):
        """Send the acknowledgement e-mail and record it (method e-mail, date) in the process.

        Complaints acknowledged by hand meanwhile, made anonymous, without an address any more, or
        of a company that switched the automatic acknowledgement off are only taken off the queue.
        """
        template = self.env.ref("complaint_handling.mail_template_complaint_acknowledgement", raise_if_not_found=False)
        to_send = self.filtered(
            lambda c: c.state == "received"
            and not c.date_acknowledged
            and not c.anonymous
            and c.company_id.complaint_auto_acknowledge
            and (c.partner_id.email or c.complainant_email)
        )
        sent = self.browse()
        for complaint in to_send if template else ():
            try:
                with self.env.cr.savepoint():
                    complaint.with_company(complaint.company_id).message_post_with_source(
                        template, message_type="comment", subtype_xmlid="mail.mt_comment"
                    )
            except Exception:
                _logger.exception("Acknowledgement of complaint %s could not be sent", complaint.name)
                continue
            sent |= complaint
        self.sudo().write({"ack_pending": False})
        if sent:
            sent.write({"acknowledgement_method": "email"})
            for part in self._split_by_job_lang(sent):
                part._change_state("acknowledged", action="acknowledged_email")
        return sent
