from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, create_index

from .complaint_stage import COMPLAINT_STATES, DONE_STATES
from .complaint_step import STEP_ACTIONS

CHANNELS = [
    ("email", "E-mail"),
    ("web", "Web Form"),
    ("phone", "Phone"),
    ("in_person", "In Person"),
    ("letter", "Letter"),
    ("social", "Social Media"),
    ("other", "Other"),
]

# The ISO 10002 clause 7 process: which state may follow which. Every change of state,
# from a button or from dragging a kanban card, is checked against this table.
TRANSITIONS = {
    "received": ("acknowledged", "rejected", "withdrawn"),
    "acknowledged": ("assessed", "rejected", "withdrawn"),
    "assessed": ("investigating", "rejected", "withdrawn"),
    "investigating": ("response_proposed", "escalated", "withdrawn"),
    "response_proposed": ("decision_communicated", "investigating", "withdrawn"),
    "decision_communicated": ("closed", "response_proposed", "escalated", "withdrawn"),
    "escalated": ("response_proposed", "closed", "withdrawn"),
    "reopened": ("investigating", "response_proposed", "withdrawn"),
    "closed": ("reopened",),
    "rejected": ("reopened",),
    "withdrawn": ("reopened",),
}

# How the acknowledgement reaches the complainant, by intake channel (when not set by hand).
ACKNOWLEDGEMENT_BY_CHANNEL = {"phone": "phone", "letter": "letter", "in_person": "in_person", "web": "portal"}


def complaint_display_name(reference, subject):
    """A complaint's display name from its reference and subject (also used on plain values by batch jobs)."""
    return f"{reference} - {subject}" if subject else reference


# Who may say who a complaint is about: changed only by people it is not about (ISO 10002 4.6).
OBJECTIVITY_FIELDS = ("subject_user_ids", "subject_team_id")

# The button that enters each state: a card dragged to a stage goes through it, so the drag
# does what the button does (decision approval, communication...). Withdrawing and reopening
# need a reason, so a drag there is refused and the button asks for it.
STATE_ACTIONS = {
    "acknowledged": "action_acknowledge",
    "assessed": "action_assess",
    "rejected": "action_reject",
    "investigating": "action_start_investigation",
    "response_proposed": "action_propose_response",
    "decision_communicated": "action_communicate_decision",
    "escalated": "action_escalate",
    "closed": "action_close",
}


