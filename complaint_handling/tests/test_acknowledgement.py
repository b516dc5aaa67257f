from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import format_datetime

from .test_escalation import EscalationCase
from .test_mail_gateway import PLAIN, ComplaintMailCase


@tagged("post_install", "-at_install")
class TestAcknowledgement(ComplaintMailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Complaints of the database still waiting in the queue are not this test's: send theirs
        # first (rolled back with the test), so that the counts below are the test's own.
        cls.env["complaint.complaint"]._cron_send_acknowledgements(batch_size=10**6)

    def _acknowledgements(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: m.message_type == "comment" and m.subtype_id == self.env.ref("mail.mt_comment")
        )

    def _mails(self, complaint):
        return self.env["mail.mail"].search([("model", "=", complaint._name), ("res_id", "=", complaint.id)])

    def test_creation_queues_the_cron(self):
        cron = self.env.ref("complaint_handling.ir_cron_complaint_acknowledgement")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self._create_complaint()
        self.assertEqual(len(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers), 1)

    def test_complaint_by_mail_is_acknowledged_by_the_cron(self):
        with freeze_time("2026-11-23 10:00:00"):
            complaint = self._process(PLAIN)
            self.assertTrue(complaint.ack_pending)
            self.assertEqual(complaint.state, "received")
            self.assertFalse(self._acknowledgements(complaint))
            self.assertEqual(self.Complaint._cron_send_acknowledgements(), 1)
        self.assertRecordValues(
            complaint,
            [
                {
                    "ack_pending": False,
                    "state": "acknowledged",
                    "acknowledgement_method": "email",
                    "date_acknowledged": fields.Datetime.to_datetime("2026-11-23 10:00:00"),
                }
            ],
        )
        ack = self._acknowledgements(complaint)
        self.assertEqual(len(ack), 1)
        self.assertIn(complaint.name, ack.subject)
        self.assertIn(complaint.name, ack.body)
        self.assertIn("What happens next", ack.body)
        self.assertIn("Thank you for writing to us", ack.body)
        self.assertIn(self.team_a.name, ack.body)
        self.assertIn(self.alias_email, ack.body, "the team's address to write to")
        # The complainant, not a contact before, receives it by e-mail.
        self.assertEqual(ack.partner_ids.email, "pat.unknown@client.example.org")
        mail = self._mails(complaint).filtered(lambda m: m.mail_message_id == ack)
        self.assertEqual(len(mail), 1, "one e-mail queued")
        self.assertEqual(mail.recipient_ids.email, "pat.unknown@client.example.org")
        step = complaint.step_ids.filtered(lambda s: s.state_to == "acknowledged")
        self.assertEqual(step.action_label, "Acknowledged automatically (e-mail)")

    def test_acknowledgement_shows_the_expected_date_and_handler(self):
        complaint = self._create_complaint(
            user=self.handler,
            channel="phone",
            user_id=self.handler.id,
        )
        self.partner.lang = "en_US"
        self.Complaint._cron_send_acknowledgements()
        ack = self._acknowledgements(complaint)
        self.assertEqual(len(ack), 1)
        # "Our answer" is the first response, as on the tracking page, the letter and the promises.
        self.assertTrue(complaint.date_response_deadline)
        answer_by = format_datetime(
            self.env, complaint.date_response_deadline, tz=self.partner.tz or self.handler.tz or "UTC", dt_format="long"
        )
        self.assertIn(answer_by, ack.body)
        self.assertNotEqual(complaint.date_response_deadline.date().isoformat(), "2026-12-04")
        self.assertNotIn("December 4, 2026", ack.body, "not the resolution deadline")
        self.assertIn(self.handler.name, ack.body)
        self.assertIn("by phone", ack.body)
        self.assertEqual(ack.partner_ids, self.partner)

    def test_without_address_or_anonymous_nothing_is_queued(self):
        phone_only = self._create_complaint(
            partner_id=False, complainant_name="Paul Phone", complainant_phone="+32 2 000 00 00", channel="phone"
        )
        anonymous = self._create_complaint(partner_id=False, anonymous=True, channel="letter")
        anonymous_with_email = self._create_complaint(
            partner_id=False, anonymous=True, complainant_email="secret@example.org"
        )
        self.assertEqual((phone_only | anonymous | anonymous_with_email).mapped("ack_pending"), [False] * 3)
        # They are acknowledged by hand, with the method of their channel.
        phone_only.with_user(self.handler).action_acknowledge()
        self.assertEqual(phone_only.acknowledgement_method, "phone")
        self.assertFalse(self._acknowledgements(phone_only))

    def test_company_setting_switches_it_off(self):
        self.company.complaint_auto_acknowledge = False
        complaint = self._create_complaint()
        self.assertFalse(complaint.ack_pending)
        self.assertEqual(self.Complaint._cron_send_acknowledgements(), 0)
        self.assertEqual(complaint.state, "received")

    def test_setting_switched_off_after_queuing_sends_nothing(self):
        complaint = self._create_complaint()
        self.assertTrue(complaint.ack_pending)
        self.company.complaint_auto_acknowledge = False
        self.Complaint._cron_send_acknowledgements()
        self.assertFalse(complaint.ack_pending)
        self.assertFalse(self._acknowledgements(complaint))
        self.assertEqual(complaint.state, "received")

    def test_cron_twice_acknowledges_once(self):
        complaint = self._create_complaint()
        self.Complaint._cron_send_acknowledgements()
        self.Complaint._cron_send_acknowledgements()
        self.assertEqual(len(self._acknowledgements(complaint)), 1)
        self.assertEqual(len(complaint.step_ids.filtered(lambda s: s.state_to == "acknowledged")), 1)

    def test_acknowledged_by_hand_before_the_cron_gets_no_mail(self):
        complaint = self._create_complaint(channel="phone")
        complaint.with_user(self.handler).action_acknowledge()
        self.Complaint._cron_send_acknowledgements()
        self.assertFalse(complaint.ack_pending)
        self.assertFalse(self._acknowledgements(complaint))
        self.assertEqual(complaint.acknowledgement_method, "phone")

    def test_cron_works_in_batches(self):
        complaints = self.Complaint.with_user(self.manager).create(
            [
                {"subject": f"Batch {index}", "complainant_name": f"C {index}", "complainant_email": f"c{index}@ex.org"}
                for index in range(5)
            ]
        )
        self.assertEqual(self.Complaint._cron_send_acknowledgements(batch_size=3), 3)
        self.assertEqual(self.Complaint._cron_send_acknowledgements(batch_size=3), 2)
        self.assertEqual(self.Complaint._cron_send_acknowledgements(batch_size=3), 0)
        self.assertEqual(set(complaints.mapped("state")), {"acknowledged"})

    def test_users_cannot_queue_or_unqueue_by_hand(self):
        with self.assertRaisesText(AccessError, "Acknowledgement Pending"):
            self._create_complaint(user=self.user, ack_pending=False)
        complaint = self._create_complaint(user=self.user)
        self.assertTrue(complaint.ack_pending, "the queue flag is computed at creation, not taken from the caller")
        with self.assertRaisesText(AccessError, "Acknowledgement Pending"):
            complaint.with_user(self.handler).write({"ack_pending": False})
        self.assertTrue(complaint.ack_pending)


@tagged("post_install", "-at_install")
class TestJobLanguage(ComplaintMailCase):
    """Texts written by scheduled jobs (no user language) are in the company's language; the step history is
    language-neutral, shown in the reader's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.complaint"]._cron_send_acknowledgements(batch_size=10**6)
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.lang = "en_US"
        cls.company.partner_id.lang = "vi_VN"
        cls.partner.lang = "en_US"

    def _ack_step(self, complaint):
        return complaint.step_ids.filtered(lambda s: s.state_to == "acknowledged")

    def test_job_language_is_the_company_s_else_the_administrator_s(self):
        self.assertEqual(self.Complaint._job_lang(self.company), "vi_VN")
        self.company.partner_id.lang = False
        self.assertEqual(self.Complaint._job_lang(self.company), "en_US")
        self.admin.lang = "vi_VN"
        self.assertEqual(self.Complaint._job_lang(self.company), "vi_VN")
        # A language that is not active (any more) is not used.
        self.company.partner_id.lang = "fr_FR"
        self.admin.lang = "en_US"
        self.assertEqual(self.Complaint.with_context(lang="vi_VN")._job_lang(self.company), "en_US")

    def test_automatic_acknowledgement_step_is_in_the_company_language(self):
        complaint = self._create_complaint()
        self.assertTrue(complaint.ack_pending)
        # The job runs without a language (as ``ir.cron`` does), the complainant reads English.
        self.Complaint.with_context(lang=None)._cron_send_acknowledgements()
        self.assertEqual(complaint.state, "acknowledged")
        step = self._ack_step(complaint)
        self.assertEqual(step.action, "acknowledged_email", "stored language-neutral")
        self.assertEqual(step.with_context(lang="vi_VN").action_label, "Tự động xác nhận đã nhận (email)")
        self.assertEqual(step.with_context(lang="en_US").action_label, "Acknowledged automatically (e-mail)")
        # The chatter line of the change of state is in the company's language.
        self.assertIn("Tự động xác nhận đã nhận (email)", complaint.message_ids[:1].body)
        # The acknowledgement e-mail itself stays in the complainant's language.
        ack = complaint.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn("What happens next", ack.body)

    def test_each_company_gets_its_own_language(self):
        other = self.env["res.company"].create({"name": "Job Language Co"})
        other.partner_id.lang = "en_US"
        mine = self._create_complaint()
        theirs = self.Complaint.sudo().create(
            {
                "subject": "Other company",
                "company_id": other.id,
                "complainant_name": "Olga Other",
                "complainant_email": "olga@example.org",
            }
        )
        self.assertTrue(theirs.ack_pending)
        parts = self.Complaint._split_by_job_lang(mine | theirs)
        self.assertEqual(
            sorted((part.env.lang or "en_US", part.ids) for part in parts), [("en_US", theirs.ids), ("vi_VN", mine.ids)]
        )
        self.Complaint._cron_send_acknowledgements()
        # The chatter notes in each company's language; the steps the same code for both.
        self.assertIn("Tự động xác nhận đã nhận (email)", mine.message_ids[:1].body)
        self.assertIn("Acknowledged automatically (e-mail)", theirs.message_ids[:1].body)
        self.assertEqual((self._ack_step(mine) | self._ack_step(theirs)).mapped("action"), ["acknowledged_email"] * 2)

    def test_anonymisation_job_writes_its_note_in_the_company_language(self):
        self.company.complaint_retention_years = 5
        with freeze_time("2019-03-01 10:00:00"):
            complaint = self._create_complaint(channel="phone")
            complaint.with_user(self.manager).team_id = self.team_a
            self._advance(complaint, "closed")
        self.Complaint.with_context(lang=None)._cron_anonymise()
        self.assertTrue(complaint.anonymised)
        step = complaint.step_ids.sorted("id")[-1:]
        self.assertEqual(
            (step.action, step.with_context(lang="vi_VN").action_label, step.note),
            ("anonymised", "Dữ liệu cá nhân đã được ẩn danh hóa", "Dữ liệu cá nhân đã được xóa sau thời hạn lưu trữ"),
        )

    def test_a_vietnamese_visitor_writes_nothing_vietnamese_into_the_history(self):
        # The steps are stored language-neutral: each reader sees them in their own language.
        complaint = self._process(PLAIN)
        step = complaint.step_ids
        self.assertEqual((step.action, step.action_args), ("received", {"channel": "email"}))
        self.assertEqual(step.with_context(lang="en_US").action_label, "Received: E-mail")
        web = (
            self.Complaint.with_user(self.env.ref("base.public_user"))
            .with_context(lang="vi_VN")
            ._portal_submit(
                {
                    "complainant_name": "Khách",
                    "complainant_email": "khach@example.com",
                    "subject": "Hỏng",
                    "description": "Hỏng",
                    "consent_data_processing": True,
                },
                company=self.company,
            )
        )
        self.assertEqual(web.step_ids.action, "received")
        self.assertEqual(web.step_ids.with_context(lang="en_US").action_label, "Received: Web Form")


@tagged("post_install", "-at_install")
class TestJobLanguageEscalation(EscalationCase):
    def test_escalation_history_is_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.company.partner_id.lang = "vi_VN"
        with freeze_time("2026-03-06 10:00:00"):
            complaint = self._complaint()
        self._run_cron("2026-03-20 11:00:00")  # the reminder and the leader's level are due
        self.assertEqual(self._fired(complaint), self.level_handler | self.level_leader)
        steps = complaint.step_ids.filtered(lambda s: s.action == "escalation")
        self.assertEqual(len(steps), 1, "one line for the levels fired together")
        self.assertEqual(steps.with_context(lang="vi_VN").action_label, "Leo thang: Reminder; Leader")
        self.assertEqual(steps.with_context(lang="en_US").action_label, "Escalation: Reminder; Leader")
