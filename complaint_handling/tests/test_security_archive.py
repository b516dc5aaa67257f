"""Nothing is hidden from the register: only complaint managers archive, with a reason kept in the history."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from .common import ComplaintCase
from .security_matrix import SecurityCaseMixin, attack_context


@tagged("post_install", "-at_install")
class TestArchiving(ComplaintCase):
    def setUp(self):
        super().setUp()
        self.complaint = self._create_complaint(user=self.user, category_id=self.category_team_a.id)

    def test_users_handlers_and_auditors_cannot_archive(self):
        for user in (self.user, self.handler, self.leader, self.auditor):
            complaint = self.complaint.with_user(user)
            for attempt in (
                complaint.action_archive,
                complaint.toggle_active,
                lambda c=complaint: c._set_active(False, "Hide it"),
                lambda c=complaint: c.write({"active": False}),
            ):
                with self.subTest(user=user.login), self.assertRaises(AccessError):
                    attempt()
        self.complaint.invalidate_recordset()
        self.assertTrue(self.complaint.active)

    def test_archiving_is_offered_to_complaint_managers_only(self):
        for user, offered in (
            (self.user, False),
            (self.handler, False),
            (self.auditor, False),
            (self.manager, True),
        ):
            with self.subTest(user=user.login):
                fields = self.env["complaint.complaint"].with_user(user).fields_get(["active"], ["readonly"])
                # The web client offers Archive / Unarchive only when ``active`` is not read-only.
                self.assertEqual(not fields["active"]["readonly"], offered)

    def test_manager_archives_with_a_reason_kept_in_the_step_history(self):
        action = self.complaint.with_user(self.manager).action_archive()
        self.assertEqual(action["res_model"], "complaint.reason.wizard")
        wizard = Form(self.env["complaint.reason.wizard"].with_user(self.manager).with_context(**action["context"]))
        wizard.reason = "Registered twice: see the other complaint"
        wizard.save().action_confirm()
        self.assertFalse(self.complaint.active)
        step = self.complaint.step_ids.sorted("id")[-1]
        self.assertEqual(step.action_label, "Archived")
        self.assertEqual(step.note, "Registered twice: see the other complaint")
        self.assertEqual(step.user_id, self.manager)
        # Restoring is a step too.
        self.complaint.with_user(self.manager)._set_active(True, "It was not a duplicate")
        self.assertTrue(self.complaint.active)
        self.assertEqual(self.complaint.step_ids.sorted("id")[-1].action_label, "Restored from the archive")

    def test_archiving_needs_a_reason(self):
        with self.assertRaisesText(UserError, "Give the reason"):
            self.complaint.with_user(self.manager)._set_active(False, "  ")
        self.assertTrue(self.complaint.active)


@tagged("post_install", "-at_install")
class TestArchivingOverJsonRpc(HttpCase, ComplaintCase, SecurityCaseMixin):
    def test_archiving_over_json_rpc_is_refused_to_everyone_but_managers(self):
        complaint = self._create_complaint(user=self.user, category_id=self.category_team_a.id)
        for user in (self.user, self.handler, self.auditor):
            for method, args in (
                ("action_archive", [complaint.ids]),
                ("toggle_active", [complaint.ids]),
                ("write", [complaint.ids, {"active": False}]),
            ):
                with self.subTest(user=user.login, method=method):
                    self.assertRefused(
                        self.call_kw(user, "complaint.complaint", method, args, {"context": attack_context()})
                    )
        complaint.invalidate_recordset()
        self.assertTrue(complaint.active)
        # A manager's Archive opens the reason dialog; nothing is archived without it.
        answer = self.call_kw(self.manager, "complaint.complaint", "action_archive", [complaint.ids])
        self.assertEqual(answer["result"]["res_model"], "complaint.reason.wizard")
        complaint.invalidate_recordset()
        self.assertTrue(complaint.active)
