from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
