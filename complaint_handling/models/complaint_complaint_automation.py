from collections import defaultdict

from markupsafe import Markup

from odoo import fields, models
from odoo.tools import formataddr

# Severity level from which complaint managers are alerted (High = 3, Critical = 4 in the shipped data).
HIGH_SEVERITY_LEVEL = 3


class ComplaintComplaint(models.Model):
    """The business rules the shipped automation rules call (data/base_automation_data.xml).

    The rules only decide *when*; what happens lives here, so that a manager who switches a rule
    off or changes its conditions keeps the same, tested behaviour.
    """

    _inherit = "complaint.complaint"  # pylint: disable=consider-merging-classes-inherited

    high_severity_alerted = fields.Boolean(
        readonly=True,
        copy=False,
        help="The complaint managers were alerted of this high-severity complaint (once per complaint).",
    )
    notified_stage_id = fields.Many2one(
        "complaint.stage",
        string="Stage Told to Complainant",
        readonly=True,
        copy=False,
        help="The last stage the complainant was told about, so that a stage is announced once.",
    )

    def _is_high_severity(self):
        self.ensure_one()
        return (
            self.severity_id.level >= HIGH_SEVERITY_LEVEL
            or self.safety_impact
            or self.legal_impact
            or self.regulatory_impact
        )

    def _assign_from_category(self):
        """Give the complaints without a team the default team of their category, in their company.

        Only the team: the handler is chosen by the team (nobody is guessed as handler, even in a
        team of one, so that the objectivity check and the workload stay with people).
        """
        to_assign = self.filtered(lambda c: c.category_id and not c.team_id)
        by_team = defaultdict(lambda: self.browse())
        for complaint in to_assign:
            team = complaint.category_id.sudo().with_company(complaint.company_id).team_id
            if team:
                by_team[team] |= complaint
        for team, complaints in by_team.items():
            complaints.write({"team_id": team.id})
        return True

    def _complaint_managers(self, company):
        """Active internal users of the complaint manager group who work in ``company``."""
        group = self.env.ref("complaint_handling.group_complaint_manager")
        return group.sudo().users.filtered(
            lambda u: not u.share
            and u.active
            and company in u.company_ids
            and u.id != self.env.ref("base.user_root").id
        )

    def _notify_managers_high_severity(self):
        """Alert the complaint managers, once per complaint, of a high-severity complaint.

        High severity: a severity level of 3 (High) or more, or an impact on safety, law or
        regulation. One internal note mentioning the managers of the company, and a to-do for
        the team leader.
        """
        complaints = self.filtered(lambda c: not c.high_severity_alerted and c._is_high_severity())
        managers_by_company = {}
        for complaint in complaints:
            company = complaint.company_id
            if company not in managers_by_company:
                managers_by_company[company] = self._complaint_managers(company)
            managers = managers_by_company[company]
            impacts = [
                label
                for flag, label in (
                    (complaint.safety_impact, self.env._("safety")),
                    (complaint.legal_impact, self.env._("legal")),
                    (complaint.regulatory_impact, self.env._("regulatory")),
                )
                if flag
            ]
            body = Markup("<p>%s</p>") % self.env._(
                "High-severity complaint %(ref)s: severity %(severity)s%(impacts)s. Please review it.",
                ref=complaint.name,
                severity=complaint.severity_id.name or self.env._("not set"),
                impacts=(self.env._(", impact: %(impacts)s", impacts=", ".join(impacts)) if impacts else ""),
            )
            complaint.sudo().message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=managers.partner_id.ids,
            )
            leader = complaint.team_id.leader_id
            if leader:
                complaint.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=leader.id,
                    summary=self.env._("High-severity complaint: review it"),
                    note=body,
                )
        if complaints:
            complaints.sudo().write({"high_severity_alerted": True})
        return True

    def _notify_complainant_stage_change(self):
        """Tell the complainant the new stage of their complaint (ISO 10002 7.3, tracking).

        Not for anonymous complaints, complaints without a contact, nor on receipt and
        acknowledgement (the acknowledgement itself tells the complainant); once per stage. The
        message is a public comment: the complainant receives it by e-mail and finds it on the
        portal. A complainant known only by e-mail gets a contact created, as the mail gateway does.
        """
        for complaint in self:
            if (
                complaint.anonymous
                or complaint.state in ("received", "acknowledged")
                or complaint.notified_stage_id == complaint.stage_id
                or not (complaint.partner_id or complaint.complainant_email)
            ):
                continue
            partner = complaint.partner_id
            if not partner:
                address = formataddr((complaint.complainant_name or "", complaint.complainant_email))
                partner = complaint.sudo()._mail_find_partner_from_emails(
                    [address], records=complaint, force_create=True
                )[0]
            if not partner:
                continue
            body = Markup("<p>%s</p>") % self.env._(
                "Your complaint %(ref)s (%(subject)s) is now at the stage: %(stage)s.",
                ref=complaint.name,
                subject=complaint.subject,
                stage=complaint.stage_id.name,
            )
            complaint.sudo().message_post(
                body=body,
                subject=self.env._("Your complaint %(ref)s", ref=complaint.name),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=partner.ids,
            )
            complaint.sudo().write({"notified_stage_id": complaint.stage_id.id})
        return True
