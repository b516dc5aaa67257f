from odoo import api, fields, models

from ..models.complaint_complaint import ACKNOWLEDGEMENT_BY_CHANNEL

QUICK_CHANNELS = [("phone", "Phone"), ("in_person", "In Person"), ("letter", "Letter")]


class ComplaintQuickEntry(models.TransientModel):
    """Quick entry of a complaint received by phone, in person or by letter (ISO 10002 7.2).

    Asks only what 7.2 needs to record a complaint, creates it through the normal create (all the
    rules of the register apply) and, when the complainant was told on the spot, records the
    acknowledgement at once.
    """

    _name = "complaint.quick.entry"
    _description = "Complaint Quick Entry"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    channel = fields.Selection(QUICK_CHANNELS, required=True, default="phone")
    partner_id = fields.Many2one("res.partner", string="Complainant", check_company=True)
    complainant_name = fields.Char()
    complainant_email = fields.Char(string="Complainant E-mail")
    complainant_phone = fields.Char()
    anonymous = fields.Boolean(help="The complainant does not give their identity; no reply can be sent.")
    subject = fields.Char(required=True)
    description = fields.Html(string="What Happened")
    remedy_requested = fields.Text(help="What the complainant asks the organisation to do.")
    product_id = fields.Many2one("product.product", check_company=True)
    category_id = fields.Many2one("complaint.category", check_company=True)
    acknowledged_now = fields.Boolean(
        compute="_compute_acknowledged_now",
        store=True,
        readonly=False,
        help="The complainant was told on the spot that the complaint is registered: the acknowledgement "
        "is recorded at once, with the channel as its method.",
    )
    can_acknowledge = fields.Boolean(compute="_compute_can_acknowledge")
    last_registered = fields.Char(
        readonly=True, default=lambda self: self.env.context.get("complaint_quick_entry_last")
    )

    @api.depends("channel")
    def _compute_acknowledged_now(self):
        for wizard in self:
            wizard.acknowledged_now = wizard.channel in ("phone", "in_person")

    @api.depends_context("uid")
    def _compute_can_acknowledge(self):
        self.can_acknowledge = self.env.user.has_group("complaint_handling.group_complaint_handler")

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            self.complainant_name = self.partner_id.name
            self.complainant_email = self.partner_id.email
            self.complainant_phone = self.partner_id.phone or self.partner_id.mobile
            self.anonymous = False

    def _complaint_values(self):
        self.ensure_one()
        values = {
            "company_id": self.company_id.id,
            "channel": self.channel,
            "subject": self.subject,
            "description": self.description,
            "remedy_requested": self.remedy_requested,
            "product_id": self.product_id.id,
            "category_id": self.category_id.id,
            "anonymous": self.anonymous,
        }
        if not self.anonymous:
            values.update(
                partner_id=self.partner_id.id,
                complainant_name=self.complainant_name,
                complainant_email=self.complainant_email,
                complainant_phone=self.complainant_phone,
            )
        return values

    def _register_complaint(self):
        """Create the complaint (and acknowledge it if told on the spot, by a handler)."""
        self.ensure_one()
        complaint = self.env["complaint.complaint"].create(self._complaint_values())
        if self.acknowledged_now and self.can_acknowledge:
            complaint.acknowledgement_method = ACKNOWLEDGEMENT_BY_CHANNEL[self.channel]
            complaint.action_acknowledge()
        return complaint

    def action_register(self):
        """Register the complaint and open it."""
        complaint = self._register_complaint()
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.complaint",
            "res_id": complaint.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_register_and_new(self):
        """Register the complaint and start the next one on the same channel."""
        complaint = self._register_complaint()
        action = self.env["ir.actions.act_window"]._for_xml_id("complaint_handling.complaint_quick_entry_action")
        action["context"] = {
            "default_channel": self.channel,
            "default_company_id": self.company_id.id,
            "complaint_quick_entry_last": complaint.display_name,
        }
        return action
