from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import format_datetime

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
        self.assertEqual(step.action, "Acknowledged automatically (e-mail)")

    def test_acknowledgement_shows_the_expected_date_and_handler(self):
        complaint = self._create_complaint(
            user=self.handler,
            channel="phone",
            user_id=self.handler.id,
            date_deadline="2026-12-04 16:00:00",
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
        complaint = self._create_complaint(user=self.user, ack_pending=False)
        self.assertTrue(complaint.ack_pending, "the queue flag is computed at creation, not taken from the caller")
