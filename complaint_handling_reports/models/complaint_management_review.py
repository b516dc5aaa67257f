from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from odoo.addons.complaint_handling.models.complaint_complaint import CHANNELS

from ..report.complaint_kpi_report import KPI_INDICATORS
from ..report.svg_chart import bar_chart, line_chart

# The review's period and company: frozen once it is done (its snapshot and dates are process fields).
FROZEN_FIELDS = {"date_from", "date_to", "company_id"}
BACKLOG_BUCKETS = ((0, 7), (8, 30), (31, 90), (91, None))
SNAPSHOT_VERSION = 1
BREAKDOWN_ROWS = 50


# Indicators of ``_kpi_summary`` that describe the state on the day it runs, not the period.
AS_OF_TODAY_KEYS = {"open_count", "overdue_count", "backlog_avg_age_days"}


class ComplaintManagementReview(models.Model):
    """Top management's periodic review of the complaints-handling process (ISO 10002 8.6).

    Preparing the review takes a snapshot of its inputs (indicators of the period and of the previous
    one, objectives, recurring problems, improvement actions); the snapshot is frozen when the review is
    done, so the printed review always shows the figures the decisions were taken on.
    """

    _name = "complaint.management.review"
    _description = "Complaint Management Review"
    _inherit = ["complaint.process.mixin", "mail.thread", "mail.activity.mixin"]
    _process_create_defaults = {"state": "draft"}
    _order = "date_to desc, id desc"
    _check_company_auto = True

    def _default_date_from(self):
        today = fields.Date.context_today(self)
        return (today.replace(day=1) - relativedelta(months=3)).replace(day=1)

    def _default_date_to(self):
        return fields.Date.context_today(self).replace(day=1) - timedelta(days=1)

    name = fields.Char(required=True, help="Empty: named after its period.")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    date_from = fields.Date(string="From", required=True, default=lambda self: self._default_date_from())
    date_to = fields.Date(string="To", required=True, default=lambda self: self._default_date_to())
    date_review = fields.Date(string="Review Date", default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")], default="draft", required=True, readonly=True, copy=False, tracking=True
    )
    participant_ids = fields.Many2many("res.users", string="Participants", domain="[('share', '=', False)]")
    other_participants = fields.Char(help="Participants who are not users (names, roles).")
    snapshot = fields.Json(readonly=True, copy=False, help="The review's inputs as prepared: frozen once done.")
    date_prepared = fields.Datetime(string="Inputs Prepared On", readonly=True, copy=False)
    date_done = fields.Datetime(readonly=True, copy=False)
    conclusions = fields.Html(help="Conclusions on the suitability, adequacy and effectiveness of the process.")
    decision_ids = fields.One2many("complaint.management.review.decision", "review_id", string="Decisions", copy=False)
    improvement_action_ids = fields.One2many(
        "complaint.improvement.action", "review_id", string="Actions Launched", copy=False
    )
    improvement_action_count = fields.Integer(compute="_compute_improvement_action_count")
    summary_html = fields.Html(compute="_compute_summary_html", sanitize=False, string="Inputs")

    @api.depends("improvement_action_ids")
    def _compute_improvement_action_count(self):
        for review in self:
            review.improvement_action_count = len(review.improvement_action_ids)

    @api.depends("snapshot", "state")
    @api.depends_context("lang")
    def _compute_summary_html(self):
        for review in self:
            if not review.snapshot:
                review.summary_html = False
                continue
            review.summary_html = self.env["ir.qweb"]._render(
                "complaint_handling_reports.management_review_body",
                {"doc": review, "review_data": review._report_data()},
            )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for review in self:
            if review.date_from > review.date_to:
                raise UserError(self.env._("The review period must end after it starts."))

    # ---------------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            if not vals.get("name"):
                date_from = fields.Date.to_date(vals.get("date_from")) or self._default_date_from()
                date_to = fields.Date.to_date(vals.get("date_to")) or self._default_date_to()
                vals["name"] = self.env._(
                    "Management Review %(from)s – %(to)s",
                    **{"from": format_date(self.env, date_from), "to": format_date(self.env, date_to)},
                )
        return super().create(vals_list)

    def write(self, vals):
        """The inputs (snapshot, state, dates) change through Prepare Inputs and Mark as Done only; a done
        review's period is frozen with them."""
        if FROZEN_FIELDS & set(vals) and any(review.state == "done" for review in self):
            raise UserError(self.env._("This management review is done: its period and its inputs are frozen."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(review.state == "done" for review in self):
            raise UserError(self.env._("A done management review is a record of the process: it cannot be deleted."))

    # ------------------------------------------------------------------- actions

    def action_prepare(self):
        """Take the snapshot of the review's inputs for its period (again, while it is a draft)."""
        for review in self:
            if review.state == "done":
                raise UserError(self.env._("This management review is done: its inputs are frozen."))
            review.check_access("write")
            review.sudo().write({"snapshot": review._compute_snapshot(), "date_prepared": fields.Datetime.now()})
        return True

    def action_done(self):
        """Close the review: the snapshot (prepared now if needed) and the period are frozen."""
        self.filtered(lambda r: not r.snapshot).action_prepare()
        for review in self:
            if review.state == "done":
                raise UserError(self.env._("This management review is already done."))
        self.check_access("write")
        self.sudo().write({"state": "done", "date_done": fields.Datetime.now()})
        return True

    def action_open_improvement_actions(self):
        """The improvement actions launched by the review."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Actions Launched"),
            "res_model": "complaint.improvement.action",
            "view_mode": "list,kanban,form",
            "domain": [("review_id", "=", self.id)],
            "context": {"default_review_id": self.id, "default_company_id": self.company_id.id},
        }

    def action_print(self):
        """Print the management review."""
        return self.env.ref("complaint_handling_reports.action_report_management_review").report_action(self)

    # ----------------------------------------------------------------- snapshot

    def _period_bounds(self):
        """(start, end, previous start, previous end) datetimes of the period and the one before."""
        self.ensure_one()
        start = datetime.combine(self.date_from, time.min)
        end = datetime.combine(self.date_to, time.max)
        length = self.date_to - self.date_from + timedelta(days=1)
        return start, end, start - length, start - timedelta(microseconds=1)

    def _compute_snapshot(self):
        """The review's inputs as a JSON-able dict (ids, keys and numbers; names of records as they are now)."""
        self.ensure_one()
        start, end, prev_start, prev_end = self._period_bounds()
        Kpi = self.env["complaint.kpi.report"]
        company = [("company_id", "=", self.company_id.id)]
        period = [*company, ("date_received", ">=", start), ("date_received", "<=", end)]
        previous = [*company, ("date_received", ">=", prev_start), ("date_received", "<=", prev_end)]
        snapshot = {
            "version": SNAPSHOT_VERSION,
            "period": [str(start.date()), str(end.date())],
            "previous_period": [str(prev_start.date()), str(prev_end.date())],
            "kpi": Kpi._kpi_summary(period),
            "kpi_previous": Kpi._kpi_summary(previous),
        }
        breakdowns = {}
        for dimension in ("channel", "category_id", "product_id", "team_id", "state", "root_cause_id"):
            rows = {}
            # The counts of non-empty values tell an average of nothing (None) from a zero.
            for key, count, on_time, on_time_count, hours, hours_count in Kpi._read_group(
                period,
                [dimension],
                [
                    "nbr:sum",
                    "resolved_on_time_pct:avg",
                    "resolved_on_time_pct:count",
                    "resolution_hours:avg",
                    "resolution_hours:count",
                ],
            ):
                rows[self._snapshot_key(key)] = {
                    "key": self._snapshot_key(key),
                    "name": self._snapshot_name(key),
                    "count": count,
                    "previous": 0,
                    "resolved_on_time": on_time if on_time_count else None,
                    "resolution_hours": hours if hours_count else None,
                }
            for key, count in Kpi._read_group(previous, [dimension], ["nbr:sum"]):
                row = rows.setdefault(
                    self._snapshot_key(key),
                    {
                        "key": self._snapshot_key(key),
                        "name": self._snapshot_name(key),
                        "count": 0,
                        "resolved_on_time": None,
                        "resolution_hours": None,
                    },
                )
                row["previous"] = count
            # The biggest groups only: a company with thousands of products keeps a small snapshot.
            breakdowns[dimension] = sorted(rows.values(), key=lambda r: (-r["count"], -r["previous"], str(r["name"])))[
                :BREAKDOWN_ROWS
            ]
        snapshot["breakdowns"] = breakdowns
        # Trend: the 12 months ending with the period.
        month_start = (self.date_to.replace(day=1) - relativedelta(months=11)).replace(day=1)
        monthly = Kpi._read_group(
            [*company, ("date_received", ">=", datetime.combine(month_start, time.min)), ("date_received", "<=", end)],
            ["date_received:month"],
            [
                "nbr:sum",
                "resolved_on_time_pct:avg",
                "resolved_on_time_pct:count",
                "ack_on_time_pct:avg",
                "ack_on_time_pct:count",
            ],
        )
        by_month = {
            month.date().replace(day=1): {
                "count": count,
                "resolved_on_time": resolved if resolved_count else None,
                "ack_on_time": ack if ack_count else None,
            }
            for month, count, resolved, resolved_count, ack, ack_count in monthly
        }
        empty = {"count": 0, "resolved_on_time": None, "ack_on_time": None}
        snapshot["monthly"] = [
            {"month": str(month), **by_month.get(month, empty)}
            for month in (month_start + relativedelta(months=i) for i in range(12))
        ]
        snapshot["backlog_age"] = self._snapshot_backlog_age(end)
        clusters = self.env["complaint.complaint"]._recurring_clusters(start, end, self.company_id, limit=10)
        names = self.env["complaint.complaint"]._recurring_value_names(clusters)
        snapshot["recurring"] = [
            {
                "dimension": cluster["dimension"],
                "value_id": cluster["value_id"],
                "name": names.get((cluster["dimension"], cluster["value_id"]), "?"),
                "count": cluster["count"],
                "date_first": str(cluster["date_first"]),
                "date_last": str(cluster["date_last"]),
            }
            for cluster in clusters
        ]
        snapshot["actions"] = self._snapshot_actions(start, end)
        snapshot["objectives"] = self._snapshot_objectives(snapshot["kpi"])
        return snapshot

    @api.model
    def _snapshot_key(self, key):
        return key.id if isinstance(key, models.BaseModel) else key

    @api.model
    def _snapshot_name(self, key):
        if isinstance(key, models.BaseModel):
            return key.sudo().display_name or False
        return key

    def _snapshot_backlog_age(self, end):
        """Complaints of the company open at the end of the period, by age then (one query)."""
        self.ensure_one()
        at = min(end, fields.Datetime.now())
        buckets = SQL(" ").join(
            SQL(
                "WHEN %s - c.date_received < make_interval(days => %s) THEN %s",
                at,
                (high + 1) if high is not None else 100000,
                index,
            )
            for index, (_low, high) in enumerate(BACKLOG_BUCKETS)
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT CASE %(buckets)s END AS bucket, count(*)
                  FROM complaint_complaint c
                 WHERE c.active AND c.company_id = %(company)s AND c.date_received <= %(at)s
                   AND (c.date_closed > %(at)s OR (c.date_closed IS NULL AND NOT c.is_done))
              GROUP BY 1
                """,
                buckets=buckets,
                company=self.company_id.id,
                at=at,
            )
        )
        counts = dict(rows)
        return [
            {"low": low, "high": high, "count": counts.get(index, 0)}
            for index, (low, high) in enumerate(BACKLOG_BUCKETS)
        ]

    def _snapshot_actions(self, start, end):
        """Improvement actions of the company not cancelled: open, or done since the period started."""
        self.ensure_one()
        actions = self.env["complaint.improvement.action"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "!=", "cancelled"),
                "|",
                ("date_done", "=", False),
                ("date_done", ">=", start.date()),
            ],
            order="state, date_deadline, id",
        )
        return [
            {
                "id": action.id,
                "name": action.name,
                "type": action.action_type,
                "owner": action.user_id.name or "",
                "state": action.state,
                "deadline": str(action.date_deadline) if action.date_deadline else False,
                "date_done": str(action.date_done) if action.date_done else False,
                "date_check": str(action.date_check) if action.date_check else False,
                "effectiveness": action.effectiveness or False,
                "since_done": action.complaints_since_done if action.date_done else None,
                "before": action.complaints_before if action.date_done else None,
            }
            for action in actions
        ]

    def _snapshot_objectives(self, kpi):
        """The company's objectives: target and actual over the review's period (``kpi``: its indicators;
        objectives limited to a team or a category get their own summary)."""
        self.ensure_one()
        if "complaint.objective" not in self.env:
            return []
        start, end, _prev_start, _prev_end = self._period_bounds()
        Kpi = self.env["complaint.kpi.report"]
        result = []
        for objective in self.env["complaint.objective"].search([("company_id", "=", self.company_id.id)]):
            summary = kpi
            if objective.team_id or objective.category_id:
                domain = [
                    ("company_id", "=", self.company_id.id),
                    ("date_received", ">=", start),
                    ("date_received", "<=", end),
                ]
                if objective.team_id:
                    domain.append(("team_id", "=", objective.team_id.id))
                if objective.category_id:
                    domain.append(("category_id", "child_of", objective.category_id.id))
                summary = Kpi._kpi_summary(domain)
            actual = summary.get(objective.indicator)
            met = None
            if actual is not None:
                met = actual >= objective.target if objective.comparison == ">=" else actual <= objective.target
            result.append(
                {
                    "name": objective.name,
                    "indicator": objective.indicator,
                    "target": objective.target,
                    "comparison": objective.comparison,
                    "unit": KPI_INDICATORS.get(objective.indicator, ("", "", None))[1],
                    "actual": actual,
                    "met": met,
                }
            )
        return result

    # ------------------------------------------------------------------ printing

    def _report_data(self):
        """What the printed review shows: the frozen snapshot (or live figures for a draft never prepared),
        with labels in the reader's language and the charts as inline SVG."""
        self.ensure_one()
        snapshot = self.snapshot or self._compute_snapshot()
        channels = dict(CHANNELS)
        channel_labels = dict(self.env["complaint.complaint"]._fields["channel"]._description_selection(self.env))
        channels.update(channel_labels)
        states = dict(self.env["complaint.complaint"]._fields["state"]._description_selection(self.env))
        action_states = dict(self.env["complaint.improvement.action"]._fields["state"]._description_selection(self.env))
        action_types = dict(
            self.env["complaint.improvement.action"]._fields["action_type"]._description_selection(self.env)
        )
        effectiveness = dict(
            self.env["complaint.improvement.action"]._fields["effectiveness"]._description_selection(self.env)
        )
        dimensions = self.env["complaint.complaint"]._recurring_dimension_labels()
        none_label = self.env._("Not set")

        def label(dimension, row):
            if dimension == "channel":
                return channels.get(row["key"], row["key"]) or none_label
            if dimension == "state":
                return states.get(row["key"], row["key"]) or none_label
            return row["name"] or none_label

        breakdowns = {
            dimension: [dict(row, label=label(dimension, row)) for row in rows]
            for dimension, rows in snapshot.get("breakdowns", {}).items()
        }
        kpi, kpi_previous = snapshot.get("kpi", {}), snapshot.get("kpi_previous", {})
        indicators = [
            {
                "key": key,
                "label": self._indicator_label(label_text),
                "unit": unit,
                "higher_is_better": better,
                "value": kpi.get(key),
                # The backlog figures are measured on the day the inputs are prepared (complaints of the
                # period still open then): the previous period's would be older by construction, so
                # comparing them would show a false trend.
                "previous": None if key in AS_OF_TODAY_KEYS else kpi_previous.get(key),
            }
            for key, (label_text, unit, better) in KPI_INDICATORS.items()
        ]
        period_label, previous_label = self.env._("This period"), self.env._("Previous period")
        monthly = snapshot.get("monthly", [])
        month_labels = [format_date(self.env, fields.Date.to_date(m["month"]), date_format="MMM yy") for m in monthly]
        backlog = [
            dict(
                bucket,
                label=self.env._("%(low)s–%(high)s days", low=bucket["low"], high=bucket["high"])
                if bucket["high"] is not None
                else self.env._("over %(low)s days", low=bucket["low"] - 1),
            )
            for bucket in snapshot.get("backlog_age", [])
        ]

        def date_label(value):
            return format_date(self.env, fields.Date.to_date(value[:10])) if value else ""

        recurring = [
            dict(
                row,
                dimension_label=dimensions.get(row["dimension"], row["dimension"]),
                date_first_label=date_label(row["date_first"]),
                date_last_label=date_label(row["date_last"]),
            )
            for row in snapshot.get("recurring", [])
        ]
        actions = [
            dict(
                row,
                type_label=action_types.get(row["type"], row["type"]),
                state_label=action_states.get(row["state"], row["state"]),
                effectiveness_label=effectiveness.get(row["effectiveness"], "") if row["effectiveness"] else "",
                deadline_label=date_label(row["deadline"]),
                date_done_label=date_label(row["date_done"]),
                date_check_label=date_label(row["date_check"]),
            )
            for row in snapshot.get("actions", [])
        ]
        labels_by_key = {key: self._indicator_label(text) for key, (text, _u, _b) in KPI_INDICATORS.items()}
        objectives = [
            dict(
                row,
                indicator_label=labels_by_key.get(row["indicator"], row["indicator"]),
                # A number of complaints reads as a whole number.
                target=(
                    int(row["target"]) if not row.get("unit") and float(row["target"]).is_integer() else row["target"]
                ),
            )
            for row in snapshot.get("objectives", [])
        ]

        def bars(dimension, limit=10):
            return bar_chart(
                [(row["label"], (row["count"], row["previous"])) for row in breakdowns.get(dimension, [])[:limit]],
                series_labels=[period_label, previous_label],
            )

        charts = {
            "monthly": line_chart(
                month_labels, [[m["count"] for m in monthly]], series_labels=[self.env._("Complaints received")]
            ),
            "monthly_on_time": line_chart(
                month_labels,
                [[m["ack_on_time"] for m in monthly], [m["resolved_on_time"] for m in monthly]],
                series_labels=[self.env._("Acknowledged on time (%)"), self.env._("Resolved on time (%)")],
                height=170,
                max_value=100,
            ),
            "channel": bars("channel"),
            "category_id": bars("category_id"),
            "product_id": bars("product_id"),
            "team_id": bars("team_id"),
            "state": bar_chart([(row["label"], row["count"]) for row in breakdowns.get("state", [])]),
            "backlog": bar_chart([(row["label"], row["count"]) for row in backlog]),
            "causes": bar_chart([(row["label"], row["count"]) for row in breakdowns.get("root_cause_id", [])[:10]]),
            "recurring": bar_chart(
                [(f"{row['dimension_label']}: {row['name']}", row["count"]) for row in recurring], label_width=260
            ),
        }
        start, end = (fields.Date.to_date(value) for value in snapshot.get("period", [None, None]))
        prev_start, prev_end = (fields.Date.to_date(value) for value in snapshot.get("previous_period", [None, None]))
        return {
            "snapshot": snapshot,
            "period_label": self.env._(
                "%(from)s to %(to)s", **{"from": format_date(self.env, start), "to": format_date(self.env, end)}
            ),
            "previous_label": self.env._(
                "%(from)s to %(to)s",
                **{"from": format_date(self.env, prev_start), "to": format_date(self.env, prev_end)},
            ),
            "indicators": indicators,
            "breakdowns": breakdowns,
            "monthly": monthly,
            "backlog": backlog,
            "recurring": recurring,
            "actions": actions,
            "objectives": objectives,
            "charts": charts,
            "frozen": self.state == "done",
        }

    @api.model
    def _indicator_label(self, label):
        """An indicator's label (a lazy translation) in the language of the environment."""
        return self.env._(label) if not isinstance(label, str) else label

    @api.model
    def _format_indicator(self, value, unit=""):
        """An indicator's value for print: one decimal, unit after; a dash when there is nothing to measure."""
        if value is None:
            return "–"
        if unit == "%":
            return f"{float(value):,.1f} %"
        if isinstance(value, int):
            return f"{value:,d}"
        text = f"{value:,.1f}"
        return f"{text}{unit}" if unit == "/5" else text


class ComplaintManagementReviewDecision(models.Model):
    """A decision or output of a management review (improvement of the process, resources, objectives)."""

    _name = "complaint.management.review.decision"
    _description = "Management Review Decision"
    _inherit = ["complaint.process.mixin"]
    _order = "review_id, sequence, id"

    review_id = fields.Many2one("complaint.management.review", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Text(string="Decision", required=True)
    decision_type = fields.Selection(
        [
            ("process", "Process Improvement"),
            ("product", "Product / Service Improvement"),
            ("resources", "Resources and Training"),
            ("objectives", "Objectives and Policy"),
            ("other", "Other"),
        ],
        string="Type",
        default="process",
        required=True,
    )
    user_id = fields.Many2one("res.users", string="Responsible", domain="[('share', '=', False)]")
    date_deadline = fields.Date(string="Deadline")

    @api.model_create_multi
    def create(self, vals_list):
        decisions = super().create(vals_list)
        decisions._check_review_open()
        return decisions

    def write(self, vals):
        self._check_review_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done_review(self):
        self._check_review_open()

    def _check_review_open(self):
        if any(decision.review_id.state == "done" for decision in self):
            raise UserError(self.env._("The management review is done: its decisions are part of the record."))
