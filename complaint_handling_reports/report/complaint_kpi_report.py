from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.complaint_handling.models.complaint_complaint import CHANNELS
from odoo.addons.complaint_handling.models.complaint_stage import COMPLAINT_STATES
from odoo.addons.complaint_handling.models.complaint_target import sql_late, sql_measures, sql_met

_lt = LazyTranslate(__name__)

# The headline indicators of ``_kpi_summary``: key -> (label, unit, True when higher is better, None when
# neither). Labels are lazy translations: ``str(label)`` in the reader's language.
KPI_INDICATORS = {
    "count": (_lt("Complaints Received"), "", None),
    "open_count": (_lt("Open Complaints (Backlog)"), "", False),
    "done_count": (_lt("Complaints Done"), "", None),
    "overdue_count": (_lt("Open Complaints Overdue"), "", False),
    "ack_on_time_rate": (_lt("Acknowledged on Time (%)"), "%", True),
    "response_on_time_rate": (_lt("First Response on Time (%)"), "%", True),
    "resolved_on_time_rate": (_lt("Resolved on Time (%)"), "%", True),
    "avg_ack_hours": (_lt("Average Time to Acknowledge (working h)"), "h", False),
    "avg_response_hours": (_lt("Average Time to First Response (working h)"), "h", False),
    "avg_resolution_hours": (_lt("Average Time to Resolve (working h)"), "h", False),
    "backlog_avg_age_days": (_lt("Average Age of Open Complaints (days)"), "d", False),
    "reopen_rate": (_lt("Reopened (%)"), "%", False),
    "escalation_rate": (_lt("Escalated (%)"), "%", False),
    "external_rate": (_lt("Referred to External Dispute Resolution (%)"), "%", False),
    "first_contact_rate": (_lt("Resolved by the First Decision (%)"), "%", True),
    "satisfaction_avg": (_lt("Average Satisfaction (0-5)"), "/5", True),
    "satisfaction_response_rate": (_lt("Satisfaction Survey Response Rate (%)"), "%", True),
    "remedy_cost": (_lt("Cost of Remedies"), "", False),
}
COUNT_KEYS = {"count", "open_count", "done_count", "overdue_count"}


