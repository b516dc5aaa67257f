from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

IMPROVEMENT_STATES = [
    ("draft", "Draft"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
# state -> states it may go to (through the action methods).
IMPROVEMENT_TRANSITIONS = {
    "draft": ("in_progress", "done", "cancelled"),
    "in_progress": ("done", "cancelled", "draft"),
    "done": ("in_progress",),
    "cancelled": ("draft",),
}


class ComplaintImprovementAction(models.Model):
    """A corrective or preventive action taken on complaints' causes, checked for effectiveness
    (ISO 10002 8.2, 8.7)."""

    _name = "complaint.improvement.action"
    _description = "Complaint Improvement Action"
    _inherit = ["complaint.process.mixin", "mail.thread", "mail.activity.mixin"]
    _process_create_defaults = {"state": "draft"}
    _order = "date_deadline, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    action_type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")],
        string="Type",
        required=True,
        default="corrective",
        tracking=True,
        help="Corrective: removes the cause of complaints that happened. Preventive: removes the cause of "
        "complaints that could happen.",
    )
    description = fields.Html()
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    complaint_ids = fields.Many2many(
        "complaint.complaint",
        "complaint_improvement_action_complaint_rel",
        "action_id",
        "complaint_id",
        string="Complaints",
        check_company=True,
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")
    cause_id = fields.Many2one(
        "complaint.cause",
        string="Root Cause",
        compute="_compute_cluster",
        store=True,
        readonly=False,
        tracking=True,
        help="The cause the action removes; with the product and the category it defines the complaints that "
        "should no longer come.",
    )
    product_id = fields.Many2one(
        "product.product", compute="_compute_cluster", store=True, readonly=False, check_company=True
    )
    category_id = fields.Many2one(
        "complaint.category", compute="_compute_cluster", store=True, readonly=False, check_company=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    date_deadline = fields.Date(string="Deadline", tracking=True)
    state = fields.Selection(
        IMPROVEMENT_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand=True,
    )
    date_done = fields.Date(readonly=True, copy=False, tracking=True)
    review_id = fields.Many2one(
        "complaint.management.review",
        string="Management Review",
        check_company=True,
        index="btree_not_null",
        help="The management review that launched the action.",
    )

    # Effectiveness check (ISO 10002 8.7)
    effectiveness_days = fields.Integer(
        string="Check After (days)", default=90, help="Days after completion when the effectiveness is checked."
    )
    date_check = fields.Date(
        string="Effectiveness Check Due", compute="_compute_date_check", store=True, index="btree_not_null"
    )
    effectiveness = fields.Selection(
        [("effective", "Effective"), ("not_effective", "Not Effective")], copy=False, tracking=True, readonly=True
    )
    effectiveness_note = fields.Text(copy=False)
    date_checked = fields.Date(string="Checked On", readonly=True, copy=False)
    checked_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    is_check_due = fields.Boolean(compute="_compute_is_check_due", search="_search_is_check_due")
    complaints_before = fields.Integer(
        compute="_compute_recurrence",
        help="Complaints of the same cause / product / category received in the same number of days "
        "before the action was done.",
    )
    complaints_since_done = fields.Integer(
        string="New Complaints Since Done",
        compute="_compute_recurrence",
        help="Complaints of the same cause / product / category received since the action was done (its "
        "own complaints excepted). Few or none: the action works.",
    )

    @api.depends("complaint_ids")
    def _compute_complaint_count(self):
        for action in self:
            action.complaint_count = len(action.complaint_ids)

    @api.depends("complaint_ids.root_cause_id", "complaint_ids.product_id", "complaint_ids.category_id")
    def _compute_cluster(self):
        # What all the linked complaints share; kept when they differ (or set by hand).
        for action in self:
            for field, source in (
                ("cause_id", "root_cause_id"),
                ("product_id", "product_id"),
                ("category_id", "category_id"),
            ):
                values = action.complaint_ids.mapped(source)
                action[field] = action[field] or (values if len(values) == 1 else False)

    @api.depends("date_done", "effectiveness_days")
    def _compute_date_check(self):
        for action in self:
            action.date_check = action.date_done and action.date_done + timedelta(days=action.effectiveness_days)

    @api.depends("date_check", "effectiveness", "state")
    def _compute_is_check_due(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_check_due = bool(
                action.state == "done" and not action.effectiveness and action.date_check and action.date_check <= today
            )

    def _search_is_check_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Check Due."))
        domain = [
            ("state", "=", "done"),
            ("effectiveness", "=", False),
            ("date_check", "<=", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("date_done", "cause_id", "product_id", "category_id", "complaint_ids")
    def _compute_recurrence(self):
        """Complaints of the action's cluster before and after it was done: one query for all actions."""
        self.complaints_before = 0
        self.complaints_since_done = 0
        actions = self.filtered(lambda a: a.id and a.date_done and (a.cause_id or a.product_id or a.category_id))
        if not actions:
            return
        self.env.flush_all()
        now = fields.Datetime.now()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT a.id,
                       count(c.id) FILTER (WHERE c.date_received >= a.date_done),
                       count(c.id) FILTER (WHERE c.date_received < a.date_done)
                  FROM complaint_improvement_action a
                  JOIN complaint_complaint c
                    ON c.company_id = a.company_id
                   AND c.active
                   AND c.state != 'rejected'
                   AND c.date_received >= a.date_done - (%(now)s::date - a.date_done)
                   AND c.date_received <= %(now)s
                   AND (a.cause_id IS NULL OR c.root_cause_id = a.cause_id)
                   AND (a.product_id IS NULL OR c.product_id = a.product_id)
                   AND (a.category_id IS NULL OR c.category_id = a.category_id)
                   AND NOT EXISTS (
                       SELECT 1 FROM complaint_improvement_action_complaint_rel r
                        WHERE r.action_id = a.id AND r.complaint_id = c.id
                   )
                 WHERE a.id = ANY(%(ids)s)
              GROUP BY a.id
                """,
                now=now,
                ids=actions.ids,
            )
        )
        for action_id, after, before in rows:
            action = self.browse(action_id)
            action.complaints_since_done = after
            action.complaints_before = before

    @api.constrains("effectiveness_days")
    def _check_effectiveness_days(self):
        for action in self:
            if action.effectiveness_days < 0:
                raise ValidationError(
                    self.env._(
                        "The effectiveness check of %(action)s cannot be before the action is done.", action=action.name
                    )
                )

    # ---------------------------------------------------------------------- CRUD

    # ------------------------------------------------------------------- actions

    def _change_state(self, new_state):
        """Move the actions to ``new_state`` after checking the transition; log it in the chatter."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for action in self:
            if new_state not in IMPROVEMENT_TRANSITIONS[action.state]:
                raise UserError(
                    self.env._(
                        "The improvement action “%(action)s” is %(current)s: it cannot become %(target)s.",
                        action=action.name,
                        current=labels[action.state],
                        target=labels[new_state],
                    )
                )
        vals = {"state": new_state}
        if new_state == "done":
            vals["date_done"] = fields.Date.context_today(self)
        elif new_state in ("draft", "in_progress", "cancelled"):
            vals.update(date_done=False, effectiveness=False, date_checked=False, checked_by_id=False)
        self.check_access("write")
        self.sudo().write(vals)
        return True

    def action_start(self):
        """Start carrying out the action."""
        for action in self:
            if not action.user_id:
                raise UserError(self.env._("Choose the owner of “%(action)s” before starting it.", action=action.name))
        return self._change_state("in_progress")

    def action_done(self):
        """The action is carried out: its effectiveness check is planned ``effectiveness_days`` later."""
        return self._change_state("done")

    def action_cancel(self):
        """Cancel the action (not carried out)."""
        return self._change_state("cancelled")

    def action_draft(self):
        """Back to draft (a cancelled action, or one to plan again)."""
        return self._change_state("draft")

    def action_mark_effective(self):
        """Record the effectiveness check: the cause is removed."""
        return self._record_effectiveness("effective")

    def action_mark_not_effective(self):
        """Record the effectiveness check: complaints of the cause go on; a note says what next."""
        return self._record_effectiveness("not_effective")

    def _record_effectiveness(self, result):
        labels = dict(self._fields["effectiveness"]._description_selection(self.env))
        for action in self:
            if action.state != "done":
                raise UserError(
                    self.env._(
                        "Complete the improvement action “%(action)s” before checking its effectiveness.",
                        action=action.name,
                    )
                )
            if result == "not_effective" and not action.effectiveness_note:
                raise UserError(
                    self.env._(
                        "Write in the note why “%(action)s” is not effective and what comes next.", action=action.name
                    )
                )
        self.check_access("write")
        self.sudo().write(
            {
                "effectiveness": result,
                "date_checked": fields.Date.context_today(self),
                "checked_by_id": self.env.user.id,
            }
        )
        self.activity_feedback(
            ["complaint_handling_reports.mail_activity_type_effectiveness_check"], feedback=labels[result]
        )
        for action in self:
            body = Markup("<p>%s</p>") % self.env._(
                "Effectiveness checked: %(result)s (%(after)s new complaints since done, %(before)s before).",
                result=labels[result],
                after=action.complaints_since_done,
                before=action.complaints_before,
            )
            if action.effectiveness_note:
                body += Markup("<p>%s</p>") % action.effectiveness_note
            action.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def action_open_complaints(self):
        """The complaints the action is about."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Complaints"),
            "res_model": "complaint.complaint",
            "view_mode": "list,form,kanban",
            "domain": [("id", "in", self.complaint_ids.ids)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------- business

    @api.model
    def _cron_effectiveness_reminder(self):
        """Daily: a to-do for the owner of each done action whose effectiveness check is due (once)."""
        activity_type = self.env.ref("complaint_handling_reports.mail_activity_type_effectiveness_check")
        due = self.search([("is_check_due", "=", True)])
        if not due:
            return
        planned = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", due.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        already = set(planned.mapped("res_id"))
        model_id = self.env["ir.model"]._get_id(self._name)
        values = [
            {
                "res_model_id": model_id,
                "res_id": action.id,
                "activity_type_id": activity_type.id,
                "summary": action.env._("Check the effectiveness of the improvement action"),
                "note": action.env._(
                    "%(after)s complaints of the same cause since the action was done (%(before)s before).",
                    after=action.complaints_since_done,
                    before=action.complaints_before,
                ),
                "date_deadline": action.date_check,
                "user_id": (action.user_id or action.create_uid).id,
                "automated": True,
            }
            # In the language of each action's company (the job has no user language).
            for part in self.env["complaint.complaint"]._split_by_job_lang(due)
            for action in part
            if action.id not in already
        ]
        if values:
            self.env["mail.activity"].create(values)
