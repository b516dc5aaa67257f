from collections import defaultdict

from odoo import api, fields, models

from odoo.addons.complaint_handling.models.working_time import WorkingTimes

# KPI duration field -> the date that ends it (the clock starts at receipt).
DURATIONS = {
    "ack_working_hours": "date_acknowledged",
    "response_working_hours": "date_first_response",
    "resolution_working_hours": "date_closed",
}


# What the working-time clock of a complaint depends on, besides its two dates.
CLOCK_DEPENDS = (
    "policy_id",
    "company_id",
    "is_paused",
    "paused_hours",
    "pause_ids.date_start",
    "pause_ids.date_end",
)


class ComplaintComplaint(models.Model):
    """Working time taken to acknowledge, respond to and resolve a complaint, stored for reporting.

    Counted on the complaint's working calendar (``_working_calendar``: its time policy's, else its
    company's), public holidays excluded, minus the time the clock was paused waiting for the
    complainant: the same clock as the deadlines.
    """

    _inherit = "complaint.complaint"  # pylint: disable=consider-merging-classes-inherited

    ack_working_hours = fields.Float(
        string="Time to Acknowledge (working h)",
        compute="_compute_ack_working_hours",
        store=True,
        copy=False,
        aggregator="avg",
        help="Working hours from receipt to acknowledgement, pauses excluded.",
    )
    response_working_hours = fields.Float(
        string="Time to First Response (working h)",
        compute="_compute_response_working_hours",
        store=True,
        copy=False,
        aggregator="avg",
        help="Working hours from receipt to the first communicated decision (or reasoned rejection), pauses excluded.",
    )
    resolution_working_hours = fields.Float(
        string="Time to Resolve (working h)",
        compute="_compute_resolution_working_hours",
        store=True,
        copy=False,
        aggregator="avg",
        help="Working hours from receipt to closure, pauses excluded.",
    )

    # One compute per duration: a transition sets one date, so only its duration is counted again (and a
    # reopening, which clears the closing date, loads no calendar at all).
    @api.depends("date_received", "date_acknowledged", *CLOCK_DEPENDS)
    def _compute_ack_working_hours(self):
        self._compute_working_hours("ack_working_hours")

    @api.depends("date_received", "date_first_response", *CLOCK_DEPENDS)
    def _compute_response_working_hours(self):
        self._compute_working_hours("response_working_hours")

    @api.depends("date_received", "date_closed", *CLOCK_DEPENDS)
    def _compute_resolution_working_hours(self):
        self._compute_working_hours("resolution_working_hours")

    def _compute_working_hours(self, field_name):
        """Working hours from receipt to the date of ``field_name`` (see :data:`DURATIONS`), pauses excluded.

        For the whole batch: one load of work intervals per calendar, no query per complaint (and the
        pauses read only for complaints ever paused).
        """
        date_field = DURATIONS[field_name]
        pending = self.filtered(lambda c: c.date_received and c[date_field])
        (self - pending)[field_name] = 0.0
        if not pending:
            return
        times = WorkingTimes()
        by_calendar = defaultdict(list)
        for complaint in pending:
            by_calendar[complaint._working_calendar()].append(complaint)
        for calendar, complaints in by_calendar.items():
            working = times[calendar]
            complaints.sort(key=lambda c: c.date_received)  # the calendar's intervals loaded window after window
            if calendar:
                # Loaded even if every duration is zero: the same queries whatever the dates (query counts).
                working._ensure(complaints[0].date_received, complaints[0].date_received)
            for complaint in complaints:
                start, stop = complaint.date_received, complaint[date_field]
                if stop <= start:
                    complaint[field_name] = 0.0
                    continue
                paused_hours = 0.0
                if complaint.is_paused or complaint.paused_hours:
                    paused_hours = sum(
                        working.hours_between(max(pause.date_start, start), min(pause.date_end or stop, stop))
                        for pause in complaint.sudo().pause_ids
                        if pause.date_start
                    )
                complaint[field_name] = max(working.hours_between(start, stop) - paused_hours, 0.0)
