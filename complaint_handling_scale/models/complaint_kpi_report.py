from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.complaint_handling.models.complaint_target import KPI_MEASURES, sql_due, sql_measures

from .complaint_count_summary import KPI_SUMMARY_NOW


class ComplaintKpiReport(models.Model):
    """The KPI analysis' counts (``# Complaints``, Count) and averages of the timeliness and working-hours
    measures, grouped and filtered on the complaint's main dimensions, read from the pre-aggregated counts.

    They keep each measure's sum and number of values as if no deadline had passed, plus the few open
    complaints that turned late since their deadline without being flagged yet; the other measures read
    the view, as without this addon.
    """

    _name = "complaint.kpi.report"
    _inherit = ["complaint.kpi.report", "complaint.count.summary.mixin"]
    _count_summary_aggregates = ("__count", "nbr:sum")
    _count_summary_measures = tuple(KPI_MEASURES)

    @api.model
    def _count_summary_fields(self):
        return {name for name in super()._count_summary_fields() if name not in ("active", "create_uid")} | {
            "is_open",
            "created_by_id",
        }

    @api.model
    def _count_summary_source(self, measures=()):
        # The report's rows are the active complaints, under the report's names.
        summary = SQL(
            """SELECT company_id, confidential, stage_id, state, is_done, NOT is_done AS is_open, team_id,
                      user_id, category_id, create_uid AS created_by_id, date_received, summary_count%s
                 FROM %s AS summary_rows WHERE active""",
            SQL("").join(
                SQL(", %s", SQL.identifier(f"{name}_{part}")) for name in measures for part in ("sum", "count")
            ),
            self._count_summary_rows(measures),
        )
        if not measures:
            return SQL("(%s)", summary)
        # The summary keeps the measures as if no deadline had passed (late only when flagged): add the
        # difference for the open complaints past a deadline the escalation job has not flagged yet (found
        # by the index on their next deadline). Their month is read from their date: the same groups.
        now = SQL("%s", fields.Datetime.now())
        at_now = sql_measures("c.", "%(now)s")
        at_summary = sql_measures("c.", KPI_SUMMARY_NOW)
        differences = SQL("").join(
            SQL(
                f""", COALESCE(({at_now[name]})::numeric, 0) - COALESCE(({at_summary[name]})::numeric, 0),
                     (({at_now[name]}) IS NOT NULL)::int - (({at_summary[name]}) IS NOT NULL)::int""",
                now=now,
            )
            for name in measures
        )
        return SQL(
            """(%s UNION ALL
                SELECT c.company_id, c.confidential IS TRUE, c.stage_id, c.state, c.is_done, NOT c.is_done,
                       c.team_id, c.user_id, c.category_id, c.create_uid, c.date_received, 0%s
                  FROM complaint_complaint c
                 WHERE c.active AND c.is_paused IS NOT TRUE AND %s < %s)""",
            summary,
            differences,
            SQL(sql_due("c.")),
            now,
        )
