import base64

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase
from .test_portal import PNG

ALIAS_DOMAIN = "complaints.test.example.com"

PLAIN = """Return-Path: <{email_from_addr}>
To: {to}
From: {email_from}
Subject: {subject}
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit
{extra}
{body}
"""

HTML_ONLY = """To: {to}
From: {email_from}
Subject: {subject}
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><p>The kettle I bought <b>leaks</b> from the bottom.</p>
<script>alert('x')</script></body></html>
"""

MULTIPART = """To: {to}
From: {email_from}
Subject: {subject}
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: multipart/alternative; boundary="ALT"

--ALT
Content-Type: text/plain; charset=utf-8

The delivered chair is broken, see the photos.
--ALT
Content-Type: text/html; charset=utf-8

<p>The delivered chair is broken, see the photos.</p>
--ALT--
--BOUNDARY
Content-Type: image/png; name="photo.png"
Content-Disposition: attachment; filename="photo.png"
Content-Transfer-Encoding: base64

{png}
--BOUNDARY
Content-Type: application/pdf; name="invoice.pdf"
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

{pdf}
--BOUNDARY--
"""

# An out-of-office reply, as sent by a common mail server.
OUT_OF_OFFICE = """To: {to}
From: {email_from}
Subject: Out of Office: {subject}
Message-ID: {msg_id}
Precedence: bulk
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

I am out of the office until Monday.
"""

# A delivery status notification (RFC 3464) from a mailer-daemon.
DSN_BOUNCE = """To: {to}
From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
Message-ID: {msg_id}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="DSN"

--DSN
Content-Type: text/plain; charset=us-ascii

This is the mail system. Your message could not be delivered.
--DSN
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net
Final-Recipient: rfc822; nobody@example.net
Action: failed
Status: 5.1.1
--DSN--
"""

NO_FROM = """To: {to}
Subject: {subject}
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Nobody knows who wrote this complaint.
"""


@tagged("post_install", "-at_install")
class ComplaintMailCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {"name": ALIAS_DOMAIN, "bounce_alias": "bounce", "catchall_alias": "catchall"}
        )
        cls.company.alias_domain_id = cls.alias_domain
        cls.team_a.write({"alias_name": "gateway-test", "alias_domain_id": cls.alias_domain.id})
        cls.alias_email = f"gateway-test@{ALIAS_DOMAIN}"
        cls.Complaint = cls.env["complaint.complaint"]
        cls._msg_counter = 0

    def _msg_id(self):
        type(self)._msg_counter += 1
        return f"<complaint-test-{self._msg_counter}@client.example.org>"

    def _process(self, template, model=None, **values):
        """Feed one raw RFC 822 message to the gateway; return the complaints it created."""
        values.setdefault("to", self.alias_email)
        values.setdefault("email_from", "Pat Unknown <pat.unknown@client.example.org>")
        values.setdefault("email_from_addr", "pat.unknown@client.example.org")
        values.setdefault("subject", "My kettle leaks")
        values.setdefault("msg_id", self._msg_id())
        values.setdefault("extra", "")
        values.setdefault("body", "The kettle I bought last week leaks.")
        message = template.format(**values) if isinstance(template, str) else template
        before = self.Complaint.search([])
        self.env["mail.thread"].message_process(model, message)
        self.env.flush_all()
        return self.Complaint.search([]) - before


