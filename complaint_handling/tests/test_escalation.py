from datetime import datetime

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.tests import tagged

from .test_deadlines import TimelinessCase


class EscalationCase(TimelinessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Level = cls.env["complaint.escalation.level"]
        cls.level_handler = Level.create(
            {
                "name": "Reminder",
                "sequence": 10,
                "target": "resolution",
                "trigger": "before_breach",
                "delay_hours": 4,
                "action": "activity_for_handler",
            }
        )
        cls.level_leader = Level.create(
            {
                "name": "Leader",
                "sequence": 20,
                "target": "resolution",
                "trigger": "after_breach",
                "action": "notify_team_leader",
            }
        )
        cls.level_managers = Level.create(
            {
                "name": "Managers",
                "sequence": 30,
                "target": "resolution",
                "trigger": "after_breach",
                "delay_hours": 8,
                "action": "notify_managers",
            }
        )
        cls.levels = cls.level_handler | cls.level_leader | cls.level_managers

    def _run_cron(self, when):
        with freeze_time(when):
            self.env["complaint.complaint"]._cron_escalate()
        self.env.invalidate_all()

    def _fired(self, complaint):
        return complaint.escalation_log_ids.sorted("id").level_id


class TestEscalation(EscalationCase):
    def test_levels_fire_in_order_and_exactly_once(self):
        with freeze_time("2026-03-06 10:00:00"):  # resolution due Friday 2026-03-20 10:00
            complaint = self._complaint()
        # First the acknowledgement deadline (its breach is marked), then 4 working hours before the resolution's.
        self.assertEqual(complaint.date_next_escalation, datetime(2026, 3, 9, 10, 0))
        self._run_cron("2026-03-09 10:30:00")
        self.assertTrue(complaint.ack_breached)
        self.assertEqual(complaint.date_next_escalation, datetime(2026, 3, 13, 10, 0))  # first response due
        self._run_cron("2026-03-13 10:30:00")
        self.assertTrue(complaint.response_breached)
        self.assertEqual(complaint.date_next_escalation, datetime(2026, 3, 19, 15, 0))

        self._run_cron("2026-03-19 14:00:00")
        self.assertFalse(complaint.escalation_log_ids)

        self._run_cron("2026-03-19 16:00:00")
        self._run_cron("2026-03-19 16:15:00")
        self.assertEqual(self._fired(complaint), self.level_handler)
        activity = complaint.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.handler)
        self.assertIn(complaint.name, activity.summary)
        self.assertFalse(complaint.resolution_breached)

        self._run_cron("2026-03-20 11:00:00")
        self._run_cron("2026-03-20 11:15:00")
        self.assertEqual(self._fired(complaint), self.level_handler | self.level_leader)
        self.assertTrue(complaint.resolution_breached)
        to_leader = complaint.message_ids.filtered(lambda m: self.leader.partner_id in m.partner_ids)
        self.assertEqual(len(to_leader), 1)
        self.assertEqual(to_leader.author_id, self.env.ref("base.partner_root"))

        self._run_cron("2026-03-23 09:00:00")  # 8 working hours after the breach: Monday 10:00
        self.assertEqual(len(complaint.escalation_log_ids), 2)
        self._run_cron("2026-03-23 10:30:00")
        self._run_cron("2026-03-23 10:45:00")
        self.assertEqual(self._fired(complaint), self.levels)
        to_managers = complaint.message_ids.filtered(lambda m: self.manager.partner_id in m.partner_ids)
        self.assertEqual(len(to_managers), 1)
        self.assertEqual(len(complaint.activity_ids), 1)
        escalation_steps = complaint.step_ids.filtered(lambda s: s.action_label.startswith("Escalation"))
        self.assertEqual(len(escalation_steps), 3)
        self.assertFalse(complaint.date_next_escalation, "nothing left to escalate")

    def test_levels_due_together_fire_in_sequence(self):
        with freeze_time("2026-03-06 10:00:00"):
            complaints = self._complaint() | self._complaint()
        self._run_cron("2026-04-30 10:00:00")
        self._run_cron("2026-04-30 10:00:00")
        for complaint in complaints:
            self.assertEqual(self._fired(complaint).ids, self.levels.ids)
            self.assertTrue(complaint.resolution_breached)
            self.assertTrue(complaint.ack_breached)
            self.assertTrue(complaint.response_breached)

    def test_paused_and_done_complaints_are_not_escalated(self):
        with freeze_time("2026-03-06 10:00:00"):
            paused = self._complaint()
            paused.with_user(self.handler).action_pause(reason="Waiting for photos")
            withdrawn = self._complaint()
            withdrawn.with_user(self.handler).action_withdraw(reason="Solved by phone")
        self._run_cron("2026-04-30 10:00:00")
        self.assertFalse((paused | withdrawn).escalation_log_ids)
        self.assertFalse(paused.is_breached or withdrawn.is_breached)
        with freeze_time("2026-04-30 10:00:00"):
            paused.with_user(self.handler).action_resume()
        self.assertGreater(paused.date_deadline, datetime(2026, 4, 30, 10, 0))
        self.assertFalse(paused.resolution_breached)

    def test_cron_processes_in_batches(self):
        with freeze_time("2026-03-06 10:00:00"):
            complaints = self.env["complaint.complaint"].create(
                [{"subject": f"Batch {i}", "partner_id": self.partner.id} for i in range(5)]
            )
        with freeze_time("2026-04-30 10:00:00"):
            Complaint = self.env["complaint.complaint"]
            self.assertEqual(Complaint._cron_escalate(batch_size=2), 2)
            self.assertEqual(Complaint._cron_escalate(batch_size=2), 2)
            self.assertEqual(Complaint._cron_escalate(batch_size=2), 1)
            self.assertEqual(Complaint._cron_escalate(batch_size=2), 0)
        self.assertTrue(all(complaints.mapped("resolution_breached")))
        self.assertEqual(len(complaints.escalation_log_ids), 15)

    def test_a_level_fires_once_even_when_asked_twice(self):
        """A second worker holding the same complaints (stale candidates) writes nothing more."""
        with freeze_time("2026-03-06 10:00:00"):
            complaints = self._complaint() | self._complaint()
        due = dict.fromkeys(self.levels, complaints)
        now = datetime(2026, 4, 30, 10, 0)
        fired = self.levels._fire(due, now)
        self.assertEqual(list(fired), list(self.levels))
        self.env.invalidate_all()
        written = (len(complaints.step_ids), len(complaints.message_ids), len(complaints.activity_ids))
        self.assertFalse(self.levels._fire(due, now), "nothing fires twice")
        self.env.invalidate_all()
        self.assertEqual((len(complaints.step_ids), len(complaints.message_ids), len(complaints.activity_ids)), written)
        self.assertEqual(len(complaints.escalation_log_ids), 6)

    def test_the_reminder_goes_to_the_handler_else_the_leader_else_the_managers(self):
        with freeze_time("2026-03-06 10:00:00"):
            handled = self._complaint(subject="Handled")
            leader_only = self._complaint(subject="Leader only", user_id=False)
            nobody = self._complaint(subject="Nobody", user_id=False, team_id=self.team_b.id)
        self._run_cron("2026-03-19 16:00:00")  # 4 working hours before the resolution deadline
        self.assertEqual(handled.activity_ids.user_id, self.handler)
        self.assertEqual(leader_only.activity_ids.user_id, self.leader)
        self.assertFalse(nobody.activity_ids)
        for complaint in handled | leader_only:
            self.assertEqual(complaint.activity_ids.res_name, complaint.display_name)
            self.assertIn(complaint.name, complaint.activity_ids.summary)
        # Without anyone to give the to-do to, the managers are told in a note on the complaint.
        note = nobody.message_ids.filtered(lambda m: self.manager.partner_id in m.partner_ids)
        self.assertEqual(len(note), 1)
        self.assertIn(self.level_handler.name, note.body)
        self.assertEqual(note.record_name, nobody.display_name)
        self.assertEqual(note.record_company_id, nobody.company_id)
        self.assertEqual(self._fired(handled | leader_only | nobody), self.level_handler)

    def test_recipients_who_prefer_email_get_one_digest_per_batch(self):
        # No team leader: the managers are told at the breach and again 8 working hours later.
        with freeze_time("2026-03-06 10:00:00"):
            complaints = self._complaint(team_id=self.team_b.id, user_id=self.handler_b.id) | self._complaint(
                team_id=self.team_b.id, user_id=self.handler_b.id
            )
        self.manager.notification_type = "email"
        self.handler_b.notification_type = "inbox"
        self.level_managers.name = "Managers <b>told</b>"  # the digest is HTML: the names in it are escaped
        self._run_cron("2026-04-30 10:00:00")
        self.assertEqual(self._fired(complaints[0]), self.levels)
        digests = (
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", self.manager.partner_id.ids), ("subject", "ilike", "escalated")])
        )
        self.assertEqual(len(digests), 1, "one e-mail for both levels and both complaints")
        for complaint in complaints:
            self.assertEqual(digests.body_html.count(complaint.name), 2)
        self.assertIn(self.level_leader.name, digests.body_html)
        self.assertIn("Managers &lt;b&gt;told&lt;/b&gt;", digests.body_html)
        self.assertNotIn("<b>", digests.body_html)
        self.assertEqual(digests.body_html.count("<li>"), 4, "one line per complaint and level")
        # The manager is a recipient of the two notes (one per complaint, for both levels fired together),
        # alerted by the digest rather than in the inbox.
        notes = complaints.message_ids.filtered(lambda m: self.manager.partner_id in m.partner_ids)
        self.assertEqual(len(notes), 2)
        for note in notes:
            self.assertIn(self.level_leader.name, note.body)
            self.assertIn("Managers &lt;b&gt;told&lt;/b&gt;", note.body)
        self.assertFalse(notes.notification_ids.filtered(lambda n: n.res_partner_id == self.manager.partner_id))
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", self.handler_b.partner_id.ids), ("subject", "ilike", "escalated")]),
            "the handler's reminder is an activity, not an e-mail",
        )

    def test_automation_rules_on_the_breach_flags_still_run(self):
        """The job writes the breach flags by SQL, unless an automation rule listens to them."""
        automation = self.env["base.automation"].create(
            {
                "name": "Breach watcher",
                "model_id": self.env["ir.model"]._get_id("complaint.complaint"),
                "trigger": "on_create_or_write",
                "trigger_field_ids": [
                    Command.set(self.env["ir.model.fields"]._get("complaint.complaint", "resolution_breached").ids)
                ],
                "filter_domain": "[('resolution_breached', '=', True)]",
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Log the breach",
                "model_id": automation.model_id.id,
                "base_automation_id": automation.id,
                "usage": "base_automation",
                "state": "code",
                "code": "records._log_step('Breach seen by a rule')",
            }
        )
        with freeze_time("2026-03-06 10:00:00"):
            complaint = self._complaint()
        self._run_cron("2026-04-30 10:00:00")
        self.assertTrue(complaint.resolution_breached and complaint.is_breached)
        self.assertEqual(len(complaint.step_ids.filtered(lambda s: s.action_label == "Breach seen by a rule")), 1)
        self.assertEqual(self._fired(complaint), self.levels)
        self.assertFalse(complaint.date_next_escalation)

    def test_changing_levels_reschedules_open_complaints(self):
        with freeze_time("2026-03-06 10:00:00"):
            complaint = self._complaint()
        self._run_cron("2026-03-19 16:00:00")
        self.assertEqual(self._fired(complaint), self.level_handler)
        with freeze_time("2026-03-19 16:00:00"):
            self.level_handler.copy({"name": "Earlier reminder", "delay_hours": 40, "sequence": 5})
        self._run_cron("2026-03-19 16:00:00")
        self.assertEqual(len(complaint.escalation_log_ids), 2)


