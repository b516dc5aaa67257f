from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestAutomation(ComplaintCase):
    """The shipped automation rules fire on create/write, call the model's rules, and can be switched off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_assign = cls.env.ref("complaint_handling.complaint_automation_assign_team")
        cls.rule_severity = cls.env.ref("complaint_handling.complaint_automation_high_severity")
        cls.rule_stage = cls.env.ref("complaint_handling.complaint_automation_notify_stage")
        cls.manager_c2 = new_test_user(
            cls.env,
            login="ch_manager_c2",
            groups="complaint_handling.group_complaint_manager",
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
        )

    def _alerts(self, complaint):
        return complaint.message_ids.filtered(lambda m: "High-severity complaint" in (m.body or ""))

    def _stage_messages(self, complaint):
        return complaint.message_ids.filtered(lambda m: "is now at the stage" in (m.body or ""))

    # ---------------------------------------------------------------- shipped data

    def test_rules_are_shipped_as_editable_automation_rules(self):
        self.assertEqual(self.rule_assign.trigger, "on_create_or_write")
        self.assertEqual(self.rule_severity.trigger, "on_create_or_write")
        self.assertEqual(self.rule_stage.trigger, "on_stage_set")
        self.assertTrue(self.rule_assign.active)
        self.assertTrue(self.rule_severity.active)
        self.assertFalse(self.rule_stage.active, "telling the complainant each stage is the organisation's choice")
        for rule in self.rule_assign | self.rule_severity | self.rule_stage:
            self.assertEqual(rule.model_id.model, "complaint.complaint")
            self.assertEqual(rule.action_server_ids.mapped("state"), ["code"])
        # Settings > Technical > Automation Rules lists them, switched off ones included (archived),
        # its form opens them, and Archive / Unarchive switch them off and on.
        action = self.env["ir.actions.act_window"]._for_xml_id("base_automation.base_automation_act")
        self.assertIn("'active_test': False", action["context"])
        listed = self.env["base.automation"].with_context(active_test=False).search([])
        self.assertLessEqual(self.rule_assign | self.rule_severity | self.rule_stage, listed)
        form = Form(self.rule_severity)
        self.assertEqual(form.trigger, "on_create_or_write")
        form.filter_domain = "[('severity_id.level', '>=', 4)]"
        form.save()
        self.rule_severity.action_archive()
        self.assertFalse(self.rule_severity.active)
        self.rule_stage.action_unarchive()
        self.assertTrue(self.rule_stage.active)

    # ------------------------------------------------------- a) team from category

    def test_assign_from_category_sets_the_category_team_of_the_company(self):
        complaint = self._create_complaint(category_id=self.category.id)  # a category without team
        self.assertFalse(complaint.team_id)
        self.category.with_company(self.company2).team_id = self.team_c2
        self.category.with_company(self.company).team_id = self.team_b
        complaint._assign_from_category()
        self.assertEqual(complaint.team_id, self.team_b)
        self.assertFalse(complaint.user_id, "the handler is not guessed")

    def test_assign_from_category_keeps_a_team_already_set(self):
        complaint = self._create_complaint(category_id=self.category.id, team_id=self.team_b.id)
        self.category.team_id = self.team_a
        complaint._assign_from_category()
        self.assertEqual(complaint.team_id, self.team_b)

    def test_setting_a_category_assigns_its_team_through_the_rule(self):
        complaint = self._create_complaint(user=self.user)
        self.assertFalse(complaint.team_id)
        complaint.category_id = self.category_team_a
        self.assertEqual(complaint.team_id, self.team_a)
        self.assertFalse(complaint.user_id)
        self.assertIn("assigned", complaint.step_ids.mapped("action"))

    def test_switched_off_assignment_rule_does_nothing(self):
        self.rule_assign.active = False
        complaint = self._create_complaint()
        complaint.category_id = self.category_team_a
        self.assertFalse(complaint.team_id)

    # ------------------------------------------------------- b) high severity alert

    def test_high_severity_alerts_managers_once_with_a_todo_for_the_leader(self):
        complaint = self._create_complaint(user=self.handler, team_id=self.team_a.id, severity_id=self.severity_high.id)
        alerts = self._alerts(complaint)
        self.assertEqual(len(alerts), 1)
        self.assertTrue(complaint.high_severity_alerted)
        self.assertEqual(alerts.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn(self.manager.partner_id, alerts.partner_ids)
        self.assertNotIn(self.manager_c2.partner_id, alerts.partner_ids, "managers of another company only")
        self.assertNotIn(self.env.ref("base.user_root").partner_id, alerts.partner_ids)
        activity = complaint.activity_ids
        self.assertEqual(activity.user_id, self.leader)
        # Another impact later: still one alert.
        complaint.write(
            {"legal_impact": True, "severity_id": self.env.ref("complaint_handling.complaint_severity_critical").id}
        )
        self.assertEqual(len(self._alerts(complaint)), 1)
        self.assertEqual(len(complaint.activity_ids), 1)

    def test_safety_impact_set_later_alerts_managers(self):
        complaint = self._create_complaint(severity_id=self.severity.id)
        self.assertFalse(self._alerts(complaint))
        self.assertFalse(complaint.high_severity_alerted)
        complaint.safety_impact = True
        self.assertEqual(len(self._alerts(complaint)), 1)
        self.assertIn("safety", self._alerts(complaint).body)
        self.assertFalse(complaint.activity_ids, "no team leader, no to-do")

    def test_a_user_logging_a_critical_complaint_alerts_managers(self):
        complaint = self._create_complaint(
            user=self.user, severity_id=self.env.ref("complaint_handling.complaint_severity_critical").id
        )
        self.assertEqual(len(self._alerts(complaint.sudo())), 1)

    def test_switched_off_alert_rule_does_nothing_but_the_method_still_works(self):
        self.rule_severity.active = False
        complaint = self._create_complaint(severity_id=self.severity_high.id)
        self.assertFalse(self._alerts(complaint))
        complaint._notify_managers_high_severity()
        self.assertEqual(len(self._alerts(complaint)), 1)

    # --------------------------------------------------- c) complainant told of stage

    def test_stage_notification_is_off_by_default(self):
        complaint = self._create_complaint(user=self.handler)
        self._advance(complaint, "investigating")
        self.assertFalse(self._stage_messages(complaint))

    def test_stage_change_tells_the_complainant_once_per_stage(self):
        self.rule_stage.active = True
        complaint = self._create_complaint(user=self.handler)
        complaint.action_acknowledge()
        self.assertFalse(self._stage_messages(complaint), "receipt and acknowledgement: the acknowledgement says it")
        self._advance(complaint, "assessed")
        message = self._stage_messages(complaint)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(message.partner_ids, self.partner)
        self.assertIn(complaint.stage_id.name, message.body)
        self.assertEqual(complaint.notified_stage_id, complaint.stage_id)
        self._advance(complaint, "investigating")
        self.assertEqual(len(self._stage_messages(complaint)), 2)

    def test_dragging_to_a_stage_tells_the_complainant_once(self):
        self.rule_stage.active = True
        complaint = self._advance(self._create_complaint(user=self.handler), "acknowledged")
        self._prepare(complaint, "assessed")
        complaint.write({"stage_id": self.env.ref("complaint_handling.complaint_stage_assessed").id})
        self.assertEqual(complaint.state, "assessed")
        self.assertEqual(len(self._stage_messages(complaint)), 1)

    def test_complainant_known_by_email_only_gets_a_contact_and_the_message(self):
        self.rule_stage.active = True
        complaint = self._create_complaint(
            user=self.handler, partner_id=False, complainant_name="Ann Caller", complainant_email="ann@example.com"
        )
        self._advance(complaint, "assessed")
        message = self._stage_messages(complaint)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids.email, "ann@example.com")

    def test_anonymous_complainant_is_not_notified(self):
        self.rule_stage.active = True
        complaint = self._create_complaint(user=self.handler, partner_id=False, anonymous=True)
        self._advance(complaint, "assessed")
        self.assertFalse(self._stage_messages(complaint))
        complaint._notify_complainant_stage_change()
        self.assertFalse(self._stage_messages(complaint))

    def test_switched_off_stage_rule_stops_the_messages(self):
        self.rule_stage.active = True
        complaint = self._advance(self._create_complaint(user=self.handler), "assessed")
        self.assertEqual(len(self._stage_messages(complaint)), 1)
        self.rule_stage.active = False
        self._advance(complaint, "investigating")
        self.assertEqual(len(self._stage_messages(complaint)), 1)

    # ------------------------------------------------ rules skipped when they cannot fire

    def test_rule_on_a_computed_field_still_fires_when_it_is_recomputed(self):
        rule = self.env["base.automation"].create(
            {
                "name": "Test: note the complaints that end",
                "model_id": self.env["ir.model"]._get_id("complaint.complaint"),
                "trigger": "on_create_or_write",
                "trigger_field_ids": [
                    Command.set([self.env.ref("complaint_handling.field_complaint_complaint__is_done").id])
                ],
                "filter_domain": "[('is_done', '=', True)]",
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Log the end",
                "model_id": rule.model_id.id,
                "base_automation_id": rule.id,
                "usage": "base_automation",
                "state": "code",
                "code": "records._log_step('Ended (test rule)')",
            }
        )
        complaint = self._create_complaint(user=self.handler)
        complaint.priority = "1"
        self.assertNotIn("Ended (test rule)", complaint.step_ids.mapped("action"))
        complaint.with_user(self.handler).action_withdraw(reason="The complainant changed their mind.")
        self.assertTrue(complaint.is_done)
        self.assertEqual(complaint.step_ids.mapped("action").count("Ended (test rule)"), 1)
