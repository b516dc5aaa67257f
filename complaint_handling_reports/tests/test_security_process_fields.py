"""Improvement actions, management reviews and objectives: their process fields change through their buttons only,
over JSON-RPC and whatever the context (the keys earlier versions trusted included)."""

import logging
from datetime import date

from odoo.tests import HttpCase, tagged

from odoo.addons.complaint_handling.tests.common import ComplaintCase
from odoo.addons.complaint_handling.tests.security_matrix import SecurityCaseMixin

_logger = logging.getLogger(__name__)

OLD_BYPASS_KEYS = {"improvement_change_state": True, "management_review_update": True, "complaint_change_state": True}


@tagged("post_install", "-at_install")
class TestReportsProcessFieldsOverJsonRpc(HttpCase, ComplaintCase, SecurityCaseMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.action = (
            cls.env["complaint.improvement.action"]
            .with_user(cls.handler)
            .create({"name": "Redesign the lid", "user_id": cls.handler.id})
        )
        Review = cls.env["complaint.management.review"].with_user(cls.manager)
        cls.review = Review.create({"date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31)})
        cls.review.write({"decision_ids": [(0, 0, {"name": "Train the phone team"})]})
        cls.done_review = Review.create({"date_from": date(2025, 1, 1), "date_to": date(2025, 3, 31)})
        cls.done_review.action_done()
        cls.objective = cls.env["complaint.objective"].create({"name": "Acknowledged on time", "target": 95.0})

    def _weakest_writer(self, model):
        for user in (self.user, self.handler, self.manager):
            if self.env[model].with_user(user).has_access("write"):
                return user
        return self.manager

    def test_every_process_field_of_the_reports_models_is_refused_over_json_rpc(self):
        cases = {
            "complaint.improvement.action": (self.action, {"name": "Forged action"}),
            "complaint.management.review": (self.review, {"date_from": "2026-04-01", "date_to": "2026-06-30"}),
            "complaint.management.review.decision": (self.review.decision_ids, None),
            "complaint.objective": (self.objective, None),
        }
        reports_models = {
            name
            for name, model in self.env.registry.items()
            if name.startswith("complaint.")
            and model._original_module == "complaint_handling_reports"
            and not model._abstract
            and not model._transient
            and model._auto
        }
        self.assertEqual(set(cases), reports_models)
        attempts = 0
        for model, (record, create_values) in cases.items():
            self.assertTrue(record, model)
            user = self._weakest_writer(model)
            can_create = self.env[model].with_user(user).has_access("create")
            attempts += self.attack_process_fields(user, record, create_values if can_create else None)
        _logger.info("Reports process-field matrix over JSON-RPC: %s attempts, all refused", attempts)
        self.assertGreater(attempts, 30)

    def test_handler_cannot_mark_an_improvement_action_done_or_effective(self):
        forged = {
            "state": "done",
            "date_done": "2026-01-01",
            "effectiveness": "effective",
            "checked_by_id": self.manager.id,
            "date_checked": "2026-04-01",
        }
        self.assertRefused(
            self.call_kw(
                self.handler,
                "complaint.improvement.action",
                "write",
                [self.action.ids, forged],
                {"context": OLD_BYPASS_KEYS},
            )
        )
        self.action.invalidate_recordset()
        self.assertEqual(self.action.state, "draft")
        self.assertFalse(self.action.effectiveness)
        # Through the buttons, the check is recorded with who and when.
        self.action.with_user(self.handler).action_done()
        self.action.with_user(self.handler).action_mark_effective()
        self.assertEqual(self.action.checked_by_id, self.handler)

    def test_a_done_management_review_stays_frozen_whatever_the_context(self):
        snapshot = self.done_review.snapshot
        for vals in (
            {"snapshot": {"kpi": {"count": 0}}},
            {"state": "draft"},
            {"date_done": "2000-01-01 00:00:00"},
            {"date_from": "2024-01-01"},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(
                    self.call_kw(
                        self.manager,
                        "complaint.management.review",
                        "write",
                        [self.done_review.ids, vals],
                        {"context": OLD_BYPASS_KEYS},
                    )
                )
        self.done_review.invalidate_recordset()
        self.assertEqual(self.done_review.snapshot, snapshot)
        self.assertEqual(self.done_review.state, "done")
