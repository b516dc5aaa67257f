from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.complaint_handling_sale.tests.common import ComplaintSaleCommon


@tagged("post_install", "-at_install")
class TestComplaintRateReport(ComplaintSaleCommon):
    """Orders and complaints of two products of their own, in January to March 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_x, cls.product_y = cls.env["product.product"].create(
            [{"name": "Rate Product X", "list_price": 5.0}, {"name": "Rate Product Y", "list_price": 7.0}]
        )
        cls.order_jan_1 = cls._order_on("2026-01-10 10:00:00", (cls.product_x, 2), (cls.product_y, 1))
        cls.order_jan_2 = cls._order_on("2026-01-20 10:00:00", (cls.product_x, 3))
        cls.order_feb = cls._order_on("2026-02-05 10:00:00", (cls.product_x, 5))
        # Neither a quotation nor a cancelled order counts as sold.
        cls._order_on("2026-01-11 10:00:00", (cls.product_x, 100), confirm=False)
        cls._order_on("2026-01-12 10:00:00", (cls.product_x, 100)).with_context(
            disable_cancel_warning=True
        )._action_cancel()
        Complaint = cls.env["complaint.complaint"]
        base = {"subject": "Rate test", "partner_id": cls.customer.id, "company_id": cls.company.id}
        Complaint.create(
            [
                dict(base, product_id=cls.product_x.id, date_received="2026-01-21 09:00:00"),
                # No product: counted through the order line it is about.
                dict(
                    base,
                    sale_order_id=cls.order_jan_2.id,
                    sale_line_ids=[Command.set(cls.order_jan_2.order_line.ids)],
                    date_received="2026-01-25 09:00:00",
                ),
                dict(base, product_id=cls.product_x.id, date_received="2026-02-10 09:00:00"),
                # Complaints without sales in their month: a rate with nothing to divide by.
                dict(base, product_id=cls.product_y.id, date_received="2026-03-03 09:00:00"),
            ]
        )
        archived = Complaint.create(dict(base, product_id=cls.product_y.id, date_received="2026-01-15 09:00:00"))
        archived.active = False
        cls.manager = new_test_user(
            cls.env, login="ch_rate_manager", groups="complaint_handling.group_complaint_manager"
        )
        cls.env.flush_all()

    @classmethod
    def _order_on(cls, moment, *lines, confirm=True):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty}) for product, qty in lines
                ],
            }
        )
        if confirm:
            order.action_confirm()
        order.date_order = moment
        return order

    def _rows(self):
        rows = self.env["complaint.rate.report"].search([("product_id", "in", (self.product_x | self.product_y).ids)])
        return {(row.product_id, row.date): row for row in rows}

    def test_rows_per_product_and_month(self):
        rows = self._rows()
        x_jan = rows[self.product_x, date(2026, 1, 1)]
        self.assertEqual((x_jan.complaint_count, x_jan.line_count, x_jan.qty_sold), (2, 2, 5.0))
        self.assertAlmostEqual(x_jan.line_rate, 1000.0)
        self.assertAlmostEqual(x_jan.qty_rate, 400.0)
        x_feb = rows[self.product_x, date(2026, 2, 1)]
        self.assertEqual((x_feb.complaint_count, x_feb.line_count, x_feb.qty_sold), (1, 1, 5.0))
        self.assertAlmostEqual(x_feb.qty_rate, 200.0)
        y_jan = rows[self.product_y, date(2026, 1, 1)]  # sold, the archived complaint left out
        self.assertEqual((y_jan.complaint_count, y_jan.line_count, y_jan.line_rate), (0, 1, 0.0))
        y_mar = rows[self.product_y, date(2026, 3, 1)]
        self.assertEqual((y_mar.complaint_count, y_mar.line_count), (1, 0))
        self.assertFalse(y_mar.line_rate)
        self.assertEqual(len(rows), 4)

    def test_group_rates_come_from_the_group_totals(self):
        groups = self.env["complaint.rate.report"].read_group(
            [("product_id", "=", self.product_x.id)],
            ["complaint_count:sum", "line_count:sum", "qty_sold:sum", "line_rate:avg", "qty_rate:avg"],
            ["product_id"],
        )
        self.assertEqual(len(groups), 1)
        group = groups[0]
        self.assertEqual((group["complaint_count"], group["line_count"], group["qty_sold"]), (3, 3, 10.0))
        self.assertAlmostEqual(group["line_rate"], 1000.0)
        # 3 complaints for 10 units: 300 per 1,000, not the average of the months' 400 and 200.
        self.assertAlmostEqual(group["qty_rate"], 300.0)
        # Whatever aggregate is asked of a rate (the pivot lets the user choose), it comes from the totals.
        [group] = self.env["complaint.rate.report"].read_group(
            [("product_id", "in", (self.product_x | self.product_y).ids)], ["line_rate:sum"], []
        )
        self.assertAlmostEqual(group["line_rate"], 1000.0 * 4 / 4)

    def test_access(self):
        self.assertTrue(self.env["complaint.rate.report"].with_user(self.manager).search_count([]))
        with self.assertRaises(AccessError):
            self.env["complaint.rate.report"].with_user(self.user).search([])
