from datetime import datetime

from odoo import Command
from odoo.tests import tagged

from odoo.addons.complaint_handling.tests.common import ComplaintCase

from .. import uninstall_hook
from ..models.complaint_count_summary import SUMMARY_VERSION

ZONE = "Asia/Ho_Chi_Minh"  # UTC+7: a local day starts at 17:00 UTC the day before


@tagged("post_install", "-at_install")
class TestCountSummary(ComplaintCase):
    """The pre-aggregated complaint counts: same figures as counting the complaints, whatever changes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Complaint = cls.env["complaint.complaint"]
        # Day buckets in a zone that is not UTC, so that an off-by-a-zone mistake shows.
        cls.Complaint._count_summary_rebuild(ZONE)
        cls.stage_ack = cls.env["complaint.stage"].search([("state", "=", "acknowledged")], limit=1)
        values = []
        for index, (day, hour) in enumerate([(31, 16), (31, 17), (31, 23), (1, 0), (1, 18), (28, 18)]):
            month = 1 if day == 31 else 2
            values.append(
                {
                    "subject": f"Summary test {index}",
                    "partner_id": cls.partner.id,
                    "date_received": datetime(2025, month, day, hour, 30, 0),
                    "team_id": (cls.team_a if index % 2 else cls.team_b).id,
                    "category_id": (cls.category if index % 3 else cls.category_team_a).id,
                    "user_id": cls.handler.id if index < 3 else False,
                    "confidential": index == 3,
                }
            )
        cls.complaints = cls.Complaint.with_user(cls.manager).create(values)

    def _both(self, model, domain, groupby, aggregates=("__count",), **kwargs):
        """The result from the summary and from the complaints (the summary switched off)."""
        self.assertTrue(
            model._count_summary_applies(domain, groupby, aggregates, (), kwargs.get("order")),
            "this read must be answered from the summary",
        )
        fast = model._read_group(domain, groupby, aggregates, **kwargs)
        slow = model.with_context(complaint_count_summary=False)._read_group(domain, groupby, aggregates, **kwargs)
        return fast, slow

    def assertSummaryExact(self):
        self.assertEqual(self.Complaint._count_summary_mismatches(), [])

    def test_changes_are_counted(self):
        """Create, stage changes, archive, company, unlink, raw SQL: the summary follows, before and after folding."""
        self.assertSummaryExact()
        first, second, third = self.complaints[:3]
        self._advance(first, "acknowledged")
        second.stage_id = self.stage_ack  # a drag: the state follows the stage
        third.action_archive()
        self.complaints[3].write({"team_id": False, "category_id": False, "user_id": self.handler2.id})
        self.complaints[4].sudo().unlink()  # only the superuser may delete a complaint
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE complaint_complaint SET date_received = date_received - interval '3 hours' WHERE id = %s",
            [self.complaints[5].id],
        )
        self.env.invalidate_all()
        self.assertSummaryExact()
        self.Complaint._cron_fold_count_summary()
        self.env.cr.execute("SELECT count(*) FROM complaint_count_delta")
        self.assertEqual(self.env.cr.fetchone()[0], 0, "folding empties the pending changes")
        self.assertSummaryExact()
        self.env.cr.execute("SELECT count(*) FROM complaint_count_summary WHERE summary_count = 0")
        self.assertEqual(self.env.cr.fetchone()[0], 0, "empty combinations are removed")

    def test_kanban_by_stage(self):
        """The kanban's columns (web_read_group by stage, empty stages included) are the same."""
        self._advance(self.complaints[0], "acknowledged")
        model = self.Complaint.with_user(self.manager)
        domain = [("id", "!=", 0)]  # not eligible: checks the comparison below is not trivially equal
        self.assertFalse(model._count_summary_applies(domain, ["stage_id"], ["__count"], (), None))
        fast = model.web_read_group([], ["__count"], ["stage_id"])
        slow = model.with_context(complaint_count_summary=False).web_read_group([], ["__count"], ["stage_id"])
        self.assertEqual(fast, slow)
        counts = {group["stage_id"][0]: group["stage_id_count"] for group in fast["groups"]}
        self.assertGreaterEqual(counts[self.stage_ack.id], 1)
        fast, slow = self._both(model, [("user_id", "=", self.handler.id), ("is_done", "=", False)], ["stage_id"])
        self.assertEqual(fast, slow)
        self.assertEqual(sum(count for _stage, count in fast), 3)

    def test_pivot_month_category_in_local_time(self):
        """Months are the user's local months (the zone of the summary): 31 Jan 17:30 UTC is 1 Feb in Hanoi."""
        model = self.Complaint.with_user(self.manager).with_context(tz=ZONE)
        ids_domain = [("team_id", "in", (self.team_a | self.team_b).ids)]
        fast, slow = self._both(model, ids_domain, ["date_received:month", "category_id"])
        self.assertEqual(fast, slow)
        by_month = {}
        for month, _category, count in fast:
            by_month[month.strftime("%Y-%m")] = by_month.get(month.strftime("%Y-%m"), 0) + count
        self.assertEqual(by_month, {"2025-01": 1, "2025-02": 4, "2025-03": 1})
        for granularity in ("quarter", "year", "month_number", "quarter_number", "year_number"):
            fast, slow = self._both(model, ids_domain, [f"date_received:{granularity}"])
            self.assertEqual(fast, slow, granularity)

    def test_date_filters_on_local_month_boundaries(self):
        """A date filter from the start of a local month to the last second of one reads the summary, exactly."""
        model = self.Complaint.with_user(self.manager).with_context(tz=ZONE)
        # 1 Feb 2025 00:00 in Hanoi is 31 Jan 17:00 UTC; 28 Feb 23:59:59 is 28 Feb 16:59:59 UTC.
        domain = [
            ("date_received", ">=", "2025-01-31 17:00:00"),
            ("date_received", "<=", "2025-02-28 16:59:59"),
            ("team_id", "!=", False),
        ]
        fast, slow = self._both(model, domain, ["category_id"])
        self.assertEqual(fast, slow)
        self.assertEqual(sum(count for _category, count in fast), 4)
        fast, slow = self._both(model, [("date_received", "<", "2025-01-31 17:00:00"), ("team_id", "!=", False)], [])
        self.assertEqual(fast, slow)

    def test_reads_the_summary_cannot_answer(self):
        """Other fields, aggregates, hours, mid-day boundaries or another zone read the complaints."""
        model = self.Complaint.with_user(self.manager).with_context(tz=ZONE)
        applies = model._count_summary_applies
        self.assertFalse(applies([("priority", "=", "1")], ["stage_id"], ["__count"], (), None))
        self.assertFalse(applies([], ["channel"], ["__count"], (), None))
        self.assertFalse(applies([], ["stage_id"], ["reopen_count:sum"], (), None))
        for granularity in ("hour", "day", "week", "day_of_week"):
            self.assertFalse(applies([], [f"date_received:{granularity}"], ["__count"], (), None), granularity)
        self.assertFalse(applies([("date_received", ">=", "2025-02-09 17:00:00")], [], ["__count"], (), None))
        self.assertFalse(applies([("date_received", ">=", "2025-02-01 00:00:00")], [], ["__count"], (), None))
        self.assertFalse(applies([], ["stage_id"], ["__count"], [("__count", ">", 1)], None))
        self.assertFalse(applies([], ["stage_id"], ["__count"], (), "priority desc"))
        utc = self.Complaint.with_user(self.manager).with_context(tz="UTC")
        self.assertFalse(utc._count_summary_applies([], ["date_received:month"], ["__count"], (), None))
        self.assertTrue(utc._count_summary_applies([], ["stage_id"], ["__count"], (), None), "no date: any zone")
        # ... and their figures are still right.
        rows = utc._read_group([("id", "in", self.complaints.ids)], ["date_received:month"], ["__count"])
        self.assertEqual([(month.strftime("%Y-%m"), count) for month, count in rows], [("2025-01", 3), ("2025-02", 3)])

    def test_record_rules_apply(self):
        """A handler counts only what the team rules let them read, confidential complaints excluded."""
        model = self.Complaint.with_user(self.handler2)
        fast, slow = self._both(model, [], ["team_id"])
        self.assertEqual(fast, slow)
        counts = dict(fast)
        self.assertEqual(counts.get(self.team_a), 2, "Team A's complaints but the confidential one")
        self.assertNotIn(self.team_b, counts)
        # A plain user's rule names who logged the complaint: a dimension too.
        fast, slow = self._both(self.Complaint.with_user(self.user), [], ["stage_id"])
        self.assertEqual(fast, slow, "a plain user")
        other = self.Complaint.with_user(self.handler_c2)
        fast, slow = self._both(other, [], ["stage_id"])
        self.assertEqual(fast, slow, "another company's handler")

    def test_group_emptied_by_pending_changes_is_not_returned(self):
        """A combination emptied by changes not folded yet is no group at all, as with COUNT(*)."""
        model = self.Complaint.with_user(self.manager)
        self.Complaint._cron_fold_count_summary()
        team = self.env["complaint.team"].create({"name": "Short-lived", "member_ids": [Command.link(self.handler.id)]})
        self.complaints[0].team_id = team
        self.Complaint._cron_fold_count_summary()
        self.complaints[0].team_id = self.team_a
        fast, slow = self._both(model, [], ["team_id"])
        self.assertEqual(fast, slow)
        self.assertNotIn(team, dict(fast))

    def test_uninstall_drops_the_summary(self):
        """Uninstalling removes the tables, triggers and function Odoo does not know of; complaints still work."""
        uninstall_hook(self.env)
        self.env.cr.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename IN %s",
            [("complaint_count_summary", "complaint_count_delta", "complaint_count_summary_meta")],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'complaint_count_summary%%'")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'complaint_complaint_kpi_due_index'")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.complaints[0].team_id = False
        self.env.flush_all()

    def test_working_hours_columns_dropped(self):
        """Uninstalling the reports drops the working hours without telling the triggers: complaints still save."""
        self.env.flush_all()
        self.env.cr.execute(
            """ALTER TABLE complaint_complaint DROP COLUMN IF EXISTS ack_working_hours CASCADE,
                   DROP COLUMN IF EXISTS response_working_hours CASCADE,
                   DROP COLUMN IF EXISTS resolution_working_hours CASCADE"""
        )
        self.env.cr.execute(
            "UPDATE complaint_complaint SET team_id = %s WHERE id IN %s", [self.team_b.id, tuple(self.complaints.ids)]
        )
        self.env.cr.execute("DELETE FROM complaint_complaint WHERE id = %s", [self.complaints[0].id])
        self.env.invalidate_all()
        # The counts still follow (the hours kept before are stale: the next update rebuilds the summary).
        self.assertFalse([row for row in self.Complaint._count_summary_mismatches() if "summary_count" in row[-1]])
        self.assertNotEqual(self.Complaint._count_summary_version(), SUMMARY_VERSION + "+working_hours")
