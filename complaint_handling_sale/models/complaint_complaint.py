from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import escape_psql
from odoo.tools.mail import email_normalize


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id.commercial_partner_id', '=?', commercial_partner_id)]",
        help="The order the complaint is about (ISO 10002 7.2: the product, service or order concerned).",
    )
    sale_line_ids = fields.Many2many(
        "sale.order.line",
        "complaint_complaint_sale_order_line_rel",
        "complaint_id",
        "sale_line_id",
        string="Order Lines concerned",
        check_company=True,
        domain="[('order_id', '=', sale_order_id), ('display_type', '=', False)]",
        help="The lines of the order the complaint is about; empty when it is about the whole order.",
    )

    @property
    def _rec_names_search(self):
        # A property, so that the other bridges can extend the list too. Only for users who may read
        # the documents: searching through a model one cannot read raises an access error.
        names = super()._rec_names_search
        if self.env["sale.order"].has_access("read"):
            names = [*names, "sale_order_id.name"]
        return names

    @api.constrains("sale_order_id", "sale_line_ids")
    def _check_sale_line_ids(self):
        for complaint in self:
            if complaint.sale_line_ids.order_id - complaint.sale_order_id:
                raise ValidationError(
                    self.env._(
                        "Complaint %(ref)s: the order lines concerned must belong to its sales order %(order)s. "
                        "Remove the lines of other orders.",
                        ref=complaint.name,
                        order=complaint.sale_order_id.name or "-",
                    )
                )

    @api.model
    def _portal_find_order(self, reference, email):
        """The confirmed order ``reference`` of the customer with ``email`` (the public form's order lookup).

        Both must match (the e-mail of the order's customer or of one of its contacts): the number
        alone never links a complaint to someone else's order.
        """
        values = super()._portal_find_order(reference, email)
        normalized = email_normalize(email or "")
        if not (reference and normalized):
            return values
        customers = self.env["res.partner"].sudo().search([("email_normalized", "=", normalized)]).commercial_partner_id
        order = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("name", "=ilike", escape_psql(reference.strip())),
                    ("state", "=", "sale"),
                    ("company_id", "=", self.env.company.id),
                    ("partner_id.commercial_partner_id", "in", customers.ids),
                ],
                limit=1,
            )
            if customers
            else self.env["sale.order"]
        )
        if order:
            # Linked for the handlers only: the complainant's pages show what they typed, never what the
            # order holds (the order number and an e-mail address are not proof of who they are).
            values["sale_order_id"] = order.id
        return values

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        self.sale_line_ids = self.sale_line_ids.filtered(lambda line: line.order_id == order)
        if not order:
            return
        if not self.partner_id:
            self.partner_id = order.partner_id
        products = order.order_line.filtered(lambda line: not line.display_type and not line.is_downpayment).product_id
        if len(products) == 1 and not self.product_id:
            self.product_id = products
