"""Uploads: the same type, count and size rules on every path that attaches a complainant's file to a complaint,
script-capable files refused whatever their content, and complaint files served as downloads."""

import json
import re
from email.message import EmailMessage

from odoo.tests import HttpCase, tagged

from .test_portal import PNG, PortalCase

# Script-capable files disguised as harmless content: by name they are HTML, SVG, JavaScript, a program.
DISGUISED = [
    ("invoice.html", b"Just plain text, honestly."),
    ("photo.svg", PNG),
    ("notes.js", b"alert(1)"),
    ("setup.exe", PNG),
]


@tagged("post_install", "-at_install")
class TestUploadRulesOnEveryPath(HttpCase, PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls.env["complaint.complaint"].create(
            {"subject": "Upload target", "partner_id": cls.partner.id, "channel": "web"}
        )
        cls.token = cls.complaint._portal_ensure_token()

    def _csrf(self, url):
        match = re.search(r'name="csrf_token" value="([^"]+)"', self.url_open(url).text)
        self.assertTrue(match, url)
        return match.group(1)

    def _attachments(self, complaint=None):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "complaint.complaint"), ("res_id", "=", (complaint or self.complaint).id)])
        )

    def test_public_form_refuses_disguised_script_files(self):
        count = self.env["complaint.complaint"].search_count([])
        for name, data in DISGUISED:
            with self.subTest(name=name):
                response = self.url_open(
                    "/complaint/submit",
                    data={
                        "csrf_token": self._csrf("/complaint"),
                        "complainant_name": "Uploader",
                        "complainant_email": "uploader@example.com",
                        "subject": "Broken",
                        "description": "See the file",
                        "consent_data_processing": "1",
                    },
                    files={"attachments": (name, data)},
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("is not of an accepted type", response.text)
        self.assertEqual(self.env["complaint.complaint"].search_count([]), count)

    def test_tracking_page_refuses_disguised_script_files(self):
        page = f"/my/complaints/{self.complaint.id}?access_token={self.token}"
        for name, data in DISGUISED:
            with self.subTest(name=name):
                self.url_open(
                    f"/my/complaints/{self.complaint.id}/message",
                    data={"csrf_token": self._csrf(page), "access_token": self.token, "message": "Here"},
                    files={"attachments": (name, data)},
                )
        self.assertFalse(self._attachments())
        self.assertFalse(self.complaint.message_ids.filtered(lambda m: m.body and "Here" in m.body))

    def test_odoo_portal_chatter_upload_and_post_follow_the_rules(self):
        csrf = self._csrf(f"/my/complaints/{self.complaint.id}?access_token={self.token}")

        def upload(name, data, pending):
            response = self.url_open(
                "/mail/attachment/upload",
                data={
                    "csrf_token": csrf,
                    "thread_id": str(self.complaint.id),
                    "thread_model": "complaint.complaint",
                    "is_pending": "true" if pending else "false",
                    "token": self.token,
                },
                files={"ufile": (name, data)},
            )
            self.assertEqual(response.status_code, 200)
            return response.json()

        # Straight onto the complaint: refused (type), nothing attached.
        for name, data in DISGUISED:
            with self.subTest(name=name, pending=False):
                self.assertIn("error", upload(name, data, pending=False))
        self.assertFalse(self._attachments())

        def post(attachment):
            return self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "complaint.complaint",
                    "thread_id": self.complaint.id,
                    "post_data": {
                        "body": "Posted from the chatter",
                        "attachment_ids": [attachment["id"]],
                        "message_type": "comment",
                    },
                    "token": self.token,
                    "attachment_tokens": [attachment["access_token"]],
                },
            )

        # Uploaded as pending, then posted with a message: the message is refused.
        data = upload("invoice.html", b"plain text", pending=True)["data"]
        with self.assertRaises(Exception) as caught:
            post(data["ir.attachment"][0])
        self.assertIn("UserError", str(type(caught.exception)) + str(caught.exception))
        self.assertFalse(self.complaint.message_ids.filtered(lambda m: m.body and "Posted from the chatter" in m.body))
        # An accepted type goes through the same route.
        data = upload("photo.png", PNG, pending=True)["data"]
        post(data["ir.attachment"][0])
        self.assertEqual(self._attachments().mapped("name"), ["photo.png"])

    def test_mail_gateway_keeps_the_mail_and_leaves_out_refused_files(self):
        message = EmailMessage()
        message["From"] = "Gina Gateway <gina.gateway@example.com>"
        message["To"] = "complaints@example.com"
        message["Subject"] = "Broken lamp, see attachments"
        message["Message-Id"] = "<upload-rules-1@example.com>"
        message.set_content("The lamp arrived broken.")
        message.add_attachment(PNG, maintype="image", subtype="png", filename="lamp.png")
        message.add_attachment(b"<script>alert(1)</script>", maintype="text", subtype="html", filename="lamp.html")
        message.add_attachment(b"plain", maintype="text", subtype="plain", filename="run.js")
        thread_id = self.env["mail.thread"].message_process("complaint.complaint", message.as_bytes())
        complaint = self.env["complaint.complaint"].browse(thread_id)
        self.assertEqual(complaint.subject, "Broken lamp, see attachments")
        self.assertEqual(self._attachments(complaint).mapped("name"), ["lamp.png"])
        notes = complaint.message_ids.filtered(lambda m: m.body and "not kept" in m.body)
        self.assertEqual(len(notes), 1)
        self.assertIn("lamp.html", notes.body)
        self.assertIn("run.js", notes.body)

    def test_complaint_files_are_served_as_downloads(self):
        self.complaint.sudo()._portal_post_message("A note", [("note.txt", b"Just some notes.", "text/plain")])
        attachment = self._attachments()
        self.assertEqual(attachment.mimetype, "text/plain")
        page = self.url_open(f"/my/complaints/{self.complaint.id}?access_token={self.token}").text
        link = re.search(rf'href="(/web/content/{attachment.id}\?[^"]+)"', page).group(1).replace("&amp;", "&")
        self.assertIn("download=true", link)
        response = self.url_open(link)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Disposition"].startswith("attachment"))
        self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
        self.assertNotIn("html", response.headers["Content-Type"])


