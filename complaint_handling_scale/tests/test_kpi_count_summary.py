from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.complaint_handling.tests.common import ComplaintCase

ZONE = "Europe/Brussels"
# The default pivot's measures (complaint_kpi_report_views.xml), and all the averages the summary keeps.
PIVOT = ("nbr:sum", "ack_on_time_pct:avg", "resolved_on_time_pct:avg", "resolution_hours:avg")
AVERAGES = [
    "ack_on_time_pct:avg",
    "response_on_time_pct:avg",
    "resolved_on_time_pct:avg",
    "ack_hours:avg",
    "first_response_hours:avg",
    "resolution_hours:avg",
]
# The pivot's groupings: the cells, the column and row headers, the total.
PIVOT_GROUPS = [["date_received:month", "category_id"], ["date_received:month"], ["category_id"], []]


@tagged("post_install", "-at_install")
class TestKpiCountSummary(ComplaintCase):
    """Counts and averages of the KPI analysis read from the pre-aggregated counts: the view's figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Complaint = cls.env["complaint.complaint"]
        cls.Complaint._count_summary_rebuild(ZONE)
        cls.complaints = cls.Complaint.with_user(cls.manager).create(
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
        cls.complaints[3]._set_active(False, "Registered twice")  # not in the analysis

    def _read(self, model, domain, groupby, aggregates):
        """The read_group from the summary and from the view (the summary switched off)."""
        self.assertTrue(
            model._count_summary_applies(domain, groupby, aggregates, (), None), "must be answered from the summary"
        )
        fast = model._read_group(domain, groupby, aggregates)
        slow = model.with_context(complaint_count_summary=False)._read_group(domain, groupby, aggregates)
        return fast, slow

    def assertSameFigures(self, model, domain, groupby, aggregates=PIVOT):
        """Summary = view: groups, counts and percentages exactly, hours to 1e-9 h (float vs numeric sums)."""
        fast, slow = self._read(model, domain, groupby, aggregates)
        self.assertEqual(len(fast), len(slow), (groupby, fast, slow))
        hours = {len(groupby) + index for index, spec in enumerate(aggregates) if "_hours" in spec}
        for fast_row, slow_row in zip(fast, slow, strict=True):
            for index, (fast_value, slow_value) in enumerate(zip(fast_row, slow_row, strict=True)):
                if index in hours and fast_value is not None and slow_value is not None:
                    self.assertAlmostEqual(fast_value, slow_value, delta=1e-9, msg=(groupby, fast_row, slow_row))
                else:
                    self.assertEqual(fast_value, slow_value, (groupby, fast_row, slow_row))
        return fast

    def _kpi_mix(self):
        """Complaints in every situation of the measures: open or done, on time or late, flagged or by the date."""
        now = fields.Datetime.now()
        base = {"team_id": self.team_a.id, "category_id": self.category.id}
        fresh = self._create_complaint(subject="Fresh", date_received=now - timedelta(hours=1), **base)
        acked = self._create_complaint(subject="Acknowledged", date_received=now - timedelta(days=3), **base)
        self._advance(acked, "acknowledged")
        closed = self._create_complaint(subject="Closed", date_received=now - timedelta(days=40), **base)
        self._advance(closed, "closed")
        rejected = self._create_complaint(subject="Rejected", date_received=now - timedelta(days=20), **base)
        self._advance(rejected, "rejected")
        flagged = self._create_complaint(subject="Flagged", date_received=now - timedelta(days=60), **base)
        paused = self._create_complaint(subject="Paused", date_received=now - timedelta(days=60), **base)
        mix = fresh | acked | closed | rejected | flagged | paused
        self.env.flush_all()
        # Working hours with decimals, a closing after its deadline, a breach flag, a pause: in SQL, as
        # the escalation job and the calendars would.
        self.env.cr.execute(
            """UPDATE complaint_complaint
                  SET ack_working_hours = id / 7.0, response_working_hours = id / 3.0,
                      resolution_working_hours = id / 11.0
                WHERE id IN %s""",
            [tuple(mix.ids)],
        )
        self.env.cr.execute(
            "UPDATE complaint_complaint SET date_deadline = date_closed - interval '1 hour' WHERE id = %s", [closed.id]
        )
        self.env.cr.execute(
            "UPDATE complaint_complaint SET ack_breached = TRUE, resolution_breached = TRUE WHERE id = %s", [flagged.id]
        )
        self.env.cr.execute("UPDATE complaint_complaint SET is_paused = TRUE WHERE id = %s", [paused.id])
        self.env.invalidate_all()
        return mix

    def test_pivot_counts_match_the_view(self):
        """Graph and count-only pivot (# Complaints or Count) by month × category: summary = view."""
        report = self.env["complaint.kpi.report"].with_user(self.manager).with_context(tz=ZONE)
        domain = [("team_id", "=", self.team_a.id), ("is_open", "=", True)]
        for aggregates in (["__count"], ["nbr:sum"], ["__count", "nbr:sum"]):
            fast, slow = self._read(report, domain, ["date_received:month", "category_id"], aggregates)
            self.assertEqual(fast, slow, aggregates)
        # Brussels is at UTC+2 (summer time): 31 March 21:30 UTC is 23:30 there, 22:30 UTC is already
        # 1 April. The archived complaint is not in the analysis.
        rows = report._read_group(domain, ["date_received:month"], ["nbr:sum"])
        months = [(month.strftime("%Y-%m"), count) for month, count in rows]
        self.assertEqual(months, [("2025-03", 1), ("2025-04", 2)])

    def test_default_pivot_matches_the_view(self):
        """The default pivot and all the kept averages, open and done, on time and late: summary = view.

        Before and after folding the pending changes, and after changes to complaints already counted.
        """
        mix = self._kpi_mix()
        report = self.env["complaint.kpi.report"].with_user(self.manager).with_context(tz=ZONE)
        self.assertEqual(self.Complaint._count_summary_mismatches(), [])
        for groupby in PIVOT_GROUPS:
            self.assertSameFigures(report, [], groupby)
        self.assertSameFigures(report, [], ["date_received:month", "category_id"], AVERAGES)
        # Not trivially equal: the 2025 complaints, open past their deadlines without a flag, are late on
        # acknowledgement (read live); of the mix, the closed one is late, the rejected one does not count.
        [(ack_old, resolved_old)] = report._read_group(
            [("id", "in", self.complaints[:3].ids)], [], ["ack_on_time_pct:avg", "resolved_on_time_pct:avg"]
        )
        self.assertEqual((ack_old, resolved_old), (0.0, 0.0))
        [(count, resolved, hours)] = report._read_group(
            [("id", "in", mix.ids), ("is_done", "=", True)],
            [],
            ["__count", "resolved_on_time_pct:avg", "resolution_hours:avg"],
        )
        closed = mix[2]
        self.assertEqual((count, resolved), (2, 0.0))
        self.assertAlmostEqual(hours, closed.id / 11.0, delta=1e-9, msg="a rejection closes nothing")

        self.Complaint._cron_fold_count_summary()
        for groupby in PIVOT_GROUPS:
            self.assertSameFigures(report, [], groupby, AVERAGES)
        # Changes to counted complaints: a reopening (done -> open), an acknowledgement, new working hours.
        self._advance(mix[0], "acknowledged")
        mix[4]._set_active(False, "Registered twice")
        self.env.cr.execute("UPDATE complaint_complaint SET resolution_working_hours = 2.5 WHERE id = %s", [closed.id])
        self.env.invalidate_all()
        self.assertEqual(self.Complaint._count_summary_mismatches(), [])
        for groupby in PIVOT_GROUPS:
            self.assertSameFigures(report, [("team_id", "=", self.team_a.id)], groupby, AVERAGES)
        self.Complaint._cron_fold_count_summary()
        self.assertEqual(self.Complaint._count_summary_mismatches(), [])
        self.assertSameFigures(report, [], ["date_received:month", "category_id"])

    def test_open_complaints_turn_late_with_time(self):
        """An open complaint's lateness depends on the time of the read: read live, the same as the view."""
        category = self.env["complaint.category"].create({"name": "Timing"})
        complaint = self._create_complaint(team_id=self.team_a.id, category_id=category.id)
        self.env.flush_all()
        report = self.env["complaint.kpi.report"].with_user(self.manager).with_context(tz=ZONE)
        domain = [("category_id", "=", category.id)]
        aggregates = ["ack_on_time_pct:avg", "response_on_time_pct:avg", "resolved_on_time_pct:avg"]
        [(ack, response, resolved)] = self.assertSameFigures(report, domain, [], aggregates)
        self.assertEqual((ack, response, resolved), (False, False, False), "nothing due yet")
        with freeze_time(complaint.date_deadline + timedelta(days=1)):
            [(ack, response, resolved)] = self.assertSameFigures(report, domain, [], aggregates)
            self.assertEqual((ack, response, resolved), (0.0, 0.0, 0.0), "every deadline passed")
            self.assertSameFigures(report, [], ["date_received:month", "category_id"])
        self.env.cr.execute("UPDATE complaint_complaint SET is_paused = TRUE WHERE id = %s", [complaint.id])
        with freeze_time(complaint.date_deadline + timedelta(days=1)):
            self.assertEqual(self.assertSameFigures(report, domain, [], aggregates), [(False, False, False)], "paused")

    def test_record_rules_apply(self):
        """Handlers (team rules, confidential complaints) and another company's handler get the view's figures."""
        self._kpi_mix()
        self._create_complaint(user=self.handler_c2, team_id=self.team_c2.id)
        Report = self.env["complaint.kpi.report"].with_context(tz=ZONE)
        self.complaints[0].confidential = True
        for user in (self.handler, self.handler2, self.handler_b, self.handler_c2):
            for groupby in PIVOT_GROUPS:
                self.assertSameFigures(Report.with_user(user), [], groupby)
        [(count,)] = Report.with_user(self.handler_c2)._read_group([], [], ["nbr:sum"])
        self.assertEqual(count, 1, "only their company's complaint")

    def test_read_in_few_queries(self):
        """The summary's pivot cell read: the summary's zone, then one query (exact count)."""
        self._kpi_mix()
        report = self.env["complaint.kpi.report"].with_user(self.manager).with_context(tz=ZONE)
        groupby = ["date_received:month", "category_id"]
        report._read_group([], groupby, PIVOT)  # rules and caches warm
        self.env.flush_all()
        self.env.cr.flush()
        before = self.env.cr.sql_log_count
        report._read_group([], groupby, PIVOT)
        self.assertEqual(self.env.cr.sql_log_count - before, 2)

    def test_time_measures_read_the_view(self):
        """Other measures, day granularity, other filters: the view (and still its figures)."""
        report = self.env["complaint.kpi.report"].with_user(self.manager).with_context(tz=ZONE)
        applies = report._count_summary_applies
        self.assertFalse(applies([], ["category_id"], ["backlog_age_days:avg"], (), None))
        self.assertFalse(applies([], ["category_id"], ["ack_on_time_pct:sum"], (), None))
        self.assertFalse(applies([], ["category_id"], ["rating:avg"], (), None))
        self.assertFalse(applies([], ["date_received:day"], PIVOT, (), None))
        self.assertFalse(applies([("is_overdue", "=", True)], ["category_id"], PIVOT, (), None))
        self.assertFalse(applies([("channel", "=", "email")], ["category_id"], PIVOT, (), None))
        self.assertFalse(
            report.with_context(tz="UTC")._count_summary_applies([], ["date_received:month"], PIVOT, (), None)
        )
        handler = report.with_user(self.handler)
        domain = [("team_id", "=", self.team_a.id)]
        self.assertTrue(handler._count_summary_applies(domain, ["stage_id"], ["__count"], (), None))
        self.assertEqual(
            handler._read_group(domain, ["stage_id"], ["__count"]),
            handler.with_context(complaint_count_summary=False)._read_group(domain, ["stage_id"], ["__count"]),
        )

    def test_mismatch_is_detected(self):
        """The consistency check sees a wrong measure sum in the summary (so the checks above can fail)."""
        self._kpi_mix()
        self.Complaint._cron_fold_count_summary()
        self.env.cr.execute("UPDATE complaint_count_summary SET resolution_hours_sum = resolution_hours_sum + 1")
        mismatches = self.Complaint._count_summary_mismatches()
        self.assertTrue(mismatches)
        self.assertEqual({key for row in mismatches for key in row[-1]}, {"resolution_hours_sum"})
