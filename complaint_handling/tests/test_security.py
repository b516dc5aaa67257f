from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestSecurity(ComplaintCase):
    def _visible(self, user, complaints):
        """The subset of ``complaints`` that ``user`` finds by searching."""
        return self.env["complaint.complaint"].with_user(user).search([("id", "in", complaints.ids)])

    def assertCannotRead(self, user, records):
        with self.assertRaises(AccessError):
            records.with_user(user).read(["display_name"])

    # --------------------------------------------------------------- users

    def test_user_sees_only_the_complaints_they_logged_or_handle(self):
        own = self._create_complaint(user=self.user)
        other = self._create_complaint(user=self.user2)
        unassigned = self._create_complaint()
        assigned = self._create_complaint(user_id=self.user.id)
        self.assertEqual(self._visible(self.user, own | other | unassigned | assigned), own | assigned)
        self.assertCannotRead(self.user, other)
        self.assertCannotRead(self.user, unassigned)
        with self.assertRaises(AccessError):
            other.with_user(self.user).write({"subject": "Mine now"})

    def test_user_cannot_write_decisions_or_history(self):
        complaint = self._create_complaint(user=self.user, user_id=self.handler.id)
        self._advance(complaint.with_user(self.manager), "response_proposed")
        as_user = complaint.with_user(self.user)
        decision = as_user.decision_id
        self.assertEqual(decision.reasons, "The kettle was misused.", "the user reads the decision")
        self.assertTrue(as_user.step_ids, "the user reads the history")
        with self.assertRaises(AccessError):
            decision.write({"rejection_reason": "No"})
        with self.assertRaises(AccessError):
            self._create_decision(as_user)
        with self.assertRaises(AccessError):
            decision.unlink()
        with self.assertRaises(UserError):
            as_user.step_ids[0].write({"note": "Edited"})
        with self.assertRaises(AccessError):
            self.env["complaint.step"].with_user(self.user).create(
                {"complaint_id": complaint.id, "action": "Forged", "state_to": "closed"}
            )
        with self.assertRaises(UserError):
            as_user.step_ids[0].unlink()

    def test_user_cannot_delete_their_complaint(self):
        complaint = self._create_complaint(user=self.user)
        with self.assertRaises(AccessError):
            complaint.with_user(self.user).unlink()
        self.assertTrue(complaint.exists())

    # ------------------------------------------------------------ handlers

    def test_handler_sees_team_and_unassigned_complaints_not_another_teams(self):
        team_a = self._create_complaint(team_id=self.team_a.id)
        team_b = self._create_complaint(team_id=self.team_b.id)
        unassigned = self._create_complaint()
        everything = team_a | team_b | unassigned
        self.assertEqual(self._visible(self.handler, everything), team_a | unassigned)
        self.assertEqual(self._visible(self.leader, everything), team_a | unassigned)
        self.assertEqual(self._visible(self.handler_b, everything), team_b | unassigned)
        self.assertCannotRead(self.handler, team_b)
        self.assertCannotRead(self.handler_b, team_a)
        with self.assertRaises(AccessError):
            team_b.with_user(self.handler).action_acknowledge()
        self.assertEqual(team_b.state, "received")

    def test_handler_cannot_see_another_teams_decisions_and_history(self):
        complaint = self._advance(self._create_complaint(team_id=self.team_b.id, user_id=self.handler_b.id), "closed")
        decisions = self.env["complaint.decision"].with_user(self.handler)
        steps = self.env["complaint.step"].with_user(self.handler)
        self.assertFalse(decisions.search([("complaint_id", "=", complaint.id)]))
        self.assertFalse(steps.search([("complaint_id", "=", complaint.id)]))
        self.assertCannotRead(self.handler, complaint.decision_ids)
        self.assertCannotRead(self.handler, complaint.step_ids)
        self.assertEqual(
            len(self.env["complaint.step"].with_user(self.handler_b).search([("complaint_id", "=", complaint.id)])),
            len(complaint.step_ids),
        )

    def test_confidential_complaint_is_hidden_from_other_team_members(self):
        complaint = self._create_complaint(team_id=self.team_a.id, user_id=self.handler.id, confidential=True)
        self._advance(complaint, "response_proposed")
        # handler2 is in the team but neither the handler nor the leader.
        self.assertFalse(self._visible(self.handler2, complaint))
        self.assertCannotRead(self.handler2, complaint)
        self.assertCannotRead(self.handler2, complaint.decision_ids)
        self.assertCannotRead(self.handler2, complaint.step_ids)
        self.assertFalse(
            self.env["complaint.step"].with_user(self.handler2).search([("complaint_id", "=", complaint.id)])
        )
        for user in (self.handler, self.leader, self.manager, self.auditor):
            with self.subTest(user=user.login):
                self.assertEqual(self._visible(user, complaint), complaint)
                self.assertTrue(complaint.with_user(user).decision_id.reasons)
                self.assertTrue(complaint.with_user(user).step_ids.mapped("action"))

    def test_confidential_complaint_hidden_from_the_user_who_logged_it(self):
        complaint = self._create_complaint(user=self.user)
        complaint.with_user(self.manager).confidential = True
        self.assertFalse(self._visible(self.user, complaint))
        self.assertCannotRead(self.user, complaint)

    # ------------------------------------------------------------- auditor

    def test_auditor_reads_everything(self):
        complaints = (
            self._create_complaint(team_id=self.team_a.id, user_id=self.handler.id, confidential=True)
            | self._create_complaint(team_id=self.team_b.id)
            | self._create_complaint(user=self.user)
        )
        self._advance(complaints[0], "closed")
        self.assertEqual(self._visible(self.auditor, complaints), complaints)
        as_auditor = complaints.with_user(self.auditor)
        as_auditor.read(["subject", "state", "user_id"])
        as_auditor.decision_ids.read(["remedy_type", "state"])
        as_auditor.step_ids.read(["action", "user_id", "state_from", "state_to"])
        self.assertEqual(len(as_auditor.step_ids), len(complaints.step_ids))

    def test_auditor_changes_nothing(self):
        complaint = self._advance(
            self._create_complaint(team_id=self.team_a.id, user_id=self.handler.id), "decision_communicated"
        )
        as_auditor = complaint.with_user(self.auditor)
        with self.assertRaises(AccessError):
            as_auditor.write({"subject": "Audited"})
        with self.assertRaises(AccessError):
            self._create_complaint(user=self.auditor)
        with self.assertRaises(AccessError):
            as_auditor.action_record_acceptance()
        with self.assertRaises(AccessError):
            as_auditor.decision_id.write({"rejection_reason": "Audited"})
        with self.assertRaises(AccessError):
            self._create_decision(as_auditor)
        with self.assertRaises(UserError):
            as_auditor.step_ids[0].write({"note": "Audited"})
        with self.assertRaises(AccessError):
            as_auditor.unlink()
        self.assertEqual(complaint.decision_id.state, "communicated")

    def test_auditor_cannot_move_a_complaint(self):
        complaint = self._create_complaint()
        with self.assertRaises(AccessError):
            complaint.with_user(self.auditor).action_acknowledge()
        self.assertEqual(complaint.state, "received")

    # ------------------------------------------------------------ managers

    def test_nobody_deletes_a_complaint_archiving_works(self):
        complaint = self._create_complaint()
        for user in (self.user, self.handler, self.manager, self.auditor):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                complaint.with_user(user).unlink()
        self.assertTrue(complaint.exists())
        complaint.with_user(self.manager)._set_active(False, "Entered twice by mistake")
        self.assertFalse(complaint.active)
        self.assertFalse(self._visible(self.manager, complaint))
        complaint.with_user(self.manager)._set_active(True, "It was not a duplicate")
        self.assertTrue(complaint.active)

    def test_complaint_delete_is_refused_even_with_delete_rights(self):
        """The ondelete guard holds even if someone grants unlink in the access rights."""
        self.env["ir.model.access"].create(
            {
                "name": "test unlink",
                "model_id": self.env.ref("complaint_handling.model_complaint_complaint").id,
                "group_id": self.env.ref("complaint_handling.group_complaint_manager").id,
                "perm_read": True,
                "perm_unlink": True,
            }
        )
        complaint = self._create_complaint()
        with self.assertRaisesText(UserError, "never deleted"):
            complaint.with_user(self.manager).unlink()

    def test_manager_cannot_change_or_delete_the_history(self):
        complaint = self._advance(self._create_complaint(), "acknowledged")
        step = complaint.step_ids.with_user(self.manager)[0]
        with self.assertRaisesText(UserError, "cannot be changed"):
            step.write({"note": "Rewritten"})
        with self.assertRaises(UserError):
            step.unlink()
        with self.assertRaises(AccessError):
            self.env["complaint.step"].with_user(self.manager).create(
                {"complaint_id": complaint.id, "action": "Forged", "state_to": "closed"}
            )
        self.assertTrue(step.exists())

    def test_history_delete_is_refused_even_with_delete_rights(self):
        self.env["ir.model.access"].create(
            {
                "name": "test step write",
                "model_id": self.env.ref("complaint_handling.model_complaint_step").id,
                "group_id": self.env.ref("complaint_handling.group_complaint_manager").id,
                "perm_read": True,
                "perm_write": True,
                "perm_unlink": True,
            }
        )
        step = self._create_complaint().step_ids.with_user(self.manager)
        with self.assertRaisesText(UserError, "cannot be changed"):
            step.write({"note": "Rewritten"})
        with self.assertRaisesText(UserError, "cannot be deleted"):
            step.unlink()

    def test_config_is_writable_by_managers_only(self):
        configs = {
            "complaint.category": self.category,
            "complaint.stage": self.env.ref("complaint_handling.complaint_stage_received"),
            "complaint.severity": self.severity,
            "complaint.cause": self.env.ref("complaint_handling.complaint_cause_design"),
            "complaint.team": self.team_a,
        }
        for model, record in configs.items():
            for user in (self.user, self.handler, self.leader, self.auditor):
                with self.subTest(model=model, user=user.login):
                    record.with_user(user).read(["name"])
                    with self.assertRaises(AccessError):
                        record.with_user(user).write({"name": "Changed"})
                    with self.assertRaises(AccessError):
                        record.with_user(user).copy()
                    with self.assertRaises(AccessError):
                        record.with_user(user).unlink()
            with self.subTest(model=model, user="manager"):
                record.with_user(self.manager).write({"name": "Changed by the manager"})
                self.assertEqual(record.name, "Changed by the manager")

    # -------------------------------------------------------- multi-company

    def test_company2_user_does_not_see_company1_complaints(self):
        company1 = self._create_complaint() | self._create_complaint(team_id=self.team_a.id)
        company2 = self._create_complaint(user=self.handler_c2, team_id=self.team_c2.id)
        self.assertEqual(company2.company_id, self.company2)
        self.assertEqual(self._visible(self.handler_c2, company1 | company2), company2)
        self.assertCannotRead(self.handler_c2, company1[0])
        self.assertFalse(self._visible(self.manager, company2))
        self.assertCannotRead(self.manager, company2)
        self.assertFalse(
            self.env["complaint.step"].with_user(self.handler_c2).search([("complaint_id", "in", company1.ids)])
        )

    def test_team_and_category_of_another_company_are_refused(self):
        category_c2 = self.env["complaint.category"].create({"name": "C2 only", "company_id": self.company2.id})
        Complaint = self.env["complaint.complaint"]
        base = {"subject": "Mixed companies", "partner_id": self.partner.id, "company_id": self.company.id}
        with self.assertRaisesText(UserError, "Incompatible companies"):
            Complaint.create(dict(base, team_id=self.team_c2.id))
        with self.assertRaisesText(UserError, "Incompatible companies"):
            Complaint.create(dict(base, category_id=category_c2.id, team_id=self.team_a.id))
        complaint = Complaint.create(base)
        with self.assertRaisesText(UserError, "Incompatible companies"):
            complaint.team_id = self.team_c2
        shared = self.env["complaint.category"].create({"name": "Shared"})
        complaint.category_id = shared
        self.assertEqual(complaint.category_id, shared)

    def test_a_batch_is_refused_for_one_complaint_of_another_company(self):
        """The company check runs once per distinct company and values: the odd one in a batch is still caught."""
        Complaint = self.env["complaint.complaint"]
        good = {"subject": "Team A", "partner_id": self.partner.id, "team_id": self.team_a.id}
        bad = dict(good, subject="Team C2", team_id=self.team_c2.id, company_id=self.company.id)
        count = Complaint.search_count([])
        with self.assertRaisesText(UserError, "Incompatible companies"):
            Complaint.create([good, good, bad, good])
        self.assertEqual(Complaint.search_count([]), count, "the refused batch left nothing")
        pair = Complaint.create(good) | Complaint.create(good)
        with self.assertRaisesText(UserError, "Incompatible companies"):
            pair.write({"team_id": self.team_c2.id})
        self.assertEqual(pair.team_id, self.team_a, "the refused write changed nothing")
        # Each company with its own team passes, in one batch.
        both = Complaint.create([good, dict(good, team_id=self.team_c2.id, company_id=self.company2.id)])
        self.assertEqual(both.company_id, self.company | self.company2)

    # ------------------------------------------------------ process rights

    def test_a_complaint_user_cannot_move_a_complaint_through_the_process(self):
        complaint = self._create_complaint(user=self.user)
        with self.assertRaisesText(AccessError, "Only complaint handlers"):
            complaint.with_user(self.user).action_acknowledge()
        with self.assertRaisesText(AccessError, "Only complaint handlers"):
            complaint.with_user(self.user).action_withdraw(reason="Changed my mind")
        self.assertEqual(complaint.state, "received")
        self.assertEqual(len(complaint.step_ids), 1)
        complaint.with_user(self.handler).action_acknowledge()
        self.assertEqual(complaint.state, "acknowledged")

    def test_only_handlers_mark_a_complaint_confidential(self):
        with self.assertRaisesText(AccessError, "mark a complaint confidential"):
            self._create_complaint(user=self.user, confidential=True)
        complaint = self._create_complaint(user=self.user)
        with self.assertRaisesText(AccessError, "mark a complaint confidential"):
            complaint.with_user(self.user).confidential = True
        self.assertFalse(complaint.confidential)
        complaint.with_user(self.handler).write({"user_id": self.handler.id, "confidential": True})
        self.assertTrue(complaint.confidential)
        self.assertEqual(self._visible(self.handler, complaint), complaint)
