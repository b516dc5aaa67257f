import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index, escape_psql, plaintext2html
from odoo.tools.mail import email_normalize, single_email_re
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.base.models.res_partner import _lang_get

_logger = logging.getLogger(__name__)

RATING_BATCH_SIZE = 200

CONTACT_CHANNELS = [
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("portal", "This Website"),
    ("letter", "Letter"),
]

# What the complainant may answer when they reject a decision (ISO 10003).
RECOURSES = ("none", "internal_review", "external")

# Field length limits of the public form (characters).
PORTAL_MAX_LENGTHS = {
    "complainant_name": 128,
    "complainant_email": 254,
    "complainant_phone": 32,
    "subject": 200,
    "order_reference": 64,
    "description": 20000,
    "remedy_requested": 5000,
    "message": 20000,
    "reason": 5000,
    "provider_name": 128,
}

# Mimetypes (guessed from the content, never from the name) accepted when the company lists none.
DEFAULT_ALLOWED_MIMETYPES = "application/pdf,image/jpeg,image/png,image/gif,image/webp,text/plain"


class ComplaintComplaint(models.Model):
    """The complainant's side: public form, tracking page, answers to decisions and satisfaction rating."""

    _name = "complaint.complaint"
    _inherit = ["complaint.complaint", "rating.mixin"]

    lang = fields.Selection(
        _lang_get, string="Preferred Language", help="The language in which the complainant wants to be answered."
    )
    contact_channel = fields.Selection(
        CONTACT_CHANNELS, string="Preferred Contact Channel", help="How the complainant wants to be contacted."
    )
    consent_data_processing = fields.Boolean(
        string="Consent to Data Processing",
        copy=False,
        help="The complainant agreed that their personal data is processed to handle the complaint.",
    )
    date_consent = fields.Datetime(string="Consent Given On", copy=False, readonly=True)
    order_reference = fields.Char(help="The order number the complainant gave, as typed.")
    rating_request_pending = fields.Boolean(
        string="Satisfaction Survey Pending",
        readonly=True,
        copy=False,
        help="The satisfaction survey e-mail is queued and will be sent within minutes.",
    )
    submitter_ip = fields.Char(
        string="Submitted From (IP)",
        copy=False,
        readonly=True,
        index="btree_not_null",
        groups="complaint_handling.group_complaint_manager",
        help="Address the public form was sent from; kept to limit abusive submissions.",
    )

    def init(self):
        res = super().init()
        # The queue of surveys to send is small: index only its rows.
        create_index(
            self.env.cr,
            "complaint_complaint_rating_request_pending_index",
            self._table,
            ["id"],
            where="rating_request_pending IS TRUE",
        )
        return res

    # ------------------------------------------------------------------ computes

    def _compute_access_url(self):
        # Every complaint has its page: nothing of the generic ``portal.mixin`` value is kept.
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    # ---------------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("consent_data_processing") and not vals.get("date_consent"):
                vals["date_consent"] = now
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("consent_data_processing") and "date_consent" not in vals:
            vals = dict(vals, date_consent=fields.Datetime.now())
        return super().write(vals)

    # ------------------------------------------------------------------- actions

    def action_view_ratings(self):
        """Open the complainant's satisfaction ratings of this complaint."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Satisfaction"),
            "res_model": "rating.rating",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id), ("consumed", "=", True)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------- process

    def _change_state(self, new_state, stage=None, action=None, reason=False):
        result = super()._change_state(new_state, stage=stage, action=action, reason=reason)
        if new_state == "closed":
            self._queue_rating_request()
        return result

    def _queue_rating_request(self):
        """Queue the satisfaction survey (ISO 10004) of the complaints just closed.

        Only identified complainants with an e-mail address, when their company asks for ratings. Sent by
        a scheduled job right after the commit: closing a batch costs the same few queries whatever its size.
        """
        to_ask = self.sudo().filtered(
            lambda c: not c.anonymous
            and c.company_id.complaint_rating_request
            and (c.partner_id.email or c.complainant_email)
        )
        if to_ask:
            to_ask.with_context(complaint_change_state=True).write({"rating_request_pending": True})
            cron_id = self.env["ir.model.data"]._xmlid_to_res_id("complaint_handling.ir_cron_complaint_rating_request")
            self.env["ir.cron"].sudo().browse(cron_id)._trigger()

    @api.model
    def _cron_send_rating_requests(self, batch_size=RATING_BATCH_SIZE):
        """Send the queued satisfaction surveys, one batch per call; rows locked with SKIP LOCKED."""
        self.env["complaint.complaint"].flush_model(["rating_request_pending"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM complaint_complaint WHERE rating_request_pending IS TRUE "
                "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                batch_size,
            )
        )
        complaints = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        complaints._send_rating_request()
        self.env.cr.execute(SQL("SELECT COUNT(*) FROM complaint_complaint WHERE rating_request_pending IS TRUE"))
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)

    def _send_rating_request(self):
        """E-mail the satisfaction survey to the complainants of these closed complaints (queued mail).

        Complaints reopened meanwhile are only taken off the queue.
        """
        template = self.env.ref("complaint_handling.mail_template_complaint_rating", raise_if_not_found=False)
        complaints = self.sudo()
        complaints.with_context(complaint_change_state=True).write({"rating_request_pending": False})
        for complaint in complaints.filtered(lambda c: c.state == "closed") if template else ():
            try:
                with self.env.cr.savepoint():
                    complaint.with_company(complaint.company_id).rating_send_request(
                        template, lang=complaint.lang or complaint.partner_id.lang or False, force_send=False
                    )
            except Exception:
                _logger.exception("Satisfaction survey of complaint %s could not be sent", complaint.name)

    # ------------------------------------------------------------- public form

    @api.model
    def _portal_allowed_mimetypes(self, company):
        allowed = company.complaint_portal_allowed_mimetypes or DEFAULT_ALLOWED_MIMETYPES
        return {mimetype.strip().lower() for mimetype in allowed.split(",") if mimetype.strip()}

    @api.model
    def _portal_check_attachments(self, files, company):
        """Check uploaded files against the company's limits; return a list of (name, data, mimetype).

        ``files`` is a list of (filename, content bytes). The type is guessed from the content, so a
        renamed executable is refused whatever its name says.
        """
        files = [(name, data) for name, data in files if name or data]
        max_count = company.complaint_portal_max_files
        if max_count and len(files) > max_count:
            raise UserError(
                self.env._("You can attach at most %(count)s files. Remove some and send again.", count=max_count)
            )
        max_bytes = (company.complaint_portal_max_file_size or 0) * 1024 * 1024
        allowed = self._portal_allowed_mimetypes(company)
        checked = []
        for name, data in files:
            name = (name or "file").replace("/", "_").replace("\\", "_")[-128:]
            if max_bytes and len(data) > max_bytes:
                raise UserError(
                    self.env._(
                        "The file “%(name)s” is larger than %(size)s MB. Send a smaller file.",
                        name=name,
                        size=company.complaint_portal_max_file_size,
                    )
                )
            if not data:
                raise UserError(self.env._("The file “%(name)s” is empty.", name=name))
            mimetype = guess_mimetype(data, default="application/octet-stream")
            if mimetype not in allowed:
                raise UserError(
                    self.env._(
                        "The file “%(name)s” is not of an accepted type. Accepted: %(types)s.",
                        name=name,
                        types=", ".join(sorted(allowed)),
                    )
                )
            checked.append((name, data, mimetype))
        return checked

    @api.model
    def _portal_check_rate_limit(self, email, ip, company):
        """Refuse a new web complaint when the same e-mail address or IP address sent too many in the last hour.

        Counted in the database (every worker sees the same numbers).
        """
        since = fields.Datetime.now() - timedelta(hours=1)
        Complaint = self.sudo().with_context(active_test=False)
        base = [("channel", "=", "web"), ("create_date", ">=", since)]
        per_email = company.complaint_portal_limit_email
        if per_email and email:
            email_domain = [*base, ("complainant_email", "=ilike", escape_psql(email))]
            count = Complaint.search_count(email_domain, limit=per_email)
            if count >= per_email:
                raise UserError(
                    self.env._(
                        "We already received %(count)s complaints from this e-mail address in the last hour. "
                        "Please wait a while before sending another one, or add information to a complaint "
                        "you already sent from its tracking page.",
                        count=count,
                    )
                )
        per_ip = company.complaint_portal_limit_ip
        if per_ip and ip:
            count = Complaint.search_count([*base, ("submitter_ip", "=", ip)], limit=per_ip)
            if count >= per_ip:
                raise UserError(
                    self.env._(
                        "Too many complaints were sent from your network in the last hour. "
                        "Please try again later, or contact us by e-mail or phone."
                    )
                )

    @api.model
    def _portal_validate(self, values):
        """Check the values of the public form; return {field: message} (empty when all is right)."""
        errors = {}
        for field, length in PORTAL_MAX_LENGTHS.items():
            if len(values.get(field) or "") > length:
                errors[field] = self.env._("This text is too long (at most %(length)s characters).", length=length)
        if not (values.get("complainant_name") or "").strip():
            errors["complainant_name"] = self.env._("Enter your name.")
        email = (values.get("complainant_email") or "").strip()
        if email and not single_email_re.match(email):
            errors["complainant_email"] = self.env._("Enter a valid e-mail address, e.g. name@example.com.")
        if not email and not (values.get("complainant_phone") or "").strip():
            errors["complainant_email"] = self.env._("Enter an e-mail address or a phone number so that we can answer.")
        if not (values.get("subject") or "").strip():
            errors["subject"] = self.env._("Say in a few words what your complaint is about.")
        if not (values.get("description") or "").strip():
            errors["description"] = self.env._("Describe what happened.")
        if values.get("lang") and values["lang"] not in dict(_lang_get(self)):
            errors["lang"] = self.env._("Choose one of the languages of the list.")
        if values.get("contact_channel") and values["contact_channel"] not in dict(CONTACT_CHANNELS):
            errors["contact_channel"] = self.env._("Choose one of the contact channels of the list.")
        if values.get("contact_channel") == "email" and not email:
            errors["contact_channel"] = self.env._("To be contacted by e-mail, enter your e-mail address.")
        if not values.get("consent_data_processing"):
            errors["consent_data_processing"] = self.env._(
                "We need your consent to process your personal data to handle your complaint."
            )
        return errors

    @api.model
    def _portal_find_order(self, reference, email):
        """Values linking a complaint to the order ``reference`` of the customer with ``email``.

        A hook for the bridges (e.g. Sales): the core knows no orders and returns an empty dict.
        """
        return {}

    @api.model
    def _portal_complainant_partner(self, name, email, phone, lang, company):
        """The contact of a web complainant: the logged-in customer, the contact with this e-mail, or a new one."""
        user = self.env.user
        if not user._is_public():
            return user.partner_id
        Partner = self.env["res.partner"].sudo()
        normalized = email_normalize(email) if email else False
        if normalized:
            partner = Partner.search(
                [("email_normalized", "=", normalized), ("company_id", "in", [company.id, False])], limit=1
            )
            if partner:
                return partner
        if not normalized:
            return Partner
        return Partner.create(
            {"name": name, "email": email, "phone": phone or False, "lang": lang or False, "company_id": False}
        )

    @api.model
    def _portal_submit(self, values, files=(), ip=None, company=None):
        """Register a complaint sent through the public form (channel web) and return it (as superuser).

        ``values`` are the form's fields, already validated with ``_portal_validate``; ``files`` a list of
        (filename, content). Checks the flood limits and the attachments, links the complainant's
        contact (subscribed, so that they receive the public answers) and the order they named.
        """
        company = company or self.env.company
        email = (values.get("complainant_email") or "").strip()
        errors = self._portal_validate(values)
        if errors:
            raise UserError("\n".join(errors.values()))
        self._portal_check_rate_limit(email, ip, company)
        checked_files = self._portal_check_attachments(list(files), company)
        partner = self._portal_complainant_partner(
            values["complainant_name"].strip(), email, values.get("complainant_phone"), values.get("lang"), company
        )
        vals = {
            "company_id": company.id,
            "channel": "web",
            "subject": values["subject"].strip(),
            "description": plaintext2html(values["description"]),
            "remedy_requested": values.get("remedy_requested") or False,
            "complainant_name": values["complainant_name"].strip(),
            "complainant_email": email or partner.email or False,
            "complainant_phone": (values.get("complainant_phone") or "").strip() or False,
            "partner_id": partner.id,
            "lang": values.get("lang") or False,
            "contact_channel": values.get("contact_channel") or False,
            "consent_data_processing": True,
            "order_reference": (values.get("order_reference") or "").strip() or False,
            "submitter_ip": ip or False,
        }
        product = self.env["product.product"].sudo().browse(int(values.get("product_id") or 0)).exists()
        if product and product.sale_ok and product.company_id in (company, self.env["res.company"]):
            vals["product_id"] = product.id
        if vals["order_reference"] and email:
            vals.update(self.sudo().with_company(company)._portal_find_order(vals["order_reference"], email))
        complaint = self.sudo().with_context(mail_create_nosubscribe=True).create(vals)
        if partner:
            complaint.message_subscribe(partner_ids=partner.ids)
        if checked_files:
            complaint._portal_post_message(self.env._("Files sent with the complaint."), checked_files)
        return complaint

    # ------------------------------------------------------------- tracking page

    def _portal_tracking_url(self):
        """Full URL of the tracking page with the access token, in the complainant's preferred language."""
        self.ensure_one()
        # The language in the path (e.g. /vi/my/complaints/1): the page opens in that language.
        url_code = self.lang and self.env["res.lang"]._get_data(code=self.lang).url_code
        prefix = f"/{url_code}" if url_code else ""
        return f"{self.get_base_url()}{prefix}{self.get_portal_url()}"

    def _portal_public_messages(self):
        """The messages the complainant may read: comments and e-mails, no internal notes (as superuser)."""
        self.ensure_one()
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("message_type", "in", ("comment", "email", "email_outgoing")),
                    ("subtype_id", "=", comment),
                ],
                order="date desc, id desc",
            )
        )

    def _portal_post_message(self, text, files=()):
        """Post information sent by the complainant from the tracking page, with its files (already checked).

        The text is plain text: it is escaped, never read as HTML.
        """
        self.ensure_one()
        complaint = self.sudo()
        author = complaint.partner_id
        return complaint.with_context(mail_create_nosubscribe=True).message_post(
            body=plaintext2html(text or ""),
            author_id=author.id or None,
            email_from=False if author else complaint._acknowledgement_email_to() or complaint.complainant_name,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=[(name, data) for name, data, _mimetype in files],
        )

    def _portal_can_answer_decision(self):
        self.ensure_one()
        return self.state == "decision_communicated" and self.decision_id.state == "communicated"

    def _portal_check_can_answer_decision(self):
        for complaint in self.sudo():
            if not complaint._portal_can_answer_decision():
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s has no decision waiting for your answer; reload the page.",
                        ref=complaint.name,
                    )
                )

    def _portal_accept_decision(self):
        """The complainant accepts the decision from the tracking page (the caller checked their access)."""
        self._portal_check_can_answer_decision()
        complaints = self.sudo()
        complaints.action_record_acceptance()
        for complaint in complaints:
            complaint._portal_post_message(self.env._("I accept the decision."))
        complaints._portal_schedule_handler_activity(
            self.env._("The complainant accepted the decision: close the complaint.")
        )
        return True

    def _portal_reject_decision(self, reason, recourse="none", method=None, provider_name=None):
        """The complainant rejects the decision from the tracking page, says why and chooses what follows.

        ``recourse``: ``none`` (the organisation reviews its decision), ``internal_review`` or ``external``
        (external dispute resolution, ISO 10003: a dispute case is opened with the ``method`` and provider
        they name). Both recourses escalate the complaint. The caller checked their access.
        """
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Tell us why you do not accept the decision."))
        if len(reason) > PORTAL_MAX_LENGTHS["reason"]:
            raise UserError(self.env._("The reason is too long; shorten it."))
        if recourse not in RECOURSES:
            raise UserError(self.env._("Choose what you want to happen next."))
        methods = dict(self.env["complaint.dispute"]._fields["method"]._description_selection(self.env))
        if recourse == "external" and method and method not in methods:
            raise UserError(self.env._("Choose a dispute resolution method of the list."))
        self._portal_check_can_answer_decision()
        complaints = self.sudo()
        for complaint in complaints:
            complaint.decision_id.rejection_reason = reason
        complaints.action_record_rejection()
        for complaint in complaints:
            complaint._portal_post_message(self.env._("I do not accept the decision: %(reason)s", reason=reason))
        complaints._portal_schedule_handler_activity(
            self.env._("The complainant rejected the decision: review it or follow the escalation they asked for.")
        )
        if recourse == "none":
            return True
        complaints.write({"escalation_type": recourse})
        if recourse == "external":
            self.env["complaint.dispute"].sudo().create(
                [
                    {
                        "complaint_id": complaint.id,
                        "requested_by": "complainant",
                        "method": method or "mediation",
                        "provider_name": (provider_name or "").strip()[: PORTAL_MAX_LENGTHS["provider_name"]] or False,
                    }
                    for complaint in complaints
                ]
            )
        complaints._change_state("escalated", action=self.env._("Escalated at the complainant's request"))
        return True

    def _portal_schedule_handler_activity(self, summary):
        """A to-do for the handler, so that the complainant's answer is acted upon."""
        for complaint in self.sudo().filtered("user_id"):
            complaint.activity_schedule("mail.mail_activity_data_todo", user_id=complaint.user_id.id, summary=summary)

    def _portal_rating(self):
        """The complainant's rating of this closed complaint (a consumed rating), or an empty recordset."""
        self.ensure_one()
        return self.sudo().rating_ids.filtered("consumed")[:1]

    def _portal_rating_token(self):
        """The token of the pending rating request, created if needed (only for closed complaints)."""
        self.ensure_one()
        if self.state != "closed" or self.anonymous:
            return False
        return self.sudo()._rating_get_access_token()

    def _portal_progress(self):
        """The steps shown to the complainant: (label, done, current)."""
        self.ensure_one()
        order = ["received", "acknowledged", "investigating", "decision", "closed"]
        position = {
            "received": 0,
            "acknowledged": 1,
            "assessed": 2,
            "investigating": 2,
            "reopened": 2,
            "response_proposed": 2,
            "decision_communicated": 3,
            "escalated": 3,
            "closed": 4,
            "rejected": 4,
            "withdrawn": 4,
        }[self.state]
        labels = {
            "received": self.env._("Received"),
            "acknowledged": self.env._("Acknowledged"),
            "investigating": self.env._("Under investigation"),
            "decision": self.env._("Decision"),
            "closed": self.env._("Closed"),
        }
        return [(labels[key], index < position, index == position) for index, key in enumerate(order)]

    def _portal_state_label(self):
        """The status as shown to the complainant (the internal stage names stay internal)."""
        self.ensure_one()
        return self._state_label(self.state)
