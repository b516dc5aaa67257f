"""Pre-aggregated complaint counts: kanban columns and pivots over a million complaints.

A kanban grouped by stage or a pivot by month and category only needs *counts* per a few
dimensions, yet counting a register of a million complaints costs PostgreSQL a scan of every row
(about 100 ms per million rows for an index-only scan on this kind of machine, several hundred ms by
month). So the counts are also kept pre-aggregated:

- ``complaint_count_summary`` holds one row per combination of the dimensions below (company,
  archived or not, confidential, stage, status, done, team, handler, who logged it, category and the month of
  receipt in the summary's time zone) with its number of complaints: some 16,000 rows for the
  million complaints of ``bench/gen_complaints.py``;
- statement-level triggers on ``complaint_complaint`` append the changes of every INSERT, UPDATE
  and DELETE, grouped, to ``complaint_count_delta``. That table is only ever inserted into, so
  concurrent workers never wait on each other nor fail to serialize over a shared counter;
- the scheduled job *Complaints: fold count changes* adds the delta into the summary;
- a ``read_group`` that only counts, and only groups and filters on these dimensions (the user's
  record rules included), reads summary + delta instead of the complaints. It runs Odoo's own
  ``_read_group`` with the summary in place of the table, so the domain, the rules, the group order
  and the date granularities are Odoo's: the figures are the same, from far fewer rows.

The KPI analysis (complaint_handling_reports) also averages timeliness and working hours per group. A summary
row keeps, per such measure, the sum and the number of the values of its complaints as if no deadline had
passed yet: a done complaint's values no longer change, an open one is late once the escalation job flags
it. Its ``read_group`` adds the difference for the open complaints past a deadline not flagged yet, a few
rows found by a partial index on their next deadline; see ``complaint_target.SQL_RULES``, the rule of the KPI view too.

Any other read (other fields or aggregates, a day or week granularity, a date filter that does not fall
on the start of a month, another time zone) reads the complaints as before. Months, not days: by day,
the same million complaints make 220,000 combinations, too many to be worth it. Everything is in the database
(triggers), so it also holds for SQL written outside the ORM, and under many workers.
"""

import datetime
import logging

import pytz

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from odoo.addons.complaint_handling.models.complaint_target import KPI_MEASURES, sql_due, sql_measures

_logger = logging.getLogger(__name__)

SUMMARY_TABLE = "complaint_count_summary"
DELTA_TABLE = "complaint_count_delta"
META_TABLE = "complaint_count_summary_meta"
TRIGGER_FUNCTION = "complaint_count_summary_delta"

# The dimensions: column -> (SQL type, value stored for NULL). The tables hold no NULL, so that one
# plain unique index identifies a combination on every PostgreSQL version; the reading side turns
# the stand-ins back into NULL. Booleans are stored as FALSE when NULL: Odoo's domains treat a NULL
# boolean as False (``('confidential', '=', False)`` is ``confidential IS NULL OR NOT confidential``).
DIMENSIONS = {
    "company_id": ("integer", "0"),
    "active": ("boolean", "FALSE"),
    "confidential": ("boolean", "FALSE"),
    "stage_id": ("integer", "0"),
    "state": ("varchar", "''"),
    "is_done": ("boolean", "FALSE"),
    "team_id": ("integer", "0"),
    "user_id": ("integer", "0"),
    "category_id": ("integer", "0"),
    # Who logged the complaint: the record rule of plain users (and so of handlers) names it.
    "create_uid": ("integer", "0"),
    "date_received": ("timestamp", "'-infinity'"),
}
DATE_DIMENSION = "date_received"
# Changing the dimensions, the measures or how they are computed: bump this, the next upgrade rebuilds the tables.
SUMMARY_VERSION = "3"

