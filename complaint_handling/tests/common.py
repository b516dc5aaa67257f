import unittest
from contextlib import contextmanager

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

from ..models.complaint_complaint import TRANSITIONS

# The way the tests walk a complaint to a given state: state -> the state it comes from.
PATH = {
    "acknowledged": "received",
    "assessed": "acknowledged",
    "investigating": "assessed",
    "response_proposed": "investigating",
    "decision_communicated": "response_proposed",
    "closed": "decision_communicated",
    "escalated": "decision_communicated",
    "reopened": "closed",
    "rejected": "received",
    "withdrawn": "received",
}


class ComplaintCase(TransactionCase):
    """Companies, users per group, teams, categories and helpers to walk a complaint through its process."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.complaint_approval_limit = 1000.0
        cls.company2 = cls.env["res.company"].create({"name": "Complaint Test Company 2"})

        def user(login, group, **kwargs):
            return new_test_user(cls.env, login=login, groups=f"complaint_handling.{group}", **kwargs)

        cls.user = user("ch_user", "group_complaint_user")
        cls.user2 = user("ch_user2", "group_complaint_user")
        cls.leader = user("ch_leader", "group_complaint_handler")
        cls.handler = user("ch_handler", "group_complaint_handler")
        cls.handler2 = user("ch_handler2", "group_complaint_handler")
        cls.handler_b = user("ch_handler_b", "group_complaint_handler")
        cls.manager = user("ch_manager", "group_complaint_manager")
        cls.auditor = user("ch_auditor", "group_complaint_auditor")
        cls.handler_c2 = user(
            "ch_handler_c2",
            "group_complaint_handler",
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
        )

        Team = cls.env["complaint.team"]
        cls.team_a = Team.create(
            {
                "name": "Team A",
                "leader_id": cls.leader.id,
                "member_ids": [Command.set((cls.handler | cls.handler2).ids)],
            }
        )
        cls.team_b = Team.create({"name": "Team B", "member_ids": [Command.set(cls.handler_b.ids)]})
        cls.team_c2 = Team.create(
            {"name": "Team C2", "company_id": cls.company2.id, "member_ids": [Command.set(cls.handler_c2.ids)]}
        )

        Category = cls.env["complaint.category"]
        cls.category_parent = Category.create({"name": "Test Products"})
        cls.category = Category.create({"name": "Test Defect", "parent_id": cls.category_parent.id})
        cls.category_team_a = Category.create(
            {
                "name": "Test Staff",
                "parent_id": cls.category_parent.id,
                "team_id": cls.team_a.id,
                "company_id": cls.company.id,
            }
        )
        cls.severity = cls.env.ref("complaint_handling.complaint_severity_medium")
        cls.severity_high = cls.env.ref("complaint_handling.complaint_severity_high")

        cls.partner = cls.env["res.partner"].create(
            {"name": "Jane Complainer", "email": "jane.complainer@example.com", "phone": "+32 470 00 00 00"}
        )
        cls.product = cls.env["product.product"].create({"name": "Complaint Test Kettle"})

    # ------------------------------------------------------------------ helpers

    def _create_complaint(self, user=None, **vals):
        """Create a complaint as ``user`` (default: the complaint manager)."""
        values = {"subject": "The kettle leaks", "partner_id": self.partner.id}
        values.update(vals)
        return self.env["complaint.complaint"].with_user(user or self.manager).create(values)

    def _create_decision(self, complaint, **vals):
        values = {"complaint_id": complaint.id, "remedy_type": "explanation", "reasons": "The kettle was misused."}
        values.update(vals)
        return self.env["complaint.decision"].with_env(complaint.env).create(values)

    def _prepare(self, complaint, state):
        """Fill what ``complaint`` needs to enter ``state`` through its action."""
        if state == "assessed":
            complaint.write(
                {"category_id": self.category.id, "severity_id": self.severity.id, "scope_decision": "in_scope"}
            )
        elif state == "rejected":
            complaint.write({"scope_decision": "out_of_scope", "scope_reason": "This is a question, not a complaint."})
        elif state == "investigating" and not complaint.user_id:
            complaint.user_id = self.handler
        elif state == "response_proposed" and complaint.decision_id.state != "draft":
            self._create_decision(complaint)
        elif state == "escalated":
            if complaint.state == "decision_communicated" and complaint.decision_id.state == "communicated":
                complaint.decision_id.rejection_reason = "I want my money back."
                complaint.action_record_rejection()
            complaint.escalation_type = "internal_review"
        elif state == "closed":
            if complaint.state == "decision_communicated" and complaint.decision_id.state == "communicated":
                complaint.action_record_acceptance()
            elif complaint.decision_id.state != "accepted":
                complaint.closing_reason = "No answer after two reminders."

    def _do(self, complaint, state):
        """Call the action that moves ``complaint`` to ``state``."""
        if state in ("withdrawn", "reopened"):
            method = {"withdrawn": "action_withdraw", "reopened": "action_reopen"}[state]
            return getattr(complaint, method)(reason=f"Reason to be {state}")
        method = {
            "acknowledged": "action_acknowledge",
            "assessed": "action_assess",
            "rejected": "action_reject",
            "investigating": "action_start_investigation",
            "response_proposed": "action_propose_response",
            "decision_communicated": "action_communicate_decision",
            "escalated": "action_escalate",
            "closed": "action_close",
        }[state]
        return getattr(complaint, method)()

    def _path(self, state_from, state_to):
        """States to go through, after ``state_from``, to reach ``state_to``."""
        chain = [state_to]
        while chain[-1] in PATH:
            chain.append(PATH[chain[-1]])
        if state_from in chain:
            return chain[: chain.index(state_from)][::-1]
        # Off the usual path (e.g. reopened): shortest way back onto it.
        queue, seen = [[state_from]], {state_from}
        while queue:
            path = queue.pop(0)
            for state in TRANSITIONS[path[-1]]:
                if state in chain:
                    return path[1:] + [state] + chain[: chain.index(state)][::-1]
                if state not in seen:
                    seen.add(state)
                    queue.append(path + [state])
        raise ValueError(f"No path from {state_from} to {state_to}")

    def _advance(self, complaint, to_state):
        """Walk ``complaint`` (or a batch in one state) through the real actions up to ``to_state``."""
        (state_from,) = set(complaint.mapped("state"))
        for state in self._path(state_from, to_state):
            for record in complaint:
                self._prepare(record, state)
            self._do(complaint, state)
        self.assertEqual(set(complaint.mapped("state")), {to_state})
        return complaint

    def _chatter_transitions(self, complaint):
        """Chatter messages logged for the state changes of ``complaint``."""
        return complaint.message_ids.filtered(lambda m: "→" in (m.body or ""))

    @contextmanager
    def assertRaisesText(self, exception, text):
        """Odoo's ``assertRaises`` (rolled back to a savepoint) that also checks the error message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    def assertRefusedUnchanged(self, complaint, func, exception, message=None):
        """``func`` raises ``exception`` before changing the complaint's state, stage or history.

        Uses the plain unittest ``assertRaises`` (no savepoint), so a write done before the
        error would still be visible in the transaction and fail the test.
        """
        complaint.invalidate_recordset()
        before = (complaint.state, complaint.stage_id, len(complaint.step_ids), len(complaint.message_ids))
        with unittest.TestCase.assertRaises(self, exception) as caught:
            func()
        if message:
            self.assertIn(message, str(caught.exception))
        self.env.flush_all()
        complaint.invalidate_recordset()
        after = (complaint.state, complaint.stage_id, len(complaint.step_ids), len(complaint.message_ids))
        self.assertEqual(after, before, "a refused step must change nothing")
        return caught.exception
