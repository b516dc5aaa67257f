from odoo import api, fields, models


class ComplaintDispute(models.Model):
    """An external dispute resolution case for a complaint (ISO 10003).

    When the complainant does not accept the organisation's decision, the complaint can be
    referred to an external provider (mediator, ombudsman, arbitration body, court). The case
    records who, when, how and with what outcome, so that the complaint record stays complete.
    """

    _name = "complaint.dispute"
    _description = "External Dispute Resolution"
    _inherit = ["complaint.process.mixin", "mail.thread"]
    _order = "date_referred desc, id desc"
    _check_company_auto = True

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    provider_id = fields.Many2one(
        "res.partner",
        tracking=True,
        help="The external body handling the dispute (mediator, ombudsman, arbitration body, court).",
    )
    provider_name = fields.Char(
        tracking=True, help="Name of the provider when it is not a contact (e.g. chosen by the complainant)."
    )
    method = fields.Selection(
        [
            ("mediation", "Mediation"),
            ("conciliation", "Conciliation"),
            ("ombudsman", "Ombudsman"),
            ("arbitration", "Arbitration"),
            ("court", "Court"),
            ("other", "Other"),
        ],
        required=True,
        default="mediation",
        tracking=True,
    )
    requested_by = fields.Selection(
        [("complainant", "Complainant"), ("organisation", "Organisation")],
        required=True,
        default="complainant",
    )
    date_referred = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_closed = fields.Date(tracking=True)
    outcome = fields.Selection(
        [
            ("pending", "Pending"),
            ("complainant", "In Favour of the Complainant"),
            ("organisation", "In Favour of the Organisation"),
            ("settled", "Settled"),
            ("withdrawn", "Withdrawn"),
        ],
        required=True,
        default="pending",
        tracking=True,
    )
    outcome_note = fields.Text(tracking=True)

    @api.depends("complaint_id.name", "method")
    def _compute_display_name(self):
        methods = dict(self._fields["method"]._description_selection(self.env))
        for dispute in self:
            dispute.display_name = f"{dispute.complaint_id.name} - {methods.get(dispute.method, '')}"
