"""Portal and public form: a customer reads over RPC nothing the tracking page does not show, and the public
form tells a visitor nothing about an existing contact."""

import re

from odoo.tests import HttpCase, new_test_user, tagged

from .security_matrix import SecurityCaseMixin
from .test_portal import PortalCase

# What the tracking page never shows: the organisation's own work on the complaint.
INTERNAL_FIELDS = [
    "findings",
    "root_cause",
    "root_cause_id",
    "immediate_action",
    "escalation_note",
    "legal_impact",
    "safety_impact",
    "priority",
    "severity_id",
    "subject_user_ids",
    "closing_reason",
    "step_ids",
]


@tagged("post_install", "-at_install")
class TestPortalReadsNothingOverRpc(HttpCase, PortalCase, SecurityCaseMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = new_test_user(
            cls.env, login="ch_sec_portal", groups="base.group_portal", name="Carla Customer", email="carla@example.com"
        )
        cls.own = cls._create_complaint_for(cls.customer.partner_id)

    @classmethod
    def _create_complaint_for(cls, partner):
        complaint = cls.env["complaint.complaint"].create(
            {"subject": "Carla's kettle", "partner_id": partner.id, "channel": "web"}
        )
        complaint.write(
            {
                "findings": "<p>Internal: the supplier admitted a bad batch</p>",
                "root_cause": "Supplier QA skipped",
                "immediate_action": "Blocked the batch",
                "legal_impact": True,
            }
        )
        return complaint

    def test_a_portal_customer_reads_no_complaint_field_over_rpc(self):
        for method, args, kwargs in (
            ("read", [self.own.ids, INTERNAL_FIELDS], {}),
            ("search_read", [[("id", "=", self.own.id)], INTERNAL_FIELDS], {}),
            ("web_search_read", [[("id", "=", self.own.id)]], {"specification": {"findings": {}}}),
            ("web_read", [self.own.ids], {"specification": {"root_cause": {}, "immediate_action": {}}}),
            ("read_group", [[], ["legal_impact"], ["legal_impact"]], {}),
            ("search_count", [[]], {}),
            ("name_search", [], {"name": "Carla"}),
        ):
            with self.subTest(method=method):
                self.assertRefused(self.call_kw(self.customer, "complaint.complaint", method, args, kwargs))
        for model in ("complaint.step", "complaint.decision", "complaint.escalation.log", "complaint.pause"):
            with self.subTest(model=model):
                self.assertRefused(self.call_kw(self.customer, model, "search_read", [[], ["id"]]))

    def test_the_tracking_page_shows_the_customer_their_complaint_not_the_internal_work(self):
        self.authenticate(self.customer.login, self.password(self.customer))
        response = self.url_open(f"/my/complaints/{self.own.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Carla&#39;s kettle", response.text)
        for secret in ("supplier admitted", "Supplier QA skipped", "Blocked the batch"):
            self.assertNotIn(secret, response.text)


@tagged("post_install", "-at_install")
class TestPublicFormTellsNothingAboutContacts(HttpCase, PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.existing = new_test_user(
            cls.env,
            login="ch_sec_existing",
            groups="base.group_portal",
            name="Victoria Existing",
            email="victoria@example.com",
        )

    def _submit_public(self, **values):
        self.env["complaint.complaint"].flush_model()
        return self._submit(complainant_name="Mallory", complainant_email="victoria@example.com", **values)

    def _verification_mails(self, complaint):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("subject", "ilike", complaint.name), ("subject", "ilike", "Confirm your e-mail")])
        )

    def test_a_submission_with_a_contacts_address_is_not_linked_until_confirmed(self):
        complaint = self._submit_public()
        self.assertFalse(complaint.partner_id, "not linked to the contact who owns the address")
        self.assertEqual(complaint.complainant_name, "Mallory")
        # Not in the contact's portal.
        self.authenticate("ch_sec_existing", "ch_sec_existing")
        self.assertNotIn(complaint.name, self.url_open("/my/complaints").text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["complaint_count"]})
        self.assertEqual(counters["complaint_count"], 0)
        self.assertNotIn(complaint.name, self.url_open(f"/my/complaints/{complaint.id}").text)
        # The confirmation link goes to the address only, outside the complaint's thread.
        mails = self._verification_mails(complaint)
        self.assertEqual(len(mails), 1)
        self.assertIn("victoria@example.com", mails.email_to)
        self.assertFalse(mails.model)
        link = re.search(r'href="([^"]*/complaint/verify/[^"]+)"', mails.body_html).group(1)
        # The visitor's own pages (confirmation, tracking with the token) never show the link nor the contact.
        self.session = None
        self.opener.cookies.clear()
        token = complaint._portal_ensure_token()
        for url in (
            f"/complaint/confirmation/{complaint.id}?access_token={token}",
            f"/my/complaints/{complaint.id}?access_token={token}",
        ):
            page = self.url_open(url).text
            self.assertNotIn("/complaint/verify/", page)
            self.assertNotIn("Victoria", page)
        # The owner of the mailbox confirms (a button: opening the link alone changes nothing).
        path = link[link.index("/complaint/verify/") :]
        self.assertEqual(self.url_open(path).status_code, 200)
        complaint.invalidate_recordset()
        self.assertFalse(complaint.partner_id)
        page = self.url_open(path)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.assertEqual(self.url_open(path, data={"csrf_token": csrf}).status_code, 200)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.partner_id, self.existing.partner_id)
        self.assertEqual(complaint.step_ids[0].action, "email_confirmed")

    def test_a_forged_confirmation_link_links_nothing(self):
        complaint = self._submit_public()
        for token in ("", "x" * 64, complaint._portal_verification_token()[:-1] + "0"):
            response = self.url_open(f"/complaint/verify/{complaint.id}/{token or 'none'}")
            self.assertEqual(response.status_code, 404)
        other = self._submit(complainant_email="other.visitor@example.com")
        response = self.url_open(f"/complaint/verify/{other.id}/{complaint._portal_verification_token()}")
        self.assertEqual(response.status_code, 404)
        complaint.invalidate_recordset()
        self.assertFalse(complaint.partner_id)

    def test_the_acknowledgement_greets_the_name_typed_not_the_contacts(self):
        complaint = self._submit_public()
        self.env["complaint.complaint"]._cron_send_acknowledgements()
        ack = complaint.message_ids.filtered(lambda m: "We received your complaint" in (m.subject or ""))
        self.assertEqual(len(ack), 1)
        self.assertIn("Mallory", ack.body)
        self.assertNotIn("Victoria", ack.body)

    def test_a_new_address_gets_a_new_contact_at_once(self):
        complaint = self._submit(complainant_email="brand.new@example.com")
        self.assertEqual(complaint.partner_id.email, "brand.new@example.com")
        self.assertFalse(self._verification_mails(complaint))
