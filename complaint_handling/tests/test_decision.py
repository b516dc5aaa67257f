from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestDecision(ComplaintCase):
    def _investigating(self, **vals):
        complaint = self._create_complaint(team_id=self.team_a.id, user_id=self.handler.id, **vals)
        return self._advance(complaint, "investigating").with_user(self.handler)

    def test_decision_above_the_approval_limit_waits_for_a_manager(self):
        complaint = self._investigating()
        decision = self._create_decision(complaint, remedy_type="refund", amount=1500)
        self.assertTrue(decision.approval_required)
        complaint.action_propose_response()
        self.assertEqual(complaint.state, "response_proposed")
        self.assertEqual(decision.state, "to_approve")
        self.assertEqual(complaint.decision_state, "to_approve")

    def test_handler_cannot_approve_a_decision(self):
        complaint = self._investigating()
        decision = self._create_decision(complaint, remedy_type="refund", amount=1500)
        complaint.action_propose_response()
        with self.assertRaises(AccessError):
            decision.action_approve()
        self.assertEqual(decision.state, "to_approve")

    def test_nobody_writes_the_decision_state_directly(self):
        complaint = self._investigating()
        decision = self._create_decision(complaint, remedy_type="refund", amount=1500)
        complaint.action_propose_response()
        for user in (self.handler, self.manager):
            for state in ("approved", "communicated", "accepted"):
                with (
                    self.subTest(user=user.login, state=state),
                    self.assertRaisesText(AccessError, "change only through its process"),
                ):
                    decision.with_user(user).write({"state": state})
        self.assertEqual(decision.state, "to_approve")
        with self.assertRaisesText(AccessError, "change only through its process"):
            self._create_decision(complaint, remedy_type="refund", amount=2000, state="approved")

    def test_manager_approves_then_the_decision_can_be_communicated(self):
        complaint = self._investigating()
        decision = self._create_decision(complaint, remedy_type="compensation", amount=1500)
        complaint.action_propose_response()
        decision.with_user(self.manager).action_approve()
        self.assertRecordValues(decision, [{"state": "approved", "approved_by_id": self.manager.id}])
        self.assertTrue(decision.date_approved)
        self.assertEqual(complaint.step_ids.sorted("id")[-1].user_id, self.manager)
        complaint.action_communicate_decision()
        self.assertEqual(complaint.state, "decision_communicated")
        self.assertEqual(decision.state, "communicated")
        self.assertTrue(decision.date_communicated)

    def test_approving_a_decision_not_waiting_for_approval_is_refused(self):
        complaint = self._investigating()
        decision = self._create_decision(complaint, remedy_type="refund", amount=100)
        with self.assertRaisesText(UserError, "waiting for approval"):
            decision.with_user(self.manager).action_approve()

    def test_communicating_before_approval_is_refused(self):
        complaint = self._investigating()
        decision = self._create_decision(complaint, remedy_type="refund", amount=1500)
        complaint.action_propose_response()
        self.assertRefusedUnchanged(complaint, complaint.action_communicate_decision, UserError, message="approval")
        self.assertEqual(decision.state, "to_approve")
        self.assertFalse(decision.date_communicated)

    def test_decision_up_to_the_limit_is_approved_on_proposal(self):
        for amount in (0, 500, 1000):
            with self.subTest(amount=amount):
                complaint = self._investigating()
                decision = self._create_decision(complaint, remedy_type="refund", amount=amount)
                self.assertFalse(decision.approval_required)
                complaint.action_propose_response()
                self.assertEqual(decision.state, "approved")
                self.assertFalse(decision.approved_by_id)

    def test_no_approval_limit_means_no_approval(self):
        self.company.complaint_approval_limit = 0
        complaint = self._investigating()
        decision = self._create_decision(complaint, remedy_type="refund", amount=10**6)
        self.assertFalse(decision.approval_required)
        complaint.action_propose_response()
        self.assertEqual(decision.state, "approved")

    def test_changing_the_amount_of_a_waiting_decision_requires_a_new_approval(self):
        complaint = self._investigating()
        decision = self._create_decision(complaint, remedy_type="refund", amount=1500)
        complaint.action_propose_response()
        decision.amount = 1800
        self.assertEqual(decision.state, "to_approve")
        with self.assertRaises(AccessError):
            decision.action_approve()
        decision.with_user(self.manager).action_approve()
        self.assertRecordValues(decision, [{"state": "approved", "amount": 1800, "approved_by_id": self.manager.id}])

    def test_a_waiting_decision_lowered_within_the_limit_needs_no_approval(self):
        complaint = self._investigating()
        decision = self._create_decision(complaint, remedy_type="refund", amount=1500)
        complaint.action_propose_response()
        decision.amount = 100
        self.assertRecordValues(decision, [{"state": "approved", "approval_required": False}])
        complaint.action_communicate_decision()
        self.assertEqual(complaint.state, "decision_communicated")

    def test_approved_or_communicated_decision_cannot_be_edited(self):
        complaint = self._investigating()
        decision = self._create_decision(complaint, remedy_type="refund", amount=100)
        decision.reasons = "Draft decisions can be edited."
        complaint.action_propose_response()
        self.assertEqual(decision.state, "approved")
        for field, value in (("amount", 200), ("remedy_type", "repair"), ("reasons", "Changed")):
            with self.subTest(state="approved", field=field), self.assertRaisesText(UserError, "cannot be changed"):
                decision.write({field: value})
        complaint.action_communicate_decision()
        with self.assertRaisesText(UserError, "cannot be changed"):
            decision.with_user(self.manager).amount = 50
        self.assertEqual(decision.amount, 100)

    def test_negative_amount_is_refused(self):
        complaint = self._investigating()
        with self.assertRaisesText(ValidationError, "negative"):
            self._create_decision(complaint, remedy_type="refund", amount=-10)

    def test_amount_on_a_non_monetary_remedy_is_refused(self):
        complaint = self._investigating()
        for remedy in ("apology", "explanation", "no_action"):
            with self.subTest(remedy=remedy), self.assertRaisesText(ValidationError, "has no amount"):
                self._create_decision(complaint, remedy_type=remedy, amount=10)
        decision = self._create_decision(complaint, remedy_type="apology")
        with self.assertRaisesText(ValidationError, "has no amount"):
            decision.amount = 5

    def test_proposing_a_new_decision_supersedes_the_open_ones(self):
        complaint = self._advance(self._investigating(), "response_proposed")
        first = complaint.decision_id
        self.assertEqual(first.state, "approved")
        complaint.action_start_investigation()
        abandoned_draft = self._create_decision(complaint, remedy_type="apology")
        second = self._create_decision(complaint, remedy_type="replacement", amount=80)
        self.assertEqual(complaint.decision_id, second)
        complaint.action_propose_response()
        self.assertEqual(first.state, "cancelled")
        self.assertEqual(abandoned_draft.state, "cancelled")
        self.assertEqual(second.state, "approved")
        self.assertEqual(complaint.decision_id, second)

    def test_new_decision_after_a_communicated_one_keeps_the_communicated_one(self):
        complaint = self._advance(self._investigating(), "decision_communicated")
        first = complaint.decision_id
        second = self._create_decision(complaint, remedy_type="refund", amount=20)
        complaint.action_propose_response()
        self.assertEqual(first.state, "communicated")
        self.assertEqual(second.state, "approved")
        self.assertEqual(complaint.decision_id, second)

    def test_recording_a_rejection_requires_its_reason(self):
        complaint = self._advance(self._investigating(), "decision_communicated")
        decision = complaint.decision_id
        self.assertRefusedUnchanged(complaint, complaint.action_record_rejection, UserError, message="rejects")
        self.assertEqual(decision.state, "communicated")
        decision.rejection_reason = "Not enough."
        complaint.action_record_rejection()
        self.assertEqual(decision.state, "rejected")
        self.assertTrue(decision.date_response)
        self.assertEqual(complaint.state, "decision_communicated")
        self.assertEqual(complaint.step_ids.sorted("id")[-1].note, "Not enough.")

    def test_acceptance_needs_a_communicated_decision_and_allows_closing(self):
        complaint = self._advance(self._investigating(), "response_proposed")
        with self.assertRaisesText(UserError, "no communicated decision"):
            complaint.action_record_acceptance()
        complaint.action_communicate_decision()
        complaint.action_record_acceptance()
        self.assertEqual(complaint.decision_id.state, "accepted")
        self.assertTrue(complaint.decision_id.date_response)
        with self.assertRaisesText(UserError, "no communicated decision"):
            complaint.action_record_acceptance()
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")

    def test_only_draft_decisions_can_be_deleted(self):
        complaint = self._investigating()
        draft = self._create_decision(complaint)
        draft.unlink()
        self.assertFalse(draft.exists())
        decision = self._create_decision(complaint)
        complaint.action_propose_response()
        with self.assertRaisesText(UserError, "Only draft decisions"):
            decision.unlink()
