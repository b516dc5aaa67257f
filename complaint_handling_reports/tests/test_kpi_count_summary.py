from datetime import datetime

from odoo.tests import tagged

from odoo.addons.complaint_handling.tests.common import ComplaintCase


@tagged("post_install", "-at_install")
class TestKpiCountSummary(ComplaintCase):
    """Counts of the KPI analysis come from the pre-aggregated complaint counts, with the view's figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.complaint"]._count_summary_rebuild("Europe/Brussels")
        cls.complaints = (
            cls.env["complaint.complaint"]
            .with_user(cls.manager)
            .create(
                [
                    {
                        "subject": f"KPI count {index}",
                        "partner_id": cls.partner.id,
                        "date_received": datetime(2025, 3, 31, 21 + index, 30) if index < 3 else datetime(2025, 5, 2),
                        "team_id": cls.team_a.id,
                        "category_id": (cls.category if index % 2 else cls.category_team_a).id,
                    }
                    for index in range(4)
                ]
            )
        )
        cls.complaints[3].action_archive()  # not in the analysis

    def test_pivot_counts_match_the_view(self):
        """Graph and count-only pivot (# Complaints or Count) by month × category: summary = view."""
        report = self.env["complaint.kpi.report"].with_user(self.manager).with_context(tz="Europe/Brussels")
        domain = [("team_id", "=", self.team_a.id), ("is_open", "=", True)]
        for aggregates in (["__count"], ["nbr:sum"], ["__count", "nbr:sum"]):
            groupby = ["date_received:month", "category_id"]
            self.assertTrue(report._count_summary_applies(domain, groupby, aggregates, (), None))
            fast = report._read_group(domain, groupby, aggregates)
            slow = report.with_context(complaint_count_summary=False)._read_group(domain, groupby, aggregates)
            self.assertEqual(fast, slow, aggregates)
        # Brussels is at UTC+2 (summer time): 31 March 21:30 UTC is 23:30 there, 22:30 UTC is already
        # 1 April. The archived complaint is not in the analysis.
        rows = report._read_group(domain, ["date_received:month"], ["nbr:sum"])
        months = [(month.strftime("%Y-%m"), count) for month, count in rows]
        self.assertEqual(months, [("2025-03", 1), ("2025-04", 2)])

    def test_time_measures_read_the_view(self):
        """Averages and the rest depend on each complaint (and on now): never from the summary."""
        report = self.env["complaint.kpi.report"].with_user(self.manager)
        self.assertFalse(report._count_summary_applies([], ["category_id"], ["ack_on_time_pct:avg"], (), None))
        self.assertFalse(
            report._count_summary_applies([("is_overdue", "=", True)], ["category_id"], ["__count"], (), None)
        )
        handler = report.with_user(self.handler)
        domain = [("team_id", "=", self.team_a.id)]
        self.assertTrue(handler._count_summary_applies(domain, ["stage_id"], ["__count"], (), None))
        self.assertEqual(
            handler._read_group(domain, ["stage_id"], ["__count"]),
            handler.with_context(complaint_count_summary=False)._read_group(domain, ["stage_id"], ["__count"]),
        )
