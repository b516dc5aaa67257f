from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Dimensions along which complaints recur: key -> (column of the cluster, complaint field shown in the reason).
# The complainant is the commercial entity, so several contacts of one customer count together.
RECURRING_DIMENSIONS = {
    "product": ("c.product_id", "product_id"),
    "category": ("c.category_id", "category_id"),
    "cause": ("c.root_cause_id", "root_cause_id"),
    "partner": ("p.commercial_partner_id", "partner_id"),
}
# Writing one of these fields may make complaints recurring, or no longer recurring.
RECURRING_TRIGGER_FIELDS = {
    "product_id",
    "category_id",
    "root_cause_id",
    "partner_id",
    "date_received",
    "company_id",
    "active",
}
DIMENSIONS = tuple(RECURRING_DIMENSIONS)
# Complaint fields the detection reads from the database.
RECURRING_READ_FIELDS = [*RECURRING_TRIGGER_FIELDS, "state", "is_recurring", "recurring_keys"]
# Columns of the complaint per dimension (each indexed with the date received, see ``init``).
INDEXED_COLUMNS = {
    "product": "product_id",
    "category": "category_id",
    "cause": "root_cause_id",
    "partner": "partner_id",
}
# The company ``co``'s threshold: at least 2 complaints, 3 when not set.
RECURRING_THRESHOLD_SQL = SQL("GREATEST(COALESCE(co.complaint_recurring_threshold, 3), 2)")


def recurring_window_start_sql(now):
    """SQL: the start of the window of the company ``co`` ending at ``now``."""
    return SQL("(%s::timestamp - make_interval(days => COALESCE(NULLIF(co.complaint_recurring_days, 0), 90)))", now)


# States that do not count: out of scope (not a complaint).
RECURRING_EXCLUDED_STATES = ("rejected",)


def recurring_base_query(date_from_sql, date_to_sql, where=None, date_floor=None):
    """The complaints of a window, one row each, with their dimension values (``base`` CTE body).

    ``date_from_sql`` / ``date_to_sql`` are SQL expressions (they may use the company alias ``co``);
    ``date_floor``, a datetime before every company's window start, lets PostgreSQL use the index on
    the date received (a bound that depends on the company's setting cannot).
    """
    return SQL(
        """
        SELECT c.id, c.company_id, c.date_received, c.recurring_keys,
               c.product_id, c.category_id, c.root_cause_id AS cause_id,
               p.commercial_partner_id AS partner_id
          FROM complaint_complaint c
          JOIN res_company co ON co.id = c.company_id
     LEFT JOIN res_partner p ON p.id = c.partner_id
         WHERE c.active
           AND c.state NOT IN %(excluded)s
           AND c.date_received >= %(date_from)s
           AND c.date_received <= %(date_to)s
           AND %(floor)s
           AND %(where)s
        """,
        excluded=RECURRING_EXCLUDED_STATES,
        floor=SQL("c.date_received >= %s", date_floor) if date_floor else SQL("TRUE"),
        date_from=date_from_sql,
        date_to=date_to_sql,
        where=where or SQL("TRUE"),
    )


def recurring_cluster_selects(threshold_sql, values=None, details=False):
    """UNION ALL of one grouped SELECT per dimension over the ``base`` CTE: the clusters with at least
    ``threshold_sql`` complaints (an SQL expression that may use the company alias ``co``). ``values``
    ({dimension: ids}) limits the groups computed to these values; ``details`` adds the first and last
    dates and the complaint ids."""
    parts = []
    for dimension in DIMENSIONS:
        if values is not None and not values.get(dimension):
            continue
        column = SQL.identifier(f"{dimension}_id")
        parts.append(
            SQL(
                """
                SELECT %(dimension)s AS dimension, b.company_id, b.%(column)s AS value_id,
                       count(*) AS complaint_count %(details)s
                  FROM base b
                  JOIN res_company co ON co.id = b.company_id
                 WHERE b.%(column)s IS NOT NULL %(restrict)s
              GROUP BY b.company_id, b.%(column)s, co.id
                HAVING count(*) >= %(threshold)s
                """,
                dimension=dimension,
                column=column,
                details=SQL(
                    ", min(b.date_received) AS date_first, max(b.date_received) AS date_last, "
                    "array_agg(b.id ORDER BY b.id) AS complaint_ids"
                )
                if details
                else SQL(),
                restrict=SQL("AND b.%s = ANY(%s)", column, sorted(values[dimension])) if values else SQL(),
                threshold=threshold_sql,
            )
        )
    if not parts:
        return SQL(
            "SELECT NULL::varchar AS dimension, NULL::int AS company_id, NULL::int AS value_id, "
            "0 AS complaint_count WHERE FALSE"
        )
    return SQL(" UNION ALL ").join(parts)