# The trigger checks that they are there before reading them: uninstalling that module drops them without
# running this one's code, and a trigger reading a dropped column would fail every write of a complaint.
# Whether they are there is part of the summary's version: it is rebuilt when they come or go.
WORKING_HOURS = [hours for _target, hours in KPI_MEASURES.values() if hours]
# What a summary row adds up: its complaints, and per KPI measure the sum and the number of its values.
SUMMARY_VALUES = ["summary_count"] + [f"{name}_{part}" for name in KPI_MEASURES for part in ("sum", "count")]
# The time of the summary's KPI measures: before any deadline, so an open complaint is late only if flagged.
KPI_SUMMARY_NOW = "'-infinity'::timestamp"
KPI_DUE_INDEX = "complaint_complaint_kpi_due_index"
# Statistics on the same expression: without them PostgreSQL guesses that a third of the complaints are
# due (it ignores a partial index's statistics) and reads the whole table instead of the index.
KPI_DUE_STATISTICS = "complaint_complaint_kpi_due_stats"

# Date granularities a month bucket answers exactly.
MONTH_GRANULARITIES = {"month", "quarter", "year", "month_number", "quarter_number", "year_number"}


def _month_bucket(column, zone):
    """SQL (text) of the UTC timestamp of the local midnight starting the month of ``column`` in ``zone``.

    Stored as Odoo stores datetimes (UTC, without time zone): grouping it by month in ``zone`` gives
    the complaint's local month, and ``>=`` / ``<`` the start of a local month selects whole months.
    """
    return f"timezone('UTC', timezone({zone}, date_trunc('month', timezone({zone}, timezone('UTC', {column})))))"


# GROUP BY the dimensions by position: by name it would be the table's column, not the COALESCE of it.
GROUP_BY_DIMENSIONS = ", ".join(str(position) for position in range(1, len(DIMENSIONS) + 1))


def _dimension_values(alias, zone):
    """SQL (text) of the dimension values, as the summary stores them, of the complaint rows of ``alias``."""
    zone_literal = "'" + zone.replace("'", "''") + "'"
    return ", ".join(
        f"COALESCE({_month_bucket(f'{alias}.{name}', zone_literal)}, {null}) AS {name}"
        if name == DATE_DIMENSION
        else f"COALESCE({alias}.{name}, {null}) AS {name}"
        for name, (_type, null) in DIMENSIONS.items()
    )


def _summary_changes(sources, zone, hours):
    """SQL (text) of the summary rows (dimensions, then :data:`SUMMARY_VALUES`) of complaint rows.

    :param sources: ``[(relation, sign)]``: the complaints of each relation (the table, or a trigger's
        transition table) count ``sign`` ("1" or "-1") times; combinations adding up to nothing are left out.
    :param hours: whether to read the :data:`WORKING_HOURS` columns (else the hours measures have no value).
    The one place computing a complaint's summary values: triggers, rebuild and consistency check.
    """
    measures = sql_measures("c.", KPI_SUMMARY_NOW, hours="{c}{column}" if hours else "NULL")
    values = ", ".join(
        f"{{sign}} * COALESCE(({expression})::numeric, 0) AS {name}_sum,"
        f" {{sign}} * (({expression}) IS NOT NULL)::int AS {name}_count"
        for name, expression in measures.items()
    )
    rows = " UNION ALL ".join(
        f"SELECT {_dimension_values('c', zone)}, {sign} AS summary_count, {values.format(sign=sign)} FROM {relation} c"
        for relation, sign in sources
    )
    sums = ", ".join(f"sum({name}) AS {name}" for name in SUMMARY_VALUES)
    nonzero = " OR ".join(f"sum({name}) <> 0" for name in SUMMARY_VALUES)
    return (
        f"SELECT {', '.join(DIMENSIONS)}, {sums} FROM ({rows}) AS changes"
        f" GROUP BY {GROUP_BY_DIMENSIONS} HAVING {nonzero}"
    )


def drop_count_summary(cr):
    """Drop the summary tables and index, the triggers (with the complaints table, or here) and their function."""
    cr.execute(  # pylint: disable=sql-injection
        f"DROP TABLE IF EXISTS {SUMMARY_TABLE}, {DELTA_TABLE}, {META_TABLE};"
        f" DROP INDEX IF EXISTS {KPI_DUE_INDEX};"
        f" DROP STATISTICS IF EXISTS {KPI_DUE_STATISTICS};"
        f" DROP FUNCTION IF EXISTS {TRIGGER_FUNCTION}() CASCADE"
    )


