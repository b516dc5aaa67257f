"""Nobody forges the record: process fields change only through the actions, over any interface, whatever the context.

Each test is an attack from the role that must be refused, over real JSON-RPC (the web client's
``/web/dataset/call_kw`` and the external ``/jsonrpc``), with the context keys an attacker would send.
"""

import logging

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ComplaintCase
from .security_matrix import SecurityCaseMixin, attack_context

_logger = logging.getLogger(__name__)

# The context keys earlier versions trusted to let a write of process fields through.
OLD_BYPASS_KEYS = {
    "complaint_change_state": True,
    "complaint_privacy_state": True,
    "improvement_change_state": True,
    "management_review_update": True,
}


@tagged("post_install", "-at_install")
class TestProcessFieldsOverJsonRpc(HttpCase, ComplaintCase, SecurityCaseMixin):
    """The generic matrix (every process field of every model of the core) and the attacks seen in the wild."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Complaint = cls.env["complaint.complaint"]
        # Logged by the complaint user, handled by team A: the user and team A's handlers may write it.
        cls.complaint = Complaint.with_user(cls.user).create(
            {"subject": "Forgery target", "partner_id": cls.partner.id, "category_id": cls.category_team_a.id}
        )
        cls.company.complaint_approval_limit = 100.0
        investigating = cls._walk(
            Complaint.with_user(cls.handler).create(
                {"subject": "Decision target", "partner_id": cls.partner.id, "category_id": cls.category_team_a.id}
            )
        )
        cls.decision = (
            cls.env["complaint.decision"]
            .with_user(cls.handler)
            .create({"complaint_id": investigating.id, "remedy_type": "refund", "amount": 500.0, "reasons": "Broken."})
        )
        investigating.with_user(cls.handler).action_propose_response()
        cls.decision_complaint = investigating
        investigating.with_user(cls.handler).action_pause(reason="Waiting for photos")
        investigating.with_user(cls.handler).action_resume()
        investigating.with_user(cls.handler)._extend("resolution", 4.0, "Supplier closed")
        cls.dispute = (
            cls.env["complaint.dispute"]
            .with_user(cls.handler)
            .create({"complaint_id": investigating.id, "method": "mediation"})
        )
        cls.erasure = (
            cls.env["complaint.erasure.request"]
            .with_user(cls.handler)
            .create({"partner_id": cls.partner.id, "reason": "Asked by phone"})
        )
        cls.level = cls.env["complaint.escalation.level"].create({"name": "Attack level", "target": "resolution"})
        cls.env["complaint.escalation.log"].create({"complaint_id": investigating.id, "level_id": cls.level.id})
        cls.env["complaint.privacy.log"].sudo().create({"operation": "export", "company_id": cls.company.id})

    @classmethod
    def _walk(cls, complaint):
        complaint.action_acknowledge()
        complaint.write({"severity_id": cls.severity.id, "scope_decision": "in_scope", "user_id": cls.handler.id})
        complaint.action_assess()
        complaint.action_start_investigation()
        return complaint

    # ------------------------------------------------------------------ the matrix

    def _weakest_writer(self, model):
        """The first of complaint user, handler, manager with write access to ``model`` (else the manager)."""
        for user in (self.user, self.handler, self.manager):
            if self.env[model].with_user(user).has_access("write"):
                return user
        return self.manager

    def _matrix_cases(self):
        """``{model: (record, values of a valid new record or None)}`` for every concrete model of the core."""
        first = self.env

        def one(model, domain=()):
            return first[model].sudo().with_context(active_test=False).search(list(domain), limit=1, order="id desc")

        return {
            "complaint.complaint": (
                self.complaint,
                {"subject": "A new one", "partner_id": self.partner.id, "channel": "phone"},
            ),
            "complaint.decision": (
                self.decision,
                {"complaint_id": self.decision_complaint.id, "remedy_type": "apology", "reasons": "Sorry."},
            ),
            "complaint.dispute": (self.dispute, {"complaint_id": self.decision_complaint.id, "method": "ombudsman"}),
            "complaint.erasure.request": (self.erasure, {"email": "someone@example.com"}),
            "complaint.step": (one("complaint.step", [("complaint_id", "=", self.complaint.id)]), None),
            "complaint.pause": (one("complaint.pause", [("complaint_id", "=", self.decision_complaint.id)]), None),
            "complaint.extension": (
                one("complaint.extension", [("complaint_id", "=", self.decision_complaint.id)]),
                None,
            ),
            "complaint.escalation.log": (one("complaint.escalation.log", [("level_id", "=", self.level.id)]), None),
            "complaint.privacy.log": (one("complaint.privacy.log"), None),
            "complaint.category": (self.category, {"name": "Forged category"}),
            "complaint.cause": (one("complaint.cause"), {"name": "Forged cause"}),
            "complaint.severity": (self.severity, {"name": "Forged severity", "level": 9}),
            "complaint.stage": (one("complaint.stage"), {"name": "Forged stage", "state": "received"}),
            "complaint.team": (self.team_a, {"name": "Forged team"}),
            "complaint.policy": (one("complaint.policy", [("company_id", "=", self.company.id)]), None),
            "complaint.promise": (one("complaint.promise", [("company_id", "=", self.company.id)]), None),
            "complaint.escalation.level": (self.level, {"name": "Forged level", "target": "acknowledgement"}),
        }

    def test_every_process_field_of_the_core_models_is_refused_over_json_rpc(self):
        cases = self._matrix_cases()
        core_models = {
            name
            for name, model in self.env.registry.items()
            if name.startswith("complaint.")
            and model._original_module == "complaint_handling"
            and not model._abstract
            and not model._transient
            and model._auto
        }
        self.assertEqual(set(cases), core_models, "every concrete model of the core is in the matrix")
        attempts = 0
        for model, (record, create_values) in cases.items():
            self.assertTrue(record, f"no {model} record to attack")
            user = self._weakest_writer(model)
            can_create = self.env[model].with_user(user).has_access("create")
            attempts += self.attack_process_fields(user, record, create_values if can_create else None)
        _logger.info("Core process-field matrix over JSON-RPC: %s attempts, all refused", attempts)
        self.assertGreater(attempts, 150)

    # ------------------------------------------------------------------ the attacks of the issue

    def test_context_key_does_not_let_a_user_close_or_backdate_a_complaint(self):
        steps = len(self.complaint.step_ids)
        for method in (self.call_kw, self.execute_kw):
            answer = method(
                self.user,
                "complaint.complaint",
                "write",
                [self.complaint.ids, {"state": "closed", "date_closed": "2000-01-01 00:00:00", "reopen_count": 9}],
                {"context": OLD_BYPASS_KEYS},
            )
            self.assertRefused(answer, "change only through its process")
        self.complaint.invalidate_recordset()
        self.assertEqual(self.complaint.state, "received")
        self.assertFalse(self.complaint.date_closed)
        self.assertFalse(self.complaint.date_ended, "the retention period has not started")
        self.assertEqual(len(self.complaint.step_ids), steps)
        # Nor does the retention job see it as an old, closed complaint.
        self.company.complaint_retention_years = 1
        self.env["complaint.complaint"]._cron_anonymise()
        self.assertFalse(self.complaint.anonymised)

    def test_context_key_does_not_let_a_user_set_process_dates_counters_or_stage(self):
        closed_stage = self.env["complaint.stage"].search([("state", "=", "closed")], limit=1)
        for vals in (
            {"date_acknowledged": "2000-01-01 00:00:00"},
            {"reopen_count": 5},
            {"ack_breached": True},
            {"date_deadline": "2099-01-01 00:00:00"},
            {"stage_id": closed_stage.id},
        ):
            with self.subTest(vals=vals):
                answer = self.call_kw(
                    self.user, "complaint.complaint", "write", [self.complaint.ids, vals], {"context": attack_context()}
                )
                self.assertRefused(answer)
        self.complaint.invalidate_recordset()
        self.assertEqual(self.complaint.stage_id.state, "received")
        self.assertFalse(self.complaint.date_acknowledged)
        self.assertFalse(self.complaint.reopen_count)

    def test_handler_cannot_approve_a_decision_in_a_managers_name(self):
        self.assertEqual(self.decision.state, "to_approve")
        forged = {
            "state": "approved",
            "approved_by_id": self.manager.id,
            "date_approved": "2026-01-01 09:00:00",
            "date_communicated": "2026-01-02 09:00:00",
        }
        for vals in (forged, *({key: value} for key, value in forged.items())):
            with self.subTest(vals=vals):
                self.assertRefused(
                    self.call_kw(
                        self.handler,
                        "complaint.decision",
                        "write",
                        [self.decision.ids, vals],
                        {"context": OLD_BYPASS_KEYS},
                    )
                )
        self.assertRefused(
            self.call_kw(self.handler, "complaint.decision", "action_approve", [self.decision.ids]),
            "Only a complaint manager",
        )
        self.decision.invalidate_recordset()
        self.assertEqual(self.decision.state, "to_approve")
        self.assertFalse(self.decision.approved_by_id)
        # Nor through its complaint's one2many.
        answer = self.call_kw(
            self.handler,
            "complaint.complaint",
            "write",
            [self.decision_complaint.ids, {"decision_ids": [Command.update(self.decision.id, forged)]}],
            {"context": OLD_BYPASS_KEYS},
        )
        self.assertRefused(answer)
        self.decision.invalidate_recordset()
        self.assertEqual(self.decision.state, "to_approve")

    def test_handler_cannot_mark_an_erasure_request_done_or_approved(self):
        forged = {"state": "done", "approved_by_id": self.manager.id, "date_done": "2026-01-01 09:00:00"}
        self.assertRefused(
            self.call_kw(
                self.handler,
                "complaint.erasure.request",
                "write",
                [self.erasure.ids, forged],
                {"context": OLD_BYPASS_KEYS},
            )
        )
        self.assertRefused(
            self.call_kw(self.handler, "complaint.erasure.request", "action_approve", [self.erasure.ids]),
            "Only a complaint manager",
        )
        answer = self.execute_kw(
            self.handler,
            "complaint.erasure.request",
            "create",
            [[{"partner_id": self.partner.id, "state": "done", "approved_by_id": self.manager.id}]],
            {"context": OLD_BYPASS_KEYS},
        )
        self.assertRefused(answer)
        self.erasure.invalidate_recordset()
        self.assertEqual(self.erasure.state, "draft")
        self.assertFalse(self.erasure.approved_by_id)

    def test_user_cannot_set_the_reference_receiver_anonymised_flag_or_end_date(self):
        for vals in (
            {"name": "CMP/FAKE/1"},
            {"received_by_id": self.manager.id},
            {"anonymised": True},
            {"date_ended": "2000-01-01 00:00:00"},
            {"access_token": "known-token"},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    self.call_kw(self.user, "complaint.complaint", "write", [self.complaint.ids, vals]),
                    "change only through its process",
                )
        self.complaint.invalidate_recordset()
        self.assertNotEqual(self.complaint.name, "CMP/FAKE/1")
        self.assertEqual(self.complaint.received_by_id, self.user)
        self.assertFalse(self.complaint.anonymised)

    def test_an_anonymised_complaint_cannot_be_created(self):
        count = self.env["complaint.complaint"].search_count([])
        for vals in (
            {"subject": "No contact", "anonymised": True},
            {"subject": "No contact", "anonymised": True, "channel": "web", "submitter_ip": "10.0.0.1"},
            {"subject": "Backdated", "partner_id": self.partner.id, "date_ended": "2000-01-01 00:00:00"},
            {"subject": "Named", "partner_id": self.partner.id, "received_by_id": self.manager.id},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    self.execute_kw(self.user, "complaint.complaint", "create", [[vals]], {"context": OLD_BYPASS_KEYS})
                )
        self.assertEqual(self.env["complaint.complaint"].search_count([]), count)

    def test_the_history_cannot_be_written_through_its_complaint(self):
        step = self.complaint.step_ids[:1]
        for vals in (
            {"step_ids": [Command.create({"action": "Closed", "state_to": "closed"})]},
            {"step_ids": [Command.update(step.id, {"note": "rewritten"})]},
            {"step_ids": [Command.delete(step.id)]},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    self.call_kw(self.manager, "complaint.complaint", "write", [self.complaint.ids, vals])
                )
        step.invalidate_recordset()
        self.assertTrue(step.exists())
        self.assertNotEqual(step.note, "rewritten")
