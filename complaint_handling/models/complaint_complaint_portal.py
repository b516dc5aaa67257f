import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, consteq, escape_psql, hmac, plaintext2html
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
# Files a browser or a desktop could run as code: refused whatever their content sniffs as, and whatever
# the company allows (a .html that sniffs as text/plain is still HTML to a browser that opens it).
# fmt: off
SCRIPT_EXTENSIONS = frozenset((
    "htm", "html", "xhtml", "shtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "xslt", "js", "mjs", "cjs", "jsx",
    "ts", "vbs", "vbe", "wsf", "wsh", "hta", "php", "phtml", "asp", "aspx", "jsp", "cgi", "pl", "py", "rb", "sh",
    "bash", "zsh", "ps1", "psm1", "bat", "cmd", "com", "exe", "dll", "scr", "msi", "msp", "cpl", "jar", "apk", "app",
    "swf",
))
SCRIPT_MIMETYPES = frozenset((
    "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml", "text/javascript",
    "application/javascript", "application/x-javascript", "application/ecmascript", "application/x-msdownload",
    "application/x-dosexec", "application/x-executable", "application/x-sh", "application/x-shellscript",
    "application/java-archive", "application/x-httpd-php",
))
# fmt: on


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
    date_consent = fields.Datetime(string="Consent Given On", compute="_compute_date_consent", store=True, copy=False)
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

    @api.model
    def _index_specs(self):
        # The queue of surveys to send is small: index only its rows.
        return [
            *super()._index_specs(),
            ("complaint_complaint_rating_request_pending_index", ["id"], "rating_request_pending IS TRUE"),
        ]

    # ------------------------------------------------------------------ computes

    def _compute_access_url(self):
        # Every complaint has its page: nothing of the generic ``portal.mixin`` value is kept.
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    @api.depends("consent_data_processing")
    def _compute_date_consent(self):
        # When the consent was given (kept while it holds; emptied when it is withdrawn).
        now = fields.Datetime.now()
        for complaint in self:
            if not complaint.consent_data_processing:
                complaint.date_consent = False
            elif not complaint.date_consent:
                complaint.date_consent = now

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

    def _on_state_changed(self, new_state, previous):
        result = super()._on_state_changed(new_state, previous)
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
            to_ask.write({"rating_request_pending": True})
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
        complaints.write({"rating_request_pending": False})
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
        """Check files sent by a complainant against the company's limits; return a list of (name, data, mimetype).

        ``files`` is a list of (filename, content bytes). The same rules hold on every path that attaches
        a complainant's files to a complaint (public form, tracking page, Odoo's portal chatter, e-mail):
        how many, how large, which types (guessed from the content, so a renamed executable is refused
        whatever its name says), and never a type a browser could run (by name or by content).
        """
        files = [(name, data) for name, data in files if name or data]
        max_count = company.complaint_portal_max_files
        if max_count and len(files) > max_count:
            raise UserError(
                self.env._("You can attach at most %(count)s files. Remove some and send again.", count=max_count)
            )
        return [self._portal_check_file(name, data, company) for name, data in files]

    @api.model
    def _portal_check_file(self, name, data, company):
        """Check one complainant's file (see :meth:`_portal_check_attachments`); return (name, data, mimetype)."""
        name = (name or "file").replace("/", "_").replace("\\", "_")[-128:]
        max_bytes = (company.complaint_portal_max_file_size or 0) * 1024 * 1024
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
        allowed = self._portal_allowed_mimetypes(company) - SCRIPT_MIMETYPES
        # The extension as a desktop reads it (Windows ignores trailing dots and spaces: "run.exe .").
        stem = name.rstrip(". \t")
        extension = stem.rpartition(".")[2].lower() if "." in stem else ""
        if mimetype not in allowed or extension in SCRIPT_EXTENSIONS:
            raise UserError(
                self.env._(
                    "The file “%(name)s” is not of an accepted type. Accepted: %(types)s.",
                    name=name,
                    types=", ".join(sorted(allowed)),
                )
            )
        return name, data, mimetype

    def _portal_check_posted_attachments(self, attachments):
        """Check attachments (``ir.attachment``) sent by a complainant through Odoo's own routes (portal chatter)."""
        self.ensure_one()
        company = self.sudo().company_id
        attachments = attachments.sudo()
        max_count = company.complaint_portal_max_files
        if max_count and len(attachments) > max_count:
            raise UserError(
                self.env._("You can attach at most %(count)s files. Remove some and send again.", count=max_count)
            )
        for attachment in attachments:
            self._portal_check_file(attachment.name, attachment.raw or b"", company)

    def _is_complainant_side_post(self, author_id=None):
        """Whether a message is posted from outside the organisation (portal, token link, e-mail gateway).

        Judged on who posts (a shared user: portal or public) and on the author given (a contact who is no
        internal user, or none at all for an unknown e-mail sender); never on the context.
        """
        if self.env.user.share:
            return True
        if author_id is None:
            return False
        author = self.env["res.partner"].sudo().browse(author_id).exists()
        return not author or not any(not user.share for user in author.with_context(active_test=False).user_ids)

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        """Complainants' files follow the upload rules on every path (see :meth:`_portal_check_attachments`).

        From Odoo's portal chatter a refused file refuses the message (the complainant sees why); from the
        mail gateway the refused files are left out and a note says so, so that the e-mail itself is kept.
        """
        if len(self) == 1 and self._is_complainant_side_post(kwargs.get("author_id")):
            kwargs = self._complainant_post_files(kwargs)
        return super().message_post(**kwargs)

    def _complainant_post_files(self, kwargs):
        """``kwargs`` of a complainant's ``message_post`` with their files checked (see :meth:`message_post`)."""
        company = self.sudo().company_id
        from_gateway = kwargs.get("message_type") == "email"
        attachment_ids = kwargs.get("attachment_ids") or []
        if attachment_ids and not from_gateway:
            self._portal_check_posted_attachments(self.env["ir.attachment"].browse(attachment_ids))
        files = kwargs.get("attachments") or []
        if not files:
            return kwargs
        if not from_gateway:
            self._portal_check_attachments([(item[0], item[1]) for item in files], company)
            return kwargs
        kept, refused = [], []
        for item in files:
            name, data = item[0], item[1]
            if isinstance(data, str):
                data = data.encode()
            elif not isinstance(data, bytes):  # e.g. an attached e-mail (message/rfc822), parsed
                data = str(data).encode()
            try:
                self._portal_check_file(name, data, company)
            except UserError:
                refused.append(name or "file")
                continue
            kept.append(item)
        max_count = company.complaint_portal_max_files
        if max_count and len(kept) > max_count:
            refused += [item[0] or "file" for item in kept[max_count:]]
            kept = kept[:max_count]
        if refused:
            self.sudo()._message_log(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Files of an incoming e-mail not kept (type, size or number not accepted): %(names)s",
                    names=", ".join(refused),
                )
            )
        return dict(kwargs, attachments=kept)

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
        if values.get("product_id") and not str(values["product_id"]).isdigit():
            errors["product_id"] = self.env._("Choose a product of the list.")
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
        """The contact of a web complainant and whether the e-mail address still needs confirming.

        Returns ``(partner, to_verify)``: the logged-in customer's own contact; for a visitor, a new contact
        when no contact has this e-mail address; when one has, no contact yet (``to_verify``): typing
        someone's address must not put the complaint in their portal nor tell the visitor anything about
        them, so the complaint is linked to that contact only once its owner confirms the address
        (:meth:`_portal_verify_email`, from the link e-mailed to that address).
        """
        user = self.env.user
        Partner = self.env["res.partner"].sudo()
        if not user._is_public():
            return user.partner_id, False
        normalized = email_normalize(email) if email else False
        if not normalized:
            return Partner, False
        if self._portal_find_partners(normalized, company):
            return Partner, True
        partner = Partner.create(
            {"name": name, "email": email, "phone": phone or False, "lang": lang or False, "company_id": False}
        )
        return partner, False

    @api.model
    def _portal_find_partners(self, normalized_email, company):
        """The contacts of ``company`` (or shared) with this normalised e-mail address (as superuser)."""
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [("email_normalized", "=", normalized_email), ("company_id", "in", [company.id, False])],
                order="id",
            )
        )

    def _portal_verification_token(self):
        """The token of the e-mail confirmation link: a signature of the complaint and its e-mail address."""
        self.ensure_one()
        email = email_normalize(self.sudo().complainant_email or "") or ""
        return hmac(self.env(su=True), "complaint-email-verification", f"{self.id}:{email}")

    def _portal_verification_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/complaint/verify/{self.id}/{self._portal_verification_token()}"

    def _portal_send_verification(self):
        """E-mail the confirmation link to the address given on the public form (only that mailbox gets it).

        Sent outside the complaint's thread (no message on the complaint): the tracking page, which the
        visitor who typed the address can open, must never show the link.
        """
        template = self.env.ref(
            "complaint_handling.mail_template_complaint_email_verification", raise_if_not_found=False
        )
        for complaint in self.sudo() if template else ():
            template.with_company(complaint.company_id).send_mail(
                complaint.id, email_values={"model": False, "res_id": False}
            )

    def _portal_verify_email(self, token):
        """Confirm the complainant's e-mail address from the link sent to it: link the complaint to the contact
        with that address (a new one if it was removed meanwhile) and let them follow it in their portal."""
        self.ensure_one()
        complaint = self.sudo()
        if not (token and complaint.complainant_email and consteq(token, self._portal_verification_token())):
            raise AccessError(self.env._("This confirmation link is not valid any more."))
        if complaint.partner_id:
            return complaint.partner_id
        partner = self._portal_find_partners(email_normalize(complaint.complainant_email), complaint.company_id)[:1]
        if not partner:
            partner = (
                self.env["res.partner"]
                .sudo()
                .create(
                    {
                        "name": complaint.complainant_name or complaint.complainant_email,
                        "email": complaint.complainant_email,
                        "lang": complaint.lang or False,
                    }
                )
            )
        complaint.partner_id = partner
        complaint.message_subscribe(partner_ids=partner.ids)
        complaint._log_step("email_confirmed")
        return partner

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
        partner, to_verify = self._portal_complainant_partner(
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
        if to_verify:
            complaint._portal_send_verification()
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
        complaints._change_state("escalated", action="escalated_by_complainant")
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
