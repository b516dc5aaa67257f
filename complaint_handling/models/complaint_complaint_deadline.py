from collections import defaultdict, namedtuple

import babel.dates
import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import babel_locale_parse, get_lang

from .complaint_complaint import complaint_display_name
from .complaint_target import TARGETS, is_late, is_met
from .working_time import WorkingTimes as BaseWorkingTimes

# States that communicate a first response to the complainant (a decision, or the reasoned rejection).
RESPONSE_STATES = ("decision_communicated", "rejected")
ESCALATION_BATCH = 2000  # complaints per batch: one transaction, its rows locked for a second or two
# What the escalation levels write about a complaint (messages, activities, notes), as plain values.
EscalationFacts = namedtuple(
    "EscalationFacts",
    "name display_name company_id user_id team_leader_id date_ack_deadline date_response_deadline date_deadline",
)


class WorkingTimes(BaseWorkingTimes):
    """Working times, and the escalation levels read once for all the complaints of a run."""

    def levels(self, levels):
        """``[(level, target, company id, signed delay in working hours)]`` of ``levels``, read once."""
        specs = getattr(self, "_level_specs", None)
        if specs is None or specs[0] != levels:
            rows = [
                (
                    level,
                    level.target,
                    level.company_id.id,
                    level.delay_hours if level.trigger == "after_breach" else -level.delay_hours,
                )
                for level in levels
            ]
            specs = self._level_specs = (levels, rows)
        return specs[1]


