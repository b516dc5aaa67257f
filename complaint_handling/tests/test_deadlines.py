from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError

from .common import ComplaintCase


class TimelinessCase(ComplaintCase):
    """A working calendar Monday-Friday 8-12 and 13-17 (UTC) and a default policy 8 / 40 / 80 working hours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Complaint Test Calendar", "tz": "UTC", "company_id": cls.company.id}
        )
        cls.env["complaint.escalation.level"].search([]).active = False
        Policy = cls.env["complaint.policy"]
        cls.policy_default = Policy.create(
            {
                "name": "Test default",
                "sequence": 1,
                "company_id": cls.company.id,
                "calendar_id": cls.calendar.id,
                "ack_hours": 8,
                "first_response_hours": 40,
                "resolution_hours": 80,
            }
        )
        cls.env["complaint.policy"].search([("id", "!=", cls.policy_default.id)]).active = False

    def _complaint(self, **vals):
        vals.setdefault("user_id", self.handler.id)
        vals.setdefault("team_id", self.team_a.id)
        return self._create_complaint(**vals)


class TestDeadlines(TimelinessCase):
    @freeze_time("2026-03-06 10:00:00")  # a Friday
    def test_deadlines_are_counted_in_working_hours_across_the_weekend(self):
        complaint = self._complaint()
        self.assertEqual(complaint.policy_id, self.policy_default)
        self.assertEqual(complaint.date_ack_deadline, datetime(2026, 3, 9, 10, 0))  # Monday
        self.assertEqual(complaint.date_response_deadline, datetime(2026, 3, 13, 10, 0))
        self.assertEqual(complaint.date_deadline, datetime(2026, 3, 20, 10, 0))

    @freeze_time("2026-03-06 10:00:00")
    def test_public_holidays_of_the_calendar_are_skipped(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "resource_id": False,
                "date_from": "2026-03-09 00:00:00",
                "date_to": "2026-03-09 23:59:59",
            }
        )
        complaint = self._complaint()
        self.assertEqual(complaint.date_ack_deadline, datetime(2026, 3, 10, 10, 0))  # Tuesday
        self.assertEqual(complaint.date_deadline, datetime(2026, 3, 23, 10, 0))

    @freeze_time("2026-03-06 17:30:00")
    def test_received_outside_working_hours_starts_on_the_next_working_day(self):
        complaint = self._complaint()
        self.assertEqual(complaint.date_ack_deadline, datetime(2026, 3, 9, 17, 0))  # Monday, a full day
        self.assertEqual(complaint.date_response_deadline, datetime(2026, 3, 13, 17, 0))

    def test_pause_moves_the_open_deadlines_by_the_paused_working_time(self):
        with freeze_time("2026-03-06 10:00:00"):
            complaint = self._complaint()
        with freeze_time("2026-03-09 09:00:00"):
            complaint.with_user(self.handler).action_pause(reason="Asked the complainant for the invoice")
            self.assertTrue(complaint.is_paused)
        with freeze_time("2026-03-10 09:00:00"):  # Monday 9-12, 13-17 and Tuesday 8-9: 8 working hours
            complaint.with_user(self.handler).action_resume()
        self.assertFalse(complaint.is_paused)
        self.assertEqual(complaint.paused_hours, 8.0)
        self.assertEqual(complaint.pause_ids.hours, 8.0)
        self.assertEqual(complaint.pause_ids.reason, "Asked the complainant for the invoice")
        self.assertEqual(complaint.date_ack_deadline, datetime(2026, 3, 10, 10, 0))
        self.assertEqual(complaint.date_deadline, datetime(2026, 3, 23, 10, 0))
        self.assertEqual(complaint.extension_hours, 0.0)
        self.assertIn("resumed", complaint.step_ids.mapped("action"))
        # The shift survives a recomputation of the deadlines (e.g. a new policy is chosen).
        complaint.policy_id = False
        complaint.policy_id = self.policy_default
        self.assertEqual(complaint.date_deadline, datetime(2026, 3, 23, 10, 0))

    def test_a_deadline_already_passed_at_the_pause_does_not_move(self):
        with freeze_time("2026-03-06 10:00:00"):
            complaint = self._complaint()
        with freeze_time("2026-03-09 11:00:00"):  # acknowledgement due at 10:00
            complaint.with_user(self.handler).action_pause(reason="Waiting")
            self.assertTrue(complaint.ack_breached)
        with freeze_time("2026-03-10 11:00:00"):
            complaint.with_user(self.handler).action_resume()
        self.assertEqual(complaint.date_ack_deadline, datetime(2026, 3, 9, 10, 0))
        self.assertEqual(complaint.date_deadline, datetime(2026, 3, 23, 10, 0))

    def test_extension_moves_the_deadline_and_is_counted_apart(self):
        with freeze_time("2026-03-06 10:00:00"):
            complaint = self._complaint()
            with self.assertRaises(UserError):
                complaint.with_user(self.handler)._extend("resolution", 16, " ")
            with self.assertRaises(AccessError):
                complaint.with_user(self.user)._extend("resolution", 16, "Expert report")
            wizard = (
                self.env["complaint.timeliness.wizard"]
                .with_user(self.handler)
                .create(
                    {
                        "complaint_ids": [Command.set(complaint.ids)],
                        "mode": "extend",
                        "target": "resolution",
                        "hours": 16,
                        "reason": "Waiting for the expert report",
                    }
                )
            )
            wizard.action_confirm()
        self.assertEqual(complaint.date_deadline, datetime(2026, 3, 24, 10, 0))
        self.assertEqual(complaint.date_ack_deadline, datetime(2026, 3, 9, 10, 0))
        self.assertEqual(complaint.extension_hours, 16.0)
        self.assertEqual(complaint.paused_hours, 0.0)
        self.assertEqual(complaint.extension_ids.reason, "Waiting for the expert report")
        self.assertEqual(complaint.extension_ids.user_id, self.handler)

    def test_only_handlers_pause(self):
        complaint = self._complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.user).action_pause(reason="Waiting")
        self.assertFalse(complaint.is_paused)
        with self.assertRaises(UserError):
            complaint.with_user(self.user).write({"is_paused": True})


class TestPolicyMatching(TimelinessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Policy = cls.env["complaint.policy"]
        common = {"company_id": cls.company.id, "calendar_id": cls.calendar.id, "ack_hours": 4}
        cls.policy_category = Policy.create({"name": "Products", "category_id": cls.category_parent.id, **common})
        cls.policy_category_severity = Policy.create(
            {
                "name": "Products high",
                "category_id": cls.category_parent.id,
                "severity_id": cls.severity_high.id,
                **common,
            }
        )
        cls.policy_full = Policy.create(
            {
                "name": "Team A defect high",
                "category_id": cls.category.id,
                "severity_id": cls.severity_high.id,
                "team_id": cls.team_a.id,
                "sequence": 50,
                **common,
            }
        )
        cls.policy_c2 = Policy.create({"name": "Company 2 default", "company_id": cls.company2.id, "ack_hours": 2})

    def test_most_specific_policy_wins(self):
        cases = [
            ({}, self.policy_default),
            ({"category_id": self.category.id}, self.policy_category),  # subcategory of the policy's category
            ({"category_id": self.category.id, "severity_id": self.severity.id}, self.policy_category),
            ({"category_id": self.category.id, "severity_id": self.severity_high.id}, self.policy_category_severity),
            (
                {"category_id": self.category.id, "severity_id": self.severity_high.id, "team_id": self.team_a.id},
                self.policy_full,
            ),
            (
                {"category_id": self.category.id, "severity_id": self.severity_high.id, "team_id": self.team_b.id},
                self.policy_category_severity,
            ),
        ]
        for vals, policy in cases:
            with self.subTest(vals=vals):
                self.assertEqual(self._create_complaint(**vals).policy_id, policy)
        # A later assessment chooses the policy again.
        complaint = self._create_complaint()
        complaint.write({"category_id": self.category.id, "severity_id": self.severity_high.id})
        self.assertEqual(complaint.policy_id, self.policy_category_severity)

    def test_ties_are_broken_by_sequence_and_archived_policies_ignored(self):
        earlier = self.env["complaint.policy"].create(
            {"name": "Products (first)", "category_id": self.category_parent.id, "sequence": 1}
        )
        self.assertEqual(self._create_complaint(category_id=self.category.id).policy_id, earlier)
        earlier.active = False
        self.assertEqual(self._create_complaint(category_id=self.category.id).policy_id, self.policy_category)

    def test_falls_back_to_the_default_policy_of_the_complaint_company(self):
        complaint = self._create_complaint(
            user=self.handler_c2, company_id=self.company2.id, team_id=self.team_c2.id, category_id=self.category.id
        )
        self.assertEqual(complaint.policy_id, self.policy_c2)

    def test_promise_sets_the_policy_target(self):
        promise = self.env["complaint.promise"].create(
            {"name": "We answer within 2 working days", "target": "first_response", "hours": 16, "published": True}
        )
        self.policy_default.promise_ids = [Command.link(promise.id)]
        self.assertEqual(self.policy_default.first_response_hours, 16.0)
        self.assertEqual(self.policy_default.ack_hours, 8.0, "targets without a promise keep their hours")
        promise.hours = 24
        self.assertEqual(self.policy_default.first_response_hours, 24.0)


class TestBreaches(TimelinessCase):
    def test_late_acknowledgement_is_marked_at_the_transition(self):
        with freeze_time("2026-03-06 10:00:00"):
            on_time, late = self._complaint() | self._complaint()
        with freeze_time("2026-03-09 09:00:00"):
            on_time.with_user(self.handler).action_acknowledge()
        with freeze_time("2026-03-09 11:00:00"):
            late.with_user(self.handler).action_acknowledge()
        self.assertFalse(on_time.ack_breached)
        self.assertTrue(late.ack_breached)
        self.assertFalse(late.response_breached or late.resolution_breached)
        self.assertTrue(late.is_breached)

    def test_breach_flags_are_set_once_and_survive_reopening(self):
        with freeze_time("2026-03-06 10:00:00"):
            complaint = self._complaint()
            self._advance(complaint.with_user(self.handler), "decision_communicated")
            self.assertFalse(complaint.is_breached)
            self.assertTrue(complaint.date_first_response)
        with freeze_time("2026-04-06 10:00:00"):  # after the resolution deadline
            self._advance(complaint.with_user(self.handler), "closed")
            self.assertTrue(complaint.resolution_breached)
            self.assertFalse(complaint.response_breached, "the decision was communicated in time")
            self._advance(complaint.with_user(self.handler), "reopened")
            self.assertTrue(complaint.resolution_breached)
            # Even more time and a second closing: still one breach, still set.
            complaint.with_user(self.handler)._extend("resolution", 400, "Reopened: new analysis")
            self.assertTrue(complaint.resolution_breached)
        steps = complaint.step_ids.filtered(lambda s: s.action_label == "Closed")
        self.assertEqual(len(steps), 1)


class TestNewCompanyPolicy(ComplaintCase):
    def test_a_new_company_gets_the_default_policy_and_its_promises(self):
        company = self.env["res.company"].create({"name": "Complaint Newco"})
        policy = self.env["complaint.policy"].search([("company_id", "=", company.id)])
        self.assertEqual(len(policy), 1)
        self.assertEqual(policy.calendar_id, company.resource_calendar_id)
        self.assertEqual(len(policy.promise_ids), 3)
        self.assertEqual(policy.promise_ids.company_id, company)
        complaint = self.env["complaint.complaint"].create(
            {"subject": "First complaint of a new company", "partner_id": self.partner.id, "company_id": company.id}
        )
        self.assertEqual(complaint.policy_id, policy)
        self.assertTrue(complaint.date_ack_deadline and complaint.date_deadline)