@tagged("post_install", "-at_install")
class TestMailGateway(ComplaintMailCase):
    def test_team_alias_routes_to_complaints_of_the_team(self):
        alias = self.team_a.alias_id
        self.assertEqual(alias.alias_model_id.model, "complaint.complaint")
        self.assertEqual(self.team_a.alias_email, self.alias_email)
        self.assertIn(f"'team_id': {self.team_a.id}", alias.alias_defaults)
        self.assertFalse(self.team_b.alias_id, "a team without alias name has no alias")

    def test_plain_mail_from_unknown_sender_keeps_name_and_address(self):
        complaint = self._process(PLAIN)
        self.assertEqual(len(complaint), 1)
        self.assertRecordValues(
            complaint,
            [
                {
                    "channel": "email",
                    "subject": "My kettle leaks",
                    "team_id": self.team_a.id,
                    "company_id": self.company.id,
                    "partner_id": False,
                    "complainant_name": "Pat Unknown",
                    "complainant_email": "pat.unknown@client.example.org",
                    "anonymous": False,
                    "state": "received",
                    "ack_pending": True,
                }
            ],
        )
        self.assertIn("leaks", complaint.description)
        self.assertNotIn(complaint.name, ("/", "", complaint.subject), "the reference comes from the sequence")
        incoming = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(incoming), 1, "the e-mail itself is in the chatter")
        self.assertEqual(incoming.email_from, '"Pat Unknown" <pat.unknown@client.example.org>')
        self.assertEqual(complaint.step_ids.mapped("action_label"), ["Received: E-mail"])

    def test_mail_from_known_sender_is_linked_to_the_contact(self):
        complaint = self._process(
            PLAIN, email_from='"Jane C." <Jane.Complainer@example.com>', email_from_addr="jane.complainer@example.com"
        )
        self.assertEqual(complaint.partner_id, self.partner)
        self.assertEqual(complaint.complainant_email, self.partner.email)
        self.assertEqual(complaint.message_ids.filtered(lambda m: m.message_type == "email").author_id, self.partner)

    def test_fallback_model_without_alias_creates_a_complaint(self):
        complaint = self._process(PLAIN, model="complaint.complaint", to="someone@elsewhere.example.net")
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.company_id, self.env.company)
        self.assertFalse(complaint.team_id)

    def test_html_only_mail_is_sanitized(self):
        complaint = self._process(HTML_ONLY)
        self.assertEqual(len(complaint), 1)
        self.assertIn("<b>leaks</b>", complaint.description)
        self.assertNotIn("<script", complaint.description)

    def test_attachments_are_kept(self):
        png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).decode()
        pdf = base64.b64encode(b"%PDF-1.4\n%fake invoice\n").decode()
        complaint = self._process(MULTIPART, png=png, pdf=pdf)
        self.assertEqual(len(complaint), 1)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(sorted(attachments.mapped("name")), ["invoice.pdf", "photo.png"])
        message = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(message.attachment_ids, attachments)
        self.assertEqual(
            base64.b64decode(attachments.filtered(lambda a: a.name == "invoice.pdf").datas)[:8], b"%PDF-1.4"
        )

    def test_attachments_follow_the_size_limit_of_complainants_files(self):
        # 5 MB within the company's limit (10 MB) is kept; over a limit of 2 MB the file is left out, the
        # e-mail and its other files are kept, and a note says what was left out (the same rules as the portal).
        payload = PNG + b"\xff" * (5 * 1024 * 1024)
        encoded = base64.encodebytes(payload).decode()
        complaint = self._process(MULTIPART, png=encoded, pdf=base64.b64encode(b"%PDF-1.4").decode())
        photo = self._attachment(complaint, "photo.png")
        self.assertEqual(photo.file_size, len(payload))
        self.company.complaint_portal_max_file_size = 2
        complaint = self._process(MULTIPART, png=encoded, pdf=base64.b64encode(b"%PDF-1.4").decode())
        self.assertFalse(self._attachment(complaint, "photo.png"))
        self.assertTrue(self._attachment(complaint, "invoice.pdf"))
        notes = complaint.message_ids.filtered(lambda m: "not kept" in (m.body or ""))
        self.assertIn("photo.png", notes.body)

    def _attachment(self, complaint, name):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "complaint.complaint"), ("res_id", "=", complaint.id), ("name", "=", name)]
        )

    def test_no_subject_takes_the_start_of_the_body(self):
        complaint = self._process(
            PLAIN, subject="", body="\n\n  My order never arrived and nobody answers.  \nSecond line"
        )
        self.assertEqual(complaint.subject, "My order never arrived and nobody answers.")
        long_body = "Terrible " * 40
        complaint = self._process(PLAIN, subject="", body=long_body)
        self.assertEqual(len(complaint.subject), 80)
        self.assertTrue(complaint.subject.endswith("…"))

    def test_no_subject_and_no_body_gets_a_default_subject(self):
        complaint = self._process(PLAIN, subject="", body="")
        self.assertEqual(complaint.subject, "(no subject)")

    def test_overlong_subject_is_truncated(self):
        complaint = self._process(PLAIN, subject="Broken " * 100)
        self.assertEqual(len(complaint.subject), 200)

    def test_wrong_charset_does_not_crash(self):
        # Declared UTF-8, written in Latin-1 (é = 0xe9).
        raw = PLAIN.format(
            to=self.alias_email,
            email_from="Pat Unknown <pat.unknown@client.example.org>",
            email_from_addr="pat.unknown@client.example.org",
            subject="Caf=?utf-8?q?=E9?=",
            msg_id=self._msg_id(),
            extra="",
            body="PLACEHOLDER",
        ).encode()
        raw = raw.replace(b"PLACEHOLDER", "Le café était froid".encode("latin-1"))
        complaint = self._process(raw)
        self.assertEqual(len(complaint), 1)
        self.assertIn("Le caf", complaint.description)

    def test_unknown_8bit_charset_does_not_crash(self):
        raw = (
            PLAIN.replace("charset=utf-8", "charset=unknown-8bit")
            .format(
                to=self.alias_email,
                email_from="Pat Unknown <pat.unknown@client.example.org>",
                email_from_addr="pat.unknown@client.example.org",
                subject="Strange charset",
                msg_id=self._msg_id(),
                extra="",
                body="PLACEHOLDER",
            )
            .encode()
        )
        raw = raw.replace(b"PLACEHOLDER", "Ça ne marche pas: ñ ü".encode("cp1252"))
        complaint = self._process(raw)
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.subject, "Strange charset")
        self.assertIn("marche pas", complaint.description)

    def test_reply_lands_on_the_same_complaint(self):
        first_id = self._msg_id()
        complaint = self._process(PLAIN, msg_id=first_id)
        messages = len(complaint.message_ids)
        created = self._process(
            PLAIN,
            subject="Re: My kettle leaks",
            extra=f"In-Reply-To: {first_id}\nReferences: {first_id}\n",
            body="Here is the serial number: 1234.",
        )
        self.assertFalse(created, "a reply opens no new complaint")
        complaint.invalidate_recordset()
        self.assertEqual(len(complaint.message_ids), messages + 1)
        self.assertIn("1234", complaint.message_ids[0].body)

    def test_reply_to_the_acknowledgement_lands_on_the_same_complaint(self):
        complaint = self._process(PLAIN)
        self.Complaint._cron_send_acknowledgements()
        acknowledgement = complaint.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertTrue(acknowledgement.message_id)
        created = self._process(
            PLAIN,
            subject=f"Re: {acknowledgement.subject}",
            extra=f"In-Reply-To: {acknowledgement.message_id}\n",
            body="Thanks, here is more.",
        )
        self.assertFalse(created)
        self.assertIn("here is more", complaint.message_ids[0].body)

    @mute_logger("odoo.addons.complaint_handling.models.mail_thread")
    def test_auto_replies_open_no_complaint(self):
        for header in (
            "Auto-Submitted: auto-replied",
            "Auto-Submitted: auto-generated",
            "X-Autoreply: yes",
            "X-Autorespond: Out of office",
            "Precedence: junk",
            "Precedence: list",
            "Precedence: auto_reply",
        ):
            with self.subTest(header=header):
                created = self._process(PLAIN, subject="Automatic reply: Out of Office", extra=header + "\n")
                self.assertFalse(created)
        # A person's own mail that says Auto-Submitted: no is a complaint.
        self.assertEqual(len(self._process(PLAIN, extra="Auto-Submitted: no\n")), 1)

    @mute_logger("odoo.addons.complaint_handling.models.mail_thread")
    def test_out_of_office_with_precedence_bulk_opens_no_complaint(self):
        self.assertFalse(self._process(OUT_OF_OFFICE))
        self.assertFalse(self.env["mail.mail"].search([("email_to", "ilike", "pat.unknown")]), "no answer sent")

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_dsn_bounce_opens_no_complaint(self):
        self.assertFalse(self._process(DSN_BOUNCE))
        self.assertFalse(self._process(DSN_BOUNCE, model="complaint.complaint"))

    @mute_logger("odoo.addons.complaint_handling.models.mail_thread")
    def test_system_senders_open_no_complaint(self):
        created = self._process(PLAIN, email_from="postmaster@client.example.org")
        self.assertFalse(created)

    @mute_logger("odoo.addons.complaint_handling.models.mail_thread")
    def test_missing_from_is_kept_on_the_team_not_as_a_complaint(self):
        team_messages = len(self.team_a.message_ids)
        created = self._process(NO_FROM, subject="Anonymous note")
        self.assertFalse(created, "no complaint without any contact")
        self.team_a.invalidate_recordset()
        self.assertEqual(len(self.team_a.message_ids), team_messages + 1, "the message is kept on the team")
        self.assertIn("Nobody knows", self.team_a.message_ids[0].body)

    @mute_logger("odoo.addons.complaint_handling.models.mail_thread")
    def test_missing_from_without_alias_is_refused_cleanly(self):
        result = self.env["mail.thread"].message_process(
            "complaint.complaint",
            NO_FROM.format(to="someone@elsewhere.example.net", subject="Who?", msg_id=self._msg_id()),
        )
        self.assertFalse(result)
        self.assertFalse(self.Complaint.search([("subject", "=", "Who?")]))

    def test_name_without_address_is_refused_cleanly(self):
        with mute_logger("odoo.addons.complaint_handling.models.mail_thread"):
            created = self._process(PLAIN, email_from="Jane Without Address")
        self.assertFalse(created)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_sender_flooding_the_alias_is_stopped_by_loop_detection(self):
        self.env["ir.config_parameter"].sudo().set_param("mail.gateway.loop.threshold", 3)
        created = self.Complaint
        for _index in range(5):
            created |= self._process(PLAIN)
        self.assertEqual(len(created), 3)

    def test_each_message_class_has_exactly_one_outcome(self):
        """Every message either makes one complaint, lands on one record, or is dropped on purpose."""
        outcomes = []
        cases = [
            (PLAIN, {}, 1),
            (HTML_ONLY, {}, 1),
            (PLAIN, {"subject": ""}, 1),
            (PLAIN, {"extra": "Auto-Submitted: auto-replied\n"}, 0),
            (OUT_OF_OFFICE, {}, 0),
            (DSN_BOUNCE, {}, 0),
            (NO_FROM, {}, 0),
        ]
        with mute_logger("odoo.addons.complaint_handling.models.mail_thread", "odoo.addons.mail.models.mail_thread"):
            for template, values, expected in cases:
                msg_id = self._msg_id()
                created = self._process(template, msg_id=msg_id, **values)
                stored = self.env["mail.message"].search([("message_id", "=", msg_id)])
                outcomes.append((len(created), len(stored)))
                self.assertEqual(len(created), expected)
                self.assertLessEqual(len(stored), 1, "a message is never stored twice")
                # The same message fed again (mail server retry) changes nothing.
                self.assertFalse(self._process(template, msg_id=msg_id, **values))
        self.assertEqual(
            outcomes,
            [(1, 1), (1, 1), (1, 1), (0, 0), (0, 0), (0, 0), (0, 1)],
            "complaints created and messages stored per class",
        )
