from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintAccount(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company_other = cls.env["res.company"].create({"name": "Complaint Account Other Company"})
        cls.user = new_test_user(
            cls.env,
            login="ch_account_user",
            groups="complaint_handling.group_complaint_user,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_other).ids)],
        )
        cls.customer = cls.env["res.partner"].create({"name": "Complaint Account Customer", "is_company": True})
        cls.product = cls.env["product.product"].create({"name": "Complaint Account Product", "list_price": 50.0})
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_line_ids": [Command.create({"product_id": cls.product.id, "price_unit": 50.0})],
            }
        )
        cls.invoice.action_post()

    def test_register_complaint_button_creates_complaint_linked_to_invoice(self):
        invoice = self.invoice.with_user(self.user)
        action = invoice.action_register_complaint()
        with Form(self.env["complaint.complaint"].with_user(self.user).with_context(**action["context"])) as form:
            self.assertEqual(form.invoice_id, self.invoice)
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.subject, f"Complaint about {self.invoice.name}")
        complaint = form.record
        self.assertEqual(complaint.invoice_id, self.invoice)
        self.assertEqual(invoice.complaint_count, 1)
        action = invoice.action_view_complaints()
        self.assertEqual(self.env["complaint.complaint"].search(action["domain"]), complaint)

    def test_onchange_invoice_fills_empty_partner_and_single_product(self):
        with Form(self.env["complaint.complaint"].with_user(self.user)) as form:
            form.subject = "Wrong amount"
            form.invoice_id = self.invoice
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.product_id, self.product)

    def test_invoice_form_buttons_for_complaint_users(self):
        accountant = new_test_user(self.env, login="ch_account_only", groups="account.group_account_invoice")
        for user, shown in ((self.user, True), (accountant, False)):
            arch = self.env["account.move"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertEqual('name="action_register_complaint"' in arch, shown)
            self.assertEqual('name="action_view_complaints"' in arch, shown)

    def test_invoice_of_another_company_cannot_be_linked(self):
        with self.assertRaises(UserError):
            self.env["complaint.complaint"].with_user(self.user).with_company(self.company_other).create(
                {
                    "subject": "Not this company's invoice",
                    "partner_id": self.customer.id,
                    "company_id": self.company_other.id,
                    "invoice_id": self.invoice.id,
                }
            )

    def test_invoice_number_finds_the_complaint(self):
        complaint = self.env["complaint.complaint"].create(
            {"subject": "Invoice complaint", "partner_id": self.customer.id, "invoice_id": self.invoice.id}
        )
        found = self.env["complaint.complaint"].name_search(self.invoice.name)
        self.assertEqual([complaint_id for complaint_id, _name in found], complaint.ids)
        # Complaint staff who may not read invoices still search complaints, without the invoice number.
        handler = new_test_user(
            self.env, login="ch_account_handler", groups="complaint_handling.group_complaint_handler"
        )
        complaint_model = self.env["complaint.complaint"].with_user(handler)
        self.assertEqual(complaint_model.search([("display_name", "ilike", complaint.name)]), complaint)
        self.assertFalse(complaint_model.search([("display_name", "ilike", self.invoice.name)]))
