from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

from .complaint_promise import TARGETS


class ComplaintEscalationLevel(models.Model):
    """One step of the escalation ladder, fired once per complaint by the escalation job.

    E.g. an activity for the handler 4 working hours before the resolution deadline, the team
    leader told at the breach, the complaint managers 8 working hours after it.
    """

    _name = "complaint.escalation.level"
    _description = "Complaint Escalation Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Levels due together fire in this order.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: every company.")
    target = fields.Selection(TARGETS, string="Deadline", required=True, default="resolution")
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
    # One run may escalate tens of thousands of complaints. The history lines, chatter notes,
    # inbox notifications and activities are therefore written with one INSERT ... SELECT each per
    # batch (what the ORM would write, without a round of Python per record), then the ORM caches
    # are invalidated.

    def _fire(self, complaints, now):
        """Fire this level on ``complaints``; each (complaint, level) pair fires once, even across workers."""
        self.ensure_one()
        complaints.flush_recordset(["company_id"])
        self.env.cr.execute(
            SQL(
                """INSERT INTO complaint_escalation_log
                          (complaint_id, company_id, level_id, date, create_uid, create_date, write_uid, write_date)
                   SELECT id, company_id, %(level)s, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM complaint_complaint WHERE id = ANY(%(ids)s)
                 ORDER BY id
              ON CONFLICT (complaint_id, level_id) DO NOTHING
                RETURNING complaint_id""",
                level=self.id,
                now=now,
                uid=self.env.uid,
                ids=list(complaints.ids),
            )
        )
        fired = complaints.browse(row[0] for row in self.env.cr.fetchall())
        self.env["complaint.escalation.log"].invalidate_model()
        complaints.invalidate_recordset(["escalation_log_ids"])
        complaints.modified(["escalation_log_ids"])
        if not fired:
            return fired
        messages = fired._escalation_messages(self)
        getattr(self, f"_fire_{self.action}")(fired, messages, now)
        self._log_steps(fired, now)
        return fired

    def _log_steps(self, complaints, now):
        """The history line "Escalation: <level>" of each complaint, as ``_log_step`` writes it, in one query."""
        complaints.flush_recordset(["company_id", "state", "stage_id", "user_id", "team_id"])
        self.env.cr.execute(
            SQL(
                """INSERT INTO complaint_step (complaint_id, company_id, date, user_id, action, state_from, state_to,
                                              stage_id, handler_id, team_id, create_uid, create_date, write_uid,
                                              write_date)
                   SELECT id, company_id, %(now)s, %(uid)s, %(action)s, state, state, stage_id, user_id, team_id,
                          %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM complaint_complaint WHERE id = ANY(%(ids)s) ORDER BY id""",
                now=now,
                uid=self.env.uid,
                action=self.env._("Escalation: %(level)s", level=self.name),
                ids=list(complaints.ids),
            )
        )
        self.env["complaint.step"].invalidate_model()
        complaints.invalidate_recordset(["step_ids"])

    def _fire_activity_for_handler(self, complaints, messages, now):
        todo = self.env.ref("mail.mail_activity_data_todo")
        deadline_field = {"acknowledgement": "date_ack_deadline", "first_response": "date_response_deadline"}.get(
            self.target, "date_deadline"
        )
        target = complaints._fields[deadline_field].get_description(self.env)["string"]
        summary = self.env._("%(target)s: %(ref)s")  # translated once, filled in per complaint
        rows = []
        without_handler = complaints.browse()
        for complaint in complaints:
            user = complaint.user_id or complaint.team_id.leader_id
            if not user:
                without_handler |= complaint
                continue
            deadline = complaint[deadline_field]
            rows.append(
                (
                    complaint.id,
                    complaint.display_name,
                    user.id,
                    user.partner_id.id,
                    user.tz or None,
                    fields.Date.context_today(complaint.with_user(user), deadline),
                    summary % {"target": target, "ref": complaint.name},
                    messages[complaint.id],
                )
            )
        if rows:
            # In-app activities, as ``mail.activity`` creates them with ``mail_activity_quick_update`` (no
            # e-mail per activity: thousands may be created by one run); the handler follows the complaint.
            res_ids, names, users, partners, zones, deadlines, summaries, notes = (
                list(column) for column in zip(*rows, strict=True)
            )
            self.env.cr.execute(
                SQL(
                    """INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id, user_id,
                                                 user_tz, date_deadline, summary, note, automated, active,
                                                 create_uid, create_date, write_uid, write_date)
                       SELECT %(model_id)s, 'complaint.complaint', a.res_id, a.name, %(type)s, a.user_id, a.tz,
                              a.deadline, a.summary, a.note, true, true, %(uid)s, %(now)s, %(uid)s, %(now)s
                         FROM unnest(%(res_ids)s::int[], %(names)s::varchar[], %(users)s::int[], %(zones)s::varchar[],
                                     %(deadlines)s::date[], %(summaries)s::varchar[], %(notes)s::text[])
                              AS a(res_id, name, user_id, tz, deadline, summary, note);
                       INSERT INTO mail_followers (res_model, res_id, partner_id)
                       SELECT DISTINCT 'complaint.complaint', f.res_id, f.partner_id
                         FROM unnest(%(res_ids)s::int[], %(partners)s::int[]) AS f(res_id, partner_id)
                  ON CONFLICT DO NOTHING""",
                    model_id=self.env["ir.model"]._get_id("complaint.complaint"),
                    type=todo.id,
                    uid=self.env.uid,
                    now=now,
                    res_ids=res_ids,
                    names=names,
                    users=users,
                    zones=zones,
                    deadlines=deadlines,
                    summaries=summaries,
                    notes=[str(note) for note in notes],
                    partners=partners,
                )
            )
            self.env["mail.activity"].invalidate_model()
            self.env["mail.followers"].invalidate_model()
            complaints.invalidate_recordset(["activity_ids", "message_follower_ids", "message_partner_ids"])
            # The assignees' activity counters in the web client, as ``mail.activity.create`` does.
            today = fields.Date.context_today(self)
            due = defaultdict(int)
            for _res_id, _name, user_id, _partner, _tz, deadline, _summary, _note in rows:
                if deadline <= today:
                    due[user_id] += 1
            for user_id, count in due.items():
                self.env["res.users"].browse(user_id)._bus_send(
                    "mail.activity/updated", {"activity_created": True, "count_diff": count}
                )
        if without_handler:
            self._notify(without_handler, self._managers, messages, now)

    def _fire_notify_team_leader(self, complaints, messages, now):
        self._notify(
            complaints, lambda complaint: complaint.team_id.leader_id or self._managers(complaint), messages, now
        )

    def _fire_notify_managers(self, complaints, messages, now):
        self._notify(complaints, self._managers, messages, now)

    def _managers(self, complaint):
        managers = self.env.ref("complaint_handling.group_complaint_manager").sudo().users
        return managers.filtered(lambda u: not u.share and u.active and complaint.company_id in u.company_ids)

    def _notify(self, complaints, recipients, messages, now):
        """Post the escalation on each complaint as OdooBot, notifying ``recipients(complaint)`` in their inbox.

        The chatter notes, their recipients and inbox notifications are inserted as ``mail.message``
        and ``mail.notification`` would create them; recipients who prefer e-mail get one digest per run.
        """
        odoobot = self.env.ref("base.partner_root")
        note = self.env.ref("mail.mt_note")
        users_by_complaint = {}
        managers = {}
        for complaint in complaints:
            users = recipients(complaint) if recipients != self._managers else None
            if users is None:
                # The managers of a company are the same for all its complaints.
                company = complaint.company_id.id
                if company not in managers:
                    managers[company] = self._managers(complaint)
                users = managers[company]
            users_by_complaint[complaint.id] = users
        # One reply-to, alias domain and company computation for the batch (``mail.message`` does it per message).
        sudo_complaints = complaints.sudo()
        reply_to = sudo_complaints._notify_get_reply_to(default=odoobot.email_formatted)
        alias_domains = sudo_complaints._mail_get_alias_domains(default_company=self.env.company)
        companies = sudo_complaints._mail_get_companies(default=self.env.company)
        ids = complaints.ids
        self.env.cr.execute(
            SQL(
                """INSERT INTO mail_message (model, res_id, record_name, record_alias_domain_id, record_company_id,
                                            body, author_id, email_from, message_type, subtype_id, is_internal,
                                            message_id, reply_to, reply_to_force_new, email_add_signature, date,
                                            create_uid, create_date, write_uid, write_date)
                   SELECT 'complaint.complaint', m.res_id, m.name, m.alias_domain, m.company, m.body, %(author)s,
                          %(email_from)s, 'notification', %(subtype)s, true, m.message_id, m.reply_to, false, true,
                          %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM unnest(%(ids)s::int[], %(names)s::varchar[], %(alias_domains)s::int[], %(companies)s::int[],
                                 %(bodies)s::text[], %(message_ids)s::varchar[], %(reply_tos)s::varchar[])
                          WITH ORDINALITY AS m(res_id, name, alias_domain, company, body, message_id, reply_to, n)
                 ORDER BY m.n
                RETURNING id, res_id""",
                author=odoobot.id,
                email_from=odoobot.email_formatted,
                subtype=note.id,
                now=now,
                uid=self.env.uid,
                ids=ids,
                names=[complaint.display_name for complaint in complaints],
                alias_domains=[alias_domains[cid].id or None for cid in ids],
                companies=[companies[cid].id or None for cid in ids],
                bodies=[str(messages[cid]) for cid in ids],
                message_ids=[generate_tracking_message_id(f"{cid}-complaint.complaint") for cid in ids],
                reply_tos=[reply_to.get(cid) or odoobot.email_formatted for cid in ids],
            )
        )
        message_by_complaint = {res_id: message_id for message_id, res_id in self.env.cr.fetchall()}
        pairs = [
            (message_by_complaint[cid], partner_id)
            for cid in ids
            for partner_id in users_by_complaint[cid].partner_id.ids
        ]
        if pairs:
            message_ids, partner_ids = (list(column) for column in zip(*pairs, strict=True))
            self.env.cr.execute(
                SQL(
                    """INSERT INTO mail_message_res_partner_rel (mail_message_id, res_partner_id)
                       SELECT * FROM unnest(%(messages)s::int[], %(partners)s::int[]);
                       INSERT INTO mail_notification (mail_message_id, res_partner_id, author_id, notification_type,
                                                      notification_status, is_read)
                       SELECT m, p, %(author)s, 'inbox', 'ready', false
                         FROM unnest(%(messages)s::int[], %(partners)s::int[]) AS n(m, p)""",
                    messages=message_ids,
                    partners=partner_ids,
                    author=odoobot.id,
                )
            )
        self.env["mail.message"].invalidate_model()
        self.env["mail.notification"].invalidate_model()
        complaints.invalidate_recordset(["message_ids"])
        by_user = defaultdict(list)
        for complaint in complaints:
            for user in users_by_complaint[complaint.id]:
                if user.notification_type == "email":
                    by_user[user].append(complaint.id)
        for user, complaint_ids in by_user.items():
            self._send_digest(user, [messages[cid] for cid in complaint_ids])

    def _send_digest(self, user, messages):
        """One e-mail to ``user`` listing the complaints this level escalated (``messages``: their escalation notes)."""
        items = Markup("").join(Markup("<li>%s</li>") % message.striptags() for message in messages)
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("Escalation %(level)s: %(count)s complaint(s).", level=self.name, count=len(messages)),
            items,
        )
        self.env["mail.mail"].sudo().create(
            {
                "subject": self.env._("Complaints escalated: %(level)s", level=self.name),
                "body_html": body,
                "email_from": self.env.ref("base.partner_root").email_formatted or self.env.company.email_formatted,
                "recipient_ids": [Command.link(user.partner_id.id)],
                "auto_delete": True,
            }
        )


class ComplaintEscalationLog(models.Model):
    """That an escalation level fired on a complaint: once per (complaint, level)."""

    _name = "complaint.escalation.log"
    _description = "Complaint Escalation Log"
    _order = "date desc, id desc"

    complaint_id = fields.Many2one("complaint.complaint", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    level_id = fields.Many2one("complaint.escalation.level", required=True, index=True, ondelete="cascade")
    date = fields.Datetime(required=True, default=fields.Datetime.now)

    _sql_constraints = [
        ("complaint_level_uniq", "unique (complaint_id, level_id)", "An escalation level fires once per complaint.")
    ]
