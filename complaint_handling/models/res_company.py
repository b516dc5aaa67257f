from odoo import Command, api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_approval_limit = fields.Monetary(
        string="Complaint Decision Approval Limit",
        currency_field="currency_id",
        help="Decisions costing more than this amount must be approved by a complaint manager. "
        "Zero: no approval needed.",
    )
    complaint_auto_acknowledge = fields.Boolean(
        string="Acknowledge Complaints Automatically",
        default=True,
        help="Send the acknowledgement e-mail as soon as a complaint with an e-mail address is registered.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._complaint_create_default_policy()
        return companies

    def _complaint_create_default_policy(self):
        """Give new companies the shipped default time policy and its ISO 10001 promises (copies of
        the first company's), so that their complaints get deadlines from the start."""
        default = self.env.ref("complaint_handling.complaint_policy_default", raise_if_not_found=False)
        if not default:
            return
        default = default.sudo()
        for company in self:
            promises = default.promise_ids.browse()
            for promise in default.promise_ids:
                promises |= promise.copy({"company_id": company.id})
            default.copy(
                {
                    "company_id": company.id,
                    "calendar_id": (company.resource_calendar_id or default.calendar_id).id,
                    "promise_ids": [Command.set(promises.ids)],
                }
            )
