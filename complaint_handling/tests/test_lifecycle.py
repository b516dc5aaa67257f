import contextlib

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..models.complaint_complaint import TRANSITIONS
from ..models.complaint_stage import COMPLAINT_STATES
from .common import ComplaintCase

STATES = [state for state, _label in COMPLAINT_STATES]


@tagged("post_install", "-at_install")
class TestLifecycle(ComplaintCase):
    def _stage(self, state):
        return self.env["complaint.stage"].search([("state", "=", state)], limit=1)

    def test_every_allowed_transition_succeeds_through_its_action(self):
        for state_from, targets in TRANSITIONS.items():
            complaint = self._advance(self._create_complaint(), state_from)
            for state_to in targets:
                with self.subTest(state_from=state_from, state_to=state_to):
                    with contextlib.closing(self.env.cr.savepoint()):
                        self._prepare(complaint, state_to)
                        steps_before = len(complaint.step_ids)
                        self._do(complaint, state_to)
                        self.assertEqual(complaint.state, state_to)
                        self.assertEqual(complaint.stage_id.state, state_to)
                        self.assertEqual(len(complaint.step_ids), steps_before + 1)
                        step = complaint.step_ids.sorted("id")[-1]
                        self.assertRecordValues(
                            step,
                            [{"state_from": state_from, "state_to": state_to, "user_id": self.manager.id}],
                        )
                    complaint.invalidate_recordset()

    def test_every_transition_outside_the_table_is_refused_and_changes_nothing(self):
        refused_count = 0
        for state_from in STATES:
            complaint = self._advance(self._create_complaint(), state_from)
            for state_to in STATES:
                if state_to in TRANSITIONS[state_from] or state_to == state_from == "received":
                    continue
                refused_count += 1
                with self.subTest(state_from=state_from, state_to=state_to):
                    with contextlib.closing(self.env.cr.savepoint()):
                        if state_to == "received":
                            # No button leads back to "received": only a stage can be chosen.
                            stage = self._stage("received")
                            self.assertRefusedUnchanged(
                                complaint, lambda c=complaint, s=stage: c.write({"stage_id": s.id}), UserError
                            )
                            continue
                        # Even with everything the target state needs, the table refuses.
                        self._prepare(complaint, state_to)
                        self.assertRefusedUnchanged(
                            complaint,
                            lambda c=complaint, s=state_to: self._do(c, s),
                            UserError,
                            message="it cannot go to",
                        )
                    complaint.invalidate_recordset()
        # 11 states x 11 targets, minus the allowed transitions and received -> received (no transition).
        self.assertEqual(refused_count, 121 - sum(len(targets) for targets in TRANSITIONS.values()) - 1)

    def test_refused_transition_in_a_batch_changes_no_record_of_the_batch(self):
        ready = self._advance(self._create_complaint(), "acknowledged")
        late = self._advance(self._create_complaint(), "investigating")
        self._prepare(ready, "assessed")
        batch = ready | late
        self.assertRefusedUnchanged(ready, batch.action_assess, UserError, message="it cannot go to")
        self.assertEqual(late.state, "investigating")

    # ------------------------------------------------------------ prerequisites

    def test_assess_requires_category_and_severity(self):
        complaint = self._advance(self._create_complaint(), "acknowledged")
        complaint.write({"scope_decision": "in_scope", "severity_id": self.severity.id})
        self.assertRefusedUnchanged(complaint, complaint.action_assess, UserError, message="category")
        complaint.write({"category_id": self.category.id, "severity_id": False})
        self.assertRefusedUnchanged(complaint, complaint.action_assess, UserError, message="severity")
        complaint.severity_id = self.severity
        complaint.action_assess()
        self.assertEqual(complaint.state, "assessed")
        self.assertTrue(complaint.date_assessed)

    def test_assess_requires_the_complaint_in_scope(self):
        complaint = self._advance(self._create_complaint(), "acknowledged")
        complaint.write({"category_id": self.category.id, "severity_id": self.severity.id})
        self.assertRefusedUnchanged(complaint, complaint.action_assess, UserError, message="in scope")
        complaint.scope_decision = "out_of_scope"
        self.assertRefusedUnchanged(complaint, complaint.action_assess, UserError, message="in scope")

    def test_reject_requires_out_of_scope_and_a_reason(self):
        complaint = self._create_complaint()
        self.assertRefusedUnchanged(complaint, complaint.action_reject, UserError, message="out of scope")
        complaint.scope_decision = "out_of_scope"
        self.assertRefusedUnchanged(complaint, complaint.action_reject, UserError, message="reason")
        complaint.scope_reason = "A suggestion, not a complaint."
        complaint.action_reject()
        self.assertEqual(complaint.state, "rejected")
        self.assertTrue(complaint.is_done)

    def test_investigation_requires_a_handler(self):
        complaint = self._advance(self._create_complaint(), "assessed")
        self.assertFalse(complaint.user_id)
        self.assertRefusedUnchanged(
            complaint, complaint.action_start_investigation, UserError, message="assign a responsible handler"
        )
        complaint.user_id = self.handler
        complaint.action_start_investigation()
        self.assertEqual(complaint.state, "investigating")

    def test_propose_requires_a_draft_decision(self):
        complaint = self._advance(self._create_complaint(), "investigating")
        self.assertRefusedUnchanged(complaint, complaint.action_propose_response, UserError, message="new decision")
        decision = self._create_decision(complaint)
        complaint.action_propose_response()
        self.assertEqual(complaint.state, "response_proposed")
        self.assertEqual(decision.state, "approved")

    def test_communicate_refused_while_decision_waits_for_approval(self):
        complaint = self._advance(self._create_complaint(), "investigating")
        decision = self._create_decision(complaint, remedy_type="refund", amount=5000)
        complaint.action_propose_response()
        self.assertEqual(decision.state, "to_approve")
        self.assertRefusedUnchanged(
            complaint, complaint.action_communicate_decision, UserError, message="approval limit"
        )
        self.assertEqual(decision.state, "to_approve")

    def test_escalation_requires_its_kind(self):
        complaint = self._advance(self._create_complaint(), "investigating")
        self.assertRefusedUnchanged(complaint, complaint.action_escalate, UserError, message="kind of escalation")
        complaint.escalation_type = "external"
        complaint.action_escalate()
        self.assertEqual(complaint.state, "escalated")

    def test_close_requires_a_communicated_decision(self):
        # Escalated straight from the investigation: no decision yet.
        complaint = self._advance(self._create_complaint(), "investigating")
        complaint.write({"escalation_type": "internal_review", "closing_reason": "Nothing to add."})
        complaint.action_escalate()
        self.assertRefusedUnchanged(
            complaint, complaint.action_close, UserError, message="communicate a decision before closing"
        )

    def test_close_without_acceptance_requires_a_closing_reason(self):
        complaint = self._advance(self._create_complaint(), "decision_communicated")
        self.assertEqual(complaint.decision_id.state, "communicated")
        self.assertRefusedUnchanged(complaint, complaint.action_close, UserError, message="closing reason")
        complaint.closing_reason = "No answer after two reminders."
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(complaint.date_closed)
        self.assertEqual(complaint.step_ids.sorted("id")[-1].note, "No answer after two reminders.")

    def test_close_after_acceptance_needs_no_closing_reason(self):
        complaint = self._advance(self._create_complaint(), "decision_communicated")
        complaint.action_record_acceptance()
        self.assertEqual(complaint.decision_id.state, "accepted")
        self.assertFalse(complaint.closing_reason)
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(complaint.is_done)

    def test_withdraw_requires_a_reason(self):
        complaint = self._advance(self._create_complaint(), "investigating")
        for reason in ("", "   "):
            self.assertRefusedUnchanged(
                complaint, lambda r=reason: complaint.action_withdraw(reason=r), UserError, message="reason"
            )
        complaint.action_withdraw(reason="Solved with the shop directly.")
        self.assertEqual(complaint.state, "withdrawn")
        self.assertEqual(complaint.closing_reason, "Solved with the shop directly.")
        self.assertEqual(complaint.step_ids.sorted("id")[-1].note, "Solved with the shop directly.")

    def test_reopen_requires_a_reason(self):
        complaint = self._advance(self._create_complaint(), "closed")
        self.assertRefusedUnchanged(complaint, lambda: complaint.action_reopen(reason=""), UserError, message="reason")
        complaint.action_reopen(reason="The kettle leaks again.")
        self.assertEqual(complaint.state, "reopened")

    def test_button_without_reason_opens_the_reason_wizard_which_takes_the_step(self):
        complaint = self._advance(self._create_complaint(), "assessed")
        action = complaint.action_withdraw()
        self.assertEqual(action["res_model"], "complaint.reason.wizard")
        self.assertEqual(complaint.state, "assessed", "opening the wizard changes nothing")
        wizard_form = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
        wizard_form.reason = "The customer found a solution."
        wizard_form.save().action_confirm()
        self.assertEqual(complaint.state, "withdrawn")
        self.assertEqual(complaint.step_ids.sorted("id")[-1].note, "The customer found a solution.")

        action = complaint.action_reopen()
        self.assertEqual(action["context"]["default_action"], "reopen")
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({"reason": "New facts."})
        wizard.action_confirm()
        self.assertEqual(complaint.state, "reopened")

    # ---------------------------------------------------------- direct writes

    def test_writing_the_state_directly_is_refused(self):
        complaint = self._create_complaint()
        for field, value in (("state", "closed"), ("date_closed", "2024-01-01 00:00:00"), ("reopen_count", 3)):
            with self.subTest(field=field):
                self.assertRefusedUnchanged(
                    complaint,
                    lambda f=field, v=value: complaint.write({f: v}),
                    AccessError,
                    message="change only through its process",
                )
        self.assertFalse(complaint.date_closed)

    def test_a_new_complaint_cannot_be_created_in_another_state(self):
        with self.assertRaisesText(AccessError, "change only through its process"):
            self._create_complaint(state="closed")
        with self.assertRaisesText(UserError, "starts in a stage of the state Received"):
            self._create_complaint(stage_id=self._stage("closed").id)

    # ------------------------------------------------------------- kanban drag

    def test_drag_to_a_stage_of_a_refused_state_raises(self):
        complaint = self._create_complaint()
        stage = self._stage("closed")
        self.assertRefusedUnchanged(
            complaint, lambda: complaint.write({"stage_id": stage.id}), UserError, message="it cannot go to"
        )

    def test_drag_to_an_allowed_state_checks_its_rules_and_logs_a_step(self):
        complaint = self._advance(self._create_complaint(), "acknowledged")
        assessed = self._stage("assessed")
        self.assertRefusedUnchanged(
            complaint, lambda: complaint.write({"stage_id": assessed.id}), UserError, message="category"
        )
        self._prepare(complaint, "assessed")
        steps = len(complaint.step_ids)
        complaint.write({"stage_id": assessed.id})
        self.assertEqual(complaint.state, "assessed")
        self.assertEqual(complaint.stage_id, assessed)
        self.assertTrue(complaint.date_assessed)
        self.assertEqual(len(complaint.step_ids), steps + 1)
        self.assertRecordValues(
            complaint.step_ids.sorted("id")[-1], [{"state_from": "acknowledged", "state_to": "assessed"}]
        )

    def test_drag_to_decision_communicated_marks_the_decision_communicated(self):
        complaint = self._advance(self._create_complaint(), "response_proposed")
        complaint.write({"stage_id": self._stage("decision_communicated").id})
        self.assertEqual(complaint.state, "decision_communicated")
        self.assertEqual(complaint.decision_id.state, "communicated")
        self.assertTrue(complaint.decision_id.date_communicated)
        complaint.action_record_acceptance()
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")

    def test_drag_to_response_proposed_sends_a_decision_above_the_limit_for_approval(self):
        complaint = self._advance(self._create_complaint(), "investigating")
        decision = self._create_decision(complaint, remedy_type="refund", amount=5000)
        complaint.write({"stage_id": self._stage("response_proposed").id})
        self.assertEqual(complaint.state, "response_proposed")
        self.assertEqual(decision.state, "to_approve")

    def test_drag_to_withdrawn_is_refused_as_it_needs_a_reason(self):
        complaint = self._advance(self._create_complaint(), "assessed")
        self.assertRefusedUnchanged(
            complaint,
            lambda: complaint.write({"stage_id": self._stage("withdrawn").id}),
            UserError,
            message="give the reason",
        )

    def test_drag_to_another_stage_of_the_same_state_only_moves_the_card(self):
        complaint = self._create_complaint()
        waiting = self.env["complaint.stage"].create({"name": "New - waiting info", "state": "received"})
        steps = len(complaint.step_ids)
        messages = len(self._chatter_transitions(complaint))
        complaint.write({"stage_id": waiting.id})
        self.assertEqual(complaint.stage_id, waiting)
        self.assertEqual(complaint.state, "received")
        self.assertEqual(len(complaint.step_ids), steps)
        self.assertEqual(len(self._chatter_transitions(complaint)), messages)

    def test_transition_uses_the_stage_dragged_to(self):
        complaint = self._create_complaint()
        second = self.env["complaint.stage"].create({"name": "Acknowledged by phone", "state": "acknowledged"})
        complaint.write({"stage_id": second.id})
        self.assertEqual(complaint.state, "acknowledged")
        self.assertEqual(complaint.stage_id, second)

    # --------------------------------------------------------------- history

    def test_each_step_records_who_when_from_to_and_a_chatter_message(self):
        complaint = self._create_complaint(user=self.handler, team_id=self.team_a.id, user_id=self.handler.id)
        self.assertRecordValues(
            complaint.step_ids,
            [{"action": "received", "state_to": "received", "user_id": self.handler.id, "handler_id": self.handler.id}],
        )
        expected = [
            ("received", "acknowledged", "Acknowledged"),
            ("acknowledged", "assessed", "Assessed"),
            ("assessed", "investigating", "Investigation started"),
        ]
        for state_from, state_to, action in expected:
            self._prepare(complaint, state_to)
            messages = len(self._chatter_transitions(complaint))
            self._do(complaint, state_to)
            step = complaint.step_ids.sorted("id")[-1]
            self.assertRecordValues(
                step,
                [
                    {
                        "action_label": action,
                        "action": state_to,
                        "state_from": state_from,
                        "state_to": state_to,
                        "user_id": self.handler.id,
                        "stage_id": complaint.stage_id.id,
                        "handler_id": self.handler.id,
                        "team_id": self.team_a.id,
                    }
                ],
            )
            self.assertTrue(step.date)
            chatter = self._chatter_transitions(complaint)
            self.assertEqual(len(chatter), messages + 1, "one chatter message per transition")
            self.assertIn(complaint._state_label(state_to), chatter.sorted("id")[-1].body)
        self.assertEqual(complaint.acknowledgement_method, "email")

    def test_acknowledgement_method_follows_the_channel_unless_set(self):
        by_phone = self._create_complaint(channel="phone")
        by_web = self._create_complaint(channel="web", acknowledgement_method="letter")
        (by_phone | by_web).action_acknowledge()
        self.assertEqual(by_phone.acknowledgement_method, "phone")
        self.assertEqual(by_web.acknowledgement_method, "letter")
        self.assertTrue(by_phone.date_acknowledged)

    def test_assignment_is_logged_in_the_history(self):
        complaint = self._create_complaint()
        complaint.write({"user_id": self.handler.id, "team_id": self.team_a.id})
        step = complaint.step_ids.sorted("id")[-1]
        self.assertRecordValues(
            step, [{"state_from": "received", "state_to": "received", "handler_id": self.handler.id}]
        )