class ComplaintComplaint(models.Model):
    """A customer complaint, from receipt to closure (ISO 10002:2018 clause 7).

    The process fields (:meth:`_process_fields`: state, stage, process dates, counters, flags) change
    only through the action methods, which check their rule and write them as superuser; every change
    of state goes through :meth:`_change_state`. The model's aspects (deadlines, mail, portal, privacy,
    reports, bridges) plug into these hooks instead of overriding ``create``/``write``/``_change_state``:

    - :meth:`_complete_create_values` (values of new complaints) and :meth:`_on_created` (after create);
    - :meth:`_before_write` / :meth:`_after_write` (around a user's write: what to compare afterwards);
    - :meth:`_state_change_values` (values written with a new state) and :meth:`_on_state_changed`.
    """

    _name = "complaint.complaint"
    _description = "Complaint"
    _inherit = ["complaint.process.mixin", "portal.mixin", "mail.thread.cc", "mail.activity.mixin"]
    # Written by the portal's own methods only: a known token opens the tracking page.
    _process_extra_fields = ("access_token",)
    # A new complaint may name the defaults of these (the mail gateway gives the placeholder reference,
    # the web client of a complaint manager sends ``active``).
    _process_create_defaults = {"name": "/", "active": True}
    _order = "priority desc, date_received desc, id desc"
    _rec_names_search = ["name", "subject", "partner_id.name", "complainant_name", "complainant_email"]
    _check_company_auto = True

    def _default_stage_id(self):
        return self.env["complaint.stage"].search([("state", "=", "received")], limit=1)

    # Receipt (7.2)
    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, index="trigram", default="/")
    subject = fields.Char(required=True, tracking=True)
    # Archived by complaint managers only, with a reason in the step history (see ``action_archive``).
    active = fields.Boolean(default=True, readonly=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Complainant",
        index=True,
        tracking=True,
        check_company=True,
        help="The complainant, when known as a contact. Otherwise fill in the name and contact details.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Commercial Entity",
        help="The complainant's company (or the complainant): the documents they can complain about.",
    )
    complainant_name = fields.Char(tracking=True, index="trigram")
    complainant_email = fields.Char(string="Complainant E-mail", tracking=True)
    complainant_phone = fields.Char(tracking=True)
    anonymous = fields.Boolean(tracking=True, help="The complainant did not give their identity; no reply can be sent.")
    channel = fields.Selection(CHANNELS, required=True, default="other", tracking=True)
    date_received = fields.Datetime(
        string="Received On", required=True, default=fields.Datetime.now, index=True, tracking=True
    )
    received_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    description = fields.Html(help="What happened, in the complainant's words.")
    remedy_requested = fields.Text(help="What the complainant asks the organisation to do.", tracking=True)
    product_id = fields.Many2one("product.product", index="btree_not_null", check_company=True, tracking=True)

    # Initial assessment (7.5)
    category_id = fields.Many2one(
        "complaint.category", index=True, tracking=True, check_company=True, ondelete="restrict"
    )
    severity_id = fields.Many2one("complaint.severity", tracking=True, ondelete="restrict")
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High"), ("2", "Urgent"), ("3", "Critical")], default="0", tracking=True
    )
    complexity = fields.Selection([("low", "Low"), ("medium", "Medium"), ("high", "High")], tracking=True)
    safety_impact = fields.Boolean(tracking=True)
    legal_impact = fields.Boolean(tracking=True)
    regulatory_impact = fields.Boolean(tracking=True)
    scope_decision = fields.Selection(
        [("in_scope", "In Scope"), ("out_of_scope", "Not a Complaint / Out of Scope")],
        string="Scope",
        tracking=True,
    )
    scope_reason = fields.Text(help="Why the complaint is out of scope; told to the complainant.", tracking=True)
    immediate_action = fields.Text(help="Action taken at once, before the investigation.", tracking=True)

    # Accountability and objectivity
    user_id = fields.Many2one(
        "res.users",
        string="Handler",
        index=True,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    team_id = fields.Many2one("complaint.team", index=True, tracking=True, check_company=True)
    subject_user_ids = fields.Many2many(
        "res.users",
        "complaint_subject_user_rel",
        "complaint_id",
        "user_id",
        string="Persons Complained About",
        help="Staff the complaint is about; they may not handle it.",
    )
    subject_team_id = fields.Many2one(
        "complaint.team",
        string="Team Complained About",
        check_company=True,
        tracking=True,
        help="Team the complaint is about; its members may not handle it.",
    )
    confidential = fields.Boolean(
        tracking=True, help="Only the handler, the team leader and complaint managers can see it."
    )

    # Process
    stage_id = fields.Many2one(
        "complaint.stage",
        index=True,
        copy=False,
        ondelete="restrict",
        default=lambda self: self._default_stage_id(),
        group_expand="_read_group_stage_ids",
    )
    state = fields.Selection(COMPLAINT_STATES, default="received", required=True, readonly=True, copy=False, index=True)
    is_done = fields.Boolean(compute="_compute_is_done", store=True, index=True)
    step_ids = fields.One2many("complaint.step", "complaint_id", string="Step History", readonly=True)
    date_acknowledged = fields.Datetime(string="Acknowledged On", readonly=True, copy=False)
    acknowledgement_method = fields.Selection(
        [
            ("email", "E-mail"),
            ("portal", "Portal"),
            ("phone", "Phone"),
            ("letter", "Letter"),
            ("in_person", "In Person"),
        ],
        copy=False,
    )
    date_assessed = fields.Datetime(string="Assessed On", readonly=True, copy=False)

    # Investigation (7.6)
    findings = fields.Html()
    root_cause_id = fields.Many2one("complaint.cause", index=True, tracking=True)
    root_cause = fields.Text(string="Root Cause Details", tracking=True)

    # Response and decision (7.7, 7.8)
    decision_ids = fields.One2many("complaint.decision", "complaint_id", string="Decisions", copy=False)
    decision_id = fields.Many2one(
        "complaint.decision",
        string="Current Decision",
        compute="_compute_decision_id",
        store=True,
        help="The latest decision that was not superseded.",
    )
    decision_state = fields.Selection(related="decision_id.state", string="Decision Status")

    # Escalation (ISO 10003)
    escalation_type = fields.Selection(
        [("internal_review", "Internal Review"), ("external", "External Dispute Resolution")],
        tracking=True,
        copy=False,
    )
    escalation_note = fields.Text(copy=False, tracking=True)
    dispute_ids = fields.One2many(
        "complaint.dispute",
        "complaint_id",
        string="External Disputes",
        help="External dispute resolution cases (ISO 10003): provider, dates, method and outcome.",
    )

    # Closing (7.9)
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False, index=True)
    closing_reason = fields.Text(
        copy=False,
        help="Required to close without the complainant's acceptance (e.g. unreachable), to withdraw or to reopen.",
    )
    reopen_count = fields.Integer(readonly=True, copy=False)

    _sql_constraints = [
        ("name_company_uniq", "unique (name, company_id)", "A complaint reference must be unique per company."),
    ]

    def init(self):
        """Create the indexes of :meth:`_index_specs`: the one ``init`` of the complaints' table."""
        result = super().init()
        for name, expressions, where in self._index_specs():
            create_index(self.env.cr, name, self._table, expressions, where=where)
        return result

    @api.model
    def _index_specs(self):
        """Hook: the indexes of the complaints' table besides the fields' own, as ``(name, expressions, where)``.

        Here, for the reads of a register with a million complaints (see bench/README.md):

        - the list's default order (``_order``): its first page is read from the index, not sorted;
        - the kanban columns (count by stage), a stage + team filter and the KPI pivot (count by month and
          category) are answered from the index alone (index-only scans), without reading the rows.

        All are partial on ``active``, as the default searches are; ``company_id`` is in them for the
        multi-company record rule. Aspects extend the list (``super()`` first).
        """
        return [
            ("complaint_complaint_list_order_index", ["priority DESC", "date_received DESC", "id DESC"], "active"),
            ("complaint_complaint_stage_team_index", ["stage_id", "team_id", "company_id"], "active"),
            ("complaint_complaint_month_category_index", ["date_received", "category_id", "company_id"], "active"),
        ]

    # ------------------------------------------------------------------ computes

    @api.depends("state")
    def _compute_is_done(self):
        for complaint in self:
            complaint.is_done = complaint.state in DONE_STATES

    @api.depends("decision_ids.state")
    def _compute_decision_id(self):
        for complaint in self:
            decisions = complaint.decision_ids.filtered(lambda d: d.state != "cancelled")
            # Newest first; a decision being added in the form (no id yet) is the newest.
            complaint.decision_id = decisions.sorted(lambda d: (not d._origin.id, d._origin.id or 0))[-1:]

    @api.depends("name", "subject")
    def _compute_display_name(self):
        for complaint in self:
            complaint.display_name = complaint_display_name(complaint.name, complaint.subject)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # Every stage is a kanban column, even an empty one; stages are few.
        return stages.search([], order=stages._order)  # pylint: disable=no-search-all

    # --------------------------------------------------------------- constraints

    @api.constrains("partner_id", "complainant_name", "complainant_email", "complainant_phone", "anonymous")
    def _check_complainant_contact(self):
        for complaint in self:
            if complaint.anonymous or complaint.partner_id:
                continue
            if not complaint.complainant_name or not (complaint.complainant_email or complaint.complainant_phone):
                raise ValidationError(
                    self.env._(
                        "Complaint %(ref)s: choose the complainant's contact, or enter their name and an "
                        "e-mail or phone number, or mark the complaint as anonymous.",
                        ref=complaint.name,
                    )
                )

    @api.constrains("user_id", "team_id", "subject_user_ids", "subject_team_id")
    def _check_objectivity(self):
        """ISO 10002 4.6: the handler may not be the person or in the team complained about."""
        for complaint in self:
            handler = complaint.user_id
            if handler and handler in complaint.subject_user_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot handle complaint %(ref)s: the complaint is about them. "
                        "Choose another handler.",
                        user=handler.name,
                        ref=complaint.name,
                    )
                )
            subject_team = complaint.subject_team_id
            if subject_team and complaint.team_id == subject_team:
                raise ValidationError(
                    self.env._(
                        "Complaint %(ref)s is about the team %(team)s: assign it to another team.",
                        ref=complaint.name,
                        team=subject_team.name,
                    )
                )
            if subject_team and handler and handler in (subject_team.member_ids | subject_team.leader_id):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot handle complaint %(ref)s: they belong to the team it is about "
                        "(%(team)s). Choose a handler outside that team.",
                        user=handler.name,
                        ref=complaint.name,
                        team=subject_team.name,
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            self.complainant_name = self.partner_id.name
            self.complainant_email = self.partner_id.email
            self.complainant_phone = self.partner_id.phone or self.partner_id.mobile

    @api.onchange("category_id")
    def _onchange_category_id(self):
        team = self.category_id.with_company(self.company_id).team_id
        if team and not self.team_id:
            self.team_id = team

    # ---------------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        """Register complaints (ISO 10002 7.2): always received, with a reference from the sequence.

        The process fields cannot be given (see ``complaint.process.mixin``); the aspects add their
        values in :meth:`_complete_create_values` and act on the new complaints in :meth:`_on_created`.
        """
        if not self.env.su and any(vals.get("confidential") for vals in vals_list):
            self._check_can_mark_confidential()
        return super().create(vals_list)

    @api.model
    def _complete_create_values(self, vals_list):
        """Hook: the values of new complaints, completed (copies: the caller's dicts stay as they are).

        Here: the received stage, the reference, the category's team. Aspects extend it (``super()``
        first) to add their own values, process fields included: the caller's were checked before.
        """
        vals_list = super()._complete_create_values(vals_list)
        received_stage = self._default_stage_id()
        unnamed_by_company = defaultdict(list)
        for vals in vals_list:
            company_id = vals.get("company_id") or self.env.company.id
            if vals.get("name", "/") == "/":
                unnamed_by_company[company_id].append(vals)
            if not vals.get("stage_id"):
                vals["stage_id"] = received_stage.id
            elif self.env["complaint.stage"].browse(vals["stage_id"]).state != "received":
                raise UserError(self.env._("A new complaint always starts in a stage of the state Received."))
            if vals.get("category_id") and not vals.get("team_id"):
                category = self.env["complaint.category"].with_company(company_id).browse(vals["category_id"])
                vals["team_id"] = category.sudo().team_id.id
        for company_id, company_vals in unnamed_by_company.items():
            references = self._next_references(self.env["res.company"].browse(company_id), len(company_vals))
            for vals, reference in zip(company_vals, references, strict=True):
                vals["name"] = reference
        return vals_list

    def _on_created(self, vals_list):
        """Hook: what follows the creation of these complaints (``vals_list``: their values as created).

        Here: the contact rule checked whatever fields were given, and the first step of the history.
        """
        result = super()._on_created(vals_list)
        # Odoo checks a constraint only for the fields given: a client (RPC) that gives no contact
        # field at all would skip it.
        self._check_complainant_contact()
        self.env["complaint.step"].sudo().create(
            [
                {
                    "complaint_id": complaint.id,
                    "action": "received",
                    "action_args": {"channel": complaint.channel},
                    "state_to": complaint.state,
                    "stage_id": complaint.stage_id.id,
                    "handler_id": complaint.user_id.id,
                    "team_id": complaint.team_id.id,
                }
                for complaint in self
            ]
        )
        return result

    def write(self, vals):
        """Change complaints: the process fields only through the actions, the stage by its action.

        A user's write names no process field (``complaint.process.mixin``); the superuser's (an action
        after its checks) may. A user's new stage is a kanban drag: the action that enters its state
        does the move, with that state's rules. :meth:`_before_write` and :meth:`_after_write`
        let the aspects compare before and after.
        """
        if not self.env.su:
            self._check_user_write(vals)
        stage = None
        if "stage_id" in vals and "state" not in vals and not self.env.su:
            vals = dict(vals)
            stage = self.env["complaint.stage"].browse(vals.pop("stage_id"))
        before = self._before_write(vals)
        result = super().write(vals) if vals else True
        self._after_write(vals, before)
        if stage is not None:
            self._move_to_stage(stage)
        return result

    def _check_user_write(self, vals):
        """The rules of a user's write besides the process fields: confidentiality and objectivity."""
        if vals.get("confidential"):
            self._check_can_mark_confidential()
        if set(OBJECTIVITY_FIELDS) & set(vals):
            user = self.env.user
            for complaint in self:
                if user in complaint.subject_user_ids or user in complaint._subject_team_people():
                    raise AccessError(
                        self.env._(
                            "Complaint %(ref)s is about you or your team: you cannot change who it is about. "
                            "Ask a complaint manager or a handler outside that team.",
                            ref=complaint.name,
                        )
                    )

    def _subject_team_people(self):
        """The members and leader of the team the complaint is about."""
        self.ensure_one()
        team = self.sudo().subject_team_id
        return (team.member_ids | team.leader_id).with_env(self.env)

    def _before_write(self, vals):
        """Hook: what the aspects need to remember of these complaints before ``vals`` is written.

        Returns a dict; aspects extend it (``super()`` first) under a key of their own.
        """
        before = {}
        if set(OBJECTIVITY_FIELDS) & set(vals):
            before["objectivity"] = {complaint.id: complaint._objectivity_label() for complaint in self}
        return before

    def _after_write(self, vals, before):
        """Hook: what follows a write of ``vals`` (``before``: what :meth:`_before_write` kept).

        Here: a step for a new handler or team, and one for a change of whom the complaint is about.
        """
        if {"user_id", "team_id"} & set(vals):
            self._log_step("assigned")
        if "objectivity" in before:
            notes = {}
            for complaint in self:
                old, new = before["objectivity"][complaint.id], complaint._objectivity_label()
                if old != new:
                    notes[complaint.id] = f"{old} → {new}"
            if notes:
                self.browse(notes)._log_step("objectivity_changed", notes=notes)

    def _objectivity_label(self):
        """Who the complaint is about, as one line for the step history."""
        self.ensure_one()
        complaint = self.sudo()
        names = complaint.subject_user_ids.mapped("name") + complaint.subject_team_id.mapped("name")
        return ", ".join(names) or "-"

    def _move_to_stage(self, stage):
        """A card dragged to ``stage``: within its state it only moves; to another state, by that state's action."""
        same_state = self.filtered(lambda c: c.state == stage.state)
        if same_state:
            same_state._check_handler()
            same_state.check_access("write")
            same_state.sudo().write({"stage_id": stage.id})
        moving = (self - same_state).with_context(complaint_stage_id=stage.id)
        if moving and stage.state in STATE_ACTIONS:
            getattr(moving, STATE_ACTIONS[stage.state])()
        elif moving:
            moving._change_state(stage.state, stage=stage)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.is_superuser():
            raise UserError(
                self.env._("Complaints are never deleted, so that the record stays complete. Archive it instead.")
            )

    # ------------------------------------------------------------------- process

    @api.model
    def _next_references(self, company, count):
        """Draw ``count`` new references from the complaint sequence of ``company``.

        Same result as calling ``next_by_code`` ``count`` times, but a standard sequence
        (PostgreSQL ``nextval``) gives the whole batch in one query.
        """
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", "complaint.complaint"), ("company_id", "in", [company.id, False])],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            raise UserError(
                self.env._(
                    "There is no sequence with the code complaint.complaint for %(company)s: "
                    "an administrator can add one in Settings > Technical > Sequences.",
                    company=company.name,
                )
            )
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence.with_company(company)._next() for _i in range(count)]
        self.env.cr.execute(
            SQL("SELECT nextval(%s) FROM generate_series(1, %s)", f"ir_sequence_{sequence.id:03d}", count)
        )
        # ``get_next_char`` formats one number, interpolating the prefix and suffix (dates) each time:
        # interpolated once here, for the batch drawn at one moment.
        prefix, suffix = sequence._get_prefix_suffix()
        number_format = f"%0{sequence.padding}d"
        return [prefix + number_format % number + suffix for (number,) in self.env.cr.fetchall()]

    def _log_step(self, action, note=False, notes=None, args=None, args_of=None):
        """Append one line per complaint to the step history, without a change of state.

        ``action``: a code of ``complaint_step.STEP_ACTIONS``, stored as is and shown in the reader's
        language, with its arguments ``args`` (``args_of``: per complaint id, for those that have their own).
        ``notes`` maps complaint ids to their own note (what a person wrote, kept as written); ``note`` is
        the note of the others. Written as superuser: nobody writes the history directly.
        """
        notes = notes or {}
        self.env["complaint.step"].sudo().create(
            [
                {
                    "complaint_id": complaint.id,
                    "action": action,
                    "action_args": (args_of or {}).get(complaint.id, args) or False,
                    "state_from": complaint.state,
                    "state_to": complaint.state,
                    "stage_id": complaint.stage_id.id,
                    "handler_id": complaint.user_id.id,
                    "team_id": complaint.team_id.id,
                    "note": notes.get(complaint.id, note),
                }
                for complaint in self
            ]
        )

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env))[state]

    def _check_can_mark_confidential(self):
        # A user who logs a complaint would lose sight of it at once (the rules show confidential
        # complaints to their handler, team leader and managers only).
        if not self.env.user.has_group("complaint_handling.group_complaint_handler"):
            raise AccessError(
                self.env._("Only complaint handlers can mark a complaint confidential; ask a handler to do it.")
            )

    def _check_handler(self):
        """Only handlers move complaints through the process; users log them."""
        if not (self.env.su or self.env.user.has_group("complaint_handling.group_complaint_handler")):
            raise AccessError(
                self.env._("Only complaint handlers can move a complaint through the process; ask a handler.")
            )

    def _check_can_enter(self, new_state, reason=False):
        """Raise a UserError naming what is missing before the complaints may enter ``new_state``."""
        for complaint in self:
            allowed = TRANSITIONS[complaint.state]
            if new_state not in allowed:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s is “%(current)s”: it cannot go to “%(target)s”. "
                        "Possible next steps: %(allowed)s.",
                        ref=complaint.name,
                        current=self._state_label(complaint.state),
                        target=self._state_label(new_state),
                        allowed=", ".join(self._state_label(s) for s in allowed),
                    )
                )
            missing = complaint._missing_to_enter(new_state, reason)
            if missing:
                raise UserError(
                    self.env._("Complaint %(ref)s cannot move on yet: %(missing)s", ref=complaint.name, missing=missing)
                )

    def _missing_to_enter(self, new_state, reason=False):
        """What this complaint lacks to enter ``new_state`` (a sentence for the user), or False."""
        self.ensure_one()
        decision = self.decision_id
        if new_state == "assessed":
            if not (self.category_id and self.severity_id):
                return self.env._("set the category and the severity of the initial assessment.")
            if self.scope_decision != "in_scope":
                return self.env._("decide that the complaint is in scope (or reject it as out of scope).")
        if new_state == "rejected" and (self.scope_decision != "out_of_scope" or not self.scope_reason):
            return self.env._("mark the complaint as out of scope and write the reason told to the complainant.")
        if new_state == "investigating" and not self.user_id:
            return self.env._("assign a responsible handler.")
        if new_state == "response_proposed" and decision.state != "draft":
            return self.env._("add a new decision (remedy and reasons) in the Decision tab.")
        if new_state == "decision_communicated":
            if decision.state == "to_approve":
                return self.env._(
                    "the decision is above the approval limit and waits for a complaint manager's approval."
                )
            if decision.state != "approved":
                return self.env._("propose a decision first.")
        if new_state == "escalated" and not self.escalation_type:
            return self.env._("choose the kind of escalation (internal review or external dispute resolution).")
        if new_state == "closed":
            if decision.state not in ("communicated", "accepted", "rejected"):
                return self.env._("record and communicate a decision before closing.")
            if decision.state != "accepted" and not self.closing_reason:
                return self.env._(
                    "the complainant has not accepted the decision: record their acceptance, or write "
                    "the closing reason (e.g. no answer after reminders)."
                )
        if new_state in ("withdrawn", "reopened") and not (reason and reason.strip()):
            return self.env._("give the reason.")
        return False

    def _change_state(self, new_state, stage=None, action=None, reason=False):
        """Move the complaints to ``new_state``: the one way a complaint's state changes.

        Checks who may (a handler, with write access to these complaints), the transition and its
        prerequisites; then writes the state, its stage and dates (as superuser: they are process
        fields), appends to the step history (who, when, from, to, why) and logs it in the chatter.
        Aspects add values to the same write with :meth:`_state_change_values` and act afterwards in
        :meth:`_on_state_changed`.
        """
        self._check_handler()
        self.check_access("write")
        self._check_can_enter(new_state, reason)
        if not stage and self.env.context.get("complaint_stage_id"):
            # The stage a card was dragged to (see ``_move_to_stage``): it only chooses among the
            # stages of the target state, never which state.
            stage = self.env["complaint.stage"].browse(self.env.context["complaint_stage_id"]).exists()
            stage = stage if stage.state == new_state else None
        stage = stage or self.env["complaint.stage"].search([("state", "=", new_state)], limit=1)
        if not stage:
            raise UserError(
                self.env._(
                    "No active stage is mapped to the state “%(state)s”. A complaint manager can add one in "
                    "Configuration > Stages.",
                    state=self._state_label(new_state),
                )
            )
        now = fields.Datetime.now()
        previous = {complaint.id: complaint.state for complaint in self}
        notes = {
            complaint.id: reason or (complaint.closing_reason if new_state == "closed" else False) for complaint in self
        }
        vals = {"state": new_state, "stage_id": stage.id, **self._state_change_values(new_state, now, reason)}
        if new_state == "reopened":
            # The counter differs per complaint: one write per count.
            by_count = defaultdict(lambda: self.browse())
            for complaint in self:
                by_count[complaint.reopen_count + 1] |= complaint
            for count, complaints in by_count.items():
                complaints.sudo().write(dict(vals, reopen_count=count))
        else:
            # Through the model's write (as superuser), so that automation rules on the stage or state
            # and the aspects see the change.
            self.sudo().write(vals)
        action = action or new_state
        self.env["complaint.step"].sudo().create(
            [
                {
                    "complaint_id": complaint.id,
                    "action": action,
                    "state_from": previous[complaint.id],
                    "state_to": new_state,
                    "stage_id": stage.id,
                    "handler_id": complaint.user_id.id,
                    "team_id": complaint.team_id.id,
                    "note": notes[complaint.id],
                }
                for complaint in self
            ]
        )
        # The chatter note, in each company's language (a permanent record, read by the whole team).
        for part in self._split_by_job_lang(self):
            label = part.env._(STEP_ACTIONS[action])
            bodies = {}
            for complaint in part:
                body = Markup("<p>%s</p>") % part.env._(
                    "%(action)s: %(previous)s → %(target)s",
                    action=label,
                    previous=part._state_label(previous[complaint.id]),
                    target=part._state_label(new_state),
                )
                if notes[complaint.id]:
                    body += Markup("<p>%s</p>") % notes[complaint.id]
                bodies[complaint.id] = body
            part._message_log_batch(bodies=bodies)
        self._on_state_changed(new_state, previous)
        return True

    def _state_change_values(self, new_state, now, reason=False):
        """Hook: the values written with ``new_state`` (besides the state and stage), at ``now``.

        Here: the date of the step (acknowledged, assessed, closed), the withdrawal's reason, and a
        reopening clears the closing. Aspects extend the dict (``super()`` first).
        """
        vals = {}
        if new_state == "acknowledged":
            vals["date_acknowledged"] = now
        elif new_state == "assessed":
            vals["date_assessed"] = now
        elif new_state == "closed":
            vals["date_closed"] = now
        elif new_state == "withdrawn":
            vals["closing_reason"] = reason
        elif new_state == "reopened":
            vals.update(date_closed=False, closing_reason=False)
        return vals

    def _on_state_changed(self, new_state, previous):
        """Hook: what follows the move of these complaints to ``new_state`` (``previous``: id -> old state).

        Called once the state, the step and the chatter note are written; aspects extend it.
        """
        return

    @api.model
    def _action_new_complaint(self, values):
        """The window action of a new complaint form prefilled with ``values`` (field name: value)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Complaint"),
            "res_model": "complaint.complaint",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {f"default_{name}": value for name, value in values.items()},
        }

    def _open_reason_wizard(self, action):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reason"),
            "res_model": "complaint.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_ids": self.ids, "default_action": action},
        }

    # --------------------------------------------------------- company language

    @api.model
    def _job_lang(self, company):
        """The language of the permanent texts written for ``company`` (chatter notes, activities, digests).

        Whoever acts (a Vietnamese visitor, a job running as OdooBot), what the team reads later is in the
        company's language (its contact's), else the administrator's, else English. (The step history is
        stored language-neutral and shown in the reader's language.)
        """
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        for lang in (company.sudo().partner_id.lang, admin and admin.sudo().lang):
            if lang in installed:
                return lang
        return "en_US"

    @api.model
    def _split_by_job_lang(self, records):
        """``records`` (of any model with a ``company_id``) split by the :meth:`_job_lang` of their company,
        each part in that language: ``part.env._("...")`` is then the text in its company's language."""
        by_lang = defaultdict(list)
        for company, part in records.grouped("company_id").items():
            by_lang[self._job_lang(company)].extend(part.ids)
        current = records.env.lang or "en_US"
        # A part already in its language keeps its environment (and the caches that go with it).
        return [
            records.browse(ids) if lang == current else records.browse(ids).with_context(lang=lang)
            for lang, ids in by_lang.items()
        ]

    # ------------------------------------------------------------------- actions

    def action_acknowledge(self):
        """Record that the complainant was told the complaint was received (ISO 10002 7.4)."""
        # One write per method, not per complaint (each write costs a query once automation rules exist).
        by_method = defaultdict(lambda: self.browse())
        for complaint in self.filtered(lambda c: not c.acknowledgement_method):
            by_method[ACKNOWLEDGEMENT_BY_CHANNEL.get(complaint.channel, "email")] |= complaint
        for method, complaints in by_method.items():
            complaints.acknowledgement_method = method
        return self._change_state("acknowledged")

    def action_assess(self):
        """Complete the initial assessment: classification, severity, scope (ISO 10002 7.5)."""
        return self._change_state("assessed")

    def action_reject(self):
        """Reject as out of scope / not a complaint, with the reason told to the complainant (7.5)."""
        return self._change_state("rejected")

    def action_start_investigation(self):
        """Start, or go back to, the investigation (ISO 10002 7.6)."""
        return self._change_state("investigating")

    def action_propose_response(self):
        """Propose the draft decision; above the approval limit it waits for a manager (7.7)."""
        # First the state (its check needs the decision still in draft), then the decisions.
        self._change_state("response_proposed")
        for complaint in self:
            current = complaint.decision_id
            earlier = complaint.decision_ids.filtered(
                lambda d, current=current: d != current and d.state in ("draft", "to_approve", "approved")
            )
            earlier._set_state("cancelled")
            current._set_state("to_approve" if current.approval_required else "approved")
        return True

    def action_communicate_decision(self):
        """Record that the decision was told to the complainant, with reasons and options (7.8)."""
        # First the state (its check needs the decision still approved), then the decisions.
        self._change_state("decision_communicated")
        self.decision_id._set_state("communicated", date_communicated=fields.Datetime.now())
        return True

    def action_record_acceptance(self):
        """The complainant accepts the decision: the complaint can be closed (7.9)."""
        self._check_decision_awaiting_answer()
        self.decision_id._set_state("accepted", date_response=fields.Datetime.now())
        self._log_step("decision_accepted")
        return True

    def action_record_rejection(self):
        """The complainant rejects the decision: the complaint stays open (7.9)."""
        self._check_decision_awaiting_answer()
        for complaint in self:
            if not complaint.decision_id.rejection_reason:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s: write why the complainant rejects the decision first.",
                        ref=complaint.name,
                    )
                )
        self.decision_id._set_state("rejected", date_response=fields.Datetime.now())
        self._log_step(
            "decision_rejected", notes={complaint.id: complaint.decision_id.rejection_reason for complaint in self}
        )
        return True

    def _check_decision_awaiting_answer(self):
        self._check_handler()
        for complaint in self:
            if complaint.state != "decision_communicated" or complaint.decision_id.state != "communicated":
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s has no communicated decision waiting for the complainant's answer.",
                        ref=complaint.name,
                    )
                )

    def action_escalate(self):
        """Escalate to internal review or external dispute resolution (ISO 10003)."""
        return self._change_state("escalated")

    def action_close(self):
        """Close (7.9): needs a communicated decision, accepted by the complainant or a closing reason."""
        return self._change_state("closed")

    def action_withdraw(self, reason=None):
        """The complainant withdraws the complaint. Without a reason, asks for it."""
        if reason is None:
            return self._open_reason_wizard("withdraw")
        return self._change_state("withdrawn", reason=reason)

    def action_reopen(self, reason=None):
        """Reopen a closed, rejected or withdrawn complaint; its history is kept. Without a reason, asks for it."""
        if reason is None:
            return self._open_reason_wizard("reopen")
        return self._change_state("reopened", reason=reason)

    # ------------------------------------------------------------------- archiving

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        """Archiving is offered to complaint managers only (the screens read ``active``'s read-only flag)."""
        res = super().fields_get(allfields, attributes)
        if "active" in res and "readonly" in res["active"] and self._can_archive():
            res["active"]["readonly"] = False
        return res

    @api.model
    def _can_archive(self):
        return self.env.su or self.env.user.has_group("complaint_handling.group_complaint_manager")

    def _check_can_archive(self):
        if not self._can_archive():
            raise AccessError(
                self.env._(
                    "Only a complaint manager can archive or restore a complaint: nothing is hidden from the register."
                )
            )

    def action_archive(self):
        """Ask the reason, then archive (complaint managers only): the reason goes into the step history."""
        self._check_can_archive()
        return self._open_reason_wizard("archive")

    def action_unarchive(self):
        """Ask the reason, then restore archived complaints (complaint managers only)."""
        self._check_can_archive()
        return self._open_reason_wizard("unarchive")

    def toggle_active(self):
        """Archiving goes through ``action_archive`` / ``action_unarchive`` and their reason."""
        self._check_can_archive()
        return self._open_reason_wizard("archive" if all(self.mapped("active")) else "unarchive")

    def _set_active(self, active, reason):
        """Archive (``active`` False) or restore these complaints, with ``reason`` in their history."""
        self._check_can_archive()
        self.check_access("write")
        if not (reason and reason.strip()):
            raise UserError(self.env._("Give the reason; it is kept in the complaint's history."))
        complaints = self.filtered(lambda c: c.active != active)
        if not complaints:
            return True
        complaints.sudo().write({"active": active})
        complaints._log_step("restored" if active else "archived", note=reason)
        return True
