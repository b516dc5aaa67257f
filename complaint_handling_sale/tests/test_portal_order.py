from odoo.tests import HttpCase, tagged

from .common import ComplaintSaleCommon


@tagged("post_install", "-at_install")
class TestPortalOrderLookup(HttpCase, ComplaintSaleCommon):
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
        self.assertEqual(complaint.order_reference, self.order.name.lower())
        # The complainant's pages show what they typed, nothing the order holds (its products, its customer).
        self.assertFalse(complaint.product_id)
        self.assertFalse(complaint.partner_id, "the e-mail of an existing contact is linked once confirmed")

    def test_the_tracking_page_shows_the_number_typed_not_the_order(self):
        complaint = self._submit(self.order.name.lower(), "Contact@Example.com")
        token = complaint.sudo()._portal_ensure_token()
        page = self.url_open(f"/my/complaints/{complaint.id}?access_token={token}").text
        self.assertIn(self.order.name.lower(), page)
        for secret in (self.product_a.name, self.order.partner_id.name):
            self.assertNotIn(secret, page)

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
