import base64
import io
import json
import zipfile
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestPrivacy(ComplaintCase):
    """Retention, anonymisation, export and erasure of complainants' personal data (GDPR, ISO 10002 4.9)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_retention_years = 5
        cls.company2.complaint_retention_years = 0

    def _closed_complaint(self, years_ago=6, **vals):
        values = {
            "team_id": self.team_a.id,
            "user_id": self.handler.id,
            "complainant_name": "Jane Complainer",
            "complainant_email": "jane.complainer@example.com",
            "complainant_phone": "+32 470 00 00 00",
            "description": "<p>Jane's kettle at 12 Rue Haute leaks.</p>",
            "remedy_requested": "Refund to IBAN BE00 0000 0000 0000",
        }
        values.update(vals)
        complaint = self._create_complaint(**values)
        self._advance(complaint, "closed")
        self._age(complaint, years_ago)
        return complaint

    def _age(self, complaints, years_ago):
        """Move the end of ``complaints`` (closing date and steps) ``years_ago`` years back."""
        past = fields.Datetime.now() - timedelta(days=365 * years_ago + 2)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE complaint_complaint SET date_closed = %s WHERE id IN %s AND date_closed IS NOT NULL",
                past,
                tuple(complaints.ids),
            )
        )
        self.env.cr.execute(
            SQL("UPDATE complaint_step SET date = %s WHERE complaint_id IN %s", past, tuple(complaints.ids))
        )
        self.env.cr.execute(
            SQL(
                "UPDATE complaint_complaint SET date_ended = %s WHERE id IN %s AND date_ended IS NOT NULL",
                past,
                tuple(complaints.ids),
            )
        )
        self.env.invalidate_all()

    def _run_cron(self, **kwargs):
        Complaint = self.env["complaint.complaint"]
        done = Complaint._cron_anonymise(**kwargs)
        self.env.invalidate_all()
        return done

    # ----------------------------------------------------------------- retention

    def test_retention_job_anonymises_old_closed_complaints_and_keeps_statistics(self):
        complaint = self._closed_complaint(product_id=self.product.id, safety_impact=True)
        complaint._portal_ensure_token()
        complaint.message_post(
            body="Jane called from +32 470 00 00 00",
            attachment_ids=[
                self.env["ir.attachment"]
                .create(
                    {
                        "name": "jane_passport.pdf",
                        "raw": b"%PDF-1.4 Jane",
                        "res_model": "complaint.complaint",
                        "res_id": complaint.id,
                    }
                )
                .id
            ],
        )
        complaint.message_subscribe(partner_ids=self.partner.ids)
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking starts after the transaction that created the record
        complaint.complainant_phone = "+32 470 11 11 11"
        self.env.flush_all()
        self.env.cr.precommit.run()
        personal = {"complainant_name", "complainant_email", "complainant_phone", "subject", "partner_id"}
        self.assertTrue(complaint.sudo().message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name in personal))
        stats_before = complaint.read(
            [
                "name",
                "date_received",
                "date_closed",
                "category_id",
                "severity_id",
                "product_id",
                "state",
                "team_id",
                "user_id",
                "safety_impact",
                "channel",
            ]
        )[0]
        amount_before = complaint.decision_ids.mapped(lambda d: (d.remedy_type, d.amount, d.state))
        steps_before = len(complaint.step_ids)
        log_before = self.env["complaint.privacy.log"].search_count([])

        self.assertGreaterEqual(self._run_cron(), 1)

        self.assertTrue(complaint.anonymised)
        self.assertTrue(complaint.date_anonymised)
        self.assertRecordValues(
            complaint,
            [
                {
                    "partner_id": False,
                    "complainant_email": False,
                    "complainant_phone": False,
                    "subject": "[anonymised]",
                    "complainant_name": "[anonymised]",
                    "remedy_requested": "[anonymised]",
                }
            ],
        )
        self.assertNotIn("Jane", complaint.description)
        self.assertFalse(complaint.access_token, "the portal link sent to the complainant no longer opens it")
        self.assertEqual(complaint.read(list(stats_before))[0], stats_before, "statistics are kept")
        self.assertEqual(complaint.decision_ids.mapped(lambda d: (d.remedy_type, d.amount, d.state)), amount_before)
        self.assertEqual(set(complaint.decision_ids.mapped("reasons")), {"[anonymised]"})
        # The chatter keeps its dates, not its contents.
        for message in complaint.message_ids:
            self.assertNotIn("Jane", message.body or "")
            self.assertFalse(message.author_id)
            self.assertFalse(message.email_from)
            self.assertFalse(message.attachment_ids)
        self.assertFalse(
            complaint.sudo().message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name in personal),
            "tracked old values of personal fields are removed",
        )
        self.assertFalse(
            self.env["ir.attachment"].search([("res_model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)])
        )
        self.assertFalse(complaint.message_partner_ids)
        # History: one more step, notes without personal data (the receipt's channel is kept).
        self.assertEqual(len(complaint.step_ids), steps_before + 1)
        self.assertEqual(complaint.step_ids[0].action_label, "Personal data anonymised")
        receipt = complaint.step_ids.filtered(lambda s: not s.state_from)
        self.assertEqual(receipt.action_label, "Received: Other", "the receipt's channel is a statistic, kept")
        self.assertTrue(
            all(not s.note or s.note == "[anonymised]" or "retention" in s.note for s in complaint.step_ids)
        )
        # The contact itself is not touched: it may be a customer with invoices.
        self.assertEqual(self.partner.email, "jane.complainer@example.com")
        # Report of what was done.
        logs = self.env["complaint.privacy.log"].search([], limit=1)
        self.assertEqual(self.env["complaint.privacy.log"].search_count([]), log_before + 1)
        self.assertEqual(logs.operation, "retention")
        self.assertIn(complaint.name, logs.complaint_refs)
        self.assertGreaterEqual(logs.complaint_count, 1)
        self.assertTrue(logs.user_id)

    def test_retention_job_leaves_open_recent_and_never_companies_alone(self):
        old = self._closed_complaint()
        recent = self._closed_complaint(years_ago=4)
        open_old = self._create_complaint(complainant_name="Open", complainant_email="open@example.com")
        self._age(open_old, 10)
        never = self._create_complaint(user=self.handler_c2, team_id=self.team_c2.id)
        self._advance(never.with_user(self.handler_c2), "rejected")
        self._age(never, 10)
        withdrawn = self._create_complaint()
        self._advance(withdrawn, "withdrawn")
        self._age(withdrawn, 6)
        self._run_cron()
        self.assertTrue(old.anonymised)
        self.assertTrue(withdrawn.anonymised, "withdrawn: the date of its last step counts")
        self.assertFalse(recent.anonymised)
        self.assertFalse(open_old.anonymised)
        self.assertFalse(never.anonymised, "retention 0 in company 2: never")
        self.assertEqual(recent.complainant_email, "jane.complainer@example.com")

    def test_retention_job_works_in_batches_and_only_once(self):
        complaints = self._closed_complaint() | self._closed_complaint() | self._closed_complaint()
        self.env.flush_all()
        done = 0
        while True:
            count = self._run_cron(batch_size=2)
            if not count:
                break
            self.assertLessEqual(count, 2)
            done += count
        self.assertGreaterEqual(done, 3)
        self.assertTrue(all(complaints.mapped("anonymised")))
        steps = len(complaints.step_ids)
        self.assertEqual(self._run_cron(), 0, "nothing left: a second run does nothing")
        self.assertEqual(len(complaints.step_ids), steps)

    @freeze_time("2045-01-01")
    def test_retention_job_skips_rows_locked_by_another_worker(self):
        """Two workers: a complaint locked by the first one is skipped by the second, without waiting."""
        done_states = ("closed", "rejected", "withdrawn")
        demo = (
            self.env["complaint.complaint"]
            .with_context(active_test=False)
            .search([("state", "in", done_states), ("anonymised", "=", False), ("company_id", "=", self.company.id)])
        )
        self.assertTrue(demo, "the demo data has closed complaints, old enough in 2045")
        locked = demo[0]
        with self.env.registry.cursor() as other:
            other.execute(SQL("SET LOCAL lock_timeout = '5s'"))
            other.execute(SQL("SELECT id FROM complaint_complaint WHERE id = %s FOR UPDATE", locked.id))
            self.env.cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))
            done = self._run_cron(batch_size=1000)
            other.rollback()
        self.assertGreaterEqual(done, len(demo) - 1)
        self.assertFalse(locked.anonymised, "the row locked by the other worker was skipped")
        self.assertTrue(all((demo - locked).mapped("anonymised")))

    def test_cron_is_shipped_daily_and_runs(self):
        cron = self.env.ref("complaint_handling.ir_cron_complaint_anonymise")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        self.assertIn("_cron_anonymise", cron.code)
        complaint = self._closed_complaint()
        with mute_logger("odoo.addons.base.models.ir_cron"):
            cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertTrue(complaint.anonymised)
        log = self.env["complaint.privacy.log"].search([("complaint_refs", "ilike", complaint.name)], limit=1)
        self.assertEqual(log.job, cron.name)
        self.assertEqual(log.user_id, cron.user_id, "done by the job's user")
        self.assertEqual(complaint.step_ids[0].user_id, cron.user_id)

    def test_retention_counts_from_the_end_of_the_complaint_and_stops_when_reopened(self):
        closed = self._create_complaint()
        self.assertFalse(closed.date_ended, "an open complaint has no end")
        self._advance(closed, "closed")
        self.assertTrue(closed.date_ended)
        self.assertEqual(closed.date_ended, closed.date_closed)
        closed.action_reopen(reason="The kettle leaks again.")
        self.assertFalse(closed.date_ended, "reopened: the retention period stops")
        rejected = self._advance(self._create_complaint(), "rejected")
        self.assertTrue(rejected.date_ended, "rejected: ended without a closing date")
        self.assertFalse(rejected.date_closed)
        entered = rejected.step_ids.filtered(lambda s: s.state_to == "rejected" and s.state_from != "rejected")
        self.assertEqual(rejected.date_ended, entered.date)

    def test_anonymisation_reaches_mails_ratings_activities_and_keeps_process_tracking(self):
        complaint = self._closed_complaint()
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking starts after the transaction that created the record
        complaint.write({"complainant_phone": "+32 470 22 22 22", "priority": "1"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        complaint.activity_schedule("mail.mail_activity_data_todo", user_id=self.handler.id, summary="Call Jane")
        mail = self.env["mail.mail"].create(
            {
                "model": "complaint.complaint",
                "res_id": complaint.id,
                "body_html": "<p>Dear Jane, about your kettle</p>",
                "email_to": "jane.complainer@example.com",
            }
        )
        rating = self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("complaint.complaint"),
                "res_id": complaint.id,
                "partner_id": self.partner.id,
                "rated_partner_id": self.handler.partner_id.id,
                "rating": 4,
                "feedback": "Jane is happy with the new kettle",
                "consumed": True,
            }
        )
        self.assertIn(complaint.subject, rating.res_name)
        token = rating.access_token
        self.env.cr.execute(SQL("UPDATE complaint_complaint SET ack_pending = TRUE WHERE id = %s", complaint.id))
        other = self._closed_complaint(years_ago=1)
        other_messages = other.message_ids.mapped(lambda m: (m.id, m.body, m.author_id))

        self._run_cron()

        self.assertTrue(complaint.anonymised)
        self.assertFalse(complaint.ack_pending, "nothing is sent to an anonymised complainant any more")
        self.assertFalse(complaint.activity_ids)
        self.assertFalse(mail.exists(), "the queued e-mail (body, recipients) is removed")
        self.assertRecordValues(rating, [{"partner_id": False, "rating": 4, "consumed": True}])
        self.assertEqual(rating.feedback, "[anonymised]")
        self.assertNotIn("Jane", rating.res_name)
        self.assertIn(complaint.name, rating.res_name)
        self.assertNotEqual(rating.access_token, token, "the rating link sent to the complainant no longer works")
        self.assertTrue(rating.access_token)
        tracked = complaint.sudo().message_ids.tracking_value_ids.mapped("field_id.name")
        self.assertIn("priority", tracked, "the tracking of the process fields stays for the statistics")
        self.assertNotIn("complainant_phone", tracked)
        self.assertFalse(complaint.sudo().message_ids.notification_ids)
        self.assertEqual(complaint.rating_avg, 4, "the satisfaction statistics stay")
        # Another complaint of the same complainant, still within its retention period, is untouched.
        self.assertFalse(other.anonymised)
        self.assertEqual(other.message_ids.mapped(lambda m: (m.id, m.body, m.author_id)), other_messages)
        self.assertEqual(other.complainant_email, "jane.complainer@example.com")

    def test_retention_job_queries_per_batch_do_not_grow_with_the_batch(self):
        """A batch of 2 and a batch of 6 complaints, each with its chatter, cost the same queries."""
        complaints = self.env["complaint.complaint"]
        for _index in range(7):
            complaint = self._closed_complaint()
            attachment = self.env["ir.attachment"].create(
                {"name": "letter.pdf", "raw": b"%PDF-1.4 Jane", "res_model": complaint._name, "res_id": complaint.id}
            )
            complaint.message_post(body="Jane wrote again", attachment_ids=attachment.ids, partner_ids=self.partner.ids)
            complaints |= complaint
        self.env.flush_all()
        Complaint = self.env["complaint.complaint"]
        self.assertEqual(Complaint._cron_anonymise(batch_size=1), 1)  # warm-up: caches of the first call
        counts = []
        for size in (2, 6):
            # Each measure from the same state: after the warm-up, rolled back after the measure, the
            # ORM cache emptied but for the company's language (read once per company, not per complaint).
            self.env.invalidate_all()
            complaints.company_id.partner_id.mapped("lang")
            with self.env.cr.savepoint() as savepoint:
                # The work (the mail and rating data through their ORM, one call per kind of data) and the
                # log, whatever the size; the rest reads the job's cron and the administrator's language.
                with self.assertQueryCount(60):
                    before = self.env.cr.sql_log_count
                    self.assertEqual(Complaint._cron_anonymise(batch_size=size), size)
                    counts.append(self.env.cr.sql_log_count - before)
                savepoint.rollback()
        self.assertEqual(counts[0], counts[1], f"queries for a batch of 2 and of 6: {counts}")
        self.env.invalidate_all()
        self.assertEqual(Complaint._cron_anonymise(batch_size=10), 6)
        self.assertTrue(all(complaints.mapped("anonymised")))
        self.assertFalse(complaints.message_ids.attachment_ids)
        self.assertEqual(Complaint._cron_anonymise(), 0)

    def test_retention_job_reports_its_progress_to_the_cron(self):
        """Odoo's cron commits after each call and calls again while the job reports complaints remaining."""
        complaints = self._closed_complaint() | self._closed_complaint() | self._closed_complaint()
        cron = self.env.ref("complaint_handling.ir_cron_complaint_anonymise")
        cron, progress = cron._add_progress()
        Complaint = self.env["complaint.complaint"].with_context(ir_cron_progress_id=progress.id)
        self.assertEqual(Complaint._cron_anonymise(batch_size=2), 2)
        self.assertEqual((progress.done, progress.remaining), (2, 1), "called again: one complaint is left")
        # A batch that failed is rolled back whole (its transaction): the complaints stay due and are
        # taken by the next call, never half done and never twice.
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            Complaint._cron_anonymise(batch_size=2)
            raise ZeroDivisionError  # the crash, before the commit
        self.env.invalidate_all()
        self.assertEqual(len(complaints.filtered("anonymised")), 2)
        self.assertEqual(Complaint._cron_anonymise(batch_size=2), 1)
        self.assertEqual((progress.done, progress.remaining), (1, 0), "done: the cron waits for its next day")
        self.env.invalidate_all()
        self.assertTrue(all(complaints.mapped("anonymised")))
        logs = self.env["complaint.privacy.log"].search([("operation", "=", "retention")])
        for complaint in complaints:
            self.assertEqual(len(logs.filtered(lambda log, c=complaint: c.name in log.complaint_refs)), 1)
        self.assertEqual(
            len(complaints.step_ids.filtered(lambda s: s.action_label == "Personal data anonymised")),
            3,
            "one step each",
        )

    # ------------------------------------------------------------------- erasure

    def _erasure_request(self, user=None, **vals):
        values = {"partner_id": self.partner.id, "reason": "Asked by letter on 1 March."}
        values.update(vals)
        return self.env["complaint.erasure.request"].with_user(user or self.handler).create(values)

    def test_erasure_request_is_approved_by_a_manager_and_anonymises_every_complaint(self):
        by_partner = self._closed_complaint(years_ago=0)
        by_email = self._create_complaint(
            partner_id=False, complainant_name="Jane C.", complainant_email="Jane.Complainer@example.com"
        )
        self._advance(by_email, "rejected")
        other = self._closed_complaint(
            years_ago=0, partner_id=False, complainant_name="Bob", complainant_email="bob@example.com"
        )
        request = self._erasure_request()
        self.assertEqual(request.state, "draft")
        self.assertEqual(request.complaint_count, 2)
        request.action_submit()
        self.assertEqual(request.state, "to_approve")
        with self.assertRaisesText(AccessError, "Only a complaint manager"):
            request.with_user(self.handler).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.auditor).action_approve()
        request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "done")
        self.assertEqual(request.approved_by_id, self.manager)
        self.assertTrue(by_partner.anonymised)
        self.assertTrue(by_email.anonymised)
        self.assertFalse(other.anonymised)
        log = self.env["complaint.privacy.log"].search([("erasure_request_id", "=", request.id)])
        self.assertEqual(log.operation, "erasure")
        self.assertEqual(log.complaint_count, 2)
        self.assertEqual(log.user_id, self.manager)

    def test_erasure_is_refused_while_a_complaint_is_open(self):
        self._closed_complaint(years_ago=0)
        open_complaint = self._create_complaint()
        request = self._erasure_request()
        request.action_submit()
        with self.assertRaisesText(UserError, open_complaint.name):
            request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "to_approve")
        self.assertFalse(open_complaint.anonymised)
        # Refusing needs a reason.
        with self.assertRaisesText(UserError, "why"):
            request.with_user(self.manager).action_refuse()
        request.with_user(self.manager).refusal_reason = "A claim is pending in court."
        request.with_user(self.manager).action_refuse()
        self.assertEqual(request.state, "refused")

    def test_erasure_request_state_and_history_are_protected(self):
        request = self._erasure_request()
        with self.assertRaises(UserError):
            request.write({"state": "done"})
        with self.assertRaises(UserError):
            self._erasure_request(state="approved")
        request.action_submit()
        with self.assertRaises(UserError):
            request.with_user(self.manager).unlink()
        with self.assertRaises(AccessError):
            self._erasure_request(user=self.user)

    # -------------------------------------------------------------------- export

    def test_export_contains_everything_about_the_complainant(self):
        complaint = self._closed_complaint(years_ago=0)
        complaint.message_post(
            body="Photo attached",
            attachment_ids=[
                self.env["ir.attachment"]
                .create(
                    {
                        "name": "../../etc/pho\\to?.png",
                        "raw": b"PNGDATA",
                        "res_model": "complaint.complaint",
                        "res_id": complaint.id,
                    }
                )
                .id
            ],
        )
        other = self._create_complaint(partner_id=False, complainant_name="Bob", complainant_email="bob@example.com")
        wizard = self.env["complaint.privacy.export"].with_user(self.manager).create({"partner_id": self.partner.id})
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(str(wizard.id), action["url"])
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(wizard.file_data)))
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
        refs = [c["name"] for c in data["complaints"]]
        self.assertIn(complaint.name, refs)
        self.assertNotIn(other.name, refs)
        self.assertEqual({d["complaint_id"] for d in data["decisions"]} >= {complaint.display_name}, True)
        self.assertTrue(any(s["complaint_id"] == complaint.display_name for s in data["steps"]))
        self.assertTrue(any("Photo attached" in m["body"] for m in data["messages"]))
        attachment = next(a for a in data["attachments"] if a["name"].endswith(".png"))
        self.assertIn(attachment["file"], names)
        self.assertNotIn("..", attachment["file"].split("/"))
        self.assertEqual(archive.read(attachment["file"]), b"PNGDATA")
        self.assertIn("ratings", data)
        self.assertIn("disputes", data)
        self.assertEqual(data["complainant"]["contact"]["email"], "jane.complainer@example.com")
        log = self.env["complaint.privacy.log"].search([("operation", "=", "export")], limit=1)
        self.assertIn(complaint.name, log.complaint_refs)
        self.assertEqual(log.user_id, self.manager)

    def test_export_by_email_and_managers_only(self):
        complaint = self._create_complaint(
            partner_id=False, complainant_name="Bob", complainant_email="bob@example.com"
        )
        wizard = self.env["complaint.privacy.export"].with_user(self.manager).create({"email": "BOB@example.com"})
        wizard.action_export()
        data = json.loads(zipfile.ZipFile(io.BytesIO(base64.b64decode(wizard.file_data))).read("data.json"))
        self.assertEqual([c["name"] for c in data["complaints"]], [complaint.name])
        for user in (self.user, self.handler, self.auditor):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["complaint.privacy.export"].with_user(user).create(
                    {"email": "bob@example.com"}
                ).action_export()

    # ------------------------------------------------------------------ integrity

    def test_step_history_is_read_only_for_every_user_but_the_superuser(self):
        complaint = self._advance(self._create_complaint(team_id=self.team_a.id), "acknowledged")
        admin = self.env.ref("base.user_admin")
        self.assertFalse(complaint.with_user(admin).env.su, "the admin user is not the superuser")
        portal = new_test_user(self.env, login="ch_portal_steps", groups="base.group_portal")
        public = self.env.ref("base.public_user")
        for user in (public, portal, self.user, self.handler, self.leader, self.manager, self.auditor, admin):
            step = complaint.step_ids[:1].with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    step.write({"note": "Rewritten"})
                with self.assertRaises(UserError):
                    step.unlink()
                with self.assertRaises(UserError):
                    self.env["complaint.step"].with_user(user).create(
                        {"complaint_id": complaint.id, "action": "Forged", "state_to": "closed"}
                    )
        # Only the superuser can (e.g. the anonymisation of notes).
        step = complaint.step_ids[:1]
        step.sudo().write({"note": "Corrected by the superuser"})
        self.assertEqual(step.note, "Corrected by the superuser")

    def test_privacy_log_is_read_only(self):
        self._run_cron()
        log = self.env["complaint.privacy.log"].sudo().create({"operation": "retention", "complaint_count": 0})
        admin = self.env.ref("base.user_admin")
        for user in (self.manager, self.auditor, admin):
            with self.subTest(user=user.login):
                log.with_user(user).read(["operation"])
                with self.assertRaises(UserError):
                    log.with_user(user).write({"complaint_count": 99})
                with self.assertRaises(UserError):
                    log.with_user(user).unlink()
        for user in (self.user, self.handler):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                log.with_user(user).read(["operation"])

    def test_fields_auditors_care_about_are_tracked(self):
        Complaint = self.env["complaint.complaint"]
        audited = [
            "subject",
            "partner_id",
            "complainant_name",
            "complainant_email",
            "complainant_phone",
            "anonymous",
            "channel",
            "date_received",
            "date_deadline",
            "remedy_requested",
            "product_id",
            "category_id",
            "severity_id",
            "priority",
            "complexity",
            "safety_impact",
            "legal_impact",
            "regulatory_impact",
            "scope_decision",
            "scope_reason",
            "immediate_action",
            "user_id",
            "team_id",
            "subject_team_id",
            "confidential",
            "root_cause_id",
            "root_cause",
            "escalation_type",
            "escalation_note",
            "company_id",
            "active",
        ]
        untracked = [name for name in audited if not Complaint._fields[name].tracking]
        self.assertFalse(untracked, "fields an auditor needs the history of")
        complaint = self._create_complaint()
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking starts after the transaction that created the record
        complaint.write({"remedy_requested": "A new kettle", "root_cause": "Seal defect"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = complaint.sudo().message_ids.tracking_value_ids.mapped("field_id.name")
        self.assertIn("remedy_requested", tracked)
        self.assertIn("root_cause", tracked)

    @mute_logger("odoo.addons.complaint_handling.models.complaint_complaint_privacy")
    def test_anonymising_twice_changes_nothing(self):
        complaint = self._closed_complaint()
        first = complaint._anonymise("test")
        self.assertEqual(first, complaint)
        steps = len(complaint.step_ids)
        self.assertFalse(complaint._anonymise("test"))
        self.assertEqual(len(complaint.step_ids), steps)

    # ----------------------------------------------------------------- the forms

    def test_forms_of_the_settings_the_request_and_the_export(self):
        settings = Form(self.env["res.config.settings"])
        settings.complaint_retention_years = 7
        settings.save().execute()
        self.assertEqual(self.env.company.complaint_retention_years, 7)

        with Form(self.env["complaint.erasure.request"].with_user(self.handler)) as form:
            form.partner_id = self.partner
            form.reason = "Asked by phone."
        self.assertEqual(form.record.state, "draft")
        self.assertTrue(form.record.name.startswith("Erasure"))

        export = Form(self.env["complaint.privacy.export"].with_user(self.manager))
        export.partner_id = self.partner
        self.assertEqual(export.email, self.partner.email, "the contact's address is proposed")
        action = export.save().action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")

        complaint = self._closed_complaint(years_ago=8)  # the retention is now 7 years
        self._run_cron()
        self.assertTrue(complaint.anonymised)
        Form(complaint.with_user(self.auditor))  # the anonymised banner renders for an auditor

    def test_amending_a_proposed_decision_is_written_in_the_history(self):
        complaint = self._create_complaint(team_id=self.team_a.id, user_id=self.handler.id)
        self._advance(complaint, "investigating")
        decision = self._create_decision(complaint, remedy_type="refund", amount=5000)
        decision.amount = 4000  # a draft: the handler's work in progress, not logged
        self.assertNotIn("decision_amended", complaint.step_ids.mapped("action"))
        complaint.action_propose_response()
        self.assertEqual(decision.state, "to_approve")
        decision.with_user(self.handler).write({"amount": 900, "reasons": "Partial refund."})
        self.assertEqual(decision.state, "approved")
        step = complaint.step_ids.filtered(lambda s: s.action_label == "Decision amended")
        self.assertEqual(len(step), 1)
        self.assertEqual(step.user_id, self.handler)
        self.assertIn("4,000.00", step.note)
        self.assertIn("900.00", step.note)
        self.assertIn("Partial refund.", step.note)
        self.assertIn("within the approval limit", step.note)
