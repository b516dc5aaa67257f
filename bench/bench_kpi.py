"""KPI analysis: time of the pivot grouping and of the headline summary on ``complaint.kpi.report``.

Run it from the repository's root on a THROW-AWAY database with ``complaint_handling_reports``
installed (it adds complaints by SQL and commits them):

    .venv/bin/python bench/bench_kpi.py -c .run/odoo.conf -d <database> -n 100000

When the database holds fewer than ``n`` complaints, the missing ones are added with
``bench/gen_complaints.py`` (SQL, seconds; complaints over 1,000 days in every state, with their
history and decisions), their stored working times filled by SQL as a 40 h week share of the
wall-clock time (the figures are not the point, their presence is), then ``VACUUM ANALYZE``.
Then, as a complaint manager, median of 5 runs after a warm-up:

- ``read_group`` on the KPI view by month of receipt x category (the pivot), over all complaints,
  the last 12 whole months (a search-view date filter) and the last 365 days (not whole months: the
  view): count, % acknowledged on time, % resolved on time, average resolution; the first two also
  read from the view itself (pre-aggregated counts switched off, as before them), with the same figures;
- ``_kpi_summary`` of the last year (the objectives, the management review);
- for reference, the same count by month x category on ``complaint.complaint`` itself.
"""

import argparse
import importlib.util
import math
import statistics
import time
from datetime import timedelta
from pathlib import Path

import _common
import pytz
from dateutil.relativedelta import relativedelta

RUNS = 5


def _generate(env, missing):
    spec = importlib.util.spec_from_file_location("gen_complaints", Path(__file__).with_name("gen_complaints.py"))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    partners = gen._partners(env)
    gen._gen_table(env, missing)
    gen._complaints(env, missing, partners)
    env.cr.execute("DROP TABLE IF EXISTS bench_gen, bench_complaint")
    # Stored working times of the generated complaints: a 40 h week share of the wall-clock hours.
    env.cr.execute(
        """
        UPDATE complaint_complaint SET
               ack_working_hours = COALESCE(extract(epoch FROM date_acknowledged - date_received) / 3600 * 40 / 168, 0),
               response_working_hours = COALESCE(
                   extract(epoch FROM date_first_response - date_received) / 3600 * 40 / 168, 0),
               resolution_working_hours = COALESCE(extract(epoch FROM date_closed - date_received) / 3600 * 40 / 168, 0)
         WHERE ack_working_hours IS NULL
        """
    )


def _median(func):
    func()  # warm-up
    times = []
    for _run in range(RUNS):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="a throw-away database with complaint_handling_reports")
    parser.add_argument("-n", type=int, default=100000, help="complaints wanted in the database (default 100000)")
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo import fields  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute("SELECT count(*) FROM complaint_complaint")
        missing = args.n - cr.fetchone()[0]
        if missing > 0:
            started = time.perf_counter()
            _generate(env, missing)
            cr.commit()
            print(f"{missing} complaints added: {time.perf_counter() - started:.1f} s")
    if missing > 0:
        _common.vacuum_analyze(
            args.database, ["complaint_complaint", "complaint_step", "complaint_decision", "rating_rating"]
        )

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        manager = env.ref("complaint_handling.group_complaint_manager").users.filtered(lambda u: not u.share)[:1]
        # The user's context as the web client sends it (time zone: months are local months).
        env = env(user=manager.id or odoo.SUPERUSER_ID)
        env = env(context={"lang": "en_US", "tz": env.user.tz or "UTC"})
        Report = env["complaint.kpi.report"]
        Complaint = env["complaint.complaint"]
        cr.execute("SELECT count(*) FROM complaint_complaint WHERE active")
        total = cr.fetchone()[0]
        year = [("date_received", ">=", fields.Datetime.now() - timedelta(days=365))]
        groupby = ["date_received:month", "category_id"]
        measures = ["nbr:sum", "ack_on_time_pct:avg", "resolved_on_time_pct:avg", "resolution_hours:avg"]

        def pivot(domain, report=Report):
            env.invalidate_all()
            return report.read_group(domain, measures, groupby, lazy=False)

        def same(domain):
            # Hours: the view sums floats, the summary numerics; the rest is exact.
            fast, slow = pivot(domain), pivot(domain, view)
            return len(fast) == len(slow) and all(
                set(one) == set(other)
                and all(
                    math.isclose(one[key], other[key], rel_tol=1e-12)
                    if isinstance(one[key], float)
                    else one[key] == other[key]
                    for key in one
                    if key != "__domain"
                )
                for one, other in zip(fast, slow, strict=True)
            )

        def count_pivot(domain):
            # The graph, or the pivot with the count measure only: read from the pre-aggregated counts.
            env.invalidate_all()
            return Report.read_group(domain, ["nbr:sum"], groupby, lazy=False)

        # The last 12 whole months in the user's time zone, as the search view's date filters give them.
        zone = pytz.timezone(env.user.tz or "UTC")
        month_start = zone.localize(fields.Datetime.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0))
        twelve = [
            (
                "date_received",
                ">=",
                fields.Datetime.to_string((month_start - relativedelta(months=11)).astimezone(pytz.utc)),
            ),
        ]

        def summary():
            env.invalidate_all()
            return Report._kpi_summary(year)

        def complaint_pivot():
            env.invalidate_all()
            return Complaint.read_group([], ["__count"], groupby, lazy=False)

        view = Report.with_context(complaint_count_summary=False)
        results = [
            ("KPI view read_group month x category, all", _median(lambda: pivot([])), len(pivot([]))),
            ("  the same from the view", _median(lambda: pivot([], view)), None),
            (
                "KPI view read_group month x category, last 12 months",
                _median(lambda: pivot(twelve)),
                len(pivot(twelve)),
            ),
            ("  the same from the view", _median(lambda: pivot(twelve, view)), None),
            ("KPI view read_group month x category, last 365 days", _median(lambda: pivot(year)), len(pivot(year))),
            ("KPI view count month x category (graph, # Complaints), all", _median(lambda: count_pivot([])), None),
            ("KPI view count month x category, last 12 months", _median(lambda: count_pivot(twelve)), None),
            ("_kpi_summary, last year", _median(summary), 1),
            ("complaint.complaint read_group month x category (reference)", _median(complaint_pivot), None),
        ]
        print(f"{total} active complaints, as {env.user.login}, median of {RUNS} after a warm-up:")
        for label, ms, groups in results:
            print(f"  {label}: {ms:.0f} ms" + (f" ({groups} groups)" if groups else ""))
        print(f"  pivot = the view's own figures: all {same([])}, last 12 months {same(twelve)}")
        cr.rollback()


if __name__ == "__main__":
    main()