class ComplaintComplaint(models.Model):
    """Recurring problems (ISO 10002 8.2): complaints about the same product, category, root cause or from
    the same complainant, more than the company's threshold within its window."""

    _inherit = "complaint.complaint"  # pylint: disable=consider-merging-classes-inherited

    is_recurring = fields.Boolean(
        string="Recurring",
        readonly=True,
        copy=False,
        index=True,
        help="Part of a recurring problem: enough complaints about the same product, category or root cause, "
        "or from the same complainant, within the company's window (Settings > Complaints).",
    )
    recurring_keys = fields.Char(
        readonly=True,
        copy=False,
        help="Technical: the dimensions in which the complaint recurs (e.g. product,cause).",
    )
    recurring_reason = fields.Char(
        string="Recurring Because", compute="_compute_recurring_reason", help="Why the complaint is recurring."
    )

    @api.model
    def _index_specs(self):
        # The refresh after a create or a write counts the complaints of one product (category, root cause,
        # complainant) within the window: an index per dimension, by date, reads only those.
        return [
            *super()._index_specs(),
            *(
                (
                    f"complaint_complaint_recurring_{column}_date_index",
                    [column, "date_received"],
                    f"{column} IS NOT NULL AND active",
                )
                for column in INDEXED_COLUMNS.values()
            ),
        ]

    @api.depends("recurring_keys", "product_id", "category_id", "root_cause_id", "partner_id")
    @api.depends_context("lang")
    def _compute_recurring_reason(self):
        self.recurring_reason = False
        recurring = self.filtered(lambda c: c.id and c.recurring_keys)
        if not recurring:
            return
        # The size of each cluster now: one grouped query for the complaints shown.
        self.env.flush_all()
        sizes = self._recurring_cluster_sizes(
            fields.Datetime.now(), recurring._recurring_values(), recurring.company_id
        )
        labels = self._recurring_dimension_labels()
        for complaint in recurring:
            reasons = []
            for key in complaint.recurring_keys.split(","):
                if key not in RECURRING_DIMENSIONS:
                    continue
                record = complaint[RECURRING_DIMENSIONS[key][1]]
                if key == "partner":
                    record = record.commercial_partner_id
                reasons.append(
                    self.env._(
                        "%(dimension)s %(value)s: %(count)s complaints",
                        dimension=labels[key],
                        value=record.display_name or "?",
                        count=sizes.get((key, complaint.company_id.id, record.id), (0, 0))[0],
                    )
                )
            complaint.recurring_reason = "; ".join(reasons)

    def _recurring_dimension_labels(self):
        return {
            "product": self.env._("Same product"),
            "category": self.env._("Same category"),
            "cause": self.env._("Same root cause"),
            "partner": self.env._("Same complainant"),
        }

    # ------------------------------------------------------------------- hooks

    def _on_created(self, vals_list):
        result = super()._on_created(vals_list)
        self._refresh_recurring()
        return result

    def _before_write(self, vals):
        before = super()._before_write(vals)
        if RECURRING_TRIGGER_FIELDS & set(vals) or vals.get("state") in (*RECURRING_EXCLUDED_STATES, "reopened"):
            # The clusters the complaints leave are counted again too.
            before["recurring"] = (self._recurring_values(), self.company_id)
        return before

    def _after_write(self, vals, before):
        result = super()._after_write(vals, before)
        if "recurring" in before:
            old_values, old_companies = before["recurring"]
            self._refresh_recurring(extra_values=old_values, extra_companies=old_companies)

        # ---------------------------------------------------------------- detection
        return result

    def _recurring_values(self):
        """{dimension: set of ids} of these complaints (the clusters they belong to)."""
        values = defaultdict(set)
        for complaint in self:
            for key, value in (
                ("product", complaint.product_id.id),
                ("category", complaint.category_id.id),
                ("cause", complaint.root_cause_id.id),
                ("partner", complaint.partner_id.commercial_partner_id.id),
            ):
                if value:
                    values[key].add(value)
        return values

    @api.model
    def _cron_refresh_recurring(self):
        """Daily: the window slides, complaints leave it and clusters fall below the threshold."""
        self.browse()._refresh_recurring(full=True)

    def _refresh_recurring(self, extra_values=None, full=False, extra_companies=None):
        """Set ``is_recurring`` / ``recurring_keys`` on the complaints whose clusters these complaints touch.

        The touched clusters are the values (product, category, root cause, commercial partner) of ``self``
        and ``extra_values`` (the values before a write), in their companies (and ``extra_companies``, the
        companies before a write). ``self`` gets every dimension recomputed. The other complaints of a
        touched cluster only change when the cluster may have crossed its company's threshold; the
        complaints of a cluster that was and stays recurring keep their flags (see
        ``_recurring_unsettled_clusters``). ``full``: every cluster of every complaint (the daily job, a
        change of settings). Only the complaints whose dimensions change are updated, in one query.
        """
        if not full and not self:
            return
        # What the queries read; the other pending writes (e.g. the deadlines of new complaints) stay
        # pending, so that the flags of ``self`` are written with them below.
        self.env["res.company"].flush_model(["complaint_recurring_days", "complaint_recurring_threshold"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["complaint.complaint"].flush_model(RECURRING_READ_FIELDS)
        now = fields.Datetime.now()
        if full:
            changed = self._recurring_changes_full(now)
        else:
            touched = self._recurring_values()
            for key, ids in (extra_values or {}).items():
                touched[key] |= ids
            companies = self.company_id | (extra_companies or self.env["res.company"])
            changed = self._recurring_changes(now, touched, companies)
        if not changed:
            return
        # A computed system flag: no tracking, no automation rule, allowed on closed complaints too. The
        # complaints of ``self`` get it as a pending write of the fields (a batch just created writes it
        # in the same UPDATE as its deadlines), the others in one UPDATE, then the cache forgets them.
        by_keys = defaultdict(list)
        for complaint_id in self.ids:
            if complaint_id in changed:
                by_keys[changed.pop(complaint_id)].append(complaint_id)
        for keys, ids in by_keys.items():
            complaints = self.browse(ids)
            self._fields["is_recurring"].write(complaints, bool(keys))
            self._fields["recurring_keys"].write(complaints, keys)
            complaints.modified(["is_recurring", "recurring_keys"])
        if not changed:
            return
        ids = list(changed)
        self.env.cr.execute(
            SQL(
                """
                UPDATE complaint_complaint c
                   SET is_recurring = v.keys IS NOT NULL, recurring_keys = v.keys
                  FROM (SELECT unnest(%s::int[]) AS id, unnest(%s::varchar[]) AS keys) v
                 WHERE c.id = v.id
                """,
                ids,
                [changed[complaint_id] or None for complaint_id in ids],
            )
        )
        self.env["complaint.complaint"].browse(ids).invalidate_recordset(["is_recurring", "recurring_keys"])

    def _recurring_changes_full(self, now):
        """{complaint id: new keys or False} of every complaint whose keys differ from its clusters now."""
        base, clusters = self._recurring_cluster_queries(now)
        query = SQL(
            """
            WITH base AS (%(base)s),
            clusters AS (%(clusters)s)
            SELECT b.id, b.recurring_keys,
                   array_remove(ARRAY[cp.dimension, cc.dimension, cr.dimension, cpa.dimension], NULL)
              FROM base b
         LEFT JOIN clusters cp
                ON cp.dimension = 'product' AND cp.company_id = b.company_id AND cp.value_id = b.product_id
         LEFT JOIN clusters cc
                ON cc.dimension = 'category' AND cc.company_id = b.company_id AND cc.value_id = b.category_id
         LEFT JOIN clusters cr
                ON cr.dimension = 'cause' AND cr.company_id = b.company_id AND cr.value_id = b.cause_id
         LEFT JOIN clusters cpa
                ON cpa.dimension = 'partner' AND cpa.company_id = b.company_id AND cpa.value_id = b.partner_id
            """,
            base=base,
            clusters=clusters,
        )
        changed, seen = {}, set()
        for complaint_id, old_keys, dimensions in self.env.execute_query(query):
            seen.add(complaint_id)
            new_keys = ",".join(key for key in DIMENSIONS if key in dimensions) or False
            if new_keys != (old_keys or False):
                changed[complaint_id] = new_keys
        # Outside the window now: no longer recurring.
        Complaint = self.env["complaint.complaint"].sudo().with_context(active_test=False)
        for complaint_id in set(Complaint.search([("is_recurring", "=", True)]).ids) - seen:
            changed[complaint_id] = False
        return changed

    def _recurring_changes(self, now, touched, companies):
        """{complaint id: new keys or False} after ``self`` was created or written (``touched``: {dimension:
        ids} of the clusters concerned, in ``companies``).

        One grouped query counts the touched clusters (indexed reads of the window); a second reads
        ``self`` and the complaints of the unsettled clusters only, so that a batch of new complaints
        joining big clusters does not read those clusters' complaints.
        """
        sizes = self._recurring_cluster_sizes(now, touched, companies)
        unsettled = self._recurring_unsettled_clusters(sizes)
        reread = defaultdict(set)
        for dimension, _company_id, value_id in unsettled:
            reread[dimension].add(value_id)
        window_start = recurring_window_start_sql(now)
        floor = self._recurring_window_floor(now, companies)
        arms = [SQL("SELECT unnest(%s::int[])", self.ids), *self._recurring_value_arms(reread, floor)]
        where = SQL("c.company_id = ANY(%s) AND c.id IN (%s)", companies.ids, SQL(" UNION ").join(arms))
        base = recurring_base_query(window_start, SQL("%s::timestamp", now), where, date_floor=floor)
        query = SQL(
            "SELECT b.id, b.company_id, b.recurring_keys, b.product_id, b.category_id, b.cause_id, b.partner_id "
            "FROM (%s) b",
            base,
        )
        changed, seen = {}, set()
        written = set(self.ids)
        for complaint_id, company_id, old_keys, *values in self.env.execute_query(query):
            seen.add(complaint_id)
            old_keys = old_keys or False
            old = set((old_keys or "").split(","))
            new = set()
            for dimension, value_id in zip(DIMENSIONS, values, strict=True):
                if not value_id:
                    continue
                cluster = (dimension, company_id, value_id)
                if complaint_id in written or cluster in unsettled:
                    count, threshold = sizes.get(cluster, (0, 0))
                    if count and count >= threshold:
                        new.add(dimension)
                elif dimension in old:
                    new.add(dimension)
            new_keys = ",".join(key for key in DIMENSIONS if key in new) or False
            if new_keys != old_keys:
                changed[complaint_id] = new_keys
        # Written complaints outside the window or without any value now: no longer recurring.
        for complaint in self.sudo():
            if complaint.recurring_keys and complaint.id not in seen:
                changed[complaint.id] = False
        return changed

    def _recurring_unsettled_clusters(self, sizes):
        """The clusters of ``sizes`` whose other complaints may have to change.

        Only ``self`` can have joined a cluster: if it has at least its threshold without them, it was
        recurring before and still is, and its other complaints keep their flags. The others (crossing
        the threshold, or under it, where stale flags are cleared too) are small: fewer complaints than
        the threshold besides ``self``.
        """
        joined = defaultdict(int)
        for complaint in self:
            for dimension, values in complaint._recurring_values().items():
                for value_id in values:
                    joined[dimension, complaint.company_id.id, value_id] += 1
        return {cluster for cluster, (count, threshold) in sizes.items() if count - joined.get(cluster, 0) < threshold}

    def _recurring_cluster_sizes(self, now, touched, companies):
        """{(dimension, company id, value id): (complaints in the company's window, company's threshold)}
        of the ``touched`` values ({dimension: ids}) in ``companies``: one query, an indexed read of the
        window per dimension (the same complaints as ``recurring_base_query``)."""
        parts = []
        for dimension, ids in touched.items():
            if not ids:
                continue
            column = SQL.identifier("c", INDEXED_COLUMNS[dimension])
            # The complainant counts as its commercial entity.
            value = SQL("p.commercial_partner_id") if dimension == "partner" else column
            parts.append(
                SQL(
                    """
                    SELECT %(dimension)s, c.company_id, %(value)s, count(*), co.threshold
                      FROM complaint_complaint c
                      JOIN co ON co.id = c.company_id
                      %(join)s
                     WHERE c.active
                       AND c.state NOT IN %(excluded)s
                       AND c.date_received >= %(floor)s
                       AND c.date_received >= co.date_from
                       AND c.date_received <= %(now)s
                       AND %(column)s = ANY(%(column_ids)s)
                       AND %(value)s = ANY(%(ids)s)
                  GROUP BY c.company_id, %(value)s, co.threshold
                    """,
                    dimension=dimension,
                    value=value,
                    join=SQL("JOIN res_partner p ON p.id = c.partner_id") if dimension == "partner" else SQL(),
                    excluded=RECURRING_EXCLUDED_STATES,
                    floor=self._recurring_window_floor(now, companies),
                    now=now,
                    column=column,
                    column_ids=self._recurring_value_ids_sql(dimension, ids),
                    ids=sorted(ids),
                )
            )
        if not parts:
            return {}
        # The companies' windows and thresholds first (materialized: a join with res_company inside each
        # dimension's scan would read the window once per company).
        query = SQL(
            """
            WITH co AS MATERIALIZED (
                SELECT co.id, %(date_from)s AS date_from,
                       %(threshold)s AS threshold
                  FROM res_company co
                 WHERE co.id = ANY(%(companies)s)
            )
            %(parts)s
            """,
            date_from=recurring_window_start_sql(now),
            threshold=RECURRING_THRESHOLD_SQL,
            companies=companies.ids,
            parts=SQL(" UNION ALL ").join(parts),
        )
        return {
            (dimension, company_id, value_id): (count, threshold)
            for dimension, company_id, value_id, count, threshold in self.env.execute_query(query)
        }

    @api.model
    def _recurring_value_ids_sql(self, dimension, ids):
        """The complaint column values of ``ids`` of ``dimension``: the ids themselves, or for the
        complainant every contact of these commercial entities."""
        if dimension == "partner":
            return SQL("ARRAY(SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%s))", sorted(ids))
        return sorted(ids)

    @api.model
    def _recurring_value_arms(self, touched, floor):
        """One indexed read of complaint ids per dimension of ``touched`` ({dimension: ids}), received
        after ``floor`` ((column, date received) indexes); an OR of these conditions would read the whole
        window instead."""
        return [
            SQL(
                "SELECT id FROM complaint_complaint WHERE active AND date_received >= %s AND %s = ANY(%s)",
                floor,
                SQL.identifier(INDEXED_COLUMNS[key]),
                self._recurring_value_ids_sql(key, ids),
            )
            for key, ids in touched.items()
            if ids
        ]

    def _recurring_cluster_queries(self, now):
        """(base, clusters) SQL of the recurring detection at ``now``: ``base`` the complaints of each
        company's window, ``clusters`` the values with at least the company's threshold of complaints."""
        base = recurring_base_query(
            recurring_window_start_sql(now),
            SQL("%s::timestamp", now),
            date_floor=self._recurring_window_floor(now),
        )
        return base, recurring_cluster_selects(RECURRING_THRESHOLD_SQL)

    @api.model
    def _recurring_window_floor(self, now, companies=None):
        """The earliest window start of ``companies`` (default: all): a bound on the date received that
        PostgreSQL can use with its indexes (a bound that depends on each company's setting cannot)."""
        if companies is None:
            companies = self.env["res.company"].sudo().search_fetch([], ["complaint_recurring_days"])
        days = [company.complaint_recurring_days or 90 for company in companies.sudo()]
        return now - timedelta(days=max(days or [90]))

    @api.model
    def _recurring_clusters(self, date_from, date_to, companies, threshold=None, limit=None):
        """Recurring clusters of complaints received between ``date_from`` and ``date_to`` (datetimes) in
        ``companies``: list of dicts (dimension, value_id, count, date_first, date_last, complaint_ids),
        biggest first. ``threshold`` defaults to each company's setting. One query."""
        where = SQL("c.company_id = ANY(%s)", companies.ids)
        base = recurring_base_query(SQL("%s::timestamp", date_from), SQL("%s::timestamp", date_to), where)
        threshold_sql = SQL("%s", threshold) if threshold else RECURRING_THRESHOLD_SQL
        query = SQL(
            "WITH base AS (%s) %s ORDER BY complaint_count DESC, dimension, value_id %s",
            base,
            recurring_cluster_selects(threshold_sql, details=True),
            SQL("LIMIT %s", limit) if limit else SQL(),
        )
        return [
            {
                "dimension": dimension,
                "company_id": company_id,
                "value_id": value_id,
                "count": count,
                "date_first": date_first,
                "date_last": date_last,
                "complaint_ids": complaint_ids,
            }
            for dimension, company_id, value_id, count, date_first, date_last, complaint_ids in self.env.execute_query(
                query
            )
        ]

    @api.model
    def _recurring_value_names(self, clusters):
        """{(dimension, value_id): display name} for ``clusters`` (one read per model)."""
        models_by_dimension = {
            "product": "product.product",
            "category": "complaint.category",
            "cause": "complaint.cause",
            "partner": "res.partner",
        }
        ids = defaultdict(set)
        for cluster in clusters:
            ids[cluster["dimension"]].add(cluster["value_id"])
        names = {}
        for dimension, value_ids in ids.items():
            for record in self.env[models_by_dimension[dimension]].sudo().browse(sorted(value_ids)):
                names[dimension, record.id] = record.display_name
        return names

    @api.model
    def _recurring_window(self, company):
        """(start, end) datetimes of the company's sliding window ending now."""
        end = fields.Datetime.now()
        return end - timedelta(days=company.complaint_recurring_days or 90), end
