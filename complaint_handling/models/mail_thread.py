import codecs
import email
import email.policy
import logging
from email.utils import getaddresses
from xmlrpc import client as xmlrpclib

from odoo import api, models
from odoo.tools.mail import email_normalize

_logger = logging.getLogger(__name__)

# Headers by which mail software marks a message it sent by itself (RFC 3834, RFC 2076 and
# common practice): such messages never open a complaint, nor receive an acknowledgement.
AUTO_SUBMITTED_PRECEDENCE = {"bulk", "junk", "list", "auto_reply", "auto-reply"}
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply")
SYSTEM_SENDERS = {"mailer-daemon", "postmaster", "noreply-dsn"}


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_process(
        self, model, message, custom_values=None, save_original=False, strip_attachments=False, thread_id=None
    ):
        """Read the complaints' mail that Odoo's parser would refuse: declared charsets Python does not know
        (e.g. ``unknown-8bit``), read as Latin-1 (every byte is a character), and NUL characters, dropped
        (PostgreSQL refuses them in text). Otherwise the gateway fails on such a message again and again.

        Only for mail to complaints (the fallback model, or the alias of a complaint team); every other
        message is processed exactly as Odoo does.
        """
        if isinstance(message, xmlrpclib.Binary):
            message = bytes(message.data)
        if isinstance(message, str):
            message = message.encode("utf-8")
        if isinstance(message, bytes) and (model == "complaint.complaint" or self._complaint_mail_to_alias(message)):
            message = self._complaint_repair_mail(message)
        return super().message_process(
            model,
            message,
            custom_values=custom_values,
            save_original=save_original,
            strip_attachments=strip_attachments,
            thread_id=thread_id,
        )

    @api.model
    def _complaint_mail_to_alias(self, raw):
        """Whether the raw message is addressed to the e-mail alias of a complaint team."""
        headers = email.message_from_bytes(raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0], policy=email.policy.SMTP)
        addresses = {
            address.lower()
            for header in ("To", "Cc", "Delivered-To", "X-Original-To")
            for _name, address in getaddresses([str(value) for value in headers.get_all(header) or []])
            if address
        }
        if not addresses:
            return False
        aliases = self.env["mail.alias"].sudo().search([("alias_model_id.model", "=", "complaint.complaint")])
        return bool(addresses & {alias.alias_full_name.lower() for alias in aliases if alias.alias_full_name})

    @api.model
    def _complaint_repair_mail(self, raw):
        """The raw message without NUL characters, its parts of unknown charsets declared Latin-1."""
        message = email.message_from_bytes(raw.replace(b"\x00", b""), policy=email.policy.SMTP)
        repaired = False
        for part in message.walk():
            charset = part.get_param("charset")
            if not charset or part.is_multipart():
                continue
            try:
                codecs.lookup(str(charset))
            except LookupError:
                _logger.info("Unknown charset %s in mail %s read as latin-1", charset, message.get("Message-Id"))
                part.set_param("charset", "latin-1")
                repaired = True
        return message.as_bytes() if repaired else raw.replace(b"\x00", b"")

    @api.model
    def _complaint_refusal_reason(self, message, message_dict):
        """Why an incoming e-mail may not open a complaint, or False when it may.

        Bounces (delivery reports, mailer-daemon) are already handled by Odoo before routing.
        """
        auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted and auto_submitted != "no":
            return "auto-submitted"
        if (message.get("Precedence") or "").strip().lower() in AUTO_SUBMITTED_PRECEDENCE:
            return "precedence"
        if any(message.get(header) for header in AUTO_REPLY_HEADERS):
            return "auto-reply header"
        sender = email_normalize(message_dict.get("email_from") or "", strict=False)
        if not sender:
            return "no sender address"
        if sender.split("@", 1)[0] in SYSTEM_SENDERS:
            return "system sender"
        return False

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        """Filter the routes that would open a complaint from a message that may not.

        Auto-replies, out-of-office and bulk messages are dropped (answering them is how mail
        loops start). A message without a usable sender address cannot become a complaint (no
        contact, no acknowledgement): it is posted on the team of the alias instead, so nothing is
        lost, or, without a team, refused with a warning in the log.
        """
        kept = []
        for route in routes or ():
            model, thread_id, _custom_values, user_id, alias = route
            if model != "complaint.complaint" or thread_id:
                kept.append(route)
                continue
            reason = self._complaint_refusal_reason(message, message_dict)
            if not reason:
                kept.append(route)
                continue
            team_id = alias and alias.alias_parent_model_id.model == "complaint.team" and alias.alias_parent_thread_id
            if reason == "no sender address" and team_id:
                _logger.warning(
                    "Mail with Message-Id %s to %s has no sender address: posted on complaint team %s",
                    message_dict.get("message_id"),
                    message_dict.get("to"),
                    team_id,
                )
                kept.append(("complaint.team", team_id, {}, user_id, alias))
                continue
            log = _logger.warning if reason == "no sender address" else _logger.info
            log(
                "Mail from %s to %s with Message-Id %s opens no complaint: %s",
                message_dict.get("email_from"),
                message_dict.get("to"),
                message_dict.get("message_id"),
                reason,
            )
        if routes and not kept:
            return False
        return super()._message_route_process(message, message_dict, kept)
