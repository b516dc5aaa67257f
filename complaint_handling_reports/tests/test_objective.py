from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import formatLang

from .test_kpi_report import NOW, KpiCase


@tagged("post_install", "-at_install")
class TestObjective(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The objectives count the complaints of the test category in March 2026: A to D only.
        cls.scope = {
            "company_id": cls.company.id,
            "category_id": cls.category.id,
            "period": "custom",
            "date_from": "2026-03-01",
            "date_to": "2026-03-31",
        }

    def _objective(self, indicator, target, **vals):
        values = dict(self.scope, name=f"Objective {indicator}", indicator=indicator, target=target)
        values.update(vals)
        return self.env["complaint.objective"].with_user(self.manager).create(values)

    def test_actual_met_and_not_met(self):
        self._make_set()
        with freeze_time(NOW):
            ack_95 = self._objective("ack_on_time_rate", 95)
            ack_70 = self._objective("ack_on_time_rate", 70)
            overdue = self._objective("overdue_count", 0)
            satisfaction = self._objective("satisfaction_avg", 4)
            resolution = self._objective("avg_resolution_hours", 40)
            self.assertEqual((ack_95.actual, ack_95.result), (75.0, "not_met"))
            self.assertEqual((ack_70.actual, ack_70.result), (75.0, "met"))
            self.assertTrue(ack_70.is_met)
        # Lower is better for a count of overdue complaints: "at most" by default.
        self.assertEqual(overdue.comparison, "<=")
        self.assertEqual(ack_95.comparison, ">=")
        with freeze_time(NOW):
            self.assertEqual((overdue.actual, overdue.result), (1.0, "not_met"))
            self.assertEqual((satisfaction.actual, satisfaction.result), (4.0, "met"))
            self.assertEqual((resolution.actual, resolution.result), (24.0, "met"))

    def test_figures_are_stored_until_refreshed(self):
        """The dashboard reads stored figures: a new complaint counts after a refresh (button or hourly job)."""
        self._make_set()
        with freeze_time(NOW):
            objective = self._objective("count", 10)
            self.assertEqual(objective.actual, 4.0)
            first_date = objective.figures_date
        self._complaint_at("2026-03-11 10:00:00", subject="KPI E")
        self.env.invalidate_all()
        self.assertEqual(objective.actual, 4.0, "stored: not recomputed at each read")
        with freeze_time("2026-03-20 13:00:00"):
            objective.with_user(self.manager).action_refresh_figures()
        self.assertEqual(objective.actual, 5.0)
        self.assertGreater(objective.figures_date, first_date)
        self._complaint_at("2026-03-12 10:00:00", subject="KPI F")
        self.env["complaint.objective"]._cron_refresh_figures()
        self.assertEqual(objective.actual, 6.0)

    def test_values_are_shown_in_the_unit_of_their_indicator(self):
        self._make_set()
        with freeze_time(NOW):
            shown = {
                indicator: (objective.actual_display, objective.target_display)
                for indicator, target in (
                    ("overdue_count", 5),
                    ("ack_on_time_rate", 95),
                    ("avg_ack_hours", 7.5),
                    ("backlog_avg_age_days", 10),
                    ("satisfaction_avg", 4),
                    ("remedy_cost", 100),
                )
                for objective in self._objective(indicator, target)
            }
        currency = self.company.currency_id
        self.assertEqual(
            shown,
            {
                "overdue_count": ("1", "5"),  # a number of complaints, not "1.0"
                "ack_on_time_rate": ("75%", "95%"),
                "avg_ack_hours": ("5.4 h", "7.5 h"),  # (2 + 16 + 1.5 + 2) / 4 = 5.375
                "backlog_avg_age_days": ("16 d", "10 d"),  # B and D: (18.125 + 13 + 20 / 24) / 2 = 15.98
                "satisfaction_avg": ("4 / 5", "4 / 5"),
                "remedy_cost": (
                    formatLang(self.env, 50.0, currency_obj=currency),
                    formatLang(self.env, 100.0, currency_obj=currency),
                ),
            },
        )
        # Nothing to show without data.
        empty = self._objective("satisfaction_avg", 4, date_from="2026-04-01", date_to="2026-04-30")
        self.assertFalse(empty.actual_display)
        self.assertEqual(empty.target_display, "4 / 5")

    def test_no_data_when_nothing_counts(self):
        self._make_set()
        objective = self._objective("satisfaction_avg", 4, date_from="2026-04-01", date_to="2026-04-30")
        self.assertEqual(objective.result, "no_data")
        self.assertFalse(objective.has_data)
        self.assertFalse(objective.is_met)

    def test_team_scope(self):
        self._make_set()
        with freeze_time(NOW):
            team_a = self._objective("ack_on_time_rate", 70, team_id=self.team_a.id)
            team_b = self._objective("ack_on_time_rate", 70, team_id=self.team_b.id)
            self.assertEqual(team_a.actual, 75.0)
            self.assertEqual(team_b.result, "no_data")

    @freeze_time("2026-05-14 10:00:00")
    def test_period_bounds(self):
        objective = self._objective("count", 10, period="month")
        expected = {
            "month": (date(2026, 5, 1), date(2026, 5, 31)),
            "last_month": (date(2026, 4, 1), date(2026, 4, 30)),
            "quarter": (date(2026, 4, 1), date(2026, 6, 30)),
            "year": (date(2026, 1, 1), date(2026, 12, 31)),
            "last_12_months": (date(2025, 6, 1), date(2026, 5, 31)),
        }
        for period, bounds in expected.items():
            objective.period = period
            self.assertEqual((objective.period_start, objective.period_end), bounds, period)

    def test_custom_period_needs_ordered_dates(self):
        with self.assertRaises(ValidationError):
            self._objective("count", 10, date_from="2026-03-31", date_to="2026-03-01")
        with self.assertRaises(ValidationError):
            self._objective("ack_on_time_rate", 120)

    def test_open_analysis_shows_the_complaints_counted(self):
        complaints = self._make_set()
        objective = self._objective("ack_on_time_rate", 95)
        action = objective.action_open_analysis()
        self.assertEqual(action["res_model"], "complaint.kpi.report")
        found = self.env["complaint.kpi.report"].search(action["domain"])
        self.assertEqual(found.complaint_id, self.env["complaint.complaint"].concat(*complaints.values()))

    def test_access(self):
        objective = self._objective("count", 10)
        self.assertEqual(objective.with_user(self.auditor).read(["name"])[0]["name"], "Objective count")
        with self.assertRaises(AccessError):
            objective.with_user(self.auditor).write({"target": 5})
        with self.assertRaises(AccessError):
            objective.with_user(self.handler).read(["name"])
        with self.assertRaises(AccessError):
            self.env["complaint.objective"].with_user(self.handler).create(dict(self.scope, name="x", target=1))

    def test_demo_objectives_compute(self):
        objectives = self.env["complaint.objective"].search([])
        # Whatever the data, every objective has a result (no error on an empty or a full database).
        self.assertTrue(all(objective.result in ("met", "not_met", "no_data") for objective in objectives))
