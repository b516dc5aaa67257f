from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestObjectivity(ComplaintCase):
    def test_handler_complained_about_is_refused(self):
        with self.assertRaisesText(ValidationError, "the complaint is about them"):
            self._create_complaint(user_id=self.handler.id, subject_user_ids=[Command.set(self.handler.ids)])

    def test_naming_the_handler_as_subject_later_is_refused(self):
        complaint = self._create_complaint(user_id=self.handler.id)
        with self.assertRaisesText(ValidationError, "the complaint is about them"):
            complaint.subject_user_ids = self.handler
        self.assertFalse(complaint.subject_user_ids)

    def test_handler_member_of_the_team_complained_about_is_refused(self):
        complaint = self._create_complaint(subject_team_id=self.team_a.id, team_id=self.team_b.id)
        with self.assertRaisesText(ValidationError, "belong to the team it is about"):
            complaint.user_id = self.handler2
        self.assertFalse(complaint.user_id)

    def test_leader_of_the_team_complained_about_is_refused_as_handler(self):
        with self.assertRaisesText(ValidationError, "belong to the team it is about"):
            self._create_complaint(subject_team_id=self.team_a.id, team_id=self.team_b.id, user_id=self.leader.id)

    def test_complaint_cannot_be_assigned_to_the_team_it_is_about(self):
        with self.assertRaisesText(ValidationError, "assign it to another team"):
            self._create_complaint(subject_team_id=self.team_a.id, team_id=self.team_a.id)
        # Category default team = the team complained about: refused as well.
        with self.assertRaisesText(ValidationError, "assign it to another team"):
            self._create_complaint(subject_team_id=self.team_a.id, category_id=self.category_team_a.id)

    def test_unrelated_handler_and_team_are_accepted(self):
        complaint = self._create_complaint(
            subject_user_ids=[Command.set(self.handler.ids)],
            subject_team_id=self.team_a.id,
            team_id=self.team_b.id,
            user_id=self.handler_b.id,
        )
        self.assertEqual(complaint.user_id, self.handler_b)
        complaint.subject_user_ids |= self.handler2
        self.assertEqual(complaint.subject_user_ids, self.handler | self.handler2)

    def test_joining_the_team_complained_about_is_refused_to_its_complaints_handler(self):
        complaint = self._create_complaint(
            team_id=self.team_a.id, user_id=self.handler.id, subject_team_id=self.team_b.id
        )
        with self.assertRaisesText(ValidationError, "they belong to the team it is about"):
            self.team_b.member_ids = [Command.link(self.handler.id)]
        self.assertNotIn(self.handler, self.team_b.member_ids)
        self.assertEqual(complaint.user_id, self.handler)
        with self.assertRaisesText(ValidationError, "they belong to the team it is about"):
            self.team_b.leader_id = self.handler
        self.assertFalse(self.team_b.leader_id)
