from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestQuickEntry(ComplaintCase):
    """Staff register a complaint received by phone, in person or by letter (ISO 10002 7.2)."""

    def _wizard(self, user, **values):
        form = Form(self.env["complaint.quick.entry"].with_user(user))
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def _open(self, action):
        self.assertEqual(action["res_model"], "complaint.complaint")
        return self.env["complaint.complaint"].browse(action["res_id"])

    def test_phone_call_taken_by_a_handler_is_registered_and_acknowledged(self):
        wizard = self._wizard(
            self.handler,
            partner_id=self.partner,
            subject="Kettle leaks",
            description="<p>It leaks after a week.</p>",
            remedy_requested="A new kettle",
            product_id=self.product,
            category_id=self.category_team_a,
        )
        self.assertEqual(wizard.channel, "phone")
        self.assertTrue(wizard.acknowledged_now)
        complaint = self._open(wizard.action_register())
        self.assertEqual(complaint.channel, "phone")
        self.assertEqual(complaint.partner_id, self.partner)
        self.assertEqual(complaint.complainant_email, self.partner.email)
        self.assertEqual(complaint.product_id, self.product)
        self.assertEqual(complaint.remedy_requested, "A new kettle")
        self.assertIn("leaks after a week", complaint.description)
        self.assertEqual(complaint.team_id, self.team_a, "the create rules of the register apply")
        self.assertEqual(complaint.state, "acknowledged")
        self.assertEqual(complaint.acknowledgement_method, "phone")
        self.assertTrue(complaint.date_acknowledged)
        self.assertEqual(complaint.step_ids.mapped("state_to"), ["received", "acknowledged"])

    def test_visit_is_acknowledged_in_person(self):
        wizard = self._wizard(
            self.handler,
            channel="in_person",
            complainant_name="Walk In",
            complainant_phone="+32 2 000 00 00",
            subject="Rude staff",
        )
        complaint = self._open(wizard.action_register())
        self.assertEqual((complaint.channel, complaint.acknowledgement_method), ("in_person", "in_person"))
        self.assertEqual(complaint.state, "acknowledged")

    def test_letter_is_not_acknowledged_by_default(self):
        form = Form(self.env["complaint.quick.entry"].with_user(self.handler))
        form.channel = "letter"
        self.assertFalse(form.acknowledged_now)
        form.anonymous = True
        form.subject = "Anonymous letter"
        complaint = self._open(form.save().action_register())
        self.assertEqual(complaint.channel, "letter")
        self.assertTrue(complaint.anonymous)
        self.assertEqual(complaint.state, "received")

    def test_plain_user_registers_but_does_not_acknowledge(self):
        wizard = self._wizard(self.user, partner_id=self.partner, subject="Late delivery")
        self.assertFalse(wizard.can_acknowledge)
        self.assertTrue(wizard.acknowledged_now)
        complaint = self._open(wizard.action_register())
        self.assertEqual(complaint.state, "received")
        self.assertFalse(complaint.date_acknowledged)
        self.assertEqual(complaint.received_by_id, self.user)

    def test_partner_fills_in_the_contact_details(self):
        form = Form(self.env["complaint.quick.entry"].with_user(self.user))
        form.partner_id = self.partner
        self.assertEqual(form.complainant_name, "Jane Complainer")
        self.assertEqual(form.complainant_email, "jane.complainer@example.com")
        self.assertEqual(form.complainant_phone, "+32 470 00 00 00")

    def test_missing_contact_is_refused_and_nothing_is_created(self):
        wizard = self._wizard(self.handler, complainant_name="No Contact", subject="Broken")
        count = self.env["complaint.complaint"].search_count([])
        with self.assertRaisesText(ValidationError, "enter their name and an e-mail or phone number"):
            wizard.action_register()
        self.assertEqual(self.env["complaint.complaint"].search_count([]), count)

    def test_register_and_new_keeps_the_channel_for_the_next_call(self):
        wizard = self._wizard(self.handler, channel="in_person", partner_id=self.partner, subject="First")
        action = wizard.action_register_and_new()
        self.assertEqual(action["res_model"], "complaint.quick.entry")
        self.assertEqual(action["target"], "new")
        complaint = self.env["complaint.complaint"].search([("subject", "=", "First")])
        self.assertEqual(complaint.state, "acknowledged")
        next_form = Form(self.env["complaint.quick.entry"].with_user(self.handler).with_context(**action["context"]))
        self.assertEqual(next_form.channel, "in_person")
        self.assertEqual(next_form.last_registered, complaint.display_name)
        self.assertFalse(next_form.partner_id)
        self.assertFalse(next_form.subject)

    def test_register_complaint_from_a_partner(self):
        action = self.partner.with_user(self.user).action_register_complaint()
        self.assertEqual(action["res_model"], "complaint.complaint")
        form = Form(self.env["complaint.complaint"].with_user(self.user).with_context(**action["context"]))
        self.assertEqual(form.partner_id, self.partner)
        self.assertEqual(form.channel, "phone")
        self.assertEqual(form.complainant_phone, "+32 470 00 00 00")
        form.subject = "Called about the invoice"
        complaint = form.save()
        self.assertEqual(complaint.partner_id, self.partner)
        self.assertEqual(complaint.state, "received")
        self.assertEqual(self.partner.complaint_count, 1)