@tagged("post_install", "-at_install")
class TestEscalationWorkers(EscalationCase):
    """Two workers (two real database connections) run the job at the same time."""

    def test_two_workers_never_escalate_the_same_complaint(self):
        db = sql_db.db_connect(self.env.cr.dbname)
        with db.cursor() as cr:
            cr.execute("SET lock_timeout = '10s'")
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env.ref("base.partner_admin")
            ids = (
                env["complaint.complaint"]
                .create(
                    [
                        {"subject": f"Worker {i}", "partner_id": partner.id, "date_received": "2020-01-06 10:00:00"}
                        for i in range(6)
                    ]
                )
                .ids
            )
            cr.commit()  # pylint: disable=invalid-commit
        try:
            with db.cursor() as cr1, db.cursor() as cr2:
                cr1.execute("SET lock_timeout = '10s'")
                cr2.execute("SET lock_timeout = '10s'")
                worker1 = api.Environment(cr1, SUPERUSER_ID, {})["complaint.complaint"]
                worker2 = api.Environment(cr2, SUPERUSER_ID, {})["complaint.complaint"]
                first = worker1._escalation_candidates(batch_size=3)
                second = worker2._escalation_candidates(batch_size=10000)
                self.assertTrue(set(first.ids) & set(ids))
                self.assertFalse(set(first.ids) & set(second.ids), "a complaint locked by a worker is skipped")
                self.assertLessEqual(set(ids), set(first.ids) | set(second.ids))
                first._escalate()
                cr1.commit()  # pylint: disable=invalid-commit
                second._escalate()
                cr2.commit()  # pylint: disable=invalid-commit
            with db.cursor() as cr:
                cr.execute(
                    "SELECT complaint_id, level_id, count(*) FROM complaint_escalation_log"
                    " WHERE complaint_id IN %s GROUP BY 1, 2",
                    [tuple(ids)],
                )
                rows = cr.fetchall()
                self.assertTrue(rows)
                self.assertEqual({count for _c, _l, count in rows}, {1})
                self.assertEqual({c for c, _l, _n in rows}, set(ids))
        finally:
            with db.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["complaint.complaint"].with_context(active_test=False).browse(ids).unlink()
                cr.commit()  # pylint: disable=invalid-commit


