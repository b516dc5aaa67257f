"""DEMO DATA ONLY: the history of the demo complaints spread over their life (called by demo/complaint_kpi_demo.xml).

Not part of the addon's features: it rewrites history, and exists so that a new database's KPI analysis,
objectives and management reviews show months of figures rather than everything dated the day of the install.
"""

import random
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.complaint_handling.models.working_time import WorkingTimes


class ComplaintDemoHistory(models.AbstractModel):
    _name = "complaint.demo.history"
    _description = "Complaint Demo History (demo data only)"

    @api.model
    def _backdate_history(self):
        """Called once by ``demo/complaint_kpi_demo.xml`` at install: spread the history of
        the demo complaints over their life, so that the KPI analysis and the objectives mean something.

        The core demo receives its complaints over the last six months but walks them through the process at
        install time, so every acknowledgement, decision and closing is dated today. For each demo complaint
        this keeps ``date_received`` and the deadlines, and dates its steps from receipt on: most are
        acknowledged within their target, some late (Friday evening to Monday, in working time), done ones
        closed mostly before their resolution deadline; then the process dates, the decisions' dates and the
        chatter follow the steps, and the breach flags and working times are recomputed. Never call it on
        real data: it rewrites history.
        """
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search(
                [
                    ("module", "=", "complaint_handling"),
                    ("model", "=", "complaint.complaint"),
                    ("name", "=like", "%_demo"),
                ]
            )
        )
        complaints = self.env["complaint.complaint"].sudo().browse(data.mapped("res_id")).exists()
        if not complaints:
            return False
        seeds = {d.res_id: d.name for d in data}
        now = fields.Datetime.now()
        times = WorkingTimes()
        steps = self.env["complaint.step"].sudo().search([("complaint_id", "in", complaints.ids)], order="id")
        steps_of = defaultdict(list)
        for step in steps:
            steps_of[step.complaint_id.id].append(step)
        step_dates = {}
        for complaint in complaints:
            rng = random.Random(seeds[complaint.id])  # noqa: S311 - demo dates, not security
            start = complaint.date_received
            working = times[complaint._working_calendar()]
            history = steps_of[complaint.id]
            offsets = self._step_offsets(complaint, history, rng, working, now)
            dates = [start] + [working.plan(start, offset) or start for offset in offsets[1:]]
            for step, moment in zip(history, dates, strict=True):
                step_dates[step.id] = moment.replace(microsecond=0)
        self.env.flush_all()
        cr = self.env.cr
        if step_dates:
            cr.execute(
                SQL(
                    """UPDATE complaint_step s SET date = v.date, create_date = v.date
                         FROM (VALUES %s) AS v(id, date) WHERE s.id = v.id""",
                    SQL(", ").join(SQL("(%s, %s::timestamp)", sid, date) for sid, date in step_dates.items()),
                )
            )
        ids = tuple(complaints.ids)
        # The process dates follow the transitions of the step history (log-only steps keep the state).
        cr.execute(
            SQL(
                """UPDATE complaint_complaint c SET
                       create_date = c.date_received,
                       date_acknowledged = CASE WHEN c.date_acknowledged IS NOT NULL THEN
                           (SELECT min(s.date) FROM complaint_step s WHERE s.complaint_id = c.id
                               AND s.state_to = 'acknowledged' AND s.state_from IS DISTINCT FROM s.state_to) END,
                       date_assessed = CASE WHEN c.date_assessed IS NOT NULL THEN
                           (SELECT min(s.date) FROM complaint_step s WHERE s.complaint_id = c.id
                               AND s.state_to = 'assessed' AND s.state_from IS DISTINCT FROM s.state_to) END,
                       date_first_response = CASE WHEN c.date_first_response IS NOT NULL THEN
                           (SELECT min(s.date) FROM complaint_step s WHERE s.complaint_id = c.id
                               AND s.state_to IN ('decision_communicated', 'rejected')
                               AND s.state_from IS DISTINCT FROM s.state_to) END,
                       date_closed = CASE WHEN c.date_closed IS NOT NULL THEN
                           (SELECT max(s.date) FROM complaint_step s WHERE s.complaint_id = c.id
                               AND s.state_to = 'closed' AND s.state_from IS DISTINCT FROM s.state_to) END,
                       ack_breached = FALSE, response_breached = FALSE, resolution_breached = FALSE
                 WHERE c.id IN %s""",
                ids,
            )
        )
        # Decisions: proposed, approved, communicated and answered at the matching steps, in order.
        decisions = self.env["complaint.decision"].sudo().search([("complaint_id", "in", complaints.ids)], order="id")
        decision_dates = []
        for complaint in complaints:
            history = sorted(steps_of[complaint.id], key=lambda s: step_dates.get(s.id, s.date))
            proposals = [s for s in history if s.state_to == "response_proposed" and s.state_from != s.state_to]
            communications = [
                s for s in history if s.state_to == "decision_communicated" and s.state_from != s.state_to
            ]
            for rank, decision in enumerate(decisions.filtered(lambda d, c=complaint: d.complaint_id == c)):
                proposed = proposals[rank] if rank < len(proposals) else None
                communicated = communications[rank] if rank < len(communications) else None
                created = step_dates.get(proposed.id) if proposed else None
                sent = step_dates.get(communicated.id) if communicated and decision.date_communicated else None
                answered = None
                if sent and decision.date_response:
                    later = [step_dates[s.id] for s in history if s.id in step_dates and step_dates[s.id] > sent]
                    answered = later[0] if later else sent
                approved = created if decision.date_approved else None
                decision_dates.append((decision.id, created, approved, sent, answered))
        if decision_dates:
            cr.execute(
                SQL(
                    """UPDATE complaint_decision d SET
                           create_date = COALESCE(v.created, d.create_date),
                           date_approved = COALESCE(v.approved, d.date_approved),
                           date_communicated = COALESCE(v.sent, d.date_communicated),
                           date_response = COALESCE(v.answered, d.date_response)
                         FROM (VALUES %s) AS v(id, created, approved, sent, answered) WHERE d.id = v.id""",
                    SQL(", ").join(
                        SQL("(%s, %s::timestamp, %s::timestamp, %s::timestamp, %s::timestamp)", *row)
                        for row in decision_dates
                    ),
                )
            )
        # The chatter: messages spread in their order over the complaint's step dates.
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", self._name), ("res_id", "in", complaints.ids)], order="id")
        )
        message_dates = []
        by_complaint = defaultdict(list)
        for message in messages:
            by_complaint[message.res_id].append(message.id)
        for complaint_id, message_ids in by_complaint.items():
            dates = sorted(step_dates[s.id] for s in steps_of[complaint_id] if s.id in step_dates)
            if not dates:
                continue
            for rank, message_id in enumerate(message_ids):
                position = round(rank * (len(dates) - 1) / max(len(message_ids) - 1, 1))
                message_dates.append((message_id, dates[position]))
        Message = self.env["mail.message"].sudo()
        for message_id, date in message_dates:
            Message.browse(message_id).write({"date": date, "create_date": date})
        # Breaches as the escalation job would have flagged them at the time: met late, or not met and past
        # due now (a rejection ends the resolution clock like a closing; a withdrawal is never late).
        cr.execute(
            SQL(
                """UPDATE complaint_complaint c SET
                       ack_breached = COALESCE(c.date_acknowledged > c.date_ack_deadline,
                           NOT c.is_done AND c.date_ack_deadline < %(now)s, FALSE),
                       response_breached = COALESCE(c.date_first_response > c.date_response_deadline,
                           NOT c.is_done AND c.date_response_deadline < %(now)s, FALSE),
                       resolution_breached = c.state != 'withdrawn' AND COALESCE(
                           COALESCE(c.date_closed, CASE WHEN c.state = 'rejected' THEN c.date_first_response END)
                               > c.date_deadline,
                           NOT c.is_done AND c.date_deadline < %(now)s, FALSE)
                 WHERE c.id IN %(ids)s""",
                now=now,
                ids=ids,
            )
        )
        self.env.invalidate_all()
        self._rate(complaints, seeds)
        # The stored figures that follow the dates and flags (working times, breached, next escalation).
        complaints.modified(
            [
                "date_acknowledged",
                "date_first_response",
                "date_closed",
                "ack_breached",
                "response_breached",
                "resolution_breached",
            ]
        )
        self.env.flush_all()
        return True

    @api.model
    def _rate(self, complaints, seeds):
        """Three complainants out of four rate the handling of their closed complaint, a day or two after the
        closing (ISO 10002 8.2, satisfaction with the process)."""
        closed = complaints.filtered(lambda c: c.state == "closed" and c.partner_id and c.date_closed)
        if not closed:
            return
        Rating = self.env["rating.rating"].sudo()
        rated = set(
            Rating.search(
                [("res_model", "=", "complaint.complaint"), ("res_id", "in", closed.ids), ("consumed", "=", True)]
            ).mapped("res_id")
        )
        model_id = self.env["ir.model"]._get_id("complaint.complaint")
        feedback = {
            5: "Quick and fair, thank you.",
            4: "Solved, though it took a few days.",
            3: "Solved in the end, after a reminder.",
            2: "Too slow, and I had to explain it twice.",
        }
        vals_list, dates = [], []
        for complaint in closed:
            rng = random.Random(seeds[complaint.id] + "-rating")  # noqa: S311 - demo data
            if complaint.id in rated or rng.random() > 0.75:
                continue
            value = rng.choice([5, 5, 4, 4, 4, 3, 2])
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_model": "complaint.complaint",  # in the INSERT: the last rating is computed by SQL on it
                    "res_id": complaint.id,
                    "partner_id": complaint.partner_id.id,
                    "rated_partner_id": complaint.user_id.partner_id.id,
                    "rating": value,
                    "feedback": feedback[value],
                    "consumed": True,
                }
            )
            dates.append(complaint.date_closed + timedelta(hours=rng.uniform(4, 48)))
        ratings = Rating.create(vals_list)
        for rating, date in zip(ratings, dates, strict=True):
            rating.write({"create_date": date, "write_date": date})

    @api.model
    def _step_offsets(self, complaint, history, rng, working, now):
        """Working hours after receipt of each step of ``history`` (the step history in order).

        Anchored on the targets of the complaint's policy: acknowledged within the target 85 % of the time,
        first response (decision communicated or rejection) and closing within theirs 80 % of the time;
        the steps in between are spread evenly, the steps after the last anchor a few working hours apart.
        Everything fits before ``now``.
        """
        policy = complaint.policy_id.sudo()
        start = complaint.date_received
        budgets = {
            "ack": policy.ack_hours or 8.0,
            "response": policy.first_response_hours or 40.0,
            "close": working.hours_between(start, complaint.date_deadline) if complaint.date_deadline else 80.0,
        }
        anchors = {}
        for index, step in enumerate(history):
            if index == 0 or step.state_from == step.state_to:
                continue
            if step.state_to == "acknowledged":
                kind = "ack"
            elif step.state_to in ("decision_communicated", "rejected"):
                kind = "response"
            elif step.state_to in ("closed", "withdrawn"):
                kind = "close"
            else:
                continue
            if kind in {k for k, _o in anchors.values()}:
                continue
            on_time = rng.random() < (0.85 if kind == "ack" else 0.8)
            factor = rng.uniform(0.2, 0.9) if on_time else rng.uniform(1.1, 2.0)
            anchors[index] = (kind, max(budgets[kind], 1.0) * factor)
        offsets = [0.0]
        anchor_indexes = sorted(anchors)
        for index in range(1, len(history)):
            if index in anchors:
                offsets.append(max(anchors[index][1], offsets[-1] + 0.25))
                continue
            following = [i for i in anchor_indexes if i > index]
            if following:
                # Evenly between the previous step and the next anchor, with some jitter.
                target_index = following[0]
                span = max(anchors[target_index][1] - offsets[-1], 0.5)
                offsets.append(offsets[-1] + span / (target_index - index + 1) * rng.uniform(0.6, 1.0))
            else:
                offsets.append(offsets[-1] + rng.uniform(2.0, 16.0))
        available = working.hours_between(start, now - timedelta(hours=1))
        if offsets[-1] > available > 0:
            offsets = [offset * available * 0.95 / offsets[-1] for offset in offsets]
        return offsets