@tagged("post_install", "-at_install")
class TestMalformedPublicInput(HttpCase, PortalCase):
    """Malformed input on the public pages gives a clear 4xx or a message on the form, never a 500."""

    def _csrf(self, url="/complaint"):
        return re.search(r'name="csrf_token" value="([^"]+)"', self.url_open(url).text).group(1)

    def test_malformed_form_values_are_answered_on_the_form(self):
        count = self.env["complaint.complaint"].search_count([])
        good = {
            "complainant_name": "Ivy",
            "complainant_email": "ivy@example.com",
            "subject": "Broken",
            "description": "It broke",
            "consent_data_processing": "1",
        }
        for bad in (
            {"product_id": "abc"},
            {"product_id": "1; DROP TABLE complaint_complaint"},
            {"lang": "xx_XX"},
            {"contact_channel": "pigeon"},
            {"complainant_email": "not-an-address"},
            {"subject": ""},
            {"description": "", "subject": "x" * 5000},
            {"consent_data_processing": ""},
        ):
            with self.subTest(bad=bad):
                response = self.url_open("/complaint/submit", data={**good, **bad, "csrf_token": self._csrf()})
                self.assertEqual(response.status_code, 200)
                self.assertIn("Please correct the fields", response.text)
        self.assertEqual(self.env["complaint.complaint"].search_count([]), count)

    def test_malformed_urls_are_4xx(self):
        complaint = self.env["complaint.complaint"].create({"subject": "URL target", "partner_id": self.partner.id})
        for url, method in (
            ("/my/complaints/abc", "GET"),
            ("/my/complaints/page/abc", "GET"),
            ("/complaint/confirmation/abc", "GET"),
            ("/complaint/verify/abc/def", "GET"),
            (f"/complaint/verify/{complaint.id}/not-a-token", "GET"),
            ("/complaint/submit", "GET"),
        ):
            with self.subTest(url=url):
                response = self.url_open(url) if method == "GET" else self.url_open(url, data={})
                self.assertGreaterEqual(response.status_code, 400)
                self.assertLess(response.status_code, 500)

    def test_malformed_answers_on_the_tracking_page_are_messages(self):
        complaint = self._communicated()
        token = complaint._portal_ensure_token()
        page = f"/my/complaints/{complaint.id}?access_token={token}"
        for data in (
            {"reason": "", "recourse": "none"},
            {"reason": "No", "recourse": "lawsuit"},
            {"reason": "No", "recourse": "external", "method": "duel"},
            {"reason": "x" * 6000, "recourse": "none"},
        ):
            with self.subTest(data=data):
                response = self.url_open(
                    f"/my/complaints/{complaint.id}/reject",
                    data={**data, "access_token": token, "csrf_token": self._csrf(page)},
                )
                self.assertEqual(response.status_code, 200)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.decision_id.state, "communicated")
        response = self.url_open(
            f"/my/complaints/{complaint.id}/message",
            data={"access_token": token, "message": json.dumps({"a": [1]}), "csrf_token": self._csrf(page)},
        )
        self.assertEqual(response.status_code, 200)
