from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.complaint_handling.models.complaint_stage import COMPLAINT_STATES


class ComplaintReportFilter(models.AbstractModel):
    """Period and filters shared by the printed register and audit report."""

    _name = "complaint.report.filter"
    _description = "Complaint Report Period and Filters"

    def _default_date_from(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)

    def _default_date_to(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(days=1)

    date_from = fields.Date(string="From", required=True, default=lambda self: self._default_date_from())
    date_to = fields.Date(string="To", required=True, default=lambda self: self._default_date_to())
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
        help="Empty: every company you can see.",
    )
    team_ids = fields.Many2many("complaint.team", string="Teams")
    category_ids = fields.Many2many("complaint.category", string="Categories")
    states = fields.Selection(
        [("open", "Open"), ("done", "Closed, Rejected or Withdrawn")] + COMPLAINT_STATES,
        string="Status",
        help="Empty: every status.",
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The start of the period must be before its end."))

    def _period_bounds(self):
        """The period as UTC datetimes: from the start of ``date_from`` to the end of ``date_to``, user's time zone."""
        self.ensure_one()
        start = fields.Datetime.to_datetime(self.date_from)
        end = fields.Datetime.to_datetime(self.date_to) + relativedelta(days=1)
        tz_offset = fields.Datetime.context_timestamp(self, start).utcoffset()
        return start - tz_offset, end - tz_offset

    def _get_domain(self):
        """Domain of the complaints received in the period that match the filters."""
        self.ensure_one()
        start, end = self._period_bounds()
        domain = [("date_received", ">=", start), ("date_received", "<", end)]
        if self.company_ids:
            domain.append(("company_id", "in", self.company_ids.ids))
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        if self.category_ids:
            domain.append(("category_id", "child_of", self.category_ids.ids))
        if self.states == "open":
            domain.append(("is_done", "=", False))
        elif self.states == "done":
            domain.append(("is_done", "=", True))
        elif self.states:
            domain.append(("state", "=", self.states))
        return domain

    def _filter_summary(self):
        """The filters in words, printed under the report's title."""
        self.ensure_one()
        parts = []
        if self.company_ids:
            parts.append(self.env._("Companies: %s", ", ".join(self.company_ids.mapped("name"))))
        if self.team_ids:
            parts.append(self.env._("Teams: %s", ", ".join(self.team_ids.mapped("name"))))
        if self.category_ids:
            parts.append(self.env._("Categories: %s", ", ".join(self.category_ids.mapped("display_name"))))
        if self.states:
            labels = dict(self._fields["states"]._description_selection(self.env))
            parts.append(self.env._("Status: %s", labels[self.states]))
        return " · ".join(parts)
