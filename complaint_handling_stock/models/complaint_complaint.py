from odoo import api, fields, models


class ComplaintComplaint(models.Model):
    _inherit = "complaint.complaint"

    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('picking_type_code', '=', 'outgoing'),"
        " ('partner_id.commercial_partner_id', '=?', commercial_partner_id)]",
        help="The delivery the complaint is about (ISO 10002 7.2: the product, service or order concerned).",
    )
    product_tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('product_id', '=?', product_id)]",
        help="The lot or serial number of the product complained about, to trace the other deliveries of the lot.",
    )

    @property
    def _rec_names_search(self):
        # A property, so that the other bridges can extend the list too. Only for users who may read
        # the documents: searching through a model one cannot read raises an access error.
        names = super()._rec_names_search
        if self.env["stock.picking"].has_access("read"):
            names = [*names, "picking_id.name"]
        return names

    @api.onchange("picking_id")
    def _onchange_picking_id(self):
        picking = self.picking_id
        if not picking:
            return
        if not self.partner_id and picking.partner_id:
            self.partner_id = picking.partner_id
        products = picking.move_ids.product_id
        if len(products) == 1 and not self.product_id:
            self.product_id = products

    @api.onchange("product_id")
    def _onchange_product_id_lot(self):
        if self.lot_id and self.lot_id.product_id != self.product_id:
            self.lot_id = False

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id and not self.product_id:
            self.product_id = self.lot_id.product_id