class ComplaintCountSummaryMixin(models.AbstractModel):
    """Answer count-only ``read_group`` calls (and averages of the kept KPI measures) from the pre-aggregated counts.

    A model using it defines :meth:`_count_summary_source` (the summary exposed under its own field
    names, one row per combination with its ``summary_count``, and ``<measure>_sum`` and
    ``<measure>_count`` for the averages asked) and :meth:`_count_summary_fields`.
    """

    _name = "complaint.count.summary.mixin"
    _description = "Complaint Counts Read from the Summary"

    # Aggregates a summary row answers: '__count' and, for a report with a "1 per row" field, its sum.
    _count_summary_aggregates = ("__count",)
    # Fields whose average the summary source answers (from its ``<field>_sum`` and ``<field>_count``).
    _count_summary_measures = ()

    @api.model
    def _count_summary_fields(self):
        """The field names the summary can filter and group on."""
        return set(DIMENSIONS)

    @api.model
    def _count_summary_source(self, measures=()):
        """SQL of the summary rows under this model's field names, with their ``summary_count``.

        :param measures: names of :attr:`_count_summary_measures` whose sums and counts are needed.
        """
        return self._count_summary_rows(measures)

    @api.model
    def _count_summary_rows(self, measures=()):
        """SQL of the summary rows (summary + pending delta) under the complaint's field names.

        :param measures: names of :data:`KPI_MEASURES` whose ``_sum`` and ``_count`` columns to add.
        """
        columns = SQL(", ").join(
            [
                SQL("NULLIF(%s, %s) AS %s", SQL.identifier(name), SQL(null), SQL.identifier(name))
                if null != "FALSE"
                else SQL.identifier(name)
                for name, (_type, null) in DIMENSIONS.items()
            ]
            + [SQL.identifier(f"{name}_{part}") for name in measures for part in ("sum", "count")]
        )
        return SQL(
            "(SELECT %(columns)s, summary_count FROM %(summary)s"
            " UNION ALL SELECT %(columns)s, summary_count FROM %(delta)s)",
            columns=columns,
            summary=SQL.identifier(SUMMARY_TABLE),
            delta=SQL.identifier(DELTA_TABLE),
        )

    # ------------------------------------------------------------------ eligibility

    @api.model
    def _count_summary_applies(self, domain, groupby, aggregates, having, order):
        """Whether this ``_read_group`` can be answered from the summary, with the same result."""
        if self.env.context.get("complaint_count_summary") is not None or having:
            return False
        if not aggregates or any(
            spec not in self._count_summary_aggregates
            and (spec.partition(":")[2] != "avg" or spec.partition(":")[0] not in self._count_summary_measures)
            for spec in aggregates
        ):
            return False
        allowed = self._count_summary_fields()
        groupby_needs_zone = self._count_summary_groupby_needs_zone(groupby, allowed)
        if groupby_needs_zone is None:
            return False
        if order:
            # Group orders name the groupby fields or the aggregates only (Odoo checks that too).
            terms = {term.split()[0] for term in order.split(",") if term.strip()}
            if not terms <= set(groupby) | set(aggregates):
                return False
        leaves = self._count_summary_leaves(domain)
        if leaves is None:
            return False
        leaves_need_zone = self._count_summary_leaves_need_zone(leaves, allowed)
        if leaves_need_zone is None:
            return False
        if not (groupby_needs_zone or leaves_need_zone):
            return True
        zone = self._count_summary_zone()
        context_zone = self.env.context.get("tz")
        if (context_zone if context_zone in pytz.all_timezones_set else "UTC") != zone:
            return False
        return all(
            self._count_summary_day_boundary(operator, value, zone)
            for left, operator, value in leaves
            if left == DATE_DIMENSION and value not in (False, None)
        )

    @api.model
    def _count_summary_groupby_needs_zone(self, groupby, allowed):
        """Whether ``groupby`` (of summary fields only) groups by the day in the user's time zone;
        None if the summary cannot answer it."""
        needs_zone = False
        for spec in groupby:
            fname, _sep, granularity = spec.partition(":")
            if fname not in allowed or "." in fname:
                return None
            if fname == DATE_DIMENSION:
                if (granularity or "month") not in MONTH_GRANULARITIES:
                    return None
                needs_zone = True
        return needs_zone

    @api.model
    def _count_summary_leaves_need_zone(self, leaves, allowed):
        """Whether the domain ``leaves`` (of summary fields only) compare the day in the user's time
        zone; None if the summary cannot answer them."""
        needs_zone = False
        for left, operator, value in leaves:
            path = left.split(".")
            if path[0] not in allowed:
                return None
            field = self._fields[path[0]]
            if len(path) > 1:
                # A path through a many2one is a sub-select on that column: fine on the summary too.
                if field.type != "many2one" or field.auto_join:
                    return None
            elif path[0] == DATE_DIMENSION:
                if value is False or value is None:
                    if operator not in ("=", "!="):
                        return None
                else:
                    needs_zone = True
        return needs_zone

    @api.model
    def _count_summary_leaves(self, domain):
        """The field conditions of ``domain`` and of the user's read rules, or None if one is not a plain leaf."""
        rules = [] if self.env.su else self.env["ir.rule"]._compute_domain(self._name, "read")
        leaves = []
        for item in list(domain or []) + list(rules or []):
            if isinstance(item, str):
                continue  # '&', '|', '!'
            if not isinstance(item, (list, tuple)) or len(item) != 3:
                return None
            leaf = tuple(item)
            if leaf in (expression.TRUE_LEAF, expression.FALSE_LEAF):
                continue
            if not isinstance(leaf[0], str):
                return None
            leaves.append(leaf)
        return leaves

    @api.model
    def _count_summary_day_boundary(self, operator, value, zone):
        """Whether ``date_received <operator> value`` selects whole months of ``zone``.

        The summary keeps the start of the local month: ``>=`` and ``<`` the start of a month, ``>`` and
        ``<=`` the last second of a month select the same complaints on it as on the complaints table
        (Odoo stores datetimes to the second).
        """
        if operator not in (">=", "<", ">", "<="):
            return False
        if isinstance(value, datetime.datetime):
            moment = value
        elif isinstance(value, str) and len(value) == 19:
            try:
                moment = fields.Datetime.to_datetime(value)
            except ValueError:
                return False
        else:
            return False  # dates and other forms: Odoo completes them itself; not worth guessing
        if moment.tzinfo is None:
            moment = pytz.utc.localize(moment)
        local = moment.astimezone(pytz.timezone(zone))
        if operator in (">", "<="):
            local += datetime.timedelta(seconds=1)
        return local.day == 1 and local.time() == datetime.time.min

    @api.model
    def _count_summary_zone(self):
        """The time zone of the summary's days (set when the summary was built)."""
        self.env.cr.execute(SQL("SELECT tz FROM %s", SQL.identifier(META_TABLE)))
        row = self.env.cr.fetchone()
        return row[0] if row else "UTC"

    # ------------------------------------------------------------------ read_group

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        if not self._count_summary_applies(domain, groupby, aggregates, having, order):
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        # Odoo's own _read_group, with the summary in place of the table (see _search and
        # _read_group_select below); the context key carries the aggregates, and is dropped from the groups' records.
        rows = super(
            ComplaintCountSummaryMixin, self.with_context(complaint_count_summary=tuple(aggregates))
        )._read_group(domain, groupby, aggregates, having, offset, limit, order)
        return [
            tuple(value.with_env(self.env) if isinstance(value, models.BaseModel) else value for value in row)
            for row in rows
        ]

    @api.model
    def _count_summary_context(self):
        """The aggregates of a ``_read_group`` being answered from the summary (set by ``_read_group``), or None.

        A tuple only: JSON-RPC cannot send one, so a client that sets the key reads the complaints as usual.
        """
        aggregates = self.env.context.get("complaint_count_summary")
        return aggregates if isinstance(aggregates, tuple) else None

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        query = super()._search(domain, offset=offset, limit=limit, order=order)
        aggregates = self._count_summary_context()
        if aggregates and not query.is_empty():
            # A read_group eligible for the summary (see _read_group): same alias, so the domain's and
            # the rules' SQL apply to the summary's columns unchanged.
            # The table's fields to flush first (a report's dependencies) are those of the summary too.
            measures = [spec.partition(":")[0] for spec in aggregates if spec not in self._count_summary_aggregates]
            query._tables[self._table] = SQL().join(
                [
                    self._count_summary_source(measures),
                    *(SQL(to_flush=field) for field in query._tables[self._table].to_flush),
                ]
            )
        return query

    @api.model
    def _read_group_having(self, having_domain, query):
        having = super()._read_group_having(having_domain, query)
        if not self._count_summary_context():
            return having
        # Pending changes can bring a combination to 0: such a group has no complaint, like in a COUNT(*).
        nonzero = SQL("SUM(%s) <> 0", SQL.identifier(self._table, "summary_count"))
        return SQL("%s AND %s", having, nonzero) if having else nonzero

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        if self._count_summary_context():
            if aggregate_spec in self._count_summary_aggregates:
                return SQL("COALESCE(SUM(%s), 0)::bigint", SQL.identifier(self._table, "summary_count"))
            fname, _sep, func = aggregate_spec.partition(":")
            if func == "avg" and fname in self._count_summary_measures:
                # AVG() is the sum of the values over their number: the same division, on the summary's sums.
                return SQL(
                    "SUM(%s) / NULLIF(SUM(%s), 0)",
                    SQL.identifier(self._table, f"{fname}_sum"),
                    SQL.identifier(self._table, f"{fname}_count"),
                )
        return super()._read_group_select(aggregate_spec, query)


