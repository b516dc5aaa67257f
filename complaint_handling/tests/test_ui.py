from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintUi(HttpCase):
    """The back-office flow in the real web client: record, acknowledge and assess a complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.handler = new_test_user(
            cls.env,
            login="ch_tour_handler",
            name="Tour Handler",
            groups="complaint_handling.group_complaint_handler",
        )
        cls.team = cls.env["complaint.team"].create({"name": "Tour Team", "member_ids": [Command.set(cls.handler.ids)]})
        cls.category = cls.env["complaint.category"].create({"name": "Tour Category"})
        cls.partner = cls.env["res.partner"].create(
            {"name": "Tour Complainant", "email": "tour.complainant@example.com"}
        )

    def test_handler_records_acknowledges_and_assesses_a_complaint(self):
        self.start_tour("/odoo", "complaint_handling_tour", login=self.handler.login)

        self.env.invalidate_all()
        complaint = self.env["complaint.complaint"].search([("subject", "=", "Tour: the kettle leaks")])
        self.assertEqual(len(complaint), 1)
        self.assertRecordValues(
            complaint,
            [
                {
                    "state": "assessed",
                    "stage_id": self.env.ref("complaint_handling.complaint_stage_assessed").id,
                    "partner_id": self.partner.id,
                    "channel": "phone",
                    "team_id": self.team.id,
                    "category_id": self.category.id,
                    "severity_id": self.env.ref("complaint_handling.complaint_severity_high").id,
                    "scope_decision": "in_scope",
                    "received_by_id": self.handler.id,
                }
            ],
        )
        self.assertTrue(complaint.date_acknowledged)
        self.assertTrue(complaint.date_assessed)
        steps = complaint.step_ids.sorted("id")
        self.assertEqual(steps.mapped("action"), ["Received", "Acknowledged", "Assessed"])
        self.assertEqual(steps.mapped("state_to"), ["received", "acknowledged", "assessed"])
        self.assertEqual(steps.user_id, self.handler)
