from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import ComplaintCase

# Columns that differ between two messages by nature (identity, time, random Message-Id).
VOLATILE_COLUMNS = {"id", "res_id", "message_id", "date", "create_date", "write_date"}


@tagged("post_install", "-at_install")
class TestBatchCreate(ComplaintCase):
    """A batch create gives every complaint all it gets alone, its creation trace written in one query."""

    def _message_rows(self, messages):
        self.env.flush_all()
        self.env.cr.execute("SELECT * FROM mail_message WHERE id IN %s ORDER BY id", [tuple(messages.ids)])
        names = [column.name for column in self.env.cr.description]
        return [
            {name: value for name, value in zip(names, row, strict=True) if name not in VOLATILE_COLUMNS}
            for row in self.env.cr.fetchall()
        ]

    def _creation_traces(self, complaints):
        return complaints.message_ids.filtered(lambda m: m.body and "Complaint created" in m.body)

    def test_creation_trace_is_the_note_mail_thread_logs(self):
        complaints = self._create_complaint(user=self.user) | self._create_complaint(user=self.user)
        ours = self._creation_traces(complaints)
        self.assertEqual(len(ours), 2)
        self.assertEqual(sorted(ours.mapped("res_id")), complaints.ids, "one each")
        # The reference: what mail.thread's own batch log writes, for the same user.
        complaint = complaints[0].with_user(self.user)
        reference = complaint._message_log_batch(bodies={complaint.id: complaint._creation_message()})
        expected = self._message_rows(reference)[0]
        self.assertEqual(self._message_rows(ours), [expected, expected])
        self.assertEqual(ours.author_id, self.user.partner_id)
        self.assertEqual(ours.subtype_id, self.env.ref("mail.mt_note"))
        self.assertFalse(ours.notification_ids, "a log notifies nobody")

    def test_no_creation_trace_when_asked_not_to_log(self):
        for context in ({"mail_create_nolog": True}, {"tracking_disable": True}):
            complaint = (
                self.env["complaint.complaint"]
                .with_context(**context)
                .create({"subject": "Quiet", "partner_id": self.partner.id})
            )
            self.assertFalse(self._creation_traces(complaint), context)

    def test_batch_create_gives_each_complaint_what_it_gets_alone(self):
        Complaint = self.env["complaint.complaint"].with_user(self.user)
        alone = Complaint.create({"subject": "Alone", "partner_id": self.partner.id, "channel": "email"})
        batch = Complaint.create(
            [{"subject": f"Batch {index}", "partner_id": self.partner.id, "channel": "email"} for index in range(20)]
            + [{"subject": "Critical", "partner_id": self.partner.id, "severity_id": self.severity_high.id}]
        )
        self.assertEqual(len(set(batch.mapped("name"))), 21)
        for complaint in batch:
            self.assertTrue(complaint.name.startswith(alone.name[: alone.name.rindex("/") + 1]))
            self.assertEqual(complaint.policy_id, alone.policy_id)
            self.assertTrue(complaint.date_ack_deadline and complaint.date_response_deadline)
            self.assertTrue(complaint.date_deadline)
            self.assertTrue(complaint.ack_pending)
            self.assertEqual(complaint.step_ids.mapped("action"), ["received"])
            self.assertEqual(len(self._creation_traces(complaint)), 1)
            self.assertIn(self.user.partner_id, complaint.message_partner_ids, "the creator follows it")
        # The shipped rule still fires on create, once, after the creation trace.
        critical = batch[-1].sudo()
        alert = critical.message_ids.filtered(lambda m: "High-severity complaint" in (m.body or ""))
        self.assertEqual(len(alert), 1)
        self.assertGreater(alert.id, self._creation_traces(critical).id)
        self.assertFalse(batch[:-1].sudo().message_ids.filtered(lambda m: "High-severity" in (m.body or "")))

    def test_a_batch_takes_the_defaults_and_keeps_the_values_given(self):
        Complaint = self.env["complaint.complaint"].with_user(self.user).with_context(default_channel="phone")
        received = fields.Datetime.to_datetime("2026-01-05 09:00:00")
        with freeze_time("2026-03-02 10:00:00"):
            batch = Complaint.create(
                [{"subject": f"Batch {index}", "partner_id": self.partner.id} for index in range(30)]
                + [{"subject": "Dated", "partner_id": self.partner.id, "date_received": received, "channel": "web"}]
            )
        undated, dated = batch[:-1], batch[-1]
        self.assertEqual(set(undated.mapped("date_received")), {fields.Datetime.to_datetime("2026-03-02 10:00:00")})
        self.assertEqual(set(undated.mapped("channel")), {"phone"}, "the context's default")
        self.assertEqual(undated.received_by_id, self.user)
        self.assertEqual(undated.company_id, self.user.company_id)
        self.assertEqual((dated.date_received, dated.channel), (received, "web"), "given values win")

    def test_creator_follows_with_the_subtypes_mail_thread_gives(self):
        Complaint = self.env["complaint.complaint"].with_user(self.user)
        complaints = Complaint.create(
            [{"subject": f"Follow {index}", "partner_id": self.partner.id} for index in range(3)]
        )
        # The reference: mail.thread's own subscription of the creator.
        reference = Complaint.with_context(mail_create_nosubscribe=True).create(
            {"subject": "Reference", "partner_id": self.partner.id}
        )
        self.assertNotIn(self.user.partner_id, reference.message_partner_ids)
        self.env["mail.followers"]._insert_followers(
            reference._name, reference.ids, self.user.partner_id.ids, customer_ids=[], check_existing=False
        )
        expected = reference.message_follower_ids.filtered(lambda f: f.partner_id == self.user.partner_id).subtype_ids
        self.assertTrue(expected)
        for complaint in complaints:
            follower = complaint.message_follower_ids.filtered(lambda f: f.partner_id == self.user.partner_id)
            self.assertEqual(len(follower), 1)
            self.assertEqual(follower.subtype_ids, expected)
        self.assertTrue(all(complaints.with_user(self.user).mapped("message_is_follower")))

    def test_handler_creating_their_own_complaint_follows_it_once(self):
        complaint = self._create_complaint(user=self.handler, user_id=self.handler.id, team_id=self.team_a.id)
        follower = complaint.message_follower_ids.filtered(lambda f: f.partner_id == self.handler.partner_id)
        self.assertEqual(len(follower), 1)
        default = self.env["mail.message.subtype"].default_subtypes(complaint._name)[0]
        self.assertLessEqual(default, follower.subtype_ids)

    def test_no_subscription_when_asked_not_to(self):
        complaint = (
            self.env["complaint.complaint"]
            .with_user(self.user)
            .with_context(mail_create_nosubscribe=True)
            .create({"subject": "Nobody follows", "partner_id": self.partner.id})
        )
        self.assertNotIn(self.user.partner_id, complaint.message_partner_ids)
        self.assertEqual(len(self._creation_traces(complaint)), 1, "the trace is still logged")
