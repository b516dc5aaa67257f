from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .complaint_target import TARGETS


class ComplaintPolicy(models.Model):
    """Time targets for acknowledgement, first response and resolution, in working hours.

    Chosen per complaint by category × severity × team within its company: the active policy
    matching the most criteria wins (a deeper category beats its parent, then the sequence); a
    policy without criteria is the company's default. A policy for a category covers its
    subcategories. The hours of a target come from the policy's promise for it, when it has one
    (ISO 10001: the promise drives the target); otherwise they are set on the policy.
    """

    _name = "complaint.policy"
    _description = "Complaint Time Policy"
    _inherit = ["complaint.process.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Among equally specific policies, the first one applies.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    category_id = fields.Many2one(
        "complaint.category",
        ondelete="cascade",
        check_company=True,
        help="Applies to this category and its subcategories. Empty: every category.",
    )
    severity_id = fields.Many2one("complaint.severity", ondelete="cascade", help="Empty: every severity.")
    team_id = fields.Many2one("complaint.team", ondelete="cascade", check_company=True, help="Empty: every team.")
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Calendar",
        check_company=True,
        compute="_compute_calendar_id",
        store=True,
        readonly=False,
        help="Working hours and public holidays (global leaves) the targets are counted on. "
        "Empty: round-the-clock hours.",
    )
    promise_ids = fields.Many2many(
        "complaint.promise",
        "complaint_policy_promise_rel",
        "policy_id",
        "promise_id",
        string="Promises",
        check_company=True,
        help="Promises of the code of conduct (ISO 10001) that set this policy's targets.",
    )
    ack_hours = fields.Float(
        string="Acknowledgement (h)",
        compute="_compute_ack_hours",
        store=True,
        readonly=False,
        help="Working hours from receipt to acknowledgement. Set by the acknowledgement promise if any.",
    )
    first_response_hours = fields.Float(
        string="First Response (h)",
        compute="_compute_first_response_hours",
        store=True,
        readonly=False,
        help="Working hours from receipt to the communicated decision. Set by the first-response promise if any.",
    )
    resolution_hours = fields.Float(
        string="Resolution (h)",
        compute="_compute_resolution_hours",
        store=True,
        readonly=False,
        help="Working hours from receipt to closure. Set by the resolution promise if any.",
    )

    @api.depends("company_id")
    def _compute_calendar_id(self):
        for policy in self:
            calendar_company = policy.calendar_id.company_id
            if not policy.calendar_id or (calendar_company and calendar_company != policy.company_id):
                policy.calendar_id = policy.company_id.resource_calendar_id
            else:
                policy.calendar_id = policy.calendar_id

    # One compute method per target: hours typed for one target leave the others to their promise.
    @api.depends("promise_ids.hours", "promise_ids.target", "promise_ids.active")
    def _compute_ack_hours(self):
        self._compute_target_hours("acknowledgement")

    @api.depends("promise_ids.hours", "promise_ids.target", "promise_ids.active")
    def _compute_first_response_hours(self):
        self._compute_target_hours("first_response")

    @api.depends("promise_ids.hours", "promise_ids.target", "promise_ids.active")
    def _compute_resolution_hours(self):
        self._compute_target_hours("resolution")

    def _compute_target_hours(self, target):
        """The hours of the policy's (strictest) promise for ``target``; without one, the hours set by hand."""
        field_name = TARGETS[target].policy_hours_field
        for policy in self:
            promises = policy.promise_ids.filtered(lambda p: p.active and p.target == target)
            policy[field_name] = min(promises.mapped("hours")) if promises else policy[field_name]

    @api.constrains("ack_hours", "first_response_hours", "resolution_hours")
    def _check_hours(self):
        for policy in self:
            hours = (policy.ack_hours, policy.first_response_hours, policy.resolution_hours)
            if any(h < 0 for h in hours):
                raise ValidationError(self.env._("Policy %(name)s: hours cannot be negative.", name=policy.name))

    # ------------------------------------------------------------------ matching

    def _specificity(self):
        self.ensure_one()
        depth = len((self.category_id.parent_path or "").strip("/").split("/")) if self.category_id else 0
        criteria = bool(self.team_id) + bool(self.category_id) + bool(self.severity_id)
        return (-criteria, -depth, self.sequence, self.id)

    @api.model
    def _match(self, complaints):
        """The policy of each complaint: ``{complaint id: policy}``, with one search for the batch."""
        policies = (
            self.sudo().search([("company_id", "in", complaints.company_id.ids)]).sorted(lambda p: p._specificity())
        )
        by_company = {}
        for policy in policies:
            by_company.setdefault(policy.company_id.id, []).append(policy)
        result = {}
        for complaint in complaints:
            category_path = complaint.category_id.sudo().parent_path or ""
            result[complaint.id] = self.browse()
            for policy in by_company.get(complaint.company_id.id, []):
                if policy.team_id and policy.team_id != complaint.team_id:
                    continue
                if policy.severity_id and policy.severity_id != complaint.severity_id:
                    continue
                if policy.category_id and not category_path.startswith(policy.category_id.parent_path or "-"):
                    continue
                result[complaint.id] = policy.with_env(self.env)
                break
        return result
