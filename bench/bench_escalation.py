"""Escalation job: complaints per second processed by ``complaint.complaint._cron_escalate``.

Run it from the repository's root on a throw-away database with the addon installed (everything
it creates is rolled back at the end):

    .venv/bin/python bench/bench_escalation.py -c .run/odoo.conf -d <database> -n 10000

It creates ``n`` open complaints with a handler and a team (ORM batch ``create``, 1,000 at a
time), on the company's working calendar with the shipped levels (reminder 4 working hours
before the resolution deadline, team leader at the breach, managers 8 working hours after), in
three scenarios, and times the job over them (batches of 500, as the scheduled job runs them):

- ``idle``: nothing due; the job only finds that nothing is due;
- ``reminder``: the resolution deadline is less than 4 working hours away: one activity each;
- ``breach``: received long ago: every target breached, the three levels fire in order
  (activity, message to the team leader, message to the managers).

It prints the complaints per second of each scenario.
"""

import argparse
import time
from datetime import timedelta


def _run(env, n, scenario):
    from odoo import fields  # noqa: PLC0415

    Complaint = env["complaint.complaint"].sudo()
    # Setting up is not measured: no chatter or handler notification while creating the complaints.
    Setup = Complaint.with_context(tracking_disable=True, mail_create_nolog=True, mail_auto_subscribe_no_notify=True)
    company = env.company
    calendar = company.resource_calendar_id
    policy = (
        env["complaint.policy"]
        .sudo()
        .create(
            {
                "name": f"Bench {scenario}",
                "sequence": 0,
                "company_id": company.id,
                "calendar_id": calendar.id,
                "ack_hours": 8,
                "first_response_hours": 40,
                "resolution_hours": 80,
            }
        )
    )
    user = env.ref("base.user_admin")
    team = env["complaint.team"].sudo().create({"name": f"Bench {scenario}", "leader_id": user.id})
    partner = env["res.partner"].sudo().create({"name": "Bench complainant", "email": "bench@example.com"})
    now = fields.Datetime.now()
    if scenario == "idle":
        received = now
    elif scenario == "reminder":
        # The resolution deadline 2 working hours from now: the 4-hour reminder is due, nothing is breached.
        received = calendar.plan_hours(-78, now, compute_leaves=True)
    else:
        received = now - timedelta(days=60)
    for start in range(0, n, 1000):
        Setup.create(
            [
                {
                    "subject": f"Bench {scenario} {index}",
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "team_id": team.id,
                    "policy_id": policy.id,
                    "date_received": received,
                    "date_acknowledged": received,  # as the automatic acknowledgement would have done
                }
                for index in range(start, min(start + 1000, n))
            ]
        )
    env.flush_all()
    env.invalidate_all()
    started = time.perf_counter()
    processed = batches = 0
    while True:
        done = Complaint._cron_escalate(batch_size=500)
        env.invalidate_all()
        processed += done
        batches += 1
        if not done:
            break
    elapsed = time.perf_counter() - started
    print(
        f"{scenario:>8}: {n} open complaints, {processed} escalated in {batches - 1} batches, "
        f"{elapsed:.2f} s, {n / elapsed:.0f} complaints/s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="a throw-away database with complaint_handling")
    parser.add_argument("-n", type=int, default=10000, help="open complaints per scenario (default 10000)")
    parser.add_argument("--scenario", choices=["idle", "reminder", "breach"], action="append")
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = Registry(args.database)
    for scenario in args.scenario or ["idle", "reminder", "breach"]:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            try:
                _run(env, args.n, scenario)
            finally:
                cr.rollback()


if __name__ == "__main__":
    main()
