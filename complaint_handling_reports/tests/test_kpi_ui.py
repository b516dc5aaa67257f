from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestKpiDashboardUi(HttpCase):
    """The objectives dashboard and the KPI analysis in the real web client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="ch_kpi_tour_manager", groups="complaint_handling.group_complaint_manager"
        )
        cls.category = cls.env["complaint.category"].create({"name": "Tour KPI Category"})
        complaint = cls.env["complaint.complaint"].create(
            {
                "subject": "Tour KPI complaint",
                "complainant_name": "Tour Complainant",
                "complainant_email": "tour.kpi@example.com",
                "category_id": cls.category.id,
            }
        )
        complaint.with_user(cls.manager).action_acknowledge()
        cls.env["complaint.objective"].create(
            [
                {
                    "name": "Tour: acknowledge on time",
                    "indicator": "ack_on_time_rate",
                    "target": 90,
                    "period": "month",
                    "category_id": cls.category.id,
                },
                {
                    "name": "Tour: nothing overdue",
                    "indicator": "overdue_count",
                    "target": 0,
                    "period": "month",
                    "category_id": cls.category.id,
                },
            ]
        )

    def test_manager_reads_the_dashboard_and_opens_the_analysis(self):
        self.start_tour(
            "/odoo/action-complaint_handling_reports.complaint_objective_action_dashboard",
            "complaint_kpi_dashboard_tour",
            login=self.manager.login,
        )
