from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ComplaintSaleCommon


@tagged("post_install", "-at_install")
class TestSaleOrderComplaints(ComplaintSaleCommon):
    def test_complaint_count_and_smart_button(self):
        first = self._create_complaint(self.order)
        second = self._create_complaint(self.order, subject="Second complaint")
        self._create_complaint(self.order_two_products)
        order = self.order.with_user(self.user)
        self.assertEqual(order.complaint_count, 2)
        self.assertEqual(self.order_two_products.complaint_count, 1)
        action = order.action_view_complaints()
        self.assertEqual(action["res_model"], "complaint.complaint")
        self.assertEqual(self.env["complaint.complaint"].search(action["domain"]), first | second)
        self.assertEqual(action["context"]["default_sale_order_id"], self.order.id)

    def test_complaint_count_follows_complaint_visibility(self):
        """A complaint user counts only the complaints they may see."""
        manager = new_test_user(self.env, login="ch_sale_manager", groups="complaint_handling.group_complaint_manager")
        self._create_complaint(self.order, user=manager)
        self.assertEqual(self.order.with_user(manager).complaint_count, 1)
        self.assertEqual(self.order.with_user(self.user).complaint_count, 0)
        self._create_complaint(self.order)
        self.assertEqual(self.order.with_user(manager).complaint_count, 2)
        self.assertEqual(self.order.with_user(self.user).complaint_count, 1)

    def test_salesperson_without_complaint_rights_does_not_see_complaints(self):
        salesman = new_test_user(self.env, login="ch_sale_only", groups="sales_team.group_sale_salesman")
        self._create_complaint(self.order)
        with self.assertRaises(AccessError):
            self.order.with_user(salesman).complaint_count  # noqa: B018

    def test_buttons_shown_to_complaint_users_only(self):
        salesman = new_test_user(self.env, login="ch_sale_only_view", groups="sales_team.group_sale_salesman")
        arch = self.env["sale.order"].with_user(self.user).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_register_complaint"', arch)
        self.assertIn('name="action_view_complaints"', arch)
        arch = self.env["sale.order"].with_user(salesman).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("complaint", arch)

    def test_complaint_form_hides_order_lines_from_users_without_sales_rights(self):
        handler = new_test_user(self.env, login="ch_sale_handler", groups="complaint_handling.group_complaint_handler")
        complaint_model = self.env["complaint.complaint"]
        arch = complaint_model.with_user(self.user).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="sale_order_id"', arch)
        self.assertIn('name="sale_line_ids"', arch)
        arch = complaint_model.with_user(handler).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="sale_order_id"', arch)
        self.assertNotIn('name="sale_line_ids"', arch)
        # The handler sees which order the complaint is about, without choosing one.
        nodes = etree.fromstring(arch).xpath("//field[@name='sale_order_id']")
        self.assertEqual([node.get("readonly") for node in nodes], ["1"])
        complaint = self._create_complaint(self.order)
        values = complaint.with_user(handler).web_read({"sale_order_id": {"fields": {"display_name": {}}}})
        self.assertEqual(values[0]["sale_order_id"]["display_name"], self.order.name)
        # Searching complaints by name does not go through the orders the handler may not read.
        complaint_model = complaint_model.with_user(handler)
        self.assertEqual(complaint_model.name_search(complaint.name)[0][0], complaint.id)
        self.assertFalse(complaint_model.search([("display_name", "ilike", self.order.name)]))


@tagged("post_install", "-at_install", "is_query_count")
class TestSaleOrderComplaintCountQueries(ComplaintSaleCommon):
    def test_complaint_count_query_count_is_constant(self):
        """One grouped query counts the complaints of any number of orders."""
        orders = self.env["sale.order"].create(
            [{"partner_id": self.customer.id, "user_id": self.user.id} for _index in range(20)]
        )
        for order in orders[:5]:
            self._create_complaint(order)
        orders = orders.with_user(self.user)
        orders.mapped("complaint_count")  # warm the caches of access rights and rules
        counts = {}
        for records in (orders[:1], orders):
            records.invalidate_recordset(["complaint_count"])
            self.env.flush_all()
            before = self.cr.sql_log_count
            with self.assertQueryCount(1):
                records.mapped("complaint_count")
            counts[len(records)] = self.cr.sql_log_count - before
        self.assertEqual(counts, {1: 1, 20: 1})
        self.assertEqual(orders.mapped("complaint_count"), [1] * 5 + [0] * 15)
