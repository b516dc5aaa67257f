"""Batch create: complaints per second and queries per complaint of ``complaint.complaint.create``.

Run it from the repository's root on a database with the addon installed (everything it creates
is rolled back at the end):

    .venv/bin/python bench/bench_create.py -c .run/odoo.conf -d <database> -n 2000

One ``create()`` call with ``n`` value dicts, as in ../shared/BENCHMARKS.md: each complaint gets
its reference from the sequence, its policy and working-time deadlines, its first history line,
and is queued for the automatic acknowledgement (complainants with an e-mail address).
``env.flush_all()`` is included; queries are counted with ``odoo.sql_db.sql_counter``.
"""

import argparse
import time


def _run(env, n):
    import odoo.sql_db  # noqa: PLC0415

    env = env(user=env.ref("base.user_admin"))
    partners = env["res.partner"].search([("email", "!=", False)], limit=50)
    categories = env["complaint.category"].search([])
    vals_list = [
        {
            "subject": f"Bench {index}",
            "partner_id": partners[index % len(partners)].id,
            "category_id": categories[index % len(categories)].id,
            "channel": "email",
        }
        for index in range(n)
    ]
    env["complaint.complaint"].create(vals_list[:20])  # warm-up: caches, prepared statements
    env.flush_all()
    queries = odoo.sql_db.sql_counter
    started = time.perf_counter()
    complaints = env["complaint.complaint"].create(vals_list)
    env.flush_all()
    elapsed = time.perf_counter() - started
    queries = odoo.sql_db.sql_counter - queries
    queued = len(complaints.filtered("ack_pending"))
    print(
        f"create {n}: {elapsed:.2f} s, {n / elapsed:.0f} complaints/s, {queries} queries "
        f"({queries / n:.3f} per complaint), {queued} acknowledgements queued"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="a database with complaint_handling")
    parser.add_argument("-n", type=int, default=2000, help="complaints in the one create() call (default 2000)")
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    with Registry(args.database).cursor() as cr:
        try:
            _run(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), args.n)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
