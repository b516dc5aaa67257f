"""The three deadlines of a complaint (ISO 10002 7.3, 7.4, 7.7): one registry, and one "late" rule.

Every part of the addons that deals with a deadline reads it from :data:`TARGETS`: the policy hours
that set it, the complaint's deadline, breach flag and extra hours (pauses, extensions), the date that
meets it. The rule of lateness is written here once in Python (:func:`is_late`, the escalation job's
breach flags) and once in SQL (:func:`sql_late`, the KPI analysis and the pre-aggregated counts);
``test_deadlines`` checks that both say the same of the same complaints.
"""

from collections import namedtuple

Target = namedtuple(
    "Target",
    [
        "key",  # the selection key of promises, escalation levels, extensions
        "label",
        "deadline_field",  # the complaint's deadline
        "breach_field",  # its breach flag (set once, never cleared)
        "extra_hours_field",  # working hours added by pauses and extensions
        "policy_hours_field",  # the policy's working hours for it
        "met_field",  # the complaint's date that meets it (resolution: the closing)
        "kpi",  # its short name in the KPI analysis' measures
    ],
)

TARGETS = {
    "acknowledgement": Target(
        "acknowledgement",
        "Acknowledgement",
        "date_ack_deadline",
        "ack_breached",
        "ack_extra_hours",
        "ack_hours",
        "date_acknowledged",
        "ack",
    ),
    "first_response": Target(
        "first_response",
        "First Response",
        "date_response_deadline",
        "response_breached",
        "response_extra_hours",
        "first_response_hours",
        "date_first_response",
        "response",
    ),
    "resolution": Target(
        "resolution",
        "Resolution",
        "date_deadline",
        "resolution_breached",
        "resolution_extra_hours",
        "resolution_hours",
        "date_closed",
        "resolution",
    ),
}
# The field selection of a target (promises, escalation levels, extensions, the timeliness wizard).
TARGET_SELECTION = [(target.key, target.label) for target in TARGETS.values()]
# The KPI analysis' short names, in the same order.
KPI_KEYS = {target.kpi: target for target in TARGETS.values()}


# ----------------------------------------------------------------------------------------------- Python


def is_met(complaint, target):
    """Whether ``complaint`` met ``target`` (acknowledged, answered; resolution: done)."""
    if target.key == "resolution":
        return complaint.is_done
    return bool(complaint[target.met_field])


def is_late(complaint, target, now):
    """Whether ``complaint`` is late on ``target`` at ``now``, flag aside: met after its deadline, or not met
    and past it while open and not paused. A withdrawn complaint is not ours to be late on."""
    deadline = complaint[target.deadline_field]
    if not deadline:
        return False
    if is_met(complaint, target):
        if target.key == "resolution":
            return complaint.state != "withdrawn" and (complaint.date_closed or now) > deadline
        return complaint[target.met_field] > deadline
    return not complaint.is_done and not complaint.is_paused and now > deadline


# ----------------------------------------------------------------------------------------------- SQL
#
# The same rule on the complaint's columns, for the KPI analysis and the pre-aggregated counts. Per target:
# late whatever the time (flagged, or met after the deadline); the condition under which an open, unpaused
# complaint turns late once its deadline passes; its deadline; met. ``{c}``: the complaints' alias and a
# dot. Rejected and withdrawn complaints are neither resolved on time nor late in the analysis: rejected
# was answered, not resolved.
SQL_RULES = {
    "ack": (
        "{c}ack_breached IS TRUE OR ({c}date_acknowledged > {c}date_ack_deadline) IS TRUE",
        "{c}date_acknowledged IS NULL",
        "{c}date_ack_deadline",
        "{c}date_acknowledged IS NOT NULL",
    ),
    "response": (
        "{c}response_breached IS TRUE OR ({c}date_first_response > {c}date_response_deadline) IS TRUE",
        "{c}date_first_response IS NULL",
        "{c}date_response_deadline",
        "{c}date_first_response IS NOT NULL",
    ),
    "resolution": (
        "{c}state NOT IN ('withdrawn', 'rejected')"
        " AND ({c}resolution_breached IS TRUE OR ({c}date_closed > {c}date_deadline) IS TRUE)",
        "{c}state NOT IN ('withdrawn', 'rejected')",
        "{c}date_deadline",
        "({c}state = 'closed')",
    ),
}
# The averaged measures of the KPI analysis that read only the complaint's columns:
# name -> (target, stored working hours or None for the percentage on time). The working hours are
# complaint_handling_reports' columns.
KPI_MEASURES = {
    "ack_on_time_pct": ("ack", None),
    "response_on_time_pct": ("response", None),
    "resolved_on_time_pct": ("resolution", None),
    "ack_hours": ("ack", "ack_working_hours"),
    "first_response_hours": ("response", "response_working_hours"),
    "resolution_hours": ("resolution", "resolution_working_hours"),
}


def sql_late(target, c, now):
    """SQL (text) of "complaint ``{c}`` is late on ``target`` (a KPI key) at the time ``now`` (SQL)", never NULL."""
    late, turns_late, deadline, _met = SQL_RULES[target]
    return (
        f"COALESCE((({late}) OR ({turns_late} AND NOT {{c}}is_done AND {{c}}is_paused IS NOT TRUE"
        f" AND {deadline} < {now})), FALSE)"
    ).format(c=c)


def sql_met(target, c):
    """SQL (text) of "complaint ``{c}`` met ``target``" (acknowledged, answered, resolved)."""
    return SQL_RULES[target][3].format(c=c)


def sql_measures(c, now, hours="{c}{column}"):
    """SQL (text) of the measures of :data:`KPI_MEASURES` of complaint ``{c}`` at the time ``now``.

    Percentages on time are 0 (late), 100 (met) or NULL (neither yet); hours are the stored working hours
    (``hours``: how to read column ``{column}``) once the target is met (the resolution's: once closed).
    """
    measures = {}
    for name, (target, column) in KPI_MEASURES.items():
        if column is None:
            measures[name] = f"CASE WHEN {sql_late(target, c, now)} THEN 0.0 WHEN {sql_met(target, c)} THEN 100.0 END"
        else:
            met = f"{c}date_closed IS NOT NULL" if target == "resolution" else sql_met(target, c)
            measures[name] = f"CASE WHEN {met} THEN {hours.format(c=c, column=column)} END"
    return measures


def sql_due(c):
    """SQL (text) of the first deadline past which complaint ``{c}``, if not paused, turns late.

    NULL when done, or when no target can turn late with time (met, or already late whatever the time).
    """
    return "CASE WHEN NOT {c}is_done THEN LEAST({dues}) END".format(
        c=c,
        dues=", ".join(
            f"CASE WHEN ({turns_late}) AND ({late}) IS NOT TRUE THEN {deadline} END".format(c=c)
            for late, turns_late, deadline, _met in SQL_RULES.values()
        ),
    )
