from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestReopen(ComplaintCase):
    def test_reopen_keeps_the_history_and_clears_the_closure(self):
        complaint = self._advance(self._create_complaint(), "decision_communicated")
        complaint.closing_reason = "No answer after two reminders."
        complaint.action_close()
        self.assertTrue(complaint.date_closed)
        steps_before = complaint.step_ids
        decisions_before = complaint.decision_ids
        decision_states = decisions_before.mapped("state")

        complaint.action_reopen(reason="The complainant answered after all.")

        self.assertEqual(complaint.state, "reopened")
        self.assertFalse(complaint.is_done)
        self.assertEqual(complaint.reopen_count, 1)
        self.assertFalse(complaint.date_closed)
        self.assertFalse(complaint.closing_reason)
        self.assertLess(steps_before, complaint.step_ids, "earlier steps are kept")
        self.assertEqual(len(complaint.step_ids), len(steps_before) + 1)
        self.assertEqual(complaint.decision_ids, decisions_before)
        self.assertEqual(complaint.decision_ids.mapped("state"), decision_states)
        step = complaint.step_ids.sorted("id")[-1]
        self.assertRecordValues(
            step,
            [
                {
                    "state_from": "closed",
                    "state_to": "reopened",
                    "note": "The complainant answered after all.",
                    "user_id": self.manager.id,
                }
            ],
        )
        self.assertIn("The complainant answered after all.", self._chatter_transitions(complaint).sorted("id")[-1].body)

    def test_reopened_complaint_can_be_closed_again_and_reopened_again(self):
        complaint = self._advance(self._create_complaint(), "closed")
        complaint.action_reopen(reason="Leaks again.")
        self.assertRefusedUnchanged(complaint, complaint.action_close, UserError, message="it cannot go to")
        self._advance(complaint, "closed")
        self.assertTrue(complaint.date_closed)
        self.assertEqual(len(complaint.decision_ids), 2)
        self.assertEqual(complaint.decision_ids.mapped("state"), ["accepted", "accepted"])
        complaint.action_reopen(reason="Leaks a third time.")
        self.assertEqual(complaint.reopen_count, 2)
        reopen_steps = complaint.step_ids.filtered(lambda s: s.state_to == "reopened")
        self.assertEqual(sorted(reopen_steps.mapped("note")), ["Leaks a third time.", "Leaks again."])

    def test_rejected_and_withdrawn_complaints_can_be_reopened(self):
        rejected = self._advance(self._create_complaint(), "rejected")
        withdrawn = self._advance(self._create_complaint(), "withdrawn")
        self.assertEqual(withdrawn.closing_reason, "Reason to be withdrawn")
        (rejected | withdrawn).action_reopen(reason="Reviewed again.")
        self.assertEqual((rejected | withdrawn).mapped("state"), ["reopened", "reopened"])
        self.assertFalse(withdrawn.closing_reason)
        self.assertEqual((rejected | withdrawn).mapped("reopen_count"), [1, 1])

    def test_only_done_complaints_can_be_reopened(self):
        complaint = self._advance(self._create_complaint(), "investigating")
        self.assertRefusedUnchanged(
            complaint, lambda: complaint.action_reopen(reason="Why not."), UserError, message="it cannot go to"
        )
        self.assertEqual(complaint.reopen_count, 0)
