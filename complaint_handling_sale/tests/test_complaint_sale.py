from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ComplaintSaleCommon


@tagged("post_install", "-at_install")
class TestComplaintSale(ComplaintSaleCommon):
    def test_register_complaint_button_creates_complaint_linked_to_order(self):
        action = self.order.with_user(self.user).action_register_complaint()
        self.assertEqual(action["res_model"], "complaint.complaint")
        complaint_model = self.env["complaint.complaint"].with_user(self.user).with_context(**action["context"])
        with Form(complaint_model) as form:
            self.assertEqual(form.sale_order_id, self.order)
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.company_id, self.order.company_id)
            self.assertEqual(form.subject, f"Complaint about {self.order.name}")
            self.assertEqual(form.channel, "phone")
            # The order has a single product: it is the product complained about.
            self.assertEqual(form.product_id, self.product_a)
        complaint = form.record
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.state, "received")
        self.assertEqual(self.order.with_user(self.user).complaint_count, 1)
        self.assertEqual(self.order.with_user(self.user).complaint_ids, complaint)

    def test_onchange_order_fills_empty_partner_and_single_product(self):
        with Form(self.env["complaint.complaint"].with_user(self.user)) as form:
            form.subject = "Late delivery"
            form.sale_order_id = self.order
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.complainant_name, self.customer.name, "the partner onchange of the core ran too")
            self.assertEqual(form.product_id, self.product_a)

    def test_onchange_order_keeps_partner_and_skips_product_of_multi_product_order(self):
        with Form(self.env["complaint.complaint"].with_user(self.user)) as form:
            form.subject = "Wrong items"
            form.partner_id = self.contact
            form.sale_order_id = self.order_two_products
            self.assertEqual(form.partner_id, self.contact, "a complainant already chosen is kept")
            self.assertFalse(form.product_id, "which of the two products is concerned is not guessed")
            form.sale_line_ids.add(self.order_two_products.order_line[1])
            self.assertEqual(form.sale_line_ids[:], self.order_two_products.order_line[1])
            # Changing the order drops the lines of the previous one.
            form.sale_order_id = self.order
            self.assertFalse(form.sale_line_ids[:])

    def test_order_domain_follows_commercial_partner(self):
        """The contact of a customer company finds the orders of the company, not those of others."""
        other_order = self._create_order(self.other_customer, self.product_a)
        complaint = self.env["complaint.complaint"].new({"partner_id": self.contact.id})
        field = complaint._fields["sale_order_id"]
        self.assertIn("commercial_partner_id", field.domain)
        domain = [("partner_id.commercial_partner_id", "=?", complaint.commercial_partner_id.id)]
        orders = self.env["sale.order"].search(domain)
        self.assertIn(self.order, orders)
        self.assertNotIn(other_order, orders)

    def test_order_lines_must_belong_to_the_order(self):
        complaint = self._create_complaint(self.order)
        with self.assertRaises(ValidationError):
            complaint.sale_line_ids = [Command.set(self.order_two_products.order_line.ids)]
        complaint.sale_line_ids = [Command.set(self.order.order_line.ids)]
        self.assertEqual(complaint.sale_line_ids, self.order.order_line)

    def test_user_of_another_company_cannot_link_order(self):
        complaint_model = self.env["complaint.complaint"]
        vals = {
            "subject": "Not my company's order",
            "partner_id": self.other_customer.id,
            "company_id": self.company_other.id,
            "sale_order_id": self.order.id,
        }
        with self.assertRaises(UserError):
            complaint_model.with_user(self.user_other).with_company(self.company_other).create(vals)
        # Even a user allowed in both companies cannot link an order to a complaint of the other company.
        with self.assertRaises(UserError):
            complaint_model.with_user(self.user_both).with_company(self.company_other).create(vals)
        complaint = (
            complaint_model.with_user(self.user_other)
            .with_company(self.company_other)
            .create(dict(vals, sale_order_id=False))
        )
        with self.assertRaises(UserError):
            complaint.with_user(self.user_both).sale_order_id = self.order

    def test_order_number_finds_the_complaint(self):
        complaint = self._create_complaint(self.order)
        self._create_complaint(self.order_two_products)
        complaint_model = self.env["complaint.complaint"].with_user(self.user)
        found = complaint_model.name_search(self.order.name)
        self.assertEqual([complaint_id for complaint_id, _name in found], complaint.ids)
        self.assertEqual(complaint_model.search([("display_name", "ilike", self.order.name)]), complaint)
        self.assertEqual(complaint_model.search([("sale_order_id", "ilike", self.order.name)]), complaint)
        # The usual searches still work.
        self.assertIn(complaint, complaint_model.search([("display_name", "ilike", complaint.name)]))
