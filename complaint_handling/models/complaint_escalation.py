from collections import defaultdict

import pytz
from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import drop_index, make_index_name

from odoo.addons.mail.tools.discuss import Store

from .complaint_target import TARGET_SELECTION


class ComplaintEscalationLevel(models.Model):
    """One step of the escalation ladder, fired once per complaint by the escalation job.

    E.g. an activity for the handler 4 working hours before the resolution deadline, the team
    leader told at the breach, the complaint managers 8 working hours after it.
    """

    _name = "complaint.escalation.level"
    _description = "Complaint Escalation Level"
    _inherit = ["complaint.process.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Levels due together fire in this order.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: every company.")
    target = fields.Selection(TARGET_SELECTION, string="Deadline", required=True, default="resolution")
    trigger = fields.Selection(
        [("before_breach", "Before the Deadline"), ("after_breach", "After the Deadline")],
        required=True,
        default="after_breach",
    )
    delay_hours = fields.Float(
        string="Delay (working hours)", help="Working hours before or after the deadline; 0: at the deadline."
    )
    action = fields.Selection(
        [
            ("activity_for_handler", "Activity for the Handler"),
            ("notify_team_leader", "Notify the Team Leader"),
            ("notify_managers", "Notify the Complaint Managers"),
        ],
        required=True,
        default="activity_for_handler",
    )
    log_ids = fields.One2many("complaint.escalation.log", "level_id", string="Escalations")

    _sql_constraints = [("delay_positive", "CHECK (delay_hours >= 0)", "The delay cannot be negative.")]

    @api.model_create_multi
    def create(self, vals_list):
        levels = super().create(vals_list)
        levels._reschedule_open_complaints()
        return levels

    def write(self, vals):
        result = super().write(vals)
        if {"active", "company_id", "target", "trigger", "delay_hours"} & set(vals):
            self._reschedule_open_complaints()
        return result

    def _reschedule_open_complaints(self):
        """Have the escalation job look again at every open complaint (their next date may be earlier now)."""
        self.env["complaint.complaint"].flush_model(["date_next_escalation"])
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """UPDATE complaint_complaint SET date_next_escalation = %s
                    WHERE NOT is_done AND (date_next_escalation IS NULL OR date_next_escalation > %s)""",
                now,
                now,
            )
        )
        self.env["complaint.complaint"].invalidate_model(["date_next_escalation"])

    # ------------------------------------------------------------------ firing
    #
    # One run may escalate tens of thousands of complaints. The escalation logs and history lines (tables
    # of this addon) of all the levels due in a batch are written with one INSERT ... SELECT each; the
    # activities are created together through the ORM, and each complaint gets one chatter note that Odoo
    # posts and notifies as any note.

    def _fire(self, due, now):
        """Fire the levels of ``self`` on ``due`` (``{level: complaints}``), in the order of ``self``.

        Each (complaint, level) pair fires once, even across workers: the unique escalation log decides.
        Returns ``{level: complaints fired}``.
        """
        due_ids = {level: due[level]._ids for level in self if level in due}
        pairs = [(complaint_id, level.id) for level, ids in due_ids.items() for complaint_id in ids]
        if not pairs:
            return {}
        complaints = self.env["complaint.complaint"].sudo().browse(dict.fromkeys(cid for cid, _level in pairs))
        complaints.flush_recordset(["company_id", "state", "stage_id", "user_id", "team_id"])
        complaint_ids, level_ids = (list(column) for column in zip(*pairs, strict=True))
        self.env.cr.execute(
            SQL(
                """INSERT INTO complaint_escalation_log
                          (complaint_id, company_id, level_id, date, create_uid, create_date, write_uid, write_date)
                   SELECT c.id, c.company_id, p.level_id, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM unnest(%(complaints)s::int[], %(levels)s::int[])
                          WITH ORDINALITY AS p(complaint_id, level_id, n)
                     JOIN complaint_complaint c ON c.id = p.complaint_id
                 ORDER BY p.n
              ON CONFLICT (complaint_id, level_id) DO NOTHING
                RETURNING complaint_id, level_id""",
                now=now,
                uid=self.env.uid,
                complaints=complaint_ids,
                levels=level_ids,
            )
        )
        done = set(self.env.cr.fetchall())
        self.env["complaint.escalation.log"].invalidate_model()
        complaints.invalidate_recordset(["escalation_log_ids"])
        complaints.modified(["escalation_log_ids"])
        fired = {}
        for level, due_level in due_ids.items():
            ids = [cid for cid in due_level if (cid, level.id) in done]
            if ids:
                fired[level] = complaints.browse(ids)
        if not fired:
            return fired
        facts = complaints._escalation_facts()
        formatted = {}  # deadlines formatted once for all the levels
        messages = {level: fired[level]._escalation_messages(level, formatted, facts) for level in fired}
        # Each action does its own part and says which chatter notes to post; the notes of all the
        # levels are posted together.
        notes = []
        for level, fired_complaints in fired.items():
            notes += getattr(level, f"_fire_{level.action}")(fired_complaints, messages[level], now, facts)
        if notes:
            self._notify(notes, messages, now, facts)
        self._log_steps(fired, now)
        return fired

    def _log_steps(self, fired, now):
        """The history lines "Escalation: <levels>" (``fired``: ``{level: complaints}``): one line per complaint
        naming the levels fired on it in this run (they fire together when a complaint is late for several at
        once), stored language-neutral (the levels' ids)."""
        levels_of = defaultdict(list)  # complaint id -> ids of the levels fired, in their order
        for level, complaints in fired.items():
            for complaint_id in complaints._ids:
                levels_of[complaint_id].append(level.id)
        complaints = self.env["complaint.complaint"].sudo().browse(list(levels_of))
        complaints._log_step("escalation", args_of={cid: {"levels": ids} for cid, ids in levels_of.items()})

    def _fire_activity_for_handler(self, complaints, messages, now, facts):
        """A to-do for each complaint's handler (or its team leader); the managers are told of those with neither.

        ``facts``: the complaints' :meth:`~complaint.complaint._escalation_facts`. Returns the chatter notes
        to post, as ``_notify`` takes them.
        """
        self.ensure_one()
        todo = self.env.ref("mail.mail_activity_data_todo")
        deadline_field = {"acknowledgement": "date_ack_deadline", "first_response": "date_response_deadline"}.get(
            self.target, "date_deadline"
        )
        target = complaints._fields[deadline_field].get_description(self.env)["string"]
        summary = self.env._("%(target)s: %(ref)s")  # translated once, filled in per complaint
        context_tz = self.env.context.get("tz")
        timezones = {}
        days = {}  # (time zone, deadline) -> the deadline's day there, as ``fields.Date.context_today`` gives it
        rows = []
        without_handler = []
        assignee_ids = {}  # complaint id -> its handler, else its team leader
        for complaint_id in complaints._ids:
            complaint = facts[complaint_id]
            if complaint.user_id or complaint.team_leader_id:
                assignee_ids[complaint_id] = complaint.user_id or complaint.team_leader_id
            else:
                without_handler.append(complaint_id)
        users = self.env["res.users"].sudo().browse(set(assignee_ids.values()))
        partner_and_tz = {user.id: (user.partner_id.id, user.tz or None) for user in users}
        for complaint_id, user_id in assignee_ids.items():
            complaint = facts[complaint_id]
            partner_id, user_tz = partner_and_tz[user_id]
            deadline = getattr(complaint, deadline_field)
            tz_name = context_tz or user_tz
            if (tz_name, deadline) not in days:
                if tz_name not in timezones:
                    try:
                        timezones[tz_name] = pytz.timezone(tz_name) if tz_name else None
                    except pytz.UnknownTimeZoneError:
                        timezones[tz_name] = None
                zone = timezones[tz_name]
                days[tz_name, deadline] = (pytz.utc.localize(deadline).astimezone(zone) if zone else deadline).date()
            rows.append(
                (
                    complaint_id,
                    complaint.display_name,
                    user_id,
                    partner_id,
                    user_tz,
                    days[tz_name, deadline],
                    summary % {"target": target, "ref": complaint.name},
                    messages[complaint_id],
                )
            )
        if rows:
            # In-app activities, created together, without an e-mail per activity (``mail_activity_quick_update``:
            # thousands may be created by one run); the assignee follows the complaint.
            model_id = self.env["ir.model"]._get_id("complaint.complaint")
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": res_id,
                        "activity_type_id": todo.id,
                        "user_id": user_id,
                        "date_deadline": deadline,
                        "summary": summary_text,
                        "note": note,
                        "automated": True,
                    }
                    for res_id, _name, user_id, _partner, _tz, deadline, summary_text, note in rows
                ]
            )
            by_partner = defaultdict(list)
            for res_id, _name, _user, partner_id, _tz, _deadline, _summary, _note in rows:
                by_partner[partner_id].append(res_id)
            for partner_id, res_ids in by_partner.items():
                complaints.browse(res_ids).message_subscribe(partner_ids=[partner_id])
        # Nobody to give the to-do to: the managers are told instead.
        return [(self, complaints.browse(without_handler), None)] if without_handler else []

    def _fire_notify_team_leader(self, complaints, messages, now, facts):
        leaders = self.env["res.users"].sudo().browse({facts[cid].team_leader_id for cid in complaints._ids} - {None})
        leader_of = {leader.id: leader for leader in leaders}
        return [
            (
                self,
                complaints,
                lambda complaint: leader_of.get(facts[complaint.id].team_leader_id) or self._managers(complaint),
            )
        ]

    def _fire_notify_managers(self, complaints, messages, now, facts):
        return [(self, complaints, None)]

    def _managers(self, complaint):
        managers = self.env.ref("complaint_handling.group_complaint_manager").sudo().users
        return managers.filtered(lambda u: not u.share and u.active and complaint.company_id in u.company_ids)

    def _notify(self, notes, messages, now, facts):
        """Post the escalation notes as OdooBot, each notifying its recipients in their inbox.

        ``notes``: ``[(level, complaints, recipients)]``, ``recipients(complaint)`` giving the users to tell
        (``None``: the complaint managers of its company);
        ``messages``: ``{level: {complaint id: body}}``; ``facts``: the complaints'
        :meth:`~complaint.complaint._escalation_facts`. One chatter note per complaint (the levels fired on
        it in this run share it) lists all its recipients; those who read their notifications in Odoo get it
        in their inbox, those who prefer e-mail get one digest per run instead of an e-mail per complaint.
        """
        odoobot = self.env.ref("base.partner_root")
        managers = {}  # the managers of a company are the same for all its complaints
        rows = []  # (complaint id, body, users, level)
        for level, complaints, recipients in notes:
            for complaint in complaints:
                if recipients is None:
                    company = facts[complaint.id].company_id
                    if company not in managers:
                        managers[company] = level._managers(complaint)
                    users = managers[company]
                else:
                    users = recipients(complaint)
                rows.append((complaint.id, messages[level][complaint.id], users, level))
        # One note per complaint: the levels fired on it together (late for several at once) share it, with
        # the recipients of each. Those who read their notifications in Odoo get it in their inbox (Odoo's
        # notification of a note, with its bus message); those who prefer e-mail get the digest below instead
        # (as Odoo would e-mail them rather than fill their inbox), one e-mail per run rather than one per
        # complaint.
        bodies, recipients_of = defaultdict(list), defaultdict(list)
        for complaint_id, body, users, _level in rows:
            bodies[complaint_id].append(body)
            recipients_of[complaint_id].append(users)
        unions = {}  # the same few sets of recipients recur: their union is made once
        vals_list, inbox_users = [], []
        note_subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        # One reply-to computation for the batch (``mail.message`` would do it per message).
        complaints = self.env["complaint.complaint"].sudo().browse(list(recipients_of))
        reply_to = complaints._notify_get_reply_to(default=odoobot.email_formatted)
        for complaint_id, users in recipients_of.items():
            key = tuple(recipients._ids for recipients in users)
            if key not in unions:
                union = users[0].union(*users[1:])
                unions[key] = (union, union.filtered(lambda u: u.notification_type == "inbox"))
            union, inbox = unions[key]
            fact = facts[complaint_id]
            vals_list.append(
                {
                    "model": "complaint.complaint",
                    "res_id": complaint_id,
                    "record_name": fact.display_name,
                    "record_company_id": fact.company_id,
                    # The note's HTML: its parts are messages already escaped (``Markup``), put end to end.
                    "body": Markup("").join(bodies[complaint_id]),
                    "author_id": odoobot.id,
                    "email_from": odoobot.email_formatted,
                    "reply_to": reply_to.get(complaint_id) or odoobot.email_formatted,
                    "message_type": "notification",
                    "subtype_id": note_subtype_id,
                    "is_internal": True,
                    "partner_ids": [Command.set(union.partner_id.ids)],
                }
            )
            inbox_users.append(inbox)
        # The notes together (one ORM create), then their inbox notifications, as
        # ``mail.thread._notify_thread_by_inbox`` makes them for a posted note.
        notes = self.env["mail.message"].sudo().create(vals_list)
        self.env["mail.notification"].sudo().create(
            [
                {
                    "mail_message_id": note.id,
                    "res_partner_id": user.partner_id.id,
                    "author_id": odoobot.id,
                    "notification_type": "inbox",
                    "notification_status": "sent",
                }
                for note, users in zip(notes, inbox_users, strict=True)
                for user in users
            ]
        )
        # Their web clients learn of them once per run (not once per note: a run may escalate thousands of
        # complaints): the inbox counter, as Odoo sends it when the client starts.
        for user in self.env["res.users"].union(*inbox_users):
            user._bus_send_store(
                Store().add(
                    {"inbox": {"counter": user.partner_id._get_needaction_count(), "id": "inbox", "model": "mail.box"}}
                )
            )
        # Recipients who prefer e-mail: one digest each, listing the complaints of every level.
        digests = defaultdict(lambda: defaultdict(list))
        email_users = {}
        for _cid, body, users, level in rows:
            if users not in email_users:
                email_users[users] = users.filtered(lambda u: u.notification_type == "email")
            for user in email_users[users]:
                digests[user][level].append(body)
        if digests:
            self._send_digests(digests)

    def _send_digests(self, digests):
        """One e-mail per user listing the complaints escalated (``digests``: ``{user: {level: notes}}``)."""
        email_from = self.env.ref("base.partner_root").email_formatted or self.env.company.email_formatted
        vals_list = []
        for user, by_level in digests.items():
            # Thousands of lines per level: each note is escaped (a no-op for the notes, already ``Markup``)
            # and the lines put end to end, rather than formatted one ``Markup`` at a time.
            body = Markup("").join(
                Markup("<p>%s</p><ul>%s</ul>")
                % (
                    self.env._("Escalation %(level)s: %(count)s complaint(s).", level=level.name, count=len(notes)),
                    Markup("".join(f"<li>{escape(note)}</li>" for note in notes)),
                )
                for level, notes in by_level.items()
            )
            vals_list.append(
                {
                    "subject": self.env._(
                        "Complaints escalated: %(level)s", level=", ".join(level.name for level in by_level)
                    ),
                    "body_html": body,
                    "email_from": email_from,
                    "recipient_ids": [Command.link(user.partner_id.id)],
                    "auto_delete": True,
                }
            )
        self.env["mail.mail"].sudo().create(vals_list)


class ComplaintEscalationLog(models.Model):
    """That an escalation level fired on a complaint: once per (complaint, level)."""

    _name = "complaint.escalation.log"
    _description = "Complaint Escalation Log"
    _inherit = ["complaint.process.mixin"]
    _order = "date desc, id desc"

    # No index of its own: the unique (complaint, level) index serves the lookups by complaint, and the
    # escalation job inserts thousands of rows per run.
    complaint_id = fields.Many2one("complaint.complaint", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    level_id = fields.Many2one("complaint.escalation.level", required=True, index=True, ondelete="cascade")
    date = fields.Datetime(required=True, default=fields.Datetime.now)

    _sql_constraints = [
        ("complaint_level_uniq", "unique (complaint_id, level_id)", "An escalation level fires once per complaint.")
    ]

    def init(self):
        result = super().init()
        # Odoo keeps the index of a field no longer indexed: drop the one earlier versions created.
        drop_index(self.env.cr, make_index_name(self._table, "complaint_id"), self._table)
        return result
