import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_portal import PNG, PortalCase

HOSTILE_NAME = "Eve <script>alert('name')</script>"
HOSTILE_SUBJECT = '"><img src=x onerror=alert(1)>'
HOSTILE_TEXT = "'; DROP TABLE complaint_complaint; -- <svg onload=alert(2)>"


@tagged("post_install", "-at_install")
class TestPortalSecurity(HttpCase, PortalCase):
    """Tokens, IDOR, hostile input, CSRF, flood and attachment limits through real HTTP requests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="ch_portal", groups="base.group_portal", name="Portal Pam", email="pam@example.com"
        )
        cls.portal_user2 = new_test_user(
            cls.env, login="ch_portal2", groups="base.group_portal", name="Portal Paul", email="paul@example.com"
        )
        Complaint = cls.env["complaint.complaint"]
        cls.complaint_a = Complaint.create(
            {"subject": "Pam's secret complaint", "partner_id": cls.portal_user.partner_id.id}
        )
        cls.complaint_b = Complaint.create(
            {"subject": "Paul's secret complaint", "partner_id": cls.portal_user2.partner_id.id}
        )
        cls.token_a = cls.complaint_a._portal_ensure_token()
        cls.token_b = cls.complaint_b._portal_ensure_token()

    # ------------------------------------------------------------------ helpers

    def _csrf(self, url="/complaint"):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        self.assertTrue(match, "the form carries a CSRF token")
        return match.group(1)

    def _post_form(self, files=None, csrf=True, **values):
        data = {
            "complainant_name": "Web Complainant",
            "complainant_email": "web.http@example.com",
            "subject": "The parcel arrived broken",
            "description": "The box was crushed.",
            "consent_data_processing": "1",
        }
        data.update(values)
        if csrf:
            data["csrf_token"] = self._csrf()
        return self.url_open("/complaint/submit", data=data, files=files)

    def _web_count(self):
        return self.env["complaint.complaint"].search_count([("channel", "=", "web")])

    # ----------------------------------------------------------------- tokens

    def test_token_opens_its_complaint_only(self):
        response = self.url_open(f"/my/complaints/{self.complaint_a.id}?access_token={self.token_a}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Pam&#39;s secret complaint", response.text)
        for url in (
            f"/my/complaints/{self.complaint_b.id}?access_token={self.token_a}",
            f"/my/complaints/{self.complaint_b.id}",
            f"/my/complaints/{self.complaint_b.id}?access_token=",
            f"/my/complaints/{self.complaint_b.id}?access_token={self.token_b[:-1]}x",
            f"/complaint/confirmation/{self.complaint_b.id}?access_token={self.token_a}",
        ):
            response = self.url_open(url)
            self.assertNotIn("Paul&#39;s secret complaint", response.text, url)
            self.assertNotIn(self.complaint_b.name, response.text, url)

    def test_token_of_one_complaint_cannot_act_on_another(self):
        self._advance(self.complaint_b.with_user(self.manager), "decision_communicated")
        csrf = self._csrf(f"/my/complaints/{self.complaint_a.id}?access_token={self.token_a}")
        for action, data in (
            ("accept", {}),
            ("reject", {"reason": "No", "recourse": "external"}),
            ("message", {"message": "Injected by someone else"}),
        ):
            self.url_open(
                f"/my/complaints/{self.complaint_b.id}/{action}",
                data={"csrf_token": csrf, "access_token": self.token_a, **data},
            )
        self.assertEqual(self.complaint_b.decision_id.state, "communicated")
        self.assertEqual(self.complaint_b.state, "decision_communicated")
        self.assertFalse(self.complaint_b.message_ids.filtered(lambda m: "Injected" in (m.body or "")))

    # ------------------------------------------------------------------- IDOR

    def test_portal_user_sees_only_own_complaints(self):
        self.authenticate("ch_portal", "ch_portal")
        response = self.url_open("/my/complaints")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.complaint_a.name, response.text)
        self.assertNotIn(self.complaint_b.name, response.text)
        response = self.url_open(f"/my/complaints/{self.complaint_a.id}")
        self.assertIn("Pam&#39;s secret complaint", response.text)
        for complaint_id in (self.complaint_b.id, self.complaint_b.id + 100000, 0):
            response = self.url_open(f"/my/complaints/{complaint_id}")
            self.assertNotIn("Paul&#39;s secret complaint", response.text)
            self.assertTrue(response.url.endswith("/my") or "/my?" in response.url or response.url.endswith("/my/home"))
        # The home page counts the own complaints only.
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["complaint_count"]})
        self.assertEqual(counters["complaint_count"], 1)

    def test_portal_user_has_no_orm_access_only_the_pages(self):
        # Portal customers reach their complaints only through the portal pages, which show what the
        # tracking page shows; over the ORM (and so over RPC) they read nothing, not even their own.
        Complaint = self.env["complaint.complaint"].with_user(self.portal_user)
        for operation in ("read", "write", "create"):
            with self.subTest(operation=operation), self.assertRaises(AccessError):
                self.complaint_a.with_user(self.portal_user).check_access(operation)
        with self.assertRaises(AccessError):
            Complaint.search([])
        self.authenticate("ch_portal", "ch_portal")
        response = self.url_open(f"/my/complaints/{self.complaint_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Pam&#39;s secret complaint", response.text)

    def test_anonymous_visitor_cannot_list(self):
        response = self.url_open("/my/complaints")
        self.assertIn("/web/login", response.url)

    # --------------------------------------------------------------- hostile input

    def test_hostile_input_is_stored_and_shown_escaped(self):
        response = self._post_form(
            complainant_name=HOSTILE_NAME,
            subject=HOSTILE_SUBJECT,
            description=HOSTILE_TEXT,
            remedy_requested=HOSTILE_TEXT,
            order_reference="S0' OR 1=1 --",
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["complaint.complaint"].search([("complainant_email", "=", "web.http@example.com")])
        self.assertEqual(len(complaint), 1, "the SQL-looking text did not break anything")
        self.assertEqual(complaint.subject, HOSTILE_SUBJECT)
        self.assertEqual(complaint.complainant_name, HOSTILE_NAME)
        self.assertNotIn("<svg", complaint.description)
        self.assertIn("&lt;svg onload=alert(2)&gt;", complaint.description)
        self.assertEqual(complaint.order_reference, "S0' OR 1=1 --")
        page = self.url_open(complaint.get_portal_url()).text
        for raw in ("<script>alert('name')", "<img src=x onerror", "<svg onload"):
            self.assertNotIn(raw, page)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", page)
        csrf = self._csrf(complaint.get_portal_url())
        self.url_open(
            f"/my/complaints/{complaint.id}/message",
            data={"csrf_token": csrf, "access_token": complaint.access_token, "message": "<b onmouseover=x>hi</b>"},
        )
        page = self.url_open(complaint.get_portal_url()).text
        self.assertNotIn("<b onmouseover", page)
        self.assertIn("&lt;b onmouseover=x&gt;hi&lt;/b&gt;", page)

    def test_forged_error_text_is_not_shown_from_the_url(self):
        page = self.url_open(
            f"/my/complaints/{self.complaint_a.id}?access_token={self.token_a}&error=Call+0900+to+unlock"
        ).text
        self.assertNotIn("Call 0900 to unlock", page)

    # ------------------------------------------------------------ abuse defences

    def test_post_without_csrf_token_is_refused(self):
        count = self._web_count()
        response = self._post_form(csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._web_count(), count)

    def test_honeypot_registers_nothing(self):
        count = self._web_count()
        response = self._post_form(contact_fax="http://spam.example.com")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        self.assertEqual(self._web_count(), count)

    def test_flood_is_refused_with_a_clear_message(self):
        self.company.complaint_portal_limit_ip = 2
        for index in range(2):
            self._post_form(complainant_email=f"flood{index}@example.com")
        count = self._web_count()
        response = self._post_form(complainant_email="flood9@example.com")
        self.assertIn("Too many complaints were sent from your network", response.text)
        self.assertEqual(self._web_count(), count)

    def test_over_limit_attachments_are_refused_with_a_clear_message(self):
        count = self._web_count()
        files = [("attachments", (f"p{index}.png", PNG, "image/png")) for index in range(3)]
        response = self._post_form(files=files)
        self.assertIn("You can attach at most 2 files", response.text)
        response = self._post_form(files=[("attachments", ("big.png", PNG + b"\0" * (1024 * 1024), "image/png"))])
        self.assertIn("larger than 1 MB", response.text)
        response = self._post_form(files=[("attachments", ("doc.pdf", b"MZ\x90\x00" * 64, "application/pdf"))])
        self.assertIn("not of an accepted type", response.text)
        self.assertEqual(self._web_count(), count)
        self.assertIn('value="The parcel arrived broken"', response.text, "what was typed is kept")

    def test_validation_errors_are_shown_next_to_the_fields(self):
        response = self._post_form(complainant_name="", consent_data_processing="")
        self.assertIn('id="complainant_name_error"', response.text)
        self.assertIn('id="consent_data_processing_error"', response.text)
        self.assertIn("Please correct the fields marked below", response.text)
