from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class ComplaintSaleCommon(TransactionCase):
    """Two companies, a salesperson who logs complaints, a customer company with a contact, confirmed orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company_other = cls.env["res.company"].create({"name": "Complaint Sale Other Company"})
        groups = "complaint_handling.group_complaint_user,sales_team.group_sale_salesman"
        cls.user = new_test_user(
            cls.env,
            login="ch_sale_user",
            groups=groups,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.user_other = new_test_user(
            cls.env,
            login="ch_sale_user_other",
            groups=groups,
            company_id=cls.company_other.id,
            company_ids=[Command.set(cls.company_other.ids)],
        )
        cls.user_both = new_test_user(
            cls.env,
            login="ch_sale_user_both",
            groups=groups,
            company_id=cls.company_other.id,
            company_ids=[Command.set((cls.company | cls.company_other).ids)],
        )
        cls.customer = cls.env["res.partner"].create({"name": "Complaint Sale Customer", "is_company": True})
        cls.contact = cls.env["res.partner"].create(
            {"name": "Complaint Sale Contact", "parent_id": cls.customer.id, "email": "contact@example.com"}
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Complaint Sale Other Customer"})
        cls.product_a, cls.product_b = cls.env["product.product"].create(
            [
                {"name": "Complaint Sale Product A", "list_price": 10.0},
                {"name": "Complaint Sale Product B", "list_price": 20.0},
            ]
        )
        cls.order = cls._create_order(cls.customer, cls.product_a)
        cls.order_two_products = cls._create_order(cls.customer, cls.product_a, cls.product_b)

    @classmethod
    def _create_order(cls, partner, *products, user=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or cls.user).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1}) for product in products
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _create_complaint(cls, order, user=None, **vals):
        """A complaint about ``order``, logged by ``user`` (the salesperson by default)."""
        return (
            cls.env["complaint.complaint"]
            .with_user(user or cls.user)
            .create(
                {
                    "subject": "Something went wrong with the order",
                    "partner_id": order.partner_id.id,
                    "sale_order_id": order.id,
                    "company_id": order.company_id.id,
                    **vals,
                }
            )
        )
