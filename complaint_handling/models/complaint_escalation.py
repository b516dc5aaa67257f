from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.tools import SQL

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

    def _fire(self, complaints, now):
        """Fire this level on ``complaints``; each (complaint, level) pair fires once, even across workers."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                """INSERT INTO complaint_escalation_log
                          (complaint_id, level_id, date, create_uid, create_date, write_uid, write_date)
                   SELECT complaint_id, %(level)s, %(now)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM unnest(%(ids)s) AS complaint_id
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
        getattr(self, f"_fire_{self.action}")(fired)
        fired._log_step(self.env._("Escalation: %(level)s", level=self.name))
        return fired

    def _fire_activity_for_handler(self, complaints):
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("complaint.complaint")
        deadline_field = complaints._fields[
            {"acknowledgement": "date_ack_deadline", "first_response": "date_response_deadline"}.get(
                self.target, "date_deadline"
            )
        ]
        vals_list = []
        without_handler = complaints.browse()
        for complaint in complaints:
            user = complaint.user_id or complaint.team_id.leader_id
            if not user:
                without_handler |= complaint
                continue
            deadline = complaint[deadline_field.name]
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": complaint.id,
                    "activity_type_id": todo.id,
                    "user_id": user.id,
                    "automated": True,
                    "date_deadline": fields.Date.context_today(complaint.with_user(user), deadline),
                    "summary": self.env._(
                        "%(target)s: %(ref)s",
                        target=deadline_field.get_description(self.env)["string"],
                        ref=complaint.name,
                    ),
                    "note": complaint._escalation_message(self),
                }
            )
        # In-app activities; no e-mail per activity (thousands may be created by one run).
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        if without_handler:
            self._notify(without_handler, self._managers)

    def _fire_notify_team_leader(self, complaints):
        self._notify(complaints, lambda complaint: complaint.team_id.leader_id or self._managers(complaint))

    def _fire_notify_managers(self, complaints):
        self._notify(complaints, self._managers)

    def _managers(self, complaint):
        managers = self.env.ref("complaint_handling.group_complaint_manager").sudo().users
        return managers.filtered(lambda u: not u.share and u.active and complaint.company_id in u.company_ids)

    def _notify(self, complaints, recipients):
        """Post the escalation on each complaint as OdooBot, notifying ``recipients(complaint)``.

        Built for thousands of complaints at once: the chatter messages and their inbox
        notifications are created in batch; recipients who prefer e-mail get one digest per run.
        """
        odoobot = self.env.ref("base.partner_root")
        note = self.env.ref("mail.mt_note")
        users_by_complaint = {complaint.id: recipients(complaint) for complaint in complaints}
        # One reply-to computation for the batch (``mail.message`` would search it per message).
        reply_to = complaints.sudo()._notify_get_reply_to(default=odoobot.email_formatted)
        messages = (
            self.env["mail.message"]
            .sudo()
            .create(
                [
                    {
                        "model": "complaint.complaint",
                        "res_id": complaint.id,
                        "body": complaint._escalation_message(self),
                        "author_id": odoobot.id,
                        "email_from": odoobot.email_formatted,
                        "message_type": "notification",
                        "subtype_id": note.id,
                        "is_internal": True,
                        "reply_to": reply_to.get(complaint.id) or odoobot.email_formatted,
                        "partner_ids": [Command.set(users_by_complaint[complaint.id].partner_id.ids)],
                    }
                    for complaint in complaints
                ]
            )
        )
        self.env["mail.notification"].sudo().create(
            [
                {
                    "mail_message_id": message.id,
                    "res_partner_id": partner.id,
                    "notification_type": "inbox",
                    "is_read": False,
                }
                for message in messages
                for partner in message.partner_ids
            ]
        )
        by_user = defaultdict(lambda: complaints.browse())
        for complaint in complaints:
            for user in users_by_complaint[complaint.id].filtered(lambda u: u.notification_type == "email"):
                by_user[user] |= complaint
        for user, user_complaints in by_user.items():
            self._send_digest(user, user_complaints)

    def _send_digest(self, user, complaints):
        """One e-mail to ``user`` listing the complaints this level escalated."""
        items = Markup("").join(
            Markup("<li>%s</li>") % complaint._escalation_message(self).striptags() for complaint in complaints
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("Escalation %(level)s: %(count)s complaint(s).", level=self.name, count=len(complaints)),
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
