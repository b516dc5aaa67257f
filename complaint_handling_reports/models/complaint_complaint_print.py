from markupsafe import Markup

from odoo import api, models
from odoo.tools import html2plaintext

# States past the initial assessment (ISO 10002 7.5): a complaint in one of them must have been assessed.
ASSESSED_STATES = (
    "assessed",
    "investigating",
    "response_proposed",
    "decision_communicated",
    "escalated",
    "reopened",
    "closed",
)
# Decision states in which the decision has left the organisation.
SENT_DECISION_STATES = ("communicated", "accepted", "rejected")
# Decision states that an approval must have preceded.
APPROVED_STATES = ("approved",) + SENT_DECISION_STATES


class ComplaintComplaint(models.Model):
    """What the printed reports need from a complaint: language, complainant shown, chatter and audit checks."""

    _inherit = "complaint.complaint"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ letters and record

    def _report_lang(self):
        """Language of the letters to the complainant: their contact's, else the company's, else the user's."""
        self.ensure_one()
        return self.partner_id.lang or self.company_id.partner_id.lang or self.env.lang or "en_US"

    def _report_tz(self):
        """Time zone in which dates are printed for the complainant."""
        self.ensure_one()
        return self.partner_id.tz or self.user_id.tz or self.env.user.tz or "UTC"

    def _report_may_see_complainant(self):
        """Whether the current user may read who complained on a printed list.

        Confidential complaints: only their handler, their team leader, complaint managers and
        auditors (the people the confidential flag is meant for, ISO 10002 4.7).
        """
        self.ensure_one()
        if not self.confidential or self.env.su:
            return True
        user = self.env.user
        if user.has_group("complaint_handling.group_complaint_manager") or user.has_group(
            "complaint_handling.group_complaint_auditor"
        ):
            return True
        return user in (self.user_id | self.team_id.leader_id)

    def _report_complainant(self):
        """The complainant's name as printed on lists: anonymous and confidential complaints hide it."""
        self.ensure_one()
        if self.anonymous:
            return self.env._("Anonymous")
        if not self._report_may_see_complainant():
            return self.env._("Confidential")
        return self.partner_id.name or self.complainant_name or ""

    def _report_tracking_url(self):
        """The complainant's link to follow the complaint online, when the portal gives one."""
        self.ensure_one()
        if not self.access_url or self.access_url == "#":
            return False
        return self.get_base_url() + self.get_portal_url()

    def _report_messages(self):
        """The chatter messages of the complaint for the record: date, author, first line, oldest first."""
        self.ensure_one()
        messages = self.env["mail.message"].search(
            [
                ("model", "=", self._name),
                ("res_id", "=", self.id),
                ("message_type", "in", ("email", "comment", "notification", "auto_comment", "email_outgoing")),
            ],
            order="date, id",
        )
        lines = []
        for message in messages:
            text = html2plaintext(message.body or "").strip()
            first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
            # Tracked changes, limited to the fields the user may read (as the chatter shows them).
            trackings = message.sudo().tracking_value_ids._filter_has_field_access(self.env)
            if not first_line and trackings:
                first_line = ", ".join(
                    f"{value['changedField']}: {value['oldValue']['value'] or ''} → {value['newValue']['value'] or ''}"
                    for value in trackings._tracking_value_format()
                )
            lines.append(
                {
                    "date": message.date,
                    "author": message.author_id.name or message.email_from or "",
                    "subject": message.subject or "",
                    "first_line": first_line[:160],
                }
            )
        return lines

    def _report_attachments(self):
        """Files attached to the complaint (directly or through its messages): name and readable size."""
        self.ensure_one()
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)], order="create_date, id"
        )
        return [{"name": attachment.name, "size": _human_size(attachment.file_size)} for attachment in attachments]

    def _report_text(self, html):
        """Rich text (description, findings) as plain paragraphs for a printed page."""
        text = html2plaintext(html or "").strip()
        return Markup("<br/>").join(text.splitlines()) if text else ""

    # ------------------------------------------------------------------ audit (ISO 10002 8.5)

    @api.model
    def _audit_checks(self, domain):
        """Process conformance checks on the complaints of ``domain`` (ISO 10002 8.5 audit).

        Returns a list of dicts, one per check, in checklist order: ``key``, ``name``, ``clause``
        (of ISO 10002/10003), ``checked`` (how many complaints the check applies to), ``failed``
        (the offending complaints, a recordset) and ``passed`` (no offending complaint).
        Works with the access rights of the current user.
        """
        Complaint = self.env["complaint.complaint"].with_context(active_test=False)
        complaints = Complaint.search(domain)
        base = [("id", "in", complaints.ids)]

        def check(key, name, clause, applies, fails):
            applicable = Complaint.search(base + applies) if applies is not None else complaints
            failed = Complaint.search([("id", "in", applicable.ids)] + fails) if isinstance(fails, list) else fails
            return {
                "key": key,
                "name": name,
                "clause": clause,
                "checked": len(applicable),
                "failed": failed,
                "passed": not failed,
            }

        to_acknowledge = [("anonymous", "=", False), ("state", "not in", ("rejected", "withdrawn"))]
        closed = [("state", "=", "closed")]
        decided = self.env["complaint.decision"].search(
            [("complaint_id", "in", complaints.ids), ("approval_required", "=", True), ("state", "!=", "cancelled")]
        )
        unapproved = decided.filtered(lambda d: d.state in APPROVED_STATES and not d.approved_by_id).complaint_id
        objectivity = complaints.filtered(lambda c: c._audit_objectivity_issue())
        return [
            check(
                "acknowledged",
                self.env._("Every complaint was acknowledged"),
                "7.4",
                to_acknowledge,
                [("date_acknowledged", "=", False), "|", ("state", "!=", "received"), ("ack_breached", "=", True)],
            ),
            check(
                "acknowledged_on_time",
                self.env._("Acknowledgements were sent on time"),
                "7.4",
                to_acknowledge,
                [("ack_breached", "=", True)],
            ),
            check(
                "assessed",
                self.env._("Complaints past receipt had their initial assessment"),
                "7.5",
                [("state", "in", ASSESSED_STATES)],
                ["|", "|", "|", ("date_assessed", "=", False), ("category_id", "=", False)]
                + [("severity_id", "=", False), ("scope_decision", "!=", "in_scope")],
            ),
            check(
                "rejection_reason",
                self.env._("Rejected (out of scope) and withdrawn complaints give their reason"),
                "7.5, 7.9",
                [("state", "in", ("rejected", "withdrawn"))],
                ["|", "&", ("state", "=", "rejected"), ("scope_reason", "=", False)]
                + ["&", ("state", "=", "withdrawn"), ("closing_reason", "=", False)],
            ),
            check(
                "on_time",
                self.env._("First responses and resolutions met their deadlines"),
                "7.7, 7.8",
                None,
                ["|", ("response_breached", "=", True), ("resolution_breached", "=", True)],
            ),
            check(
                "decision_approved",
                self.env._("Decisions above the approval limit were approved by a manager"),
                "7.7",
                [("id", "in", decided.complaint_id.ids)],
                unapproved,
            ),
            check(
                "closed_with_decision",
                self.env._("Closed complaints have a communicated decision"),
                "7.8, 7.9",
                closed,
                ["|", ("decision_id", "=", False), ("decision_id.state", "not in", SENT_DECISION_STATES)],
            ),
            check(
                "closed_with_acceptance",
                self.env._("Closed complaints were accepted by the complainant or give a closing reason"),
                "7.9",
                closed,
                [
                    "|",
                    ("decision_id", "=", False),
                    ("decision_id.state", "!=", "accepted"),
                    ("closing_reason", "=", False),
                ],
            ),
            check(
                "root_cause",
                self.env._("Closed complaints record their root cause"),
                "7.6, 8.2",
                closed,
                [("root_cause_id", "=", False)],
            ),
            check(
                "objectivity",
                self.env._("No complaint is handled by the person or team it is about"),
                "4.6",
                None,
                objectivity,
            ),
        ]

    def _audit_objectivity_issue(self):
        """Whether the handler or the team is the one complained about (e.g. after a team change)."""
        self.ensure_one()
        handler = self.user_id
        subject_team = self.subject_team_id
        return bool(
            (handler and handler in self.subject_user_ids)
            or (subject_team and self.team_id == subject_team)
            or (handler and subject_team and handler in (subject_team.member_ids | subject_team.leader_id))
        )


def _human_size(size):
    """``size`` in bytes as a short readable text (1.2 KB, 3.4 MB)."""
    size = float(size or 0)
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} MB"
