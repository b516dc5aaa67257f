from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

REMEDY_TYPES = [
    ("refund", "Refund"),
    ("replacement", "Replacement"),
    ("repair", "Repair"),
    ("apology", "Apology"),
    ("explanation", "Explanation"),
    ("compensation", "Compensation"),
    ("no_action", "No Action (with reasons)"),
]
# Remedies that cost the organisation money and so carry an amount.
MONETARY_REMEDIES = ("refund", "replacement", "repair", "compensation")
# The decision's terms: once proposed, a change to them is recorded in the complaint's history.
AUDITED_TERMS = ("remedy_type", "amount", "reasons")


class ComplaintDecision(models.Model):
    """The organisation's response to a complaint (ISO 10002 7.7–7.9).

    A complaint can receive several decisions over time (a rejected one is kept and a new
    one proposed); the latest one that is not cancelled is the complaint's current decision.
    Its state, approval and dates are process fields: they change through the buttons of its
    complaint (and the approval of a complaint manager), never by a direct write. Once proposed,
    a change to its terms is written into the complaint's step history.
    """

    _name = "complaint.decision"
    _description = "Complaint Decision"
    _inherit = ["complaint.process.mixin"]
    _order = "complaint_id, id desc"
    _check_company_auto = True
    _process_create_defaults = {"state": "draft"}

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    remedy_type = fields.Selection(REMEDY_TYPES, required=True)
    amount = fields.Monetary(help="Cost of the remedy to the organisation (refund, compensation...).")
    reasons = fields.Text(required=True, help="Why this decision was taken; told to the complainant.")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "Waiting Approval"),
            ("approved", "Approved"),
            ("communicated", "Communicated"),
            ("accepted", "Accepted by Complainant"),
            ("rejected", "Rejected by Complainant"),
            ("cancelled", "Superseded"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
    )
    approval_required = fields.Boolean(
        compute="_compute_approval_required",
        store=True,
        help="The amount is above the company's approval limit: a complaint manager must approve.",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_approved = fields.Datetime(readonly=True, copy=False)
    date_communicated = fields.Datetime(readonly=True, copy=False)
    date_response = fields.Datetime(string="Complainant Answered On", readonly=True, copy=False)
    rejection_reason = fields.Text(help="Why the complainant does not accept the decision.")

    @api.depends("amount", "company_id.complaint_approval_limit")
    def _compute_approval_required(self):
        for decision in self:
            limit = decision.company_id.complaint_approval_limit
            decision.approval_required = bool(limit) and decision.amount > limit

    @api.constrains("amount", "remedy_type")
    def _check_amount(self):
        for decision in self:
            if decision.amount < 0:
                raise models.ValidationError(self.env._("The amount of a decision cannot be negative."))
            if decision.amount and decision.remedy_type not in MONETARY_REMEDIES:
                raise models.ValidationError(
                    self.env._(
                        "A decision of type “%(type)s” has no amount; leave the amount empty.",
                        type=dict(self._fields["remedy_type"]._description_selection(self.env))[decision.remedy_type],
                    )
                )

    def write(self, vals):
        """Change the terms of draft or waiting decisions; a change to a proposed one is logged in its history."""
        changed = [name for name in AUDITED_TERMS if name in vals]
        if changed and any(d.state not in ("draft", "to_approve") for d in self):
            raise UserError(
                self.env._(
                    "A decision that was approved or communicated cannot be changed; propose a new decision instead."
                )
            )
        proposed = self.filtered(lambda d: d.state != "draft") if changed else self.browse()
        before = {decision.id: {name: decision[name] for name in changed} for decision in proposed}
        result = super().write(vals)
        if changed:
            # A waiting decision whose new amount is within the limit needs no approval any more;
            # one still above it stays waiting, for the manager to approve the new amount.
            within_limit = proposed.filtered(lambda d: d.state == "to_approve" and not d.approval_required)
            within_limit._set_state("approved")
            proposed._log_amendments(before, changed, within_limit)
        return result

    def _log_amendments(self, before, changed, approved):
        """Write what changed in these proposed decisions into their complaints' step history.

        The note lists the terms, old → new, in the company's language (as the team reads it).
        """
        notes = {}
        for part in self.env["complaint.complaint"]._split_by_job_lang(self):
            for decision in part:
                lines = [
                    f"{decision._fields[name].get_description(part.env)['string']}: "
                    f"{decision._audit_value(name, before[decision.id][name])} → "
                    f"{decision._audit_value(name, decision[name])}"
                    for name in changed
                    if before[decision.id][name] != decision[name]
                ]
                if lines and decision in approved:
                    lines.append(part.env._("Approved without a manager: the amount is within the approval limit."))
                if lines:
                    notes[decision.complaint_id.id] = "\n".join(lines)
        if notes:
            self.env["complaint.complaint"].browse(notes)._log_step("decision_amended", notes=notes)

    def _audit_value(self, name, value):
        """``value`` of term ``name`` as a line of the history shows it, in the environment's language."""
        if name == "remedy_type":
            return dict(self._fields[name]._description_selection(self.env)).get(value, "")
        if name == "amount":
            return self.currency_id.format(value) if self.currency_id else str(value)
        return value or ""

    def _set_state(self, state, **vals):
        """Write the decisions' new ``state`` (and its dates): called by the process once it checked the rule."""
        if self:
            self.sudo().write(dict(vals, state=state))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_communicated(self):
        if any(d.state not in ("draft", "cancelled") for d in self):
            raise UserError(
                self.env._("Only draft decisions can be deleted; the others are part of the complaint's record.")
            )

    def action_approve(self):
        """Approve decisions above the approval limit (complaint managers only)."""
        if not self.env.user.has_group("complaint_handling.group_complaint_manager"):
            raise AccessError(self.env._("Only a complaint manager can approve a decision."))
        not_waiting = self.filtered(lambda d: d.state != "to_approve")
        if not_waiting:
            raise UserError(self.env._("Only decisions waiting for approval can be approved."))
        self.complaint_id.check_access("write")
        self._set_state("approved", approved_by_id=self.env.uid, date_approved=fields.Datetime.now())
        self.complaint_id._log_step("decision_approved", args_of={d.complaint_id.id: {"decision": d.id} for d in self})
        return True

    @api.depends("remedy_type", "amount")
    def _compute_display_name(self):
        labels = dict(self._fields["remedy_type"]._description_selection(self.env))
        for decision in self:
            name = labels.get(decision.remedy_type, "")
            if decision.amount:
                name = f"{name} ({decision.currency_id.format(decision.amount)})"
            decision.display_name = name
