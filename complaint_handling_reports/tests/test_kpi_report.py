from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.complaint_handling.tests.common import ComplaintCase

# The moment the figures are read: a Friday noon, after all the handling below.
NOW = "2026-03-20 12:00:00"


class KpiCase(ComplaintCase):
    """A working calendar Monday-Friday 8-12 and 13-17 (UTC), a policy of 8 / 40 / 80 working hours, and
    four complaints handled at known moments (hand-computed figures in the comments)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_auto_acknowledge = False
        cls.env["complaint.escalation.level"].search([]).active = False
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "KPI Test Calendar", "tz": "UTC", "company_id": cls.company.id}
        )
        # Monday 9 March 2026 is a public holiday.
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "KPI public holiday",
                "calendar_id": cls.calendar.id,
                "resource_id": False,
                "date_from": "2026-03-09 00:00:00",
                "date_to": "2026-03-09 23:59:59",
            }
        )
        Policy = cls.env["complaint.policy"]
        Policy.search([("company_id", "=", cls.company.id)]).active = False
        cls.policy = Policy.create(
            {
                "name": "KPI test policy",
                "company_id": cls.company.id,
                "calendar_id": cls.calendar.id,
                "ack_hours": 8,
                "first_response_hours": 40,
                "resolution_hours": 80,
            }
        )

    def _complaint_at(self, moment, **vals):
        vals.setdefault("user_id", self.handler.id)
        vals.setdefault("team_id", self.team_a.id)
        vals.setdefault("category_id", self.category.id)
        with freeze_time(moment):
            return self._create_complaint(**vals)

    def _advance_at(self, moment, complaint, state):
        with freeze_time(moment):
            return self._advance(complaint, state)

    def _make_set(self):
        """Complaints A to D (see each one); returns them in a dict."""
        # A: received Monday 2 March 9:00, acknowledged 11:00 (2 h), decision communicated Wednesday 9:00
        # (Mon 7 h + Tue 8 h + Wed 1 h = 16 h), accepted and closed Thursday 9:00 (24 h). A refund of 50.
        a = self._complaint_at("2026-03-02 09:00:00", subject="KPI A")
        self._advance_at("2026-03-02 11:00:00", a, "acknowledged")
        self._advance_at("2026-03-02 11:30:00", a, "investigating")
        self._create_decision(a, remedy_type="refund", amount=50.0)
        self._advance_at("2026-03-04 09:00:00", a, "decision_communicated")
        self._advance_at("2026-03-05 09:00:00", a, "closed")
        # B: received Monday 2 March 9:00, acknowledged Wednesday 9:00 (16 h, over the 8 h target);
        # still open on the 20th, past its first-response deadline (40 h: Tuesday 10 March 9:00, Monday 9
        # being a holiday) and its resolution deadline (80 h: Tuesday 17 March 9:00).
        b = self._complaint_at("2026-03-02 09:00:00", subject="KPI B")
        self._advance_at("2026-03-04 09:00:00", b, "assessed")
        # C: received Friday 6 March 17:30 (after hours), acknowledged Tuesday 10 March 9:30 (Monday is a
        # holiday: 1.5 h), rejected as out of scope at 11:30 (first response 3.5 h, done on time).
        c = self._complaint_at("2026-03-06 17:30:00", subject="KPI C")
        self._advance_at("2026-03-10 09:30:00", c, "acknowledged")
        self._advance_at("2026-03-10 11:30:00", c, "rejected")
        # D: received Friday 6 March 16:00, acknowledged Tuesday 10 March 9:00 (Fri 1 h + Tue 1 h = 2 h);
        # open and not yet due on the 20th for resolution, past due for the first response.
        d = self._complaint_at("2026-03-06 16:00:00", subject="KPI D")
        self._advance_at("2026-03-10 09:00:00", d, "acknowledged")
        # A's complainant rates the handling 4 out of 5.
        self.env["rating.rating"].sudo().create(
            {
                "res_model_id": self.env["ir.model"]._get_id("complaint.complaint"),
                "res_model": "complaint.complaint",  # in the INSERT: the last rating is computed by SQL on it
                "res_id": a.id,
                "rating": 4.0,
                "consumed": True,
            }
        )
        self.env.flush_all()
        return {"a": a, "b": b, "c": c, "d": d}


@tagged("post_install", "-at_install")
class TestKpiReport(KpiCase):
    def test_working_hours_friday_evening_to_monday_morning(self):
        complaint = self._complaint_at("2026-03-13 17:30:00")  # a Friday, after hours
        self._advance_at("2026-03-16 09:30:00", complaint, "acknowledged")  # Monday
        self.assertAlmostEqual(complaint.ack_working_hours, 1.5)

    def test_policy_without_calendar_counts_round_the_clock(self):
        """The durations use the deadlines' clock: a policy without a calendar counts every hour (not the company's)."""
        self.policy.calendar_id = False
        complaint = self._complaint_at("2026-03-13 17:30:00")  # a Friday, after hours
        self.assertEqual(complaint._working_calendar(), self.env["resource.calendar"])
        self.assertEqual(str(complaint.date_ack_deadline), "2026-03-14 01:30:00", "8 h round the clock")
        self._advance_at("2026-03-16 09:30:00", complaint, "acknowledged")  # Monday
        self.assertAlmostEqual(complaint.ack_working_hours, 64.0)
        no_policy = self._complaint_at("2026-03-13 17:30:00")
        self.policy.active = False
        no_policy.policy_id = False
        self.assertEqual(no_policy._working_calendar(), self.company.resource_calendar_id, "no policy: the company's")

    def test_working_hours_skip_the_public_holiday(self):
        complaint = self._complaint_at("2026-03-06 16:00:00")  # Friday
        self._advance_at("2026-03-10 10:00:00", complaint, "acknowledged")  # Tuesday, Monday is a holiday
        self.assertAlmostEqual(complaint.ack_working_hours, 3.0)

    def test_working_hours_outside_working_hours_count_nothing(self):
        complaint = self._complaint_at("2026-03-14 10:00:00")  # Saturday
        self._advance_at("2026-03-14 18:00:00", complaint, "acknowledged")
        self.assertEqual(complaint.ack_working_hours, 0.0)

    def test_paused_time_is_not_counted(self):
        complaint = self._complaint_at("2026-03-16 08:00:00")  # Monday
        self._advance_at("2026-03-16 09:00:00", complaint, "acknowledged")
        with freeze_time("2026-03-16 10:00:00"):
            complaint.with_user(self.handler).action_pause(reason="Waiting for the invoice")
        with freeze_time("2026-03-17 10:00:00"):  # 8 working hours paused
            complaint.with_user(self.handler).action_resume()
        self._advance_at("2026-03-18 10:00:00", complaint, "decision_communicated")
        self._advance_at("2026-03-18 12:00:00", complaint, "closed")
        # Monday 8:00 to Wednesday 12:00: 8 + 8 + 4 = 20 h, minus the 8 h paused.
        self.assertAlmostEqual(complaint.resolution_working_hours, 12.0)
        self.assertAlmostEqual(complaint.response_working_hours, 10.0)
        self.assertAlmostEqual(complaint.ack_working_hours, 1.0)

    def test_reopening_clears_the_resolution_time_and_closing_again_recounts_it(self):
        complaints = self._make_set()
        a = complaints["a"]
        self.assertAlmostEqual(a.resolution_working_hours, 24.0)
        with freeze_time("2026-03-12 09:00:00"):
            a.with_user(self.handler).action_reopen(reason="The refund never arrived")
        self.assertEqual(a.resolution_working_hours, 0.0)
        self._advance_at("2026-03-12 10:00:00", a, "decision_communicated")
        self._advance_at("2026-03-12 11:00:00", a, "closed")
        # Monday 2 March 9:00 to Thursday 12 March 11:00: 7 + 8 * 3 + 8 (Fri 6) + 0 (holiday) + 8 * 2 + 3.
        self.assertAlmostEqual(a.resolution_working_hours, 58.0)

    def test_report_rows(self):
        complaints = self._make_set()
        Report = self.env["complaint.kpi.report"]
        with freeze_time(NOW):
            rows = Report.search([("complaint_id", "in", [c.id for c in complaints.values()])])
            row = {r.complaint_id: r for r in rows}
        a, b, c, d = (row[complaints[key]] for key in "abcd")
        self.assertEqual((a.ack_hours, a.first_response_hours, a.resolution_hours), (2.0, 16.0, 24.0))
        self.assertTrue(a.ack_on_time and a.response_on_time and a.resolved_on_time and a.resolved_first_contact)
        self.assertEqual(a.remedy_amount, 50.0)
        self.assertEqual(a.rating, 4.0)
        self.assertEqual(b.ack_hours, 16.0)
        self.assertTrue(b.ack_late and not b.ack_on_time)
        self.assertTrue(b.is_overdue and b.is_open and b.response_late)
        self.assertFalse(b.first_response_hours)
        self.assertEqual(c.state, "rejected")
        self.assertEqual((c.ack_hours, c.first_response_hours), (1.5, 3.5))
        # Rejected: answered on time, but not resolved (neither resolved on time nor late).
        self.assertFalse(c.resolved_on_time or c.resolution_late or c.resolved_first_contact)
        self.assertFalse(c.resolved_on_time_pct)
        self.assertFalse(d.is_overdue)
        self.assertTrue(d.response_late)
        self.assertEqual(d.ack_hours, 2.0)
        # 18 days 3 hours since receipt.
        self.assertAlmostEqual(b.backlog_age_days, 18.125)

    def test_kpi_summary_against_hand_computed_figures(self):
        complaints = self._make_set()
        domain = [("complaint_id", "in", [c.id for c in complaints.values()])]
        with freeze_time(NOW):
            summary = self.env["complaint.kpi.report"].with_user(self.manager)._kpi_summary(domain)
        expected = {
            "count": 4,
            "open_count": 2,
            "done_count": 2,
            "overdue_count": 1,
            "ack_on_time_rate": 75.0,  # A, C, D on time; B late
            "response_on_time_rate": 50.0,  # A, C on time; B and D past due
            "resolved_on_time_rate": 50.0,  # A closed on time; B overdue; C rejected (not resolved); D not due
            "avg_ack_hours": (2 + 16 + 1.5 + 2) / 4,
            "avg_response_hours": (16 + 3.5) / 2,
            "avg_resolution_hours": 24.0,  # A only (C was rejected, not closed)
            "backlog_avg_age_days": (18.125 + 13 + 20 / 24) / 2,  # B and D
            "reopen_rate": 0.0,
            "escalation_rate": 0.0,
            "external_rate": 0.0,
            "first_contact_rate": 100.0,  # A, the only closed one
            "satisfaction_avg": 4.0,
            "satisfaction_response_rate": 50.0,  # A rated, C not
            "remedy_cost": 50.0,
        }
        self.assertEqual(set(summary), set(expected))
        for key, value in expected.items():
            self.assertAlmostEqual(summary[key], value, places=6, msg=key)

    def test_rejected_late_is_not_resolved_late_nor_on_time(self):
        """ "Resolved on time" counts resolved (closed) complaints only: a late rejection does not lower it."""
        complaints = self._make_set()
        # E: received Monday 2 March 9:00, rejected Thursday 19 March 9:00, past its resolution deadline.
        e = self._complaint_at("2026-03-02 09:00:00", subject="KPI E")
        self._advance_at("2026-03-02 10:00:00", e, "acknowledged")
        self._advance_at("2026-03-19 09:00:00", e, "rejected")
        self.env.flush_all()
        ids = [c.id for c in complaints.values()] + [e.id]
        with freeze_time(NOW):
            Report = self.env["complaint.kpi.report"].with_user(self.manager)
            row = Report.search([("complaint_id", "=", e.id)])
            summary = Report._kpi_summary([("complaint_id", "in", ids)])
        self.assertEqual(row.state, "rejected")
        self.assertFalse(row.resolved_on_time or row.resolution_late or row.is_overdue)
        self.assertAlmostEqual(summary["resolved_on_time_rate"], 50.0)  # still A on time, B overdue
        self.assertEqual(summary["done_count"], 3, "the rejection is done all the same")

    def test_kpi_summary_reopen_escalation_and_external(self):
        complaints = self._make_set()
        with freeze_time("2026-03-12 09:00:00"):
            complaints["a"].with_user(self.handler).action_reopen(reason="Not refunded")
        b = complaints["b"]
        self._advance_at("2026-03-12 10:00:00", b, "decision_communicated")
        with freeze_time("2026-03-12 11:00:00"):
            b.decision_id.rejection_reason = "Not enough."
            b.action_record_rejection()
            b.escalation_type = "external"
            b.action_escalate()
        domain = [("complaint_id", "in", [c.id for c in complaints.values()])]
        with freeze_time(NOW):
            summary = self.env["complaint.kpi.report"]._kpi_summary(domain)
        self.assertAlmostEqual(summary["reopen_rate"], 25.0)
        self.assertAlmostEqual(summary["escalation_rate"], 25.0)
        self.assertAlmostEqual(summary["external_rate"], 25.0)
        self.assertIsNone(summary["first_contact_rate"])  # nothing closed any more
        self.assertIsNone(summary["avg_resolution_hours"])

    def test_kpi_summary_without_complaints(self):
        summary = self.env["complaint.kpi.report"]._kpi_summary([("id", "=", 0)])
        self.assertEqual(summary["count"], 0)
        self.assertIsNone(summary["ack_on_time_rate"])
        self.assertEqual(summary["remedy_cost"], 0.0)
        self.assertEqual(self.env["complaint.kpi.report"]._kpi_summary([("id", "in", [])])["count"], 0)

    def test_kpi_summary_costs_the_same_queries_for_any_number_of_complaints(self):
        complaints = self._make_set()
        Report = self.env["complaint.kpi.report"].with_user(self.manager)
        few = [("complaint_id", "in", complaints["a"].ids)]
        many = [("complaint_id", "in", [c.id for c in complaints.values()])]
        Report._kpi_summary(few)  # warm-up: record rules in cache
        counts = []
        for domain in (few, many, []):
            before = self.env.cr.sql_log_count
            Report._kpi_summary(domain)
            counts.append(self.env.cr.sql_log_count - before)
        # The summary itself, between switching PostgreSQL's JIT off and back.
        self.assertEqual(counts, [3, 3, 3])

    def test_read_group_by_month_and_category(self):
        complaints = self._make_set()
        domain = [("complaint_id", "in", [c.id for c in complaints.values()])]
        with freeze_time(NOW):
            groups = self.env["complaint.kpi.report"]._read_group(
                domain, ["date_received:month", "category_id"], ["nbr:sum", "ack_on_time_pct:avg", "ack_hours:avg"]
            )
        self.assertEqual(len(groups), 1)
        month, category, count, ack_pct, ack_hours = groups[0]
        self.assertEqual((month, category, count), (datetime(2026, 3, 1), self.category, 4))
        self.assertAlmostEqual(ack_pct, 75.0)
        self.assertAlmostEqual(ack_hours, 5.375)

    def test_record_rules_follow_the_complaint_rules(self):
        complaints = self._make_set()
        other = self._complaint_at("2026-03-02 09:00:00", subject="KPI team B", team_id=self.team_b.id, user_id=False)
        ids = [c.id for c in complaints.values()] + [other.id]
        Report = self.env["complaint.kpi.report"]
        self.assertEqual(Report.with_user(self.manager).search_count([("complaint_id", "in", ids)]), 5)
        self.assertEqual(Report.with_user(self.auditor).search_count([("complaint_id", "in", ids)]), 5)
        # A member of team A sees team A's complaints, not team B's.
        self.assertEqual(Report.with_user(self.handler2).search_count([("complaint_id", "in", ids)]), 4)
        self.assertEqual(Report.with_user(self.handler_b).search_count([("complaint_id", "in", ids)]), 1)
        summary = Report.with_user(self.handler_b)._kpi_summary([("complaint_id", "in", ids)])
        self.assertEqual(summary["count"], 1)
        # A confidential complaint is hidden from the members who do not handle it.
        complaints["b"].with_user(self.manager).confidential = True
        self.assertEqual(Report.with_user(self.handler2).search_count([("complaint_id", "in", ids)]), 3)
        self.assertEqual(Report.with_user(self.handler).search_count([("complaint_id", "in", ids)]), 4)
        # Users who only log complaints have no analysis.
        with self.assertRaises(AccessError):
            Report.with_user(self.user).search([])

    def test_archived_complaints_are_left_out(self):
        complaints = self._make_set()
        complaints["d"].with_user(self.manager)._set_active(False, "Registered twice")
        domain = [("complaint_id", "in", [c.id for c in complaints.values()])]
        self.assertEqual(self.env["complaint.kpi.report"]._kpi_summary(domain)["count"], 3)


@tagged("post_install", "-at_install")
class TestDemoHistory(KpiCase):
    def test_demo_history_is_spread_over_the_life_of_each_complaint(self):
        """The demo step (demo data only) dates the steps in order, after receipt, before now, with the
        process dates, breach flags and working times following them."""
        complaints = self._make_set()
        # Registered as demo complaints of the core, so that the demo step takes them too.
        self.env["ir.model.data"].create(
            [
                {"module": "complaint_handling", "name": f"kpi_test_{key}_demo", "model": c._name, "res_id": c.id}
                for key, c in complaints.items()
            ]
        )
        with freeze_time(NOW):
            self.assertTrue(self.env["complaint.demo.history"]._backdate_history())
            summary = self.env["complaint.kpi.report"]._kpi_summary(
                [("complaint_id", "in", [c.id for c in complaints.values()])]
            )
        self.assertEqual(summary["count"], 4)
        now = datetime(2026, 3, 20, 12, 0)
        for complaint in complaints.values():
            steps = complaint.step_ids.sorted("id")
            dates = steps.mapped("date")
            self.assertEqual(dates[0], complaint.date_received)
            self.assertEqual(dates, sorted(dates), complaint.subject)
            self.assertLess(dates[-1], now)
            ack = steps.filtered(lambda s: s.state_to == "acknowledged")[:1]
            self.assertEqual(complaint.date_acknowledged, ack.date)
            self.assertEqual(complaint.ack_breached, complaint.date_acknowledged > complaint.date_ack_deadline)
            self.assertGreater(complaint.ack_working_hours, 0.0)
        a = complaints["a"]
        self.assertEqual(a.date_closed, a.step_ids.filtered(lambda s: s.state_to == "closed").date)
        self.assertLessEqual(a.decision_id.date_communicated, a.date_closed)
        self.assertEqual(a.date_first_response, a.decision_id.date_communicated)