class ComplaintKpiReport(models.Model):
    """One row per complaint with its timeliness and outcome figures: the KPI analysis (ISO 10002 8.3, 8.4).

    An SQL view over the active complaints. Timeliness uses the breach flags and the deadlines, with the
    rule of ``complaint_target`` (the same as the escalation job's); the working hours are the complaint's
    stored durations (``complaint_complaint_kpi.py``). Percentage measures are 100 (met) or 0 (missed) per
    complaint and empty when not applicable yet, so that their average in a pivot or graph is the
    percentage of the group. (On a large register, complaint_handling_scale answers the counts and the
    averages of the main pivots from pre-aggregated sums, with the same figures.)
    """

    _name = "complaint.kpi.report"
    _description = "Complaint KPI Analysis"
    _auto = False
    _rec_name = "name"
    _order = "date_received desc, id desc"

    complaint_id = fields.Many2one("complaint.complaint", readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    subject = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("complaint.team", readonly=True)
    category_id = fields.Many2one("complaint.category", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Complainant", readonly=True)
    user_id = fields.Many2one("res.users", string="Handler", readonly=True)
    created_by_id = fields.Many2one("res.users", string="Logged By", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    severity_id = fields.Many2one("complaint.severity", readonly=True)
    root_cause_id = fields.Many2one("complaint.cause", readonly=True)
    policy_id = fields.Many2one("complaint.policy", string="Time Policy", readonly=True)
    state = fields.Selection(COMPLAINT_STATES, string="Status", readonly=True)
    stage_id = fields.Many2one("complaint.stage", readonly=True)
    confidential = fields.Boolean(readonly=True)
    date_received = fields.Datetime(string="Received On", readonly=True)
    date_acknowledged = fields.Datetime(string="Acknowledged On", readonly=True)
    date_first_response = fields.Datetime(string="First Response On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    date_deadline = fields.Datetime(string="Resolution Due", readonly=True)

    nbr = fields.Integer(string="# Complaints", readonly=True, aggregator="sum")
    is_open = fields.Boolean(string="Open", readonly=True)
    is_done = fields.Boolean(string="Done", readonly=True)
    is_acknowledged = fields.Boolean(string="Acknowledged", readonly=True)
    ack_hours = fields.Float(string="Time to Acknowledge (working h)", readonly=True, aggregator="avg")
    first_response_hours = fields.Float(string="Time to First Response (working h)", readonly=True, aggregator="avg")
    resolution_hours = fields.Float(string="Time to Resolve (working h)", readonly=True, aggregator="avg")
    ack_on_time = fields.Boolean(string="Acknowledged on Time", readonly=True)
    ack_late = fields.Boolean(string="Acknowledgement Late", readonly=True)
    response_on_time = fields.Boolean(string="First Response on Time", readonly=True)
    response_late = fields.Boolean(string="First Response Late", readonly=True)
    resolved_on_time = fields.Boolean(
        string="Resolved on Time",
        readonly=True,
        help="Closed (resolved) by its resolution deadline. A rejected complaint was answered, not resolved: "
        "it is neither resolved on time nor late; nor is a withdrawn one.",
    )
    resolution_late = fields.Boolean(
        readonly=True, help="Closed after its resolution deadline, or still open past it (rejected and withdrawn: no)."
    )
    ack_on_time_pct = fields.Float(string="% Acknowledged on Time", readonly=True, aggregator="avg")
    response_on_time_pct = fields.Float(string="% First Response on Time", readonly=True, aggregator="avg")
    resolved_on_time_pct = fields.Float(
        string="% Resolved on Time",
        readonly=True,
        aggregator="avg",
        help="Complaints closed by their resolution deadline, out of those closed and those still open past it. "
        "Rejected complaints (answered, not resolved) and withdrawn ones do not count.",
    )
    is_overdue = fields.Boolean(string="Overdue", readonly=True)
    backlog_age_days = fields.Float(string="Age of Open Complaint (days)", readonly=True, aggregator="avg")
    reopen_count = fields.Integer(string="# Reopenings", readonly=True, aggregator="sum")
    is_reopened = fields.Boolean(string="Reopened", readonly=True)
    is_escalated = fields.Boolean(string="Escalated", readonly=True)
    is_external = fields.Boolean(string="External Dispute Resolution", readonly=True)
    resolved_first_contact = fields.Boolean(
        string="Resolved by the First Decision",
        readonly=True,
        help="Closed with the first decision accepted, never reopened nor escalated.",
    )
    remedy_amount = fields.Float(
        string="Remedy Cost",
        readonly=True,
        aggregator="sum",
        help="Amount of the current decision once communicated or accepted.",
    )
    rating = fields.Float(
        string="Satisfaction", readonly=True, aggregator="avg", help="The complainant's last rating (1 to 5)."
    )

    _depends = {
        "complaint.complaint": [
            "name",
            "subject",
            "active",
            "company_id",
            "team_id",
            "category_id",
            "product_id",
            "partner_id",
            "user_id",
            "channel",
            "severity_id",
            "root_cause_id",
            "policy_id",
            "state",
            "stage_id",
            "confidential",
            "is_done",
            "is_paused",
            "date_received",
            "date_acknowledged",
            "date_first_response",
            "date_closed",
            "date_ack_deadline",
            "date_response_deadline",
            "date_deadline",
            "ack_breached",
            "response_breached",
            "resolution_breached",
            "ack_working_hours",
            "response_working_hours",
            "resolution_working_hours",
            "reopen_count",
            "escalation_type",
            "decision_id",
            "rating_last_value",
        ],
        "complaint.decision": ["state", "amount", "complaint_id"],
        "complaint.dispute": ["complaint_id"],
    }

    @property
    def _table_query(self) -> SQL:
        return SQL("%s %s", self._select(), self._from())

    @api.model
    def _select(self) -> SQL:
        # Late: flagged by the escalation job, met after the deadline, or not met and past due (not while
        # paused); on time: met and not late. ``now`` is a parameter so that tests can freeze the time.
        # PostgreSQL drops the columns (and the subqueries in them) that a read of the view does not ask for.
        # The timeliness and the averaged measures are the rule of ``complaint_target`` (one rule everywhere).
        now = fields.Datetime.now()
        ack_late, response_late, resolution_late = (
            SQL(sql_late(target, "c.", "%(now)s"), now=now) for target in ("ack", "response", "resolution")
        )
        ack_met, response_met, resolution_met = (
            SQL(sql_met(target, "c.")) for target in ("ack", "response", "resolution")
        )
        measures = {name: SQL(expression, now=now) for name, expression in sql_measures("c.", "%(now)s").items()}
        # Escalating needs its kind (internal review or external): the kind stays when the complaint moves on.
        escalated = SQL("(c.escalation_type IS NOT NULL OR c.state = 'escalated')")
        return SQL(
            """
            SELECT
                c.id AS id,
                c.id AS complaint_id,
                c.name AS name,
                c.subject AS subject,
                c.company_id AS company_id,
                c.team_id AS team_id,
                c.category_id AS category_id,
                c.product_id AS product_id,
                c.partner_id AS partner_id,
                c.user_id AS user_id,
                c.create_uid AS created_by_id,
                c.channel AS channel,
                c.severity_id AS severity_id,
                c.root_cause_id AS root_cause_id,
                c.policy_id AS policy_id,
                c.state AS state,
                c.stage_id AS stage_id,
                c.confidential IS TRUE AS confidential,
                c.date_received AS date_received,
                c.date_acknowledged AS date_acknowledged,
                c.date_first_response AS date_first_response,
                c.date_closed AS date_closed,
                c.date_deadline AS date_deadline,
                1 AS nbr,
                NOT c.is_done AS is_open,
                c.is_done AS is_done,
                %(ack_met)s AS is_acknowledged,
                %(ack_hours)s AS ack_hours,
                %(first_response_hours)s AS first_response_hours,
                %(resolution_hours)s AS resolution_hours,
                %(ack_met)s AND NOT %(ack_late)s AS ack_on_time,
                %(ack_late)s AS ack_late,
                %(response_met)s AND NOT %(response_late)s AS response_on_time,
                %(response_late)s AS response_late,
                %(resolution_met)s AND NOT %(resolution_late)s AS resolved_on_time,
                %(resolution_late)s AS resolution_late,
                %(ack_on_time_pct)s AS ack_on_time_pct,
                %(response_on_time_pct)s AS response_on_time_pct,
                %(resolved_on_time_pct)s AS resolved_on_time_pct,
                NOT c.is_done AND %(resolution_late)s AS is_overdue,
                CASE WHEN NOT c.is_done
                     THEN EXTRACT(EPOCH FROM (%(now)s - c.date_received)) / 86400.0 END AS backlog_age_days,
                COALESCE(c.reopen_count, 0) AS reopen_count,
                COALESCE(c.reopen_count, 0) > 0 AS is_reopened,
                %(escalated)s AS is_escalated,
                (c.escalation_type = 'external'
                 OR c.id IN (SELECT dsp.complaint_id FROM complaint_dispute dsp)) AS is_external,
                (c.state = 'closed' AND COALESCE(c.reopen_count, 0) = 0 AND NOT %(escalated)s
                 AND d.state IS NOT DISTINCT FROM 'accepted' AND NOT EXISTS (
                    SELECT 1 FROM complaint_decision other
                     WHERE other.complaint_id = c.id AND other.id != c.decision_id AND other.state != 'cancelled')
                ) AS resolved_first_contact,
                CASE WHEN d.state IN ('communicated', 'accepted') THEN d.amount END AS remedy_amount,
                NULLIF(c.rating_last_value, 0) AS rating
            """,
            now=now,
            ack_met=ack_met,
            response_met=response_met,
            resolution_met=resolution_met,
            ack_late=ack_late,
            response_late=response_late,
            resolution_late=resolution_late,
            escalated=escalated,
            **measures,
        )

    @api.model
    def _from(self) -> SQL:
        # The current decision by a left join on its key: PostgreSQL leaves the join out when a read does not
        # use the decision.
        return SQL(
            """FROM complaint_complaint c
          LEFT JOIN complaint_decision d ON d.id = c.decision_id
              WHERE c.active"""
        )

    # ------------------------------------------------------------------ summary

    @api.model
    def _kpi_summary(self, domain=None):
        """The headline indicators of the complaints matching ``domain`` (on this report), in one query.

        Returns a dict keyed as :data:`KPI_INDICATORS`: counts, percentages (0-100) and averages;
        a percentage or an average without any complaint to count on is ``None``. The user's record
        rules apply (a handler gets the figures of the complaints they can read).
        """
        query = self._search(domain or [])
        keys = list(KPI_INDICATORS)
        if query.is_empty():
            values = [0, 0, 0, 0] + [None] * (len(keys) - 4)
            values[keys.index("remedy_cost")] = 0.0
            return dict(zip(keys, values, strict=True))

        def col(name):
            return SQL.identifier(query.table, name)

        def pct(condition, among):
            return SQL("100.0 * count(*) FILTER (WHERE %s) / NULLIF(count(*) FILTER (WHERE %s), 0)", condition, among)

        aggregates = {
            "count": SQL("count(*)"),
            "open_count": SQL("count(*) FILTER (WHERE %s)", col("is_open")),
            "done_count": SQL("count(*) FILTER (WHERE %s)", col("is_done")),
            "overdue_count": SQL("count(*) FILTER (WHERE %s)", col("is_overdue")),
            "ack_on_time_rate": SQL("avg(%s)", col("ack_on_time_pct")),
            "response_on_time_rate": SQL("avg(%s)", col("response_on_time_pct")),
            "resolved_on_time_rate": SQL("avg(%s)", col("resolved_on_time_pct")),
            "avg_ack_hours": SQL("avg(%s)", col("ack_hours")),
            "avg_response_hours": SQL("avg(%s)", col("first_response_hours")),
            "avg_resolution_hours": SQL("avg(%s)", col("resolution_hours")),
            "backlog_avg_age_days": SQL("avg(%s)", col("backlog_age_days")),
            "reopen_rate": pct(col("is_reopened"), SQL("TRUE")),
            "escalation_rate": pct(col("is_escalated"), SQL("TRUE")),
            "external_rate": pct(col("is_external"), SQL("TRUE")),
            "first_contact_rate": pct(col("resolved_first_contact"), SQL("%s = 'closed'", col("state"))),
            "satisfaction_avg": SQL("avg(%s)", col("rating")),
            "satisfaction_response_rate": pct(SQL("%s IS NOT NULL", col("rating")), col("is_done")),
            "remedy_cost": SQL("COALESCE(sum(%s), 0.0)", col("remedy_amount")),
        }
        # No JIT compilation: on 100,000 complaints it costs PostgreSQL 1 to 2 s to plan what runs in 0.2 s.
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        # ``execute_query`` flushes the complaint fields the view depends on first.
        [row] = self.env.execute_query(query.select(*(aggregates[key] for key in keys)))
        self.env.cr.execute(SQL("RESET jit"))
        return {
            key: value if value is None or key in COUNT_KEYS else float(value)
            for key, value in zip(keys, row, strict=True)
        }
