from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import formatLang

from ..report.complaint_kpi_report import COUNT_KEYS, KPI_INDICATORS

# The stored figures of ``_compute_actual``.

PERIODS = [
    ("month", "This Month"),
    ("last_month", "Last Month"),
    ("quarter", "This Quarter"),
    ("year", "This Year"),
    ("last_12_months", "Last 12 Months"),
    ("custom", "Custom Dates"),
]


class ComplaintObjective(models.Model):
    """A measurable objective of the complaints-handling process (ISO 10002 6.3 and 8.3).

    E.g. "95 % of the complaints acknowledged on time" or "average satisfaction at least 4 / 5":
    an indicator of the KPI summary, a target and a period. The actual value is computed from the
    complaints received in the period (optionally of one team or category) with
    ``complaint.kpi.report._kpi_summary``.
    """

    _name = "complaint.objective"
    _description = "Complaint Handling Objective"
    _inherit = ["complaint.process.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    indicator = fields.Selection(
        # The source labels: selection labels are translated through the field's own translations.
        [(key, label._source) for key, (label, _unit, _higher) in KPI_INDICATORS.items()],
        required=True,
        default="ack_on_time_rate",
    )
    comparison = fields.Selection(
        [(">=", "At Least"), ("<=", "At Most")],
        required=True,
        compute="_compute_comparison",
        store=True,
        precompute=True,
        readonly=False,
        help="Whether the actual value must reach the target (at least) or stay under it (at most).",
    )
    target = fields.Float(
        required=True, digits=(16, 1), help="Percentages from 0 to 100, hours, days or a number of complaints."
    )
    unit = fields.Char(compute="_compute_unit")
    period = fields.Selection(PERIODS, required=True, default="last_12_months")
    date_from = fields.Date(help="First day of the period (custom dates).")
    date_to = fields.Date(help="Last day of the period (custom dates).")
    team_id = fields.Many2one("complaint.team", check_company=True, help="Empty: every team.")
    category_id = fields.Many2one(
        "complaint.category", check_company=True, help="Empty: every category. A category covers its subcategories."
    )
    period_start = fields.Date(compute="_compute_period")
    period_end = fields.Date(compute="_compute_period")
    # The figures are stored: computing them reads every complaint of the period (seconds for a
    # register of a million complaints), so the dashboard shows them as of ``figures_date``. They are
    # computed when the objective is saved, by the hourly job and by the Refresh button.
    actual = fields.Float(compute="_compute_actual", store=True, digits=(16, 1), help="The indicator over the period.")
    has_data = fields.Boolean(
        compute="_compute_actual", store=True, help="Some complaints of the period count for the indicator."
    )
    is_met = fields.Boolean(string="Met", compute="_compute_actual", store=True)
    result = fields.Selection(
        [("met", "Met"), ("not_met", "Not Met"), ("no_data", "No Data")], compute="_compute_actual", store=True
    )
    figures_date = fields.Datetime(
        string="Figures As Of", compute="_compute_actual", store=True, help="When the actual value was computed."
    )
    target_display = fields.Char(string="Target Value", compute="_compute_display_values")
    actual_display = fields.Char(string="Actual Value", compute="_compute_display_values")
    description = fields.Text(help="Why this objective, who follows it up.")

    # ------------------------------------------------------------------ computes

    @api.depends("indicator")
    def _compute_comparison(self):
        for objective in self:
            higher = KPI_INDICATORS.get(objective.indicator, ("", "", True))[2]
            objective.comparison = "<=" if higher is False else ">="

    @api.depends("indicator")
    def _compute_unit(self):
        for objective in self:
            objective.unit = KPI_INDICATORS.get(objective.indicator, ("", "", None))[1]

    @api.depends("period", "date_from", "date_to")
    def _compute_period(self):
        today = fields.Date.context_today(self)
        for objective in self:
            objective.period_start, objective.period_end = objective._period_bounds(today)

    def _period_bounds(self, today):
        """First and last day of the objective's period around ``today``."""
        self.ensure_one()
        month_start = today.replace(day=1)
        if self.period == "month":
            return month_start, month_start + relativedelta(months=1, days=-1)
        if self.period == "last_month":
            return month_start - relativedelta(months=1), month_start - relativedelta(days=1)
        if self.period == "quarter":
            start = month_start.replace(month=(today.month - 1) // 3 * 3 + 1)
            return start, start + relativedelta(months=3, days=-1)
        if self.period == "year":
            return today.replace(month=1, day=1), today.replace(month=12, day=31)
        if self.period == "last_12_months":
            return month_start - relativedelta(months=11), month_start + relativedelta(months=1, days=-1)
        return self.date_from, self.date_to

    def _kpi_domain(self):
        """Domain of ``complaint.kpi.report`` for the complaints this objective counts."""
        self.ensure_one()
        domain = [("company_id", "=", self.company_id.id)]
        if self.period_start:
            domain.append(("date_received", ">=", datetime.combine(self.period_start, time.min)))
        if self.period_end:
            domain.append(("date_received", "<", datetime.combine(self.period_end + relativedelta(days=1), time.min)))
        if self.team_id:
            domain.append(("team_id", "=", self.team_id.id))
        if self.category_id:
            domain.append(("category_id", "child_of", self.category_id.id))
        return domain

    @api.depends(
        "indicator", "comparison", "target", "company_id", "team_id", "category_id", "period", "date_from", "date_to"
    )
    def _compute_actual(self):
        figures = self._figures()
        for objective in self:
            objective.update(figures[objective.id])

    def _figures(self):
        """``{objective id: {figure field: value}}``: the actual values of these objectives now.

        One summary per distinct scope (company, period, team, category), not one per objective. The
        company's figures, whoever computes them: an objective is the company's, and the stored figures
        are shown to every reader alike.
        """
        Report = self.env["complaint.kpi.report"].sudo()
        summaries = {}
        now = fields.Datetime.now()
        figures = {}
        for objective in self:
            domain = objective._kpi_domain()
            key = repr(domain)
            if key not in summaries:
                summaries[key] = Report._kpi_summary(domain)
            value = summaries[key].get(objective.indicator)
            if value is None:
                is_met, result = False, "no_data"
            else:
                is_met = value >= objective.target if objective.comparison == ">=" else value <= objective.target
                result = "met" if is_met else "not_met"
            figures[objective.id] = {
                "figures_date": now,
                "has_data": value is not None,
                "actual": value or 0.0,
                "is_met": is_met,
                "result": result,
            }
        return figures

    def action_refresh_figures(self):
        """Compute the actual values again, from the complaints as they are now."""
        self.check_access("write")
        figures = self._figures()
        # Process fields: written by the process once the reader's right to change the objectives is checked.
        for objective in self.sudo():
            objective.write(figures[objective.id])
        return True

    @api.model
    def _cron_refresh_figures(self):
        """Scheduled job: refresh the figures of every active objective (periods move, complaints change)."""
        self.sudo().search([("active", "=", True)]).action_refresh_figures()

    @api.depends("indicator", "target", "actual", "has_data", "company_id")
    @api.depends_context("lang")
    def _compute_display_values(self):
        for objective in self:
            objective.target_display = objective._format_value(objective.target)
            objective.actual_display = objective._format_value(objective.actual) if objective.has_data else False

    def _format_value(self, value):
        """``value`` of the objective's indicator as people read it, in its unit: a number of complaints
        as an integer ("5"), a percentage with "%", hours with "h", days with "d", money in the company's currency."""
        self.ensure_one()
        if self.indicator in COUNT_KEYS:
            return formatLang(self.env, value, digits=0)
        if self.indicator == "remedy_cost":
            return formatLang(self.env, value, currency_obj=self.company_id.currency_id)
        value = round(float(value), 1)
        number = formatLang(self.env, value, digits=0 if value.is_integer() else 1)
        unit = KPI_INDICATORS.get(self.indicator, ("", "", None))[1]
        if unit == "%":
            return self.env._("%(value)s%%", value=number)
        if unit == "h":
            return self.env._("%(value)s h", value=number)
        if unit == "d":
            return self.env._("%(value)s d", value=number)
        if unit == "/5":
            return self.env._("%(value)s / 5", value=number)
        return number

    # --------------------------------------------------------------- constraints

    @api.constrains("period", "date_from", "date_to")
    def _check_dates(self):
        for objective in self:
            if objective.period != "custom":
                continue
            if not (objective.date_from and objective.date_to) or objective.date_from > objective.date_to:
                raise ValidationError(
                    self.env._(
                        "Objective %(name)s: give the first and the last day of its period, the first one first.",
                        name=objective.name,
                    )
                )

    @api.constrains("indicator", "target")
    def _check_target(self):
        for objective in self:
            if objective.target < 0:
                raise ValidationError(
                    self.env._("Objective %(name)s: the target cannot be negative.", name=objective.name)
                )
            if KPI_INDICATORS[objective.indicator][1] == "%" and objective.target > 100:
                raise ValidationError(
                    self.env._("Objective %(name)s: a percentage target is at most 100.", name=objective.name)
                )

    # ------------------------------------------------------------------- actions

    def action_open_analysis(self):
        """The KPI analysis of the complaints this objective counts."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("complaint_handling_reports.complaint_kpi_report_action")
        action["domain"] = self._kpi_domain()
        # The breadcrumb shows display_name first: both name the objective analysed.
        action["name"] = action["display_name"] = self.name
        return action
