from odoo import api, fields, models

from .complaint_target import TARGET_SELECTION


class ComplaintPromise(models.Model):
    """A promise of the customer code of conduct (ISO 10001), e.g. "we acknowledge within 1 working day".

    Promises drive the targets: a policy linked to a promise takes its hours from it (see
    ``complaint.policy``). Published promises are the ones shown to customers.
    """

    _name = "complaint.promise"
    _description = "Complaint Handling Promise (ISO 10001)"
    _inherit = ["complaint.process.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, help="The promise as customers read it.")
    description = fields.Text(translate=True, help="Details of the promise: what it covers, its limits.")
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    published = fields.Boolean(help="Shown to customers (code of conduct).")
    target = fields.Selection(TARGET_SELECTION, required=True, default="acknowledgement")
    hours = fields.Float(
        string="Working Hours",
        required=True,
        help="Working hours, on the policy's working calendar, within which the target is met.",
    )
    severity_id = fields.Many2one(
        "complaint.severity", ondelete="restrict", help="Leave empty when the promise holds for every severity."
    )
    policy_ids = fields.Many2many(
        "complaint.policy",
        "complaint_policy_promise_rel",
        "promise_id",
        "policy_id",
        string="Policies",
        copy=False,
        help="Policies whose targets this promise sets.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [("hours_positive", "CHECK (hours > 0)", "A promise must give a positive number of hours.")]

    @api.depends("name", "hours")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = promise.name or ""
