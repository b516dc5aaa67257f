from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from odoo.addons.complaint_handling.tests.common import ComplaintCase


class TestImprovementAction(ComplaintCase):
    """Corrective and preventive actions: their process, the effectiveness check and its reminder."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cause = cls.env["complaint.cause"].create({"name": "Improvement Test Loose Lid"})
        cls.kettle = cls.env["product.product"].create({"name": "Improvement Test Kettle"})
        cls.activity_type = cls.env.ref("complaint_handling_reports.mail_activity_type_effectiveness_check")

    def _complaint(self, received, **vals):
        return self.env["complaint.complaint"].create(
            {
                "subject": "The lid falls off",
                "partner_id": self.partner.id,
                "date_received": received,
                "root_cause_id": self.cause.id,
                "product_id": self.kettle.id,
                **vals,
            }
        )

    def _action(self, **vals):
        values = {"name": "Redesign the lid", "user_id": self.handler.id}
        values.update(vals)
        return self.env["complaint.improvement.action"].with_user(self.handler).create(values)

    def _reminders(self, action):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "complaint.improvement.action"),
                ("res_id", "=", action.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_cluster_comes_from_the_complaints(self):
        complaints = self._complaint(datetime(2026, 5, 1)) | self._complaint(datetime(2026, 5, 2))
        action = self._action(complaint_ids=[(6, 0, complaints.ids)])
        self.assertEqual(action.cause_id, self.cause)
        self.assertEqual(action.product_id, self.kettle)
        self.assertEqual(action.complaint_count, 2)
        self.assertEqual(complaints[0].improvement_action_ids, action)
        self.assertEqual(complaints[0].improvement_action_count, 1)

    def test_state_changes_through_methods_only(self):
        action = self._action()
        with self.assertRaisesText(AccessError, "change only through its process"):
            action.write({"state": "done"})
        action.action_start()
        self.assertEqual(action.state, "in_progress")
        with freeze_time("2026-03-10"):
            action.action_done()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.date_done, date(2026, 3, 10))
        with self.assertRaisesText(UserError, "cannot become"):
            action.action_cancel()
        self.assertIn("Done", action.sudo().message_ids.mapped("tracking_value_ids.new_value_char"))

    def test_check_date_is_done_plus_days(self):
        action = self._action(effectiveness_days=30)
        with freeze_time("2026-03-10"):
            action.action_done()
        self.assertEqual(action.date_check, date(2026, 4, 9))
        action.effectiveness_days = 90
        self.assertEqual(action.date_check, date(2026, 6, 8))
        self.assertEqual(self._action().effectiveness_days, 90, "default: checked 90 days after")

    def test_reminder_when_the_check_is_due(self):
        action = self._action(effectiveness_days=30)
        with freeze_time("2026-03-10"):
            action.action_done()
        Action = self.env["complaint.improvement.action"]
        with freeze_time("2026-04-08"):
            Action._cron_effectiveness_reminder()
            self.assertFalse(self._reminders(action), "not due yet")
            self.assertFalse(action.is_check_due)
        with freeze_time("2026-04-09"):
            action.invalidate_recordset(["is_check_due"])
            self.assertTrue(action.is_check_due)
            self.assertIn(action, Action.search([("is_check_due", "=", True)]))
            Action._cron_effectiveness_reminder()
            reminder = self._reminders(action)
            self.assertEqual(len(reminder), 1)
            self.assertEqual(reminder.user_id, self.handler)
            self.assertEqual(reminder.date_deadline, date(2026, 4, 9))
            Action._cron_effectiveness_reminder()
            self.assertEqual(len(self._reminders(action)), 1, "reminded once")

    def test_record_the_result(self):
        action = self._action(effectiveness_days=0)
        with self.assertRaisesText(UserError, "before checking its effectiveness"):
            action.action_mark_effective()
        action.action_done()
        self.env["complaint.improvement.action"]._cron_effectiveness_reminder()
        self.assertTrue(self._reminders(action))
        with self.assertRaisesText(UserError, "why"):
            action.action_mark_not_effective()
        action.effectiveness_note = "The new lid still opens in transport; add a clip."
        action.action_mark_not_effective()
        self.assertEqual(action.effectiveness, "not_effective")
        self.assertEqual(action.checked_by_id, self.handler)
        self.assertFalse(self._reminders(action), "the reminder is done")
        self.assertFalse(action.is_check_due)
        self.assertIn("Not Effective", action.message_ids[0].body)

    def test_new_complaints_since_done(self):
        linked = self._complaint(datetime(2026, 2, 20))
        self._complaint(datetime(2026, 2, 25))  # before, same cluster
        self._complaint(datetime(2026, 1, 1))  # too long before: the window is as long as the time since done
        action = self._action(complaint_ids=[(6, 0, linked.ids)])
        with freeze_time("2026-03-01"):
            action.action_done()
        self._complaint(datetime(2026, 3, 5))
        self._complaint(datetime(2026, 3, 20))
        self._complaint(datetime(2026, 3, 21), product_id=self.product.id)  # another product: not the cluster
        with freeze_time("2026-03-31 12:00:00"):
            action.invalidate_recordset(["complaints_since_done", "complaints_before"])
            self.assertEqual(action.complaints_since_done, 2)
            self.assertEqual(action.complaints_before, 1, "the linked complaint itself does not count")

    def test_access(self):
        with self.assertRaises(AccessError):
            self.env["complaint.improvement.action"].with_user(self.user).create({"name": "Not allowed"})
        action = self._action()
        self.assertEqual(action.with_user(self.user).name, "Redesign the lid")
        self.assertEqual(action.with_user(self.auditor).name, "Redesign the lid")
        with self.assertRaises(AccessError):
            action.with_user(self.auditor).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            action.with_user(self.handler).unlink()
