"""18.0.2.0.0: the pre-aggregated complaint counts leave the core for the opt-in addon complaint_handling_scale.

Their triggers, tables, index and statistics are dropped before the update, so that no trigger of the old
version writes into tables nobody folds any more. Installing complaint_handling_scale builds them again.
"""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """DROP TABLE IF EXISTS complaint_count_summary, complaint_count_delta, complaint_count_summary_meta;
               DROP INDEX IF EXISTS complaint_complaint_kpi_due_index;
               DROP STATISTICS IF EXISTS complaint_complaint_kpi_due_stats;
               DROP FUNCTION IF EXISTS complaint_count_summary_delta() CASCADE"""
        )
    )
