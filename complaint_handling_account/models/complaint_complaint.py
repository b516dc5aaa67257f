from odoo import api, fields, models


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    invoice_id = fields.Many2one(
        "account.move",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('move_type', 'in', ('out_invoice', 'out_refund')), ('state', '=', 'posted'),"
        " ('commercial_partner_id', '=?', commercial_partner_id)]",
        help="The customer invoice or credit note the complaint is about "
        "(ISO 10002 7.2: the product, service or order concerned).",
    )

    @property
    def _rec_names_search(self):
        # A property, so that the other bridges can extend the list too. Only for users who may read
        # the documents: searching through a model one cannot read raises an access error.
        names = super()._rec_names_search
        if self.env["account.move"].has_access("read"):
            names = [*names, "invoice_id.name"]
        return names

    @api.onchange("invoice_id")
    def _onchange_invoice_id(self):
        invoice = self.invoice_id
        if not invoice:
            return
        if not self.partner_id:
            self.partner_id = invoice.partner_id
        products = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product").product_id
        if len(products) == 1 and not self.product_id:
            self.product_id = products
