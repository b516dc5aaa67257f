"""Objectivity (ISO 10002 4.6): whom a complaint is about is not changed by the people it is about, and every
change of it is in the step history."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import ComplaintCase
from .security_matrix import SecurityCaseMixin, attack_context


@tagged("post_install", "-at_install")
class TestObjectivityFields(HttpCase, ComplaintCase, SecurityCaseMixin):
    def setUp(self):
        super().setUp()
        # About handler2 and about team B; handled by team A's leader.
        self.complaint = self._create_complaint(
            category_id=self.category_team_a.id,
            user_id=self.leader.id,
            subject_user_ids=[Command.set(self.handler2.ids)],
            subject_team_id=self.team_b.id,
        )

    def test_a_handler_complained_about_cannot_change_whom_it_is_about(self):
        for vals in (
            {"subject_user_ids": [Command.clear()]},
            {"subject_user_ids": [Command.unlink(self.handler2.id)]},
            {"subject_team_id": False},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    self.call_kw(
                        self.handler2,
                        "complaint.complaint",
                        "write",
                        [self.complaint.ids, vals],
                        {"context": attack_context()},
                    ),
                    "is about you or your team",
                )
        self.complaint.invalidate_recordset()
        self.assertEqual(self.complaint.subject_user_ids, self.handler2)
        self.assertEqual(self.complaint.subject_team_id, self.team_b)

    def test_a_member_of_the_team_complained_about_cannot_change_it(self):
        # handler_b belongs to team B; the complaint is visible to them only as an unassigned-team... so
        # make it readable: no team, the rule of handlers shows complaints without a team.
        self.complaint.with_user(self.manager).write({"team_id": False, "user_id": False})
        with self.assertRaisesText(AccessError, "is about you or your team"):
            self.complaint.with_user(self.handler_b).write({"subject_team_id": self.team_a.id})
        self.assertEqual(self.complaint.subject_team_id, self.team_b)

    def test_every_change_of_whom_it_is_about_is_a_step(self):
        steps = len(self.complaint.step_ids)
        self.complaint.with_user(self.leader).write({"subject_user_ids": [Command.link(self.user2.id)]})
        self.complaint.with_user(self.manager).write({"subject_team_id": False})
        new_steps = self.complaint.step_ids.sorted("id")[steps:]
        self.assertEqual(len(new_steps), 2)
        self.assertEqual(set(new_steps.mapped("action_label")), {"Persons or team complained about changed"})
        self.assertIn("→", new_steps[0].note)
        self.assertIn(self.user2.name, new_steps[0].note)
        self.assertIn("Team B", new_steps[1].note.split("→")[0])
        self.assertNotIn("Team B", new_steps[1].note.split("→")[1])
        self.assertEqual(new_steps.mapped("user_id"), self.leader | self.manager)
