from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplaintStock(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company_other = cls.env["res.company"].create({"name": "Complaint Stock Other Company"})
        cls.user = new_test_user(
            cls.env,
            login="ch_stock_user",
            groups="complaint_handling.group_complaint_user,stock.group_stock_user,stock.group_production_lot",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_other).ids)],
        )
        cls.customer = cls.env["res.partner"].create({"name": "Complaint Stock Customer", "is_company": True})
        cls.product, cls.other_product = cls.env["product.product"].create(
            [
                {"name": "Complaint Stock Product", "is_storable": True, "tracking": "lot"},
                {"name": "Complaint Stock Other Product", "is_storable": True},
            ]
        )
        cls.lot = cls.env["stock.lot"].create({"name": "CH-LOT-1", "product_id": cls.product.id})
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        picking_type = warehouse.out_type_id
        cls.delivery = cls.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": cls.customer.id,
                "location_id": picking_type.default_location_src_id.id,
                "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create(
                        {
                            "name": cls.product.name,
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "location_id": picking_type.default_location_src_id.id,
                            "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                        }
                    )
                ],
            }
        )

    def test_register_complaint_button_creates_complaint_linked_to_delivery(self):
        delivery = self.delivery.with_user(self.user)
        action = delivery.action_register_complaint()
        with Form(self.env["complaint.complaint"].with_user(self.user).with_context(**action["context"])) as form:
            self.assertEqual(form.picking_id, self.delivery)
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.product_id, self.product, "the delivery has a single product")
            form.lot_id = self.lot
        complaint = form.record
        self.assertEqual(complaint.picking_id, self.delivery)
        self.assertEqual(complaint.lot_id, self.lot)
        self.assertEqual(delivery.complaint_count, 1)
        self.assertEqual(self.lot.with_user(self.user).complaint_count, 1)
        for record, field in ((delivery, "picking_id"), (self.lot.with_user(self.user), "lot_id")):
            action = record.action_view_complaints()
            self.assertEqual(action["domain"], [(field, "=", record.id)])
            self.assertEqual(self.env["complaint.complaint"].search(action["domain"]), complaint)

    def test_lot_and_product_onchanges(self):
        with Form(self.env["complaint.complaint"].with_user(self.user)) as form:
            form.subject = "Faulty batch"
            form.partner_id = self.customer
            form.product_id = self.product
            form.lot_id = self.lot
            form.product_id = self.other_product
            self.assertFalse(form.lot_id, "a lot of another product is dropped")
        complaint = self.env["complaint.complaint"].new({"lot_id": self.lot.id})
        complaint._onchange_lot_id()
        self.assertEqual(complaint.product_id, self.product, "the lot tells the product")

    def test_users_without_inventory_rights(self):
        """Complaint staff without inventory rights see the delivery, cannot choose one, still search complaints."""
        handler = new_test_user(self.env, login="ch_stock_handler", groups="complaint_handling.group_complaint_handler")
        complaint = (
            self.env["complaint.complaint"]
            .with_user(self.user)
            .create({"subject": "Delivery complaint", "partner_id": self.customer.id, "picking_id": self.delivery.id})
        )
        self.assertEqual(self._picking_field_readonly(self.user), ["is_done"])
        self.assertEqual(self._picking_field_readonly(handler), ["1"])
        complaint_model = self.env["complaint.complaint"].with_user(handler)
        self.assertEqual(complaint_model.search([("display_name", "ilike", complaint.name)]), complaint)
        self.assertFalse(complaint_model.search([("display_name", "ilike", self.delivery.name)]))
        complaint_model = self.env["complaint.complaint"].with_user(self.user)
        self.assertEqual(complaint_model.search([("display_name", "ilike", self.delivery.name)]), complaint)

    def _picking_field_readonly(self, user):
        views = self.env["complaint.complaint"].with_user(user).get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        return [node.get("readonly") for node in arch.xpath("//field[@name='picking_id']")]

    def test_delivery_and_lot_forms_show_complaint_buttons_to_complaint_users(self):
        stock_user = new_test_user(self.env, login="ch_stock_only", groups="stock.group_stock_user")
        for user, shown in ((self.user, True), (stock_user, False)):
            for model in ("stock.picking", "stock.lot"):
                arch = self.env[model].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
                self.assertEqual('name="action_view_complaints"' in arch, shown, model)
            arch = self.env["stock.picking"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertEqual('name="action_register_complaint"' in arch, shown)

    def test_delivery_of_another_company_cannot_be_linked(self):
        with self.assertRaises(UserError):
            self.env["complaint.complaint"].with_user(self.user).with_company(self.company_other).create(
                {
                    "subject": "Not this company's delivery",
                    "partner_id": self.customer.id,
                    "company_id": self.company_other.id,
                    "picking_id": self.delivery.id,
                }
            )
