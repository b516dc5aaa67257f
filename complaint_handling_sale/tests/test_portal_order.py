from odoo.tests import tagged

from .common import ComplaintSaleCommon


@tagged("post_install", "-at_install")
class TestPortalOrderLookup(ComplaintSaleCommon):
    """The public form links a complaint to an order only when the number and the customer's e-mail match."""

    def _submit(self, reference, email):
        form = {
            "complainant_name": "Web Customer",
            "complainant_email": email,
            "subject": "Broken on arrival",
            "description": "It was broken.",
            "order_reference": reference,
            "consent_data_processing": True,
        }
        Complaint = self.env["complaint.complaint"].with_user(self.env.ref("base.public_user"))
        return Complaint._portal_submit(form, ip="192.0.2.50", company=self.company)

    def test_number_and_email_of_a_contact_find_the_order(self):
        complaint = self._submit(self.order.name.lower(), "Contact@Example.com")
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.product_id, self.product_a, "a one-product order gives the product")
        self.assertEqual(complaint.order_reference, self.order.name.lower())

    def test_number_with_another_email_links_nothing(self):
        self.env["res.partner"].create({"name": "Stranger", "email": "stranger@example.com"})
        complaint = self._submit(self.order.name, "stranger@example.com")
        self.assertFalse(complaint.sale_order_id)
        self.assertEqual(complaint.order_reference, self.order.name)

    def test_wildcards_do_not_match_orders(self):
        complaint = self._submit("%", "contact@example.com")
        self.assertFalse(complaint.sale_order_id)

    def test_hook_returns_values(self):
        Complaint = self.env["complaint.complaint"]
        self.assertEqual(
            Complaint._portal_find_order(self.order_two_products.name, "contact@example.com"),
            {"sale_order_id": self.order_two_products.id},
        )
        self.assertEqual(Complaint._portal_find_order(self.order.name, ""), {})