@tagged("post_install", "-at_install", "is_query_count")
class TestEscalationQueries(EscalationCase):
    """The escalation job costs the same number of queries for 5 and for 20 complaints due."""

    def _due(self, size):
        """``size`` complaints received long ago, with a handler and a team: every level is due; nothing else is."""
        with freeze_time("2026-03-06 10:00:00"):
            complaints = self.env["complaint.complaint"].create(
                [
                    {
                        "subject": f"Due {index}",
                        "partner_id": self.partner.id,
                        "user_id": self.handler.id,
                        "team_id": self.team_a.id,
                    }
                    for index in range(size)
                ]
            )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE complaint_complaint SET date_next_escalation = NULL WHERE id NOT IN %s", [tuple(complaints.ids)]
        )
        self.env.invalidate_all()
        return complaints

    def _job_queries(self, size):
        complaints = self._due(size)
        with freeze_time("2026-04-30 10:00:00"):
            count = self.env.cr.sql_log_count
            processed = self.env["complaint.complaint"]._cron_escalate(batch_size=100)
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - count
        self.env.invalidate_all()
        self.assertEqual(processed, size)
        return complaints, queries

    def test_escalation_job_costs_a_fixed_number_of_queries(self):
        self.leader.notification_type = "inbox"  # the leader reads the notes in Odoo, the manager by e-mail
        self._job_queries(2)  # warm-up: caches, templates
        _five, queries_5 = self._job_queries(5)
        complaints, queries_20 = self._job_queries(20)
        self.assertEqual(queries_5, queries_20, "queries of the escalation job for 5 and for 20 complaints due")
        # What the batch writes is what the ORM would write, for every complaint.
        leader, manager = self.leader.partner_id, self.manager.partner_id
        for complaint in complaints:
            self.assertEqual(self._fired(complaint), self.levels)
            self.assertEqual(complaint.activity_ids.user_id, self.handler)
            self.assertIn(complaint.name, complaint.activity_ids.summary)
            self.assertIn(self.handler.partner_id, complaint.message_partner_ids, "the handler follows it")
            odoobot = self.env.ref("base.partner_root")
            for partner in (leader, manager):
                note = complaint.message_ids.filtered(
                    lambda m, p=partner, bot=odoobot: m.author_id == bot and p in m.partner_ids
                )
                self.assertEqual(len(note), 1)
                self.assertIn(complaint.name, note.body)
                self.assertEqual(note.record_name, complaint.display_name)
                self.assertEqual(note.record_company_id, complaint.company_id)
                inbox = note.notification_ids.filtered(lambda n: n.notification_type == "inbox")
                inbox_users = note.partner_ids.user_ids.filtered(lambda u: u.notification_type == "inbox")
                self.assertEqual(inbox.res_partner_id, inbox_users.partner_id)
                self.assertEqual(partner in inbox.res_partner_id, partner == leader)
            # The three levels fired together: one history line naming them.
            (step,) = complaint.step_ids.filtered(lambda s: s.action_label.startswith("Escalation"))
            self.assertEqual(step.action_label, "Escalation: " + "; ".join(self.levels.mapped("name")))
            self.assertFalse(complaint.date_next_escalation)
            # The breach flags, written with the next date in one UPDATE, as the ORM would have.
            self.assertTrue(complaint.ack_breached and complaint.response_breached and complaint.resolution_breached)
            self.assertTrue(complaint.is_breached)
