"""Escalation job: complaints per second processed by ``complaint.complaint._cron_escalate``.

Run it from the repository's root on a throw-away database with the addon installed:

    .venv/bin/python bench/bench_escalation.py -c .run/odoo.conf -d <database> -n 10000 [--commit]

It creates ``n`` open complaints with a handler and a team (ORM batch ``create``, 1,000 at a
time), on the company's working calendar with the shipped levels (reminder 4 working hours
before the resolution deadline, team leader at the breach, managers 8 working hours after), in
three scenarios, and times the job over them (batches of ``ESCALATION_BATCH``, as the scheduled
job runs them):

- ``idle``: nothing due; the job only finds that nothing is due;
- ``reminder``: the resolution deadline is less than 4 working hours away: one activity each;
- ``breach``: received long ago: every target breached, the three levels fire in order
  (activity, message to the team leader, message to the managers).

Only the complaints it creates are due during a scenario (the others' next escalation date is set
aside). By default everything runs in one transaction, rolled back at the end: quick, but the rows
each batch rewrites stay visible to the index scans of the next batches (nothing can be pruned
before the commit), which slows the later batches down. ``--commit`` runs as the scheduled job
does, one transaction per batch, in a copy of the database (``<database>_escalation_bench``,
dropped at the end).

It prints the complaints per second of each scenario, the time per 100,000, and the CPU time used by
Odoo and by its PostgreSQL backend (less sensitive than the elapsed time to other work on the machine).
"""

import argparse
import cProfile
import os
import pstats
import time
from datetime import timedelta

import _common


def _setup(env, n, scenario):
    """Create the scenario's complaints; returns the id of the first one."""
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
    env.flush_all()
    env.cr.execute("SELECT coalesce(max(id), 0) + 1 FROM complaint_complaint")
    first_id = env.cr.fetchone()[0]
    # Only the complaints made here are due (a generated register has its own due complaints).
    env.cr.execute("UPDATE complaint_complaint SET date_next_escalation = NULL WHERE date_next_escalation IS NOT NULL")
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
    return first_id


def _cpu_seconds(pid):
    """CPU time used so far by process ``pid`` (the PostgreSQL backend: same machine), from /proc."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run(env, n, scenario, batch_size=None, profile=False, commit=False):
    from odoo.addons.complaint_handling.models.complaint_complaint_deadline import ESCALATION_BATCH  # noqa: PLC0415

    batch_size = batch_size or ESCALATION_BATCH
    Complaint = env["complaint.complaint"].sudo()
    _setup(env, n, scenario)
    if commit:
        env.cr.commit()  # pylint: disable=invalid-commit
        # As autovacuum leaves a live table: the set-up rewrote every due complaint of the register (their
        # next escalation date set aside) and created the scenario's, all in one transaction; without this
        # the job's first batch would pay for visiting and pruning those dead rows (0.4 s per 10,000).
        _common.vacuum_analyze(env.cr.dbname, ["complaint_complaint"])
    profiler = cProfile.Profile() if profile else None
    env.cr.execute("SELECT pg_backend_pid()")
    backend = env.cr.fetchone()[0]
    cpu = time.process_time(), _cpu_seconds(backend)
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    processed = batches = 0
    while True:
        done = Complaint._cron_escalate(batch_size=batch_size)
        if commit:
            env.cr.commit()  # pylint: disable=invalid-commit # as ir.cron does after each batch
        env.invalidate_all()
        processed += done
        batches += 1
        if not done:
            break
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    python_cpu, database_cpu = time.process_time() - cpu[0], _cpu_seconds(backend) - cpu[1]
    print(
        f"{scenario:>8}: {n} open complaints, {processed} escalated in {batches - 1} batches of {batch_size}"
        f"{' (committed)' if commit else ''}, {elapsed:.2f} s, {n / elapsed:.0f} complaints/s, "
        f"{elapsed * 100000 / n:.0f} s per 100,000; CPU: Odoo {python_cpu:.2f} s + PostgreSQL {database_cpu:.2f} s "
        f"= {(python_cpu + database_cpu) * 100000 / n:.0f} s per 100,000",
        flush=True,
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="a throw-away database with complaint_handling")
    parser.add_argument("-n", type=int, default=10000, help="open complaints per scenario (default 10000)")
    parser.add_argument("--scenario", choices=["idle", "reminder", "breach"], action="append")
    parser.add_argument("--batch-size", type=int, help="complaints per batch (default: the scheduled job's)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the job (slower)")
    parser.add_argument(
        "--commit", action="store_true", help="one transaction per batch, in a copy of the database dropped at the end"
    )
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo import sql_db  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    database = args.database
    if args.commit:
        database = f"{args.database}_escalation_bench"
        with sql_db.db_connect("postgres").cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute(f'DROP DATABASE IF EXISTS "{database}"')
            cr.execute(f'CREATE DATABASE "{database}" TEMPLATE "{args.database}"')
    try:
        registry = Registry(database)
        for scenario in args.scenario or ["idle", "reminder", "breach"]:
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                try:
                    _run(env, args.n, scenario, args.batch_size, args.profile, args.commit)
                finally:
                    cr.rollback()
    finally:
        if args.commit:
            Registry.delete(database)
            sql_db.close_db(database)
            with sql_db.db_connect("postgres").cursor() as cr:
                cr._cnx.autocommit = True
                cr.execute(f'DROP DATABASE IF EXISTS "{database}"')


if __name__ == "__main__":
    main()