class ComplaintComplaint(models.Model):
    """Time on a complaint: targets from its policy, pauses, extensions, breaches and escalation."""

    _inherit = "complaint.complaint"  # pylint: disable=consider-merging-classes-inherited

    policy_id = fields.Many2one(
        "complaint.policy",
        string="Time Policy",
        compute="_compute_policy_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="Targets for acknowledgement, first response and resolution; chosen from the category, "
        "severity and team, or set by hand.",
    )
    # Process dates: computed from the policy, moved by pauses and extensions (with their reasons), never by hand.
    date_ack_deadline = fields.Datetime(
        string="Acknowledgement Due", compute="_compute_date_ack_deadline", store=True, copy=False
    )
    date_response_deadline = fields.Datetime(
        string="First Response Due", compute="_compute_date_response_deadline", store=True, copy=False
    )
    date_deadline = fields.Datetime(
        string="Resolution Due", compute="_compute_date_deadline", store=True, copy=False, index=True, tracking=True
    )
    date_first_response = fields.Datetime(
        string="First Response On", readonly=True, copy=False, help="When a decision was first communicated."
    )
    # Pauses while waiting for the complainant, and extensions: working hours added per target.
    is_paused = fields.Boolean(string="Paused", readonly=True, copy=False, index=True)
    date_paused = fields.Datetime(string="Paused Since", readonly=True, copy=False)
    paused_hours = fields.Float(string="Paused Working Hours", readonly=True, copy=False)
    pause_ids = fields.One2many("complaint.pause", "complaint_id", string="Pauses", readonly=True)
    extension_ids = fields.One2many("complaint.extension", "complaint_id", string="Extensions", readonly=True)
    extension_hours = fields.Float(
        string="Extension Working Hours", compute="_compute_extension_hours", store=True, copy=False
    )
    ack_extra_hours = fields.Float(readonly=True, copy=False, groups="base.group_no_one")
    response_extra_hours = fields.Float(readonly=True, copy=False, groups="base.group_no_one")
    resolution_extra_hours = fields.Float(readonly=True, copy=False, groups="base.group_no_one")
    # Breaches: set once, never reset (reporting on timeliness).
    ack_breached = fields.Boolean(string="Acknowledgement Late", readonly=True, copy=False)
    response_breached = fields.Boolean(string="First Response Late", readonly=True, copy=False)
    resolution_breached = fields.Boolean(string="Resolution Late", readonly=True, copy=False)
    is_breached = fields.Boolean(string="Breached", compute="_compute_is_breached", store=True, index=True)
    escalation_log_ids = fields.One2many(
        "complaint.escalation.log", "complaint_id", string="Escalations", readonly=True
    )
    date_next_escalation = fields.Datetime(
        compute="_compute_date_next_escalation",
        store=True,
        index="btree_not_null",
        copy=False,
        help="When the escalation job must next look at the complaint: a level or a breach falls due.",
    )

    # ------------------------------------------------------------------ computes

    @api.depends("category_id", "severity_id", "team_id", "company_id")
    def _compute_policy_id(self):
        matches = self.env["complaint.policy"]._match(self)
        for complaint in self:
            complaint.policy_id = matches[complaint.id]

    # One compute method per deadline: a deadline given by hand (or in data) leaves the others computed.
    @api.depends("policy_id", "date_received", "ack_extra_hours")
    def _compute_date_ack_deadline(self):
        self._compute_deadline("acknowledgement")

    @api.depends("policy_id", "date_received", "response_extra_hours")
    def _compute_date_response_deadline(self):
        self._compute_deadline("first_response")

    @api.depends("policy_id", "date_received", "resolution_extra_hours")
    def _compute_date_deadline(self):
        self._compute_deadline("resolution")

    def _compute_deadline(self, target):
        """Deadline of ``target``: its policy hours plus the pauses and extensions, in working time from receipt."""
        target = TARGETS[target]
        times = WorkingTimes()
        for complaint in self:
            policy = complaint.policy_id.sudo()
            if not (policy and complaint.date_received):
                complaint[target.deadline_field] = complaint[target.deadline_field]
                continue
            hours = policy[target.policy_hours_field]
            complaint[target.deadline_field] = hours and times[policy.calendar_id].plan(
                complaint.date_received, hours + complaint.sudo()[target.extra_hours_field]
            )

    @api.depends("extension_ids.hours")
    def _compute_extension_hours(self):
        for complaint in self:
            complaint.extension_hours = sum(complaint.extension_ids.mapped("hours"))

    @api.depends("ack_breached", "response_breached", "resolution_breached")
    def _compute_is_breached(self):
        for complaint in self:
            complaint.is_breached = (
                complaint.ack_breached or complaint.response_breached or complaint.resolution_breached
            )

    @api.depends(
        "date_ack_deadline",
        "date_response_deadline",
        "date_deadline",
        "date_acknowledged",
        "date_first_response",
        "is_done",
        "is_paused",
        "ack_breached",
        "response_breached",
        "resolution_breached",
        "escalation_log_ids",
    )
    def _compute_date_next_escalation(self):
        levels = self.env["complaint.escalation.level"].sudo().search([("active", "=", True)])
        times = WorkingTimes()
        for complaint in self:
            complaint.date_next_escalation = min(
                (moment for _target, _level, moment in complaint._escalation_schedule(levels, times)), default=False
            )

    # ------------------------------------------------------------------ process hooks

    def _on_state_changed(self, new_state, previous):
        result = super()._on_state_changed(new_state, previous)
        if new_state in RESPONSE_STATES:
            first_response = self.filtered(lambda c: not c.date_first_response)
            if first_response:
                first_response._write_timeliness({"date_first_response": fields.Datetime.now()})
        resuming = self.filtered("is_paused") if new_state in ("closed", "rejected", "withdrawn") else None
        if resuming:
            resuming._resume()
        self._mark_breaches()
        return result

    def _write_timeliness(self, vals):
        """Write timeliness process fields (pause, breach flags, deadlines): by the process, after its checks."""
        return self.sudo().write(vals)

    # ------------------------------------------------------------------ targets

    def _target_met(self, target):
        self.ensure_one()
        return is_met(self, TARGETS[target])

    def _mark_breaches(self, now=None):
        """Set the breach flags of the targets missed: met late, or not met and past due (not while paused).

        Flags are only ever set, never cleared, so reopening or extending afterwards keeps the record.
        Returns ``{target: complaints newly breached}``.
        """
        now = now or fields.Datetime.now()
        newly = self._breaches_due(now)
        # One write per combination of flags (not per target): each write is an UPDATE of the rows.
        flags = defaultdict(set)
        for target, complaints in newly.items():
            for complaint in complaints:
                flags[complaint.id].add(TARGETS[target].breach_field)
        by_flags = defaultdict(list)
        for complaint_id, complaint_flags in flags.items():
            by_flags[frozenset(complaint_flags)].append(complaint_id)
        for complaint_flags, ids in by_flags.items():
            self.browse(ids)._write_timeliness(dict.fromkeys(sorted(complaint_flags), True))
        return newly

    def _escalation_fired_levels(self):
        """``{complaint id: ids of the levels already fired on it}``, for a batch of the escalation job.

        One query on the log's unique (complaint, level) index, instead of walking each complaint's
        escalation log through the ORM.
        """
        self.env["complaint.escalation.log"].flush_model(["complaint_id", "level_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT complaint_id, array_agg(level_id) FROM complaint_escalation_log
                    WHERE complaint_id = ANY(%s) GROUP BY complaint_id""",
                list(self.ids),
            )
        )
        return {complaint_id: set(level_ids) for complaint_id, level_ids in rows}

    def _breaches_due(self, now):
        """``{target: complaints}`` whose ``target`` is missed at ``now`` and not flagged yet (nothing written)."""
        newly = defaultdict(list)
        for complaint in self:
            for key, target in TARGETS.items():
                if not complaint[target.breach_field] and is_late(complaint, target, now):
                    newly[key].append(complaint.id)
        return {target: self.browse(ids) for target, ids in newly.items()}

    def _escalation_schedule(self, levels, times, fired=None):
        """(target, level or False, moment) still to come for this complaint: levels not fired yet and breaches.

        ``fired``: the ids of the levels already fired on it, when the caller read them for a whole batch
        (:meth:`_escalation_fired_levels`); otherwise read from its escalation log.
        """
        self.ensure_one()
        if self.is_done or self.is_paused or not self.active:
            return []
        if fired is None:
            fired = set(self.sudo().escalation_log_ids.level_id.ids)
        calendar = self._working_calendar()
        schedule = []
        for target, spec in TARGETS.items():
            deadline = self[spec.deadline_field]
            if not deadline or self._target_met(target):
                continue
            if not self[spec.breach_field]:
                schedule.append((target, False, deadline))
            for level, level_target, company_id, delay in times.levels(levels):
                if level_target != target or level.id in fired:
                    continue
                if company_id and company_id != self.company_id.id:
                    continue
                schedule.append((target, level, times[calendar].plan(deadline, delay)))
        return schedule

    # ------------------------------------------------------------------ pause and extension

    def _check_timeliness_editable(self):
        self._check_handler()
        for complaint in self:
            if complaint.is_done:
                raise UserError(
                    self.env._("Complaint %(ref)s is done: its deadlines no longer run.", ref=complaint.name)
                )

    def action_pause(self, reason=None):
        """Stop the clock while waiting for the complainant. Without a reason, asks for it."""
        if reason is None:
            return self._open_timeliness_wizard("pause")
        self._check_timeliness_editable()
        if not (reason and reason.strip()):
            raise UserError(self.env._("Give the reason of the pause, e.g. the information asked to the complainant."))
        paused = self.filtered("is_paused")
        if paused:
            raise UserError(self.env._("Complaint %(ref)s is already paused.", ref=paused[0].name))
        now = fields.Datetime.now()
        self._mark_breaches(now)
        self._write_timeliness({"is_paused": True, "date_paused": now})
        self.env["complaint.pause"].sudo().create(
            [{"complaint_id": complaint.id, "date_start": now, "reason": reason} for complaint in self]
        )
        self._log_step("paused", note=reason)
        return True

    def action_resume(self):
        """Restart the clock: the deadlines not passed at the pause move later by the paused working time."""
        self._check_handler()
        not_paused = self.filtered(lambda c: not c.is_paused)
        if not_paused:
            raise UserError(self.env._("Complaint %(ref)s is not paused.", ref=not_paused[0].name))
        self._resume()
        return True

    def _working_calendar(self):
        """The calendar this complaint's working time is counted on: its time policy's (empty there:
        round-the-clock hours, as its deadlines), else, without a policy, its company's.

        Deadlines, pauses, extensions and the reports' working-time durations all count on it.
        """
        self.ensure_one()
        policy = self.policy_id.sudo()
        return policy.calendar_id if policy else self.company_id.sudo().resource_calendar_id

    def _resume(self):
        now = fields.Datetime.now()
        times = WorkingTimes()
        pauses = self.env["complaint.pause"].sudo().search([("complaint_id", "in", self.ids), ("date_end", "=", False)])
        open_pause = {pause.complaint_id.id: pause for pause in pauses}
        args_of = {}
        for complaint in self:
            working = times[complaint._working_calendar()]
            hours = working.hours_between(complaint.date_paused, now)
            vals = {"is_paused": False, "date_paused": False, "paused_hours": complaint.paused_hours + hours}
            for target, spec in TARGETS.items():
                deadline = complaint[spec.deadline_field]
                if deadline and not complaint._target_met(target) and deadline > complaint.date_paused:
                    vals[spec.extra_hours_field] = complaint.sudo()[spec.extra_hours_field] + hours
                    vals[spec.deadline_field] = working.plan(deadline, hours)
            complaint._write_timeliness(vals)
            if complaint.id in open_pause:
                open_pause[complaint.id].write({"date_end": now, "hours": hours})
            args_of[complaint.id] = {"hours": round(hours, 2)}
        self._log_step("resumed", args_of=args_of)

    def _extend(self, target, hours, reason):
        """Give more working time for ``target``, with the reason; counted apart from the pauses."""
        self._check_timeliness_editable()
        if hours <= 0:
            raise UserError(self.env._("An extension adds a positive number of working hours."))
        if not (reason and reason.strip()):
            raise UserError(self.env._("Give the reason of the extension; it is kept in the complaint's history."))
        deadline_field, extra_field = TARGETS[target].deadline_field, TARGETS[target].extra_hours_field
        times = WorkingTimes()
        self.env["complaint.extension"].sudo().create(
            [{"complaint_id": c.id, "target": target, "hours": hours, "reason": reason} for c in self]
        )
        for complaint in self:
            deadline = complaint[deadline_field]
            complaint._write_timeliness(
                {
                    extra_field: complaint.sudo()[extra_field] + hours,
                    deadline_field: deadline and times[complaint._working_calendar()].plan(deadline, hours),
                }
            )
        self._log_step("extended", note=reason, args={"target": target, "hours": hours})
        return True

    def action_extend(self):
        """Ask the target, hours and reason of an extension."""
        return self._open_timeliness_wizard("extend")

    def _open_timeliness_wizard(self, mode):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pause") if mode == "pause" else self.env._("Extend a Deadline"),
            "res_model": "complaint.timeliness.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_ids": self.ids, "default_mode": mode},
        }

    # ------------------------------------------------------------------ escalation

    @api.model
    def _escalation_candidates(self, batch_size=ESCALATION_BATCH, now=None):
        """Lock and return a batch of complaints with something due; rows locked by another worker are skipped."""
        now = now or fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM complaint_complaint
                    WHERE date_next_escalation <= %s AND NOT is_done AND is_paused IS NOT TRUE AND active
                 ORDER BY date_next_escalation, id
                    LIMIT %s
                      FOR UPDATE SKIP LOCKED""",
                now,
                batch_size,
            )
        )
        return self.sudo().browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _cron_escalate(self, batch_size=ESCALATION_BATCH):
        """Scheduled: escalate one batch of complaints due; ``ir.cron`` calls again (after a commit) while some remain.

        Returns the number of complaints processed.
        """
        now = fields.Datetime.now()
        complaints = self._escalation_candidates(batch_size, now)
        for part in self._split_by_job_lang(complaints):  # notes and history in the company's language
            part._escalate(now)
        remaining = 0
        if len(complaints) == batch_size:
            # How many remain, for the job's progress (and so that it runs again at once): counted up to
            # one batch ahead only, a full count costs as much as a batch on a large register.
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """SELECT count(*) FROM (
                           SELECT 1 FROM complaint_complaint
                            WHERE date_next_escalation <= %s AND NOT is_done AND is_paused IS NOT TRUE AND active
                            LIMIT %s) AS due""",
                    now,
                    batch_size,
                )
            )
            remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)

    def _escalate(self, now=None):
        """Mark the breaches and fire the escalation levels due, each once per complaint, in sequence order.

        Set-based, for thousands of complaints at once: the breach flags are written together (one write
        per combination of flags), one pass over the complaints finds the levels due, and the levels fire
        together (``complaint.escalation.level._fire``). The next escalation date follows from the new
        state (its computed field: levels fired, breaches flagged).
        """
        now = now or fields.Datetime.now()
        levels = (
            self.env["complaint.escalation.level"]
            .sudo()
            .search([("active", "=", True)])
            .sorted(lambda lv: (lv.sequence, lv.id))
        )
        self._mark_breaches(now)
        times = WorkingTimes()
        fired_levels = self._escalation_fired_levels()
        due = defaultdict(list)
        for complaint in self:
            fired = fired_levels.get(complaint.id, set())
            for _target, level, moment in complaint._escalation_schedule(levels, times, fired):
                if level and moment and moment <= now:
                    due[level].append(complaint.id)
        levels._fire({level: self.browse(ids) for level, ids in due.items()}, now)
        self.flush_recordset(["date_next_escalation"])

    def _escalation_facts(self):
        """``{complaint id: EscalationFacts}``: what the escalation levels write about these complaints.

        Read in one query: a run fires levels on thousands of complaints, and the ORM's access to a
        record's fields, one complaint at a time, would cost more than the rest of the work.
        """
        self.flush_recordset(
            ["name", "subject", "company_id", "user_id", "team_id"] + [t.deadline_field for t in TARGETS.values()]
        )
        self.env["complaint.team"].flush_model(["leader_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT c.id, c.name, c.subject, c.company_id, c.user_id, t.leader_id,
                          c.date_ack_deadline, c.date_response_deadline, c.date_deadline
                     FROM complaint_complaint c
                LEFT JOIN complaint_team t ON t.id = c.team_id
                    WHERE c.id = ANY(%s)""",
                list(self._ids),
            )
        )
        return {
            cid: EscalationFacts(name, complaint_display_name(name, subject), company, user, leader, *deadlines)
            for cid, name, subject, company, user, leader, *deadlines in rows
        }

    def _escalation_message(self, level):
        self.ensure_one()
        return self._escalation_messages(level)[self.id]

    def _escalation_messages(self, level, formatted=None, facts=None):
        """``{complaint id: message}`` of ``level`` for these complaints.

        Built for thousands at once: the language, the time zones and the sentence are looked up
        once, not per complaint, and each deadline is formatted once per time zone; ``formatted``
        (``{(time zone, deadline): text}``) shares that work between the levels of one run, ``facts``
        (:meth:`_escalation_facts`) the complaints' values.
        """
        facts = self._escalation_facts() if facts is None else facts
        deadline_field = TARGETS[level.target].deadline_field
        target = self._fields[deadline_field].get_description(self.env)["string"]
        sentence = self.env._("Escalation %(level)s: complaint %(ref)s, %(target)s %(deadline)s.")
        locale = babel_locale_parse(get_lang(self.env).code)
        zones = {}
        # In the time zone of the company, which the readers (handler, leader, managers) share.
        companies = self.env["res.company"].browse({facts[cid].company_id for cid in self._ids})
        tz_names = {company.id: company.partner_id.tz or self.env.user.tz or "UTC" for company in companies}
        formatted = {} if formatted is None else formatted
        messages = {}
        for complaint_id in self._ids:
            complaint = facts[complaint_id]
            deadline = getattr(complaint, deadline_field)
            if deadline:
                tz_name = tz_names[complaint.company_id]
                key = (tz_name, locale, deadline)
                if key not in formatted:
                    if tz_name not in zones:
                        try:
                            zones[tz_name] = pytz.timezone(tz_name)
                        except pytz.UnknownTimeZoneError:
                            zones[tz_name] = pytz.utc
                    local = pytz.utc.localize(deadline).astimezone(zones[tz_name])
                    formatted[key] = babel.dates.format_datetime(local, "short", locale=locale)
                deadline = formatted[key]
            messages[complaint_id] = Markup("<p>%s</p>") % (
                sentence % {"level": level.name, "ref": complaint.name, "target": target, "deadline": deadline or ""}
            )
        return messages
