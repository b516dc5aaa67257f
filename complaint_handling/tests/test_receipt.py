from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestReceipt(ComplaintCase):
    def _count(self):
        return self.env["complaint.complaint"].with_context(active_test=False).search_count([])

    def test_reference_comes_from_the_sequence_and_is_unique(self):
        first = self._create_complaint()
        second = self._create_complaint()
        other_company = self._create_complaint(user=self.handler_c2, partner_id=False, anonymous=True)
        self.assertEqual(other_company.company_id, self.company2)
        prefix = f"CMP/{fields.Date.today().year}/"
        for complaint in first | second | other_company:
            self.assertTrue(complaint.name.startswith(prefix), complaint.name)
        self.assertEqual(len(set((first | second | other_company).mapped("name"))), 3)
        self.assertEqual(first.display_name, f"{first.name} - The kettle leaks")

    def test_reference_is_given_by_the_register_not_by_users(self):
        for user in (self.user, self.handler, self.manager):
            with self.subTest(user=user.login), self.assertRaisesText(AccessError, "Reference"):
                self._create_complaint(user=user, name="EXT-0042")
        # A migration or an import run by the administrator (superuser) keeps the references it brings.
        complaint = (
            self.env["complaint.complaint"]
            .sudo()
            .create({"subject": "Imported", "partner_id": self.partner.id, "name": "EXT-0042"})
        )
        self.assertEqual(complaint.name, "EXT-0042")

    def test_company_can_have_its_own_sequence(self):
        self.env["ir.sequence"].create(
            {"name": "C2 complaints", "code": "complaint.complaint", "prefix": "C2/", "company_id": self.company2.id}
        )
        own = self._create_complaint(user=self.handler_c2, partner_id=False, anonymous=True)
        shared = self._create_complaint()
        self.assertTrue(own.name.startswith("C2/"), own.name)
        self.assertTrue(shared.name.startswith("CMP/"), shared.name)

    def test_complainant_contact_is_required_unless_anonymous(self):
        missing = [
            {},
            {"complainant_name": "Jo"},
            {"complainant_email": "jo@example.com"},
            {"complainant_phone": "+32 2 000 00 00"},
        ]
        count = self._count()
        for vals in missing:
            with self.subTest(vals=vals), self.assertRaisesText(ValidationError, "anonymous"):
                self._create_complaint(partner_id=False, **vals)
        self.assertEqual(self._count(), count, "nothing created")

    def test_a_name_with_an_email_or_a_phone_is_enough(self):
        by_mail = self._create_complaint(partner_id=False, complainant_name="Jo", complainant_email="jo@example.com")
        by_phone = self._create_complaint(partner_id=False, complainant_name="Al", complainant_phone="+32 2 000 00 00")
        self.assertEqual((by_mail | by_phone).mapped("state"), ["received", "received"])

    def test_anonymous_complaint_needs_no_contact(self):
        complaint = self._create_complaint(partner_id=False, anonymous=True)
        self.assertTrue(complaint.anonymous)
        self.assertEqual(complaint.state, "received")

    def test_removing_the_contact_later_is_refused(self):
        complaint = self._create_complaint()
        with self.assertRaisesText(ValidationError, "anonymous"):
            complaint.partner_id = False
        complaint.write({"partner_id": False, "anonymous": True})
        self.assertFalse(complaint.partner_id)

    def test_batch_with_one_complaint_without_contact_creates_none(self):
        count = self._count()
        with self.assertRaises(ValidationError):
            self.env["complaint.complaint"].with_user(self.manager).create(
                [
                    {"subject": "Fine", "partner_id": self.partner.id},
                    {"subject": "No contact"},
                ]
            )
        self.assertEqual(self._count(), count)

    def test_partner_onchange_fills_the_contact_details(self):
        form = Form(self.env["complaint.complaint"].with_user(self.manager))
        form.subject = "Late delivery"
        form.partner_id = self.partner
        self.assertEqual(form.complainant_name, "Jane Complainer")
        self.assertEqual(form.complainant_email, "jane.complainer@example.com")
        self.assertEqual(form.complainant_phone, "+32 470 00 00 00")
        complaint = form.save()
        self.assertEqual(complaint.complainant_email, "jane.complainer@example.com")
        self.assertEqual(complaint.received_by_id, self.manager)

    def test_partner_mobile_is_used_without_phone(self):
        partner = self.env["res.partner"].create({"name": "Mo Bile", "mobile": "+32 499 99 99 99"})
        form = Form(self.env["complaint.complaint"].with_user(self.manager))
        form.partner_id = partner
        self.assertEqual(form.complainant_phone, "+32 499 99 99 99")

    def test_category_sets_its_default_team(self):
        form = Form(self.env["complaint.complaint"].with_user(self.manager))
        form.subject = "Rude staff"
        form.partner_id = self.partner
        form.category_id = self.category_team_a
        self.assertEqual(form.team_id, self.team_a)
        form.team_id = self.team_b
        form.category_id = self.category
        self.assertEqual(form.team_id, self.team_b, "a chosen team is kept")
        self.assertEqual(form.save().team_id, self.team_b)

        created = self._create_complaint(category_id=self.category_team_a.id)
        self.assertEqual(created.team_id, self.team_a)
        explicit = self._create_complaint(category_id=self.category_team_a.id, team_id=self.team_b.id)
        self.assertEqual(explicit.team_id, self.team_b)

    def test_new_complaint_starts_received_with_one_history_line(self):
        complaint = self._create_complaint(user=self.user, channel="phone")
        self.assertEqual(complaint.state, "received")
        self.assertEqual(complaint.stage_id, self.env.ref("complaint_handling.complaint_stage_received"))
        self.assertRecordValues(
            complaint.step_ids.sudo(),
            [{"action_label": "Received: Phone", "state_to": "received", "user_id": self.user.id, "note": False}],
        )
        self.assertEqual(complaint.received_by_id, self.user)
        self.assertEqual(complaint.company_id, self.company)

    def test_batch_create_of_fifty_complaints_in_one_call(self):
        vals_list = [
            {
                "subject": f"Batch complaint {index}",
                "partner_id": self.partner.id if index % 2 else False,
                "complainant_name": f"Person {index}",
                "complainant_phone": "+32 2 000 00 00",
                "category_id": self.category_team_a.id if index % 3 else self.category.id,
                "product_id": self.product.id,
                "channel": "web",
            }
            for index in range(50)
        ]
        complaints = self.env["complaint.complaint"].with_user(self.manager).create(vals_list)
        self.assertEqual(len(complaints), 50)
        self.assertEqual(len(set(complaints.mapped("name"))), 50)
        self.assertFalse(complaints.filtered(lambda c: not c.name.startswith("CMP/")))
        self.assertEqual(set(complaints.mapped("state")), {"received"})
        steps = complaints.step_ids
        self.assertEqual(len(steps), 50)
        self.assertEqual(steps.complaint_id, complaints)
        self.assertEqual(set(steps.mapped("action")), {"received"})
        self.assertEqual(len(complaints.filtered(lambda c: c.team_id == self.team_a)), 33)

    def test_a_shared_category_has_a_default_team_per_company(self):
        shared = self.env["complaint.category"].create({"name": "Shared category"})
        shared.team_id = self.team_a
        shared.with_company(self.company2).team_id = self.team_c2
        Complaint = self.env["complaint.complaint"]
        values = {"subject": "Shared", "partner_id": self.partner.id, "category_id": shared.id}
        in_company1 = Complaint.create(values)
        in_company2 = Complaint.create(dict(values, company_id=self.company2.id))
        self.assertEqual(in_company1.team_id, self.team_a)
        self.assertEqual(in_company2.team_id, self.team_c2)
        form = Form(Complaint.with_company(self.company2))
        form.subject = "Shared, from the form"
        form.partner_id = self.partner
        form.category_id = shared
        self.assertEqual(form.team_id, self.team_c2)
