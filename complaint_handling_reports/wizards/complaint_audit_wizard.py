from odoo import models


class ComplaintAuditWizard(models.TransientModel):
    """Print the process audit of a period (ISO 10002 8.5): a checklist of conformance checks."""

    _name = "complaint.audit.wizard"
    _inherit = ["complaint.report.filter"]
    _description = "Print Complaint Audit Report"

    def _get_checks(self):
        """The conformance checks of the period (see ``complaint.complaint._audit_checks``)."""
        self.ensure_one()
        return self.env["complaint.complaint"]._audit_checks(self._get_domain())

    def _get_count(self):
        """How many complaints the audit covers."""
        self.ensure_one()
        return self.env["complaint.complaint"].with_context(active_test=False).search_count(self._get_domain())

    def _get_archived_count(self):
        """How many of them were archived by a complaint manager (each with its reason in its step history)."""
        self.ensure_one()
        return (
            self.env["complaint.complaint"]
            .with_context(active_test=False)
            .search_count(self._get_domain() + [("active", "=", False)])
        )

    def _get_kpi_summary(self):
        """Headline indicators of the period from the KPI report, when that report is installed."""
        self.ensure_one()
        if "complaint.kpi.report" not in self.env or not hasattr(self.env["complaint.kpi.report"], "_kpi_summary"):
            return {}
        # The KPI report has ``is_open`` where complaints have ``is_done``.
        domain = [
            ("is_open", "=", not leaf[2]) if isinstance(leaf, tuple) and leaf[0] == "is_done" else leaf
            for leaf in self._get_domain()
        ]
        return self.env["complaint.kpi.report"]._kpi_summary(domain) or {}

    def _get_headline_figures(self):
        """The headline indicators of the period as (label, printed value) pairs, in reading order."""
        self.ensure_one()
        summary = self._get_kpi_summary()
        currency = (self.company_ids[:1] or self.env.company).currency_id
        figures = [
            ("count", self.env._("Complaints received"), "int"),
            ("open_count", self.env._("Still open"), "int"),
            ("overdue_count", self.env._("Overdue"), "int"),
            ("done_count", self.env._("Closed, rejected or withdrawn"), "int"),
            ("ack_on_time_rate", self.env._("Acknowledged on time"), "pct"),
            ("response_on_time_rate", self.env._("First response on time"), "pct"),
            ("resolved_on_time_rate", self.env._("Resolved on time"), "pct"),
            ("avg_ack_hours", self.env._("Average time to acknowledge"), "hours"),
            ("avg_response_hours", self.env._("Average time to first response"), "hours"),
            ("avg_resolution_hours", self.env._("Average time to resolve"), "hours"),
            ("backlog_avg_age_days", self.env._("Average age of the open backlog"), "days"),
            ("reopen_rate", self.env._("Reopened"), "pct"),
            ("escalation_rate", self.env._("Escalated"), "pct"),
            ("external_rate", self.env._("Referred to external dispute resolution"), "pct"),
            ("first_contact_rate", self.env._("Resolved at first contact"), "pct"),
            ("satisfaction_avg", self.env._("Satisfaction (0-5)"), "float"),
            ("satisfaction_response_rate", self.env._("Satisfaction survey response rate"), "pct"),
            ("remedy_cost", self.env._("Cost of remedies"), "money"),
        ]
        lines = []
        for key, label, kind in figures:
            if key not in summary:
                continue
            value = summary[key]
            if value is None or value is False:
                text = "—"
            elif kind == "int":
                text = str(int(value))
            elif kind == "pct":
                text = f"{value:.1f} %"
            elif kind == "hours":
                text = self.env._("%(hours).1f working hours", hours=value)
            elif kind == "days":
                text = self.env._("%(days).1f days", days=value)
            elif kind == "money":
                text = currency.format(value)
            else:
                text = f"{value:.1f}"
            lines.append((label, text))
        return lines

    def action_print(self):
        """Print the audit report as PDF."""
        self.ensure_one()
        return self.env.ref("complaint_handling_reports.action_report_complaint_audit").report_action(self)
