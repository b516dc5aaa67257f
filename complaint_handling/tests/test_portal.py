from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from .common import ComplaintCase

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


class PortalCase(ComplaintCase):
    """Helpers for the complainant's side: form values, a public environment, a complaint with a decision."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public_user = cls.env.ref("base.public_user")
        cls.company.write(
            {
                "complaint_portal_limit_email": 3,
                "complaint_portal_limit_ip": 10,
                "complaint_portal_max_files": 2,
                "complaint_portal_max_file_size": 1,
            }
        )

    def _form(self, **values):
        form = {
            "complainant_name": "Web Complainant",
            "complainant_email": "web.complainant@example.com",
            "complainant_phone": "",
            "subject": "The parcel arrived broken",
            "description": "The box was crushed.\nThe vase is broken.",
            "remedy_requested": "A new vase.",
            "lang": "en_US",
            "contact_channel": "email",
            "consent_data_processing": True,
        }
        form.update(values)
        return form

    def _submit(self, files=(), ip="198.51.100.7", **values):
        Complaint = self.env["complaint.complaint"].with_user(self.public_user)
        return Complaint._portal_submit(self._form(**values), files=files, ip=ip, company=self.company)

    def _communicated(self, **vals):
        complaint = self._create_complaint(**vals)
        complaint.with_user(self.manager).team_id = self.team_a
        self._advance(complaint.with_user(self.manager), "decision_communicated")
        return complaint


class TestPortalSubmission(PortalCase):
    def test_submission_registers_a_web_complaint(self):
        complaint = self._submit(files=[("photo.png", PNG)], product_id=str(self.product.id))
        self.assertEqual(complaint.channel, "web")
        self.assertEqual(complaint.state, "received")
        self.assertTrue(complaint.name.startswith("CMP/"))
        self.assertEqual(complaint.complainant_email, "web.complainant@example.com")
        self.assertEqual(complaint.partner_id.email, "web.complainant@example.com")
        self.assertIn(complaint.partner_id, complaint.message_partner_ids, "the complainant follows the answers")
        self.assertEqual(complaint.lang, "en_US")
        self.assertEqual(complaint.contact_channel, "email")
        self.assertTrue(complaint.consent_data_processing)
        self.assertTrue(complaint.date_consent)
        self.assertEqual(complaint.sudo().submitter_ip, "198.51.100.7")
        self.assertEqual(complaint.remedy_requested, "A new vase.")
        self.assertIn("The vase is broken.", complaint.description)
        self.assertTrue(complaint.ack_pending, "web complaints are acknowledged by e-mail")
        self.assertEqual(complaint.access_url, f"/my/complaints/{complaint.id}")
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(attachments.mapped("name"), ["photo.png"])
        self.assertEqual(attachments.mimetype, "image/png")

    def test_acknowledgement_links_to_the_tracking_page(self):
        complaint = self._submit()
        template = self.env.ref("complaint_handling.mail_template_complaint_acknowledgement")
        body = template._render_field("body_html", complaint.ids)[complaint.id]
        url = f"/en/my/complaints/{complaint.id}?access_token={complaint.access_token}"
        self.assertTrue(complaint.access_token)
        self.assertIn(url, body, "the tracking link carries the token and the preferred language")
        complaint.lang = False
        self.assertEqual(
            complaint._portal_tracking_url(),
            f"{complaint.get_base_url()}/my/complaints/{complaint.id}?access_token={complaint.access_token}",
        )

    def test_internal_notes_never_reach_the_tracking_page(self):
        complaint = self._submit()
        complaint.with_user(self.manager).message_post(
            body="Internal: the courier is to blame", subtype_xmlid="mail.mt_note"
        )
        complaint.with_user(self.manager).message_post(
            body="We are looking into it.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        bodies = " ".join(complaint._portal_public_messages().mapped("body"))
        self.assertIn("We are looking into it.", bodies)
        self.assertNotIn("Internal", bodies)
        self.assertNotIn("→", bodies, "state changes logged in the chatter stay internal")

    def test_submission_joins_the_contact_with_that_email_once_confirmed(self):
        complaint = self._submit(complainant_email=self.partner.email)
        self.assertFalse(complaint.partner_id, "a visitor typing an address does not reach its contact's account")
        complaint._portal_verify_email(complaint._portal_verification_token())
        self.assertEqual(complaint.partner_id, self.partner)
        self.assertIn(self.partner, complaint.message_partner_ids)

    def test_logged_in_customer_is_the_complainant(self):
        portal = self.env["res.users"].create(
            {
                "name": "Portal Customer",
                "login": "complaint_portal_test",
                "email": "portal.customer@example.com",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        complaint = (
            self.env["complaint.complaint"]
            .with_user(portal)
            ._portal_submit(self._form(complainant_email="other@example.com"), company=self.company)
        )
        self.assertEqual(complaint.partner_id, portal.partner_id)

    def test_validation_names_each_missing_field(self):
        errors = self.env["complaint.complaint"]._portal_validate(
            self._form(
                complainant_name=" ",
                complainant_email="not-an-email",
                subject="",
                description="",
                consent_data_processing=False,
            )
        )
        self.assertEqual(
            set(errors), {"complainant_name", "complainant_email", "subject", "description", "consent_data_processing"}
        )
        errors = self.env["complaint.complaint"]._portal_validate(
            self._form(complainant_email="", complainant_phone="", contact_channel="")
        )
        self.assertIn("e-mail address or a phone number", errors["complainant_email"])
        errors = self.env["complaint.complaint"]._portal_validate(self._form(lang="xx_XX", contact_channel="fax"))
        self.assertEqual(set(errors), {"lang", "contact_channel"})
        errors = self.env["complaint.complaint"]._portal_validate(self._form(subject="x" * 201))
        self.assertIn("too long", errors["subject"])

    def test_submission_with_phone_only(self):
        complaint = self._submit(complainant_email="", complainant_phone="+84 90 000 0000", contact_channel="phone")
        self.assertFalse(complaint.partner_id)
        self.assertEqual(complaint.complainant_phone, "+84 90 000 0000")
        self.assertFalse(complaint.ack_pending, "no address, no acknowledgement e-mail")

    def test_flood_limit_per_email(self):
        for index in range(3):
            self._submit(ip=f"203.0.113.{index}")
        count = self.env["complaint.complaint"].search_count([])
        with self.assertRaisesText(UserError, "from this e-mail address in the last hour"):
            self._submit(ip="203.0.113.99", complainant_email="WEB.complainant@example.com")
        self.assertEqual(self.env["complaint.complaint"].search_count([]), count)
        # An hour later, the address may send again.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE complaint_complaint SET create_date = %s WHERE complainant_email = %s",
                fields.Datetime.now() - timedelta(hours=2),
                "web.complainant@example.com",
            )
        )
        self.assertTrue(self._submit(ip="203.0.113.99"))

    def test_flood_limit_per_ip(self):
        self.company.complaint_portal_limit_ip = 2
        self._submit(complainant_email="a@example.com")
        self._submit(complainant_email="b@example.com")
        with self.assertRaisesText(UserError, "Too many complaints were sent from your network"):
            self._submit(complainant_email="c@example.com")
        self.assertTrue(self._submit(complainant_email="c@example.com", ip="192.0.2.1"), "another network may")

    def test_attachments_are_checked(self):
        with self.assertRaisesText(UserError, "at most 2 files"):
            self._submit(files=[("a.png", PNG), ("b.png", PNG), ("c.png", PNG)])
        with self.assertRaisesText(UserError, "larger than 1 MB"):
            self._submit(files=[("big.png", PNG + b"\x00" * (1024 * 1024))])
        with self.assertRaisesText(UserError, "not of an accepted type"):
            self._submit(files=[("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 8)])
        with self.assertRaisesText(UserError, "is empty"):
            self._submit(files=[("empty.pdf", b"")])

    def test_order_lookup_hook_defaults_to_nothing(self):
        self.assertEqual(self.env["complaint.complaint"]._portal_find_order("S00001", "a@example.com"), {})
        complaint = self._submit(order_reference="S00001")
        self.assertEqual(complaint.order_reference, "S00001")


class TestPortalDecision(PortalCase):
    def test_accepting_the_decision_lets_the_complaint_close(self):
        complaint = self._communicated()
        steps = len(complaint.step_ids)
        complaint.with_user(self.public_user)._portal_accept_decision()
        self.assertEqual(complaint.decision_id.state, "accepted")
        self.assertEqual(len(complaint.step_ids), steps + 1)
        self.assertIn("I accept the decision.", complaint.message_ids[0].body)
        self.assertEqual(complaint.message_ids[0].author_id, self.partner)
        activity = complaint.activity_ids.filtered(lambda a: a.user_id == self.handler)
        self.assertIn("accepted the decision", activity.summary, "the handler is asked to close")
        complaint.with_user(self.handler).action_close()
        self.assertEqual(complaint.state, "closed")

    def test_rejecting_needs_a_reason(self):
        complaint = self._communicated()
        with self.assertRaisesText(UserError, "why you do not accept"):
            complaint.with_user(self.public_user)._portal_reject_decision("  ")
        self.assertEqual(complaint.decision_id.state, "communicated")

    def test_rejecting_without_recourse_keeps_the_complaint_with_the_handler(self):
        complaint = self._communicated()
        complaint.with_user(self.public_user)._portal_reject_decision("Too little.", "none")
        self.assertEqual(complaint.decision_id.state, "rejected")
        self.assertEqual(complaint.decision_id.rejection_reason, "Too little.")
        self.assertEqual(complaint.state, "decision_communicated")
        self.assertFalse(complaint.escalation_type)

    def test_rejecting_with_internal_review_escalates(self):
        complaint = self._communicated()
        complaint.with_user(self.public_user)._portal_reject_decision("Too little.", "internal_review")
        self.assertEqual(complaint.state, "escalated")
        self.assertEqual(complaint.escalation_type, "internal_review")
        self.assertFalse(complaint.dispute_ids)

    def test_rejecting_with_external_resolution_opens_a_dispute(self):
        complaint = self._communicated()
        complaint.with_user(self.public_user)._portal_reject_decision(
            "Too little.", "external", method="ombudsman", provider_name="Consumer Ombudsman"
        )
        self.assertEqual(complaint.state, "escalated")
        self.assertEqual(complaint.escalation_type, "external")
        dispute = complaint.dispute_ids
        self.assertEqual(len(dispute), 1)
        self.assertEqual(
            (dispute.requested_by, dispute.method, dispute.provider_name, dispute.outcome),
            ("complainant", "ombudsman", "Consumer Ombudsman", "pending"),
        )
        self.assertEqual(dispute.date_referred, fields.Date.context_today(dispute))

    def test_no_answer_without_a_communicated_decision(self):
        complaint = self._create_complaint()
        with self.assertRaisesText(UserError, "no decision waiting for your answer"):
            complaint.with_user(self.public_user)._portal_accept_decision()
        with self.assertRaisesText(UserError, "no decision waiting for your answer"):
            complaint.with_user(self.public_user)._portal_reject_decision("No.", "none")
        communicated = self._communicated()
        communicated.with_user(self.public_user)._portal_accept_decision()
        with self.assertRaisesText(UserError, "no decision waiting for your answer"):
            communicated.with_user(self.public_user)._portal_reject_decision("Changed my mind.", "none")

    def test_bad_recourse_refused(self):
        complaint = self._communicated()
        with self.assertRaisesText(UserError, "what you want to happen next"):
            complaint.with_user(self.public_user)._portal_reject_decision("No.", "court_now")
        with self.assertRaisesText(UserError, "method of the list"):
            complaint.with_user(self.public_user)._portal_reject_decision("No.", "external", method="duel")


class TestPortalRating(PortalCase):
    def test_closing_asks_for_a_rating_and_the_answer_is_kept(self):
        complaint = self._communicated()
        complaint.action_record_acceptance()
        # The demo data may have left closed complaints in the queue: send those first.
        while self.env["complaint.complaint"]._cron_send_rating_requests():
            pass
        template = self.env.ref("complaint_handling.mail_template_complaint_rating")
        complaint.with_user(self.handler).action_close()
        self.assertTrue(complaint.rating_request_pending, "queued, sent by the job after the commit")
        self.assertFalse(complaint.message_ids.filtered(lambda m: "How satisfied are you" in (m.body or "")))
        self.assertEqual(self.env["complaint.complaint"]._cron_send_rating_requests(), 1)
        self.assertFalse(complaint.rating_request_pending)
        request = complaint.message_ids.filtered(lambda m: "How satisfied are you" in (m.body or ""))
        self.assertEqual(len(request), 1, "one rating request is posted when the complaint closes")
        self.assertIn(self.partner, request.partner_ids)
        self.assertTrue(template)
        rating = complaint.rating_ids
        self.assertEqual(len(rating), 1)
        self.assertFalse(rating.consumed)
        self.assertIn(f"/rate/{rating.access_token}/5", request.body)
        self.assertEqual(complaint._portal_rating_token(), rating.access_token, "the page offers the same request")
        complaint.rating_apply(5, token=rating.access_token, feedback="Quick and fair.")
        self.assertEqual(complaint._portal_rating(), rating)
        self.assertEqual(complaint.rating_last_value, 5)
        self.assertEqual(complaint.rating_count, 1)
        action = complaint.action_view_ratings()
        self.assertEqual(self.env["rating.rating"].search(action["domain"]), rating)

    def test_no_rating_request_when_switched_off_or_anonymous(self):
        self.company.complaint_rating_request = False
        complaint = self._communicated()
        complaint.action_record_acceptance()
        complaint.with_user(self.handler).action_close()
        self.assertFalse(complaint.rating_request_pending)
        self.assertFalse(complaint.rating_ids)
        self.assertFalse(self._create_complaint()._portal_rating_token(), "no rating before closure")

    def test_reopened_before_the_job_gets_no_survey(self):
        complaint = self._communicated()
        complaint.action_record_acceptance()
        complaint.with_user(self.handler).action_close()
        complaint.with_user(self.handler).action_reopen(reason="The repair failed again.")
        self.env["complaint.complaint"]._cron_send_rating_requests()
        self.assertFalse(complaint.rating_request_pending)
        self.assertFalse(complaint.rating_ids)


@tagged("post_install", "-at_install")
class TestPortalTours(HttpCase, PortalCase):
    """The complainant's journey in headless Chromium: submit, track, add information, answer, rate."""

    def _url(self, complaint):
        return complaint.get_portal_url()

    def test_tour_anonymous_submission_and_tracking(self):
        count = self.env["complaint.complaint"].search_count([("channel", "=", "web")])
        self.start_tour("/complaint", "complaint_portal_submit_tour")
        complaint = self.env["complaint.complaint"].search(
            [("complainant_email", "=", "tour.web.complainant@example.com")]
        )
        self.assertEqual(self.env["complaint.complaint"].search_count([("channel", "=", "web")]), count + 1)
        self.assertEqual(complaint.subject, "Tour: parcel arrived broken")
        self.assertEqual(complaint.contact_channel, "email")
        names = (
            self.env["ir.attachment"]
            .search([("res_model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)])
            .mapped("name")
        )
        self.assertEqual(sorted(names), ["courier.txt", "damage.txt"])
        self.assertTrue(complaint.message_ids.filtered(lambda m: "XYZ-42" in (m.body or "")))

    def test_tour_accept_decision(self):
        complaint = self._communicated()
        self.start_tour(self._url(complaint), "complaint_portal_accept_tour")
        self.assertEqual(complaint.decision_id.state, "accepted")

    def test_tour_reject_decision(self):
        complaint = self._communicated()
        self.start_tour(self._url(complaint), "complaint_portal_reject_tour")
        self.assertEqual(complaint.decision_id.state, "rejected")
        self.assertEqual(complaint.state, "escalated")
        self.assertEqual(complaint.dispute_ids.provider_name, "Consumer Ombudsman")
        self.assertEqual(complaint.dispute_ids.method, "ombudsman")

    def test_tour_rating(self):
        complaint = self._communicated()
        complaint.action_record_acceptance()
        complaint.with_user(self.handler).action_close()
        self.start_tour(self._url(complaint), "complaint_portal_rating_tour")
        rating = complaint.rating_ids.filtered("consumed")
        self.assertEqual(rating.rating, 5)
        self.assertEqual(rating.feedback, "Quick and fair, thank you.")
