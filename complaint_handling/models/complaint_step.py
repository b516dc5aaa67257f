from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from .complaint_stage import COMPLAINT_STATES

_lt = LazyTranslate(__name__)

# What a step records, language-neutral: its code is stored (with its arguments), its label is shown in the
# reader's language. ``%(name)s`` arguments are given as values (``action_args``); the channel, target and
# escalation levels are stored by key and shown by their labels in the reader's language.
STEP_ACTIONS = {
    "received": _lt("Received: %(channel)s"),
    "acknowledged": _lt("Acknowledged"),
    "acknowledged_email": _lt("Acknowledged automatically (e-mail)"),
    "assessed": _lt("Assessed"),
    "rejected": _lt("Rejected as out of scope"),
    "investigating": _lt("Investigation started"),
    "response_proposed": _lt("Response proposed"),
    "decision_communicated": _lt("Decision communicated"),
    "decision_accepted": _lt("Decision accepted by the complainant"),
    "decision_rejected": _lt("Decision rejected by the complainant"),
    "decision_approved": _lt("Decision approved: %(decision)s"),
    "decision_amended": _lt("Decision amended"),
    "escalated": _lt("Escalated"),
    "escalated_by_complainant": _lt("Escalated at the complainant's request"),
    "closed": _lt("Closed"),
    "withdrawn": _lt("Withdrawn"),
    "reopened": _lt("Reopened"),
    "assigned": _lt("Assigned"),
    "objectivity_changed": _lt("Persons or team complained about changed"),
    "paused": _lt("Paused: waiting for the complainant"),
    "resumed": _lt("Resumed after %(hours).1f working hours"),
    "extended": _lt("Extended: %(target)s +%(hours).1f working hours"),
    "escalation": _lt("Escalation: %(levels)s"),
    "email_confirmed": _lt("E-mail address confirmed by the complainant"),
    "anonymised": _lt("Personal data anonymised"),
    "archived": _lt("Archived"),
    "restored": _lt("Restored from the archive"),
}


class ComplaintStep(models.Model):
    """One step of a complaint's handling: who moved it, from where to where, when and why.

    The history an auditor reads (ISO 10002 8.1, 8.5). Written only by
    ``complaint.complaint._change_state`` (as superuser); nobody edits or deletes it.
    """

    _name = "complaint.step"
    _description = "Complaint Step History"
    _inherit = ["complaint.process.mixin"]
    _order = "date desc, id desc"
    _rec_name = "action"

    complaint_id = fields.Many2one("complaint.complaint", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Done By", required=True, default=lambda self: self.env.user, readonly=True
    )
    action = fields.Char(
        string="Action Code",
        required=True,
        readonly=True,
        index=True,
        help="What was done: a code of the step history (see action_label), or the text of steps written by "
        "earlier versions.",
    )
    action_args = fields.Json(string="Action Arguments", readonly=True)
    action_label = fields.Char(
        string="Action",
        compute="_compute_action_label",
        search="_search_action_label",
        help="What was done, in the reader's language.",
    )
    state_from = fields.Selection(COMPLAINT_STATES, string="From", readonly=True)
    state_to = fields.Selection(COMPLAINT_STATES, string="To", readonly=True)
    stage_id = fields.Many2one("complaint.stage", readonly=True)
    handler_id = fields.Many2one("res.users", string="Responsible Handler", readonly=True)
    team_id = fields.Many2one("complaint.team", readonly=True)
    note = fields.Text(readonly=True)

    @api.depends("action", "action_args")
    @api.depends_context("lang")
    def _compute_action_label(self):
        for step in self:
            step.action_label = step._action_label()

    @api.depends("action", "action_args")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for step in self:
            step.display_name = step._action_label()

    def _search_action_label(self, operator, value):
        # The codes whose label (in the reader's language) contains the text, and the texts of older steps.
        if operator not in ("ilike", "not ilike") or not isinstance(value, str):
            return [("action", operator, value)]
        codes = [code for code, label in STEP_ACTIONS.items() if value.lower() in self.env._(label).lower()]
        if operator == "ilike":
            return ["|", ("action", "in", codes), ("action", "ilike", value)]
        return ["&", ("action", "not in", codes), ("action", "not ilike", value)]

    def _action_label(self):
        """The step's action in the reader's language (a step written by an earlier version: its text)."""
        self.ensure_one()
        label = STEP_ACTIONS.get(self.action)
        if label is None:
            return self.action or ""
        args = dict(self.action_args or {})
        if "channel" in args:
            channels = dict(self.env["complaint.complaint"]._fields["channel"]._description_selection(self.env))
            args["channel"] = channels.get(args["channel"], args["channel"])
        if "target" in args:
            targets = dict(self.env["complaint.extension"]._fields["target"]._description_selection(self.env))
            args["target"] = targets.get(args["target"], args["target"])
        if "levels" in args:
            Level = self.env["complaint.escalation.level"].sudo().with_context(active_test=False)
            args["levels"] = "; ".join(Level.browse(args["levels"]).exists().mapped("name"))
        if "decision" in args:
            decision = self.env["complaint.decision"].sudo().browse(args["decision"]).exists()
            args["decision"] = decision.display_name or ""
        text = self.env._(label)
        if not args:
            return text
        try:
            return text % args
        except (KeyError, TypeError, ValueError):  # a translation that lost an argument: the source text
            return label._source % args

    def write(self, vals):
        if not self.env.is_superuser():
            raise UserError(self.env._("The step history of a complaint cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.is_superuser():
            raise UserError(self.env._("The step history of a complaint cannot be deleted."))