class ComplaintComplaint(models.Model):
    _name = "complaint.complaint"
    _inherit = ["complaint.complaint", "complaint.count.summary.mixin"]

    def init(self):
        """Create (or, when its definition changed, rebuild) the count summary and its triggers.

        Before the other ``init()`` of complaints, which may write complaints in SQL (the triggers must be
        the current ones by then).
        """
        cr = self.env.cr
        cr.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS %s (version varchar NOT NULL, tz varchar NOT NULL)",
                SQL.identifier(META_TABLE),
            )
        )
        cr.execute(SQL("SELECT version, tz FROM %s", SQL.identifier(META_TABLE)))
        row = cr.fetchone()
        # The trigger function is replaced on every upgrade; the counts are redone when their definition changed.
        version = self._count_summary_version()
        self._count_summary_setup(row[1] if row else None, rebuild=not row or row[0] != version)
        return super().init()

    @api.model
    def _count_summary_hours(self):
        """Whether the complaints table has the :data:`WORKING_HOURS` columns (complaint_handling_reports)."""
        return all(column_exists(self.env.cr, self._table, column) for column in WORKING_HOURS)

    @api.model
    def _count_summary_version(self):
        """:data:`SUMMARY_VERSION`, and whether the summary keeps the working hours."""
        return SUMMARY_VERSION + ("+working_hours" if self._count_summary_hours() else "")

    @api.model
    def _count_summary_default_zone(self):
        """The main company's working time zone (its working calendar's), else UTC.

        Read in SQL: it runs from ``init()``, while the module's own columns may not exist yet.
        """
        self.env.cr.execute(
            SQL(
                """SELECT calendar.tz FROM res_company company
                     JOIN resource_calendar calendar ON calendar.id = company.resource_calendar_id
                    ORDER BY company.id LIMIT 1"""
            )
        )
        row = self.env.cr.fetchone()
        return row[0] if row and row[0] in pytz.all_timezones_set else "UTC"

    @api.model
    def _count_summary_rebuild(self, zone=None):
        """Recreate the summary and count every complaint again (a few seconds per million complaints).

        :param zone: time zone of the month buckets (the users' time zone: the summary answers reads
            in that zone only); default: the one in use, else the main company's working time zone.
        Safe while users work: it runs in one transaction, like any other.
        """
        self._count_summary_setup(zone or self._count_summary_zone(), rebuild=True)

    @api.model
    def _count_summary_setup(self, zone=None, rebuild=False):
        """Create or replace the trigger function and triggers; with ``rebuild``, also the tables and counts."""
        zone = zone or self._count_summary_default_zone()
        if zone not in pytz.all_timezones_set:
            raise ValueError(f"Unknown time zone {zone!r}")
        cr = self.env.cr
        table = self._table
        columns = ", ".join(
            [f"{name} {sql_type} NOT NULL" for name, (sql_type, _null) in DIMENSIONS.items()]
            + [f"{name} {'bigint' if name.endswith('count') else 'numeric'} NOT NULL" for name in SUMMARY_VALUES]
        )
        names = ", ".join([*DIMENSIONS, *SUMMARY_VALUES])
        hours = self._count_summary_hours()

        def changes(with_hours):  # the trigger's statements, reading the working hours or not
            return f"""IF TG_OP = 'INSERT' THEN
                           INSERT INTO {DELTA_TABLE} ({names})
                                {_summary_changes([("new_rows", "1")], zone, with_hours)};
                       ELSIF TG_OP = 'DELETE' THEN
                           INSERT INTO {DELTA_TABLE} ({names})
                                {_summary_changes([("old_rows", "-1")], zone, with_hours)};
                       ELSE
                           INSERT INTO {DELTA_TABLE} ({names})
                                {_summary_changes([("old_rows", "-1"), ("new_rows", "1")], zone, with_hours)};
                       END IF;"""

        # Everything below is built from the constants above and a checked time-zone name.
        tables = [
            f"DROP TABLE IF EXISTS {SUMMARY_TABLE}, {DELTA_TABLE}",
            f"CREATE TABLE {SUMMARY_TABLE} ({columns})",
            f"CREATE UNIQUE INDEX {SUMMARY_TABLE}_dimensions ON {SUMMARY_TABLE} ({', '.join(DIMENSIONS)})",
            f"CREATE TABLE {DELTA_TABLE} ({columns})",
            # The open complaints past a deadline not flagged yet: the KPI reads them live (their lateness
            # depends on the time of the read), a few rows to find among the open ones.
            f"DROP INDEX IF EXISTS {KPI_DUE_INDEX}",
            f"""CREATE INDEX {KPI_DUE_INDEX} ON {table} (({sql_due("")}))
                 WHERE active AND is_paused IS NOT TRUE""",
            f"DROP STATISTICS IF EXISTS {KPI_DUE_STATISTICS}",
            f"CREATE STATISTICS {KPI_DUE_STATISTICS} ON ({sql_due('')}) FROM {table}",
        ]
        triggers = [
            f"""CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    -- PL/pgSQL plans a statement when it first runs it: the one reading the working hours
                    -- runs only while their columns exist (see WORKING_HOURS).
                    IF (SELECT count(*) FROM pg_attribute WHERE attrelid = TG_RELID AND NOT attisdropped
                           AND attname IN ({", ".join(f"'{column}'" for column in WORKING_HOURS)}))
                       = {len(WORKING_HOURS)} THEN
                        {changes(True)}
                    ELSE
                        {changes(False)}
                    END IF;
                    RETURN NULL;
                END
            $body$""",
            f"DROP TRIGGER IF EXISTS {TRIGGER_FUNCTION}_insert ON {table}",
            f"DROP TRIGGER IF EXISTS {TRIGGER_FUNCTION}_update ON {table}",
            f"DROP TRIGGER IF EXISTS {TRIGGER_FUNCTION}_delete ON {table}",
            f"""CREATE TRIGGER {TRIGGER_FUNCTION}_insert AFTER INSERT ON {table}
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_FUNCTION}()""",
            f"""CREATE TRIGGER {TRIGGER_FUNCTION}_update AFTER UPDATE ON {table}
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_FUNCTION}()""",
            f"""CREATE TRIGGER {TRIGGER_FUNCTION}_delete AFTER DELETE ON {table}
                REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_FUNCTION}()""",
        ]
        counts = [
            f"INSERT INTO {SUMMARY_TABLE} ({names}) {_summary_changes([(table, '1')], zone, hours)}",
            f"DELETE FROM {META_TABLE}",
            # The new statistics (and the index's) now, rather than at autovacuum's next analysis.
            f"ANALYZE {table}",
        ]
        for statement in (tables + triggers + counts) if rebuild else triggers:
            cr.execute(statement)  # pylint: disable=sql-injection
        if rebuild:
            cr.execute(
                SQL(
                    "INSERT INTO %s (version, tz) VALUES (%s, %s)",
                    SQL.identifier(META_TABLE),
                    self._count_summary_version(),
                    zone,
                )
            )
            cr.execute(SQL("ANALYZE %s", SQL.identifier(SUMMARY_TABLE)))
            _logger.info("Complaint count summary built in time zone %s", zone)

    @api.model
    def _cron_fold_count_summary(self):
        """Add the pending count changes into the summary (scheduled job)."""
        names = SQL(", ").join(SQL.identifier(name) for name in DIMENSIONS)
        self.env.cr.execute(
            SQL(
                """WITH moved AS (DELETE FROM %(delta)s RETURNING *)
                   INSERT INTO %(summary)s AS summary (%(names)s, %(values)s)
                        SELECT %(names)s, %(sums)s FROM moved GROUP BY %(names)s
                   ON CONFLICT (%(names)s) DO UPDATE SET %(add)s""",
                delta=SQL.identifier(DELTA_TABLE),
                summary=SQL.identifier(SUMMARY_TABLE),
                names=names,
                values=SQL(", ").join(SQL.identifier(name) for name in SUMMARY_VALUES),
                sums=SQL(", ").join(SQL("sum(%s)", SQL.identifier(name)) for name in SUMMARY_VALUES),
                add=SQL(", ").join(
                    SQL(
                        "%s = %s + %s",
                        SQL.identifier(name),
                        SQL.identifier("summary", name),
                        SQL.identifier("excluded", name),
                    )
                    for name in SUMMARY_VALUES
                ),
            )
        )
        folded = self.env.cr.rowcount
        self.env.cr.execute(SQL("DELETE FROM %s WHERE summary_count = 0", SQL.identifier(SUMMARY_TABLE)))
        _logger.info("Complaint count summary: %s combinations updated", folded)
        return folded

    @api.model
    def _count_summary_mismatches(self):
        """The combinations whose summary values differ from those of the complaints (should be none).

        For checks and tests: ``[(dimension values..., {value: (summary's, complaints')})]`` with the
        values of :data:`SUMMARY_VALUES` that differ (count, and per KPI measure its sum and count).
        """
        names = ", ".join(DIMENSIONS)
        zone = self._count_summary_zone()
        stored = ", ".join(f"coalesce(stored.{name}, 0)" for name in SUMMARY_VALUES)
        counted = ", ".join(f"coalesce(counted.{name}, 0)" for name in SUMMARY_VALUES)
        self.env.flush_all()
        self.env.cr.execute(  # pylint: disable=sql-injection
            f"""SELECT {names}, {stored}, {counted}
                  FROM (SELECT {names}, {", ".join(f"sum({name}) AS {name}" for name in SUMMARY_VALUES)}
                          FROM (SELECT * FROM {SUMMARY_TABLE} UNION ALL SELECT * FROM {DELTA_TABLE}) s
                         GROUP BY {names}) stored
             FULL JOIN ({_summary_changes([(self._table, "1")], zone, self._count_summary_hours())}) counted
                 USING ({names})
                 WHERE ({stored}) IS DISTINCT FROM ({counted})"""
        )
        size = len(DIMENSIONS)
        values = len(SUMMARY_VALUES)
        return [
            row[:size]
            + (
                {
                    name: (row[size + index], row[size + values + index])
                    for index, name in enumerate(SUMMARY_VALUES)
                    if row[size + index] != row[size + values + index]
                },
            )
            for row in self.env.cr.fetchall()
        ]
