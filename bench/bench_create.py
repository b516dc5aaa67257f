"""Batch create: complaints per second and queries per complaint of ``complaint.complaint.create``.

Run it from the repository's root on a database with the addon installed (everything it creates
is rolled back at the end):

    .venv/bin/python bench/bench_create.py -c .run/odoo.conf -d <database> -n 2000

One ``create()`` call with ``n`` value dicts, as in ../shared/BENCHMARKS.md: each complaint gets
its reference from the sequence, its policy and working-time deadlines, its first history line,
the creator as follower and the creation trace in the chatter, and is queued for the automatic
acknowledgement (complainants with an e-mail address); the shipped automation rules run.
``env.flush_all()`` is included; queries are counted with ``odoo.sql_db.sql_counter``.
"""

import time

import _common


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
    parser = _common.parser(__doc__, "a database with complaint_handling")
    parser.add_argument("-n", type=int, default=2000, help="complaints in the one create() call (default 2000)")
    args = parser.parse_args()

    _common.run_rolled_back(args, _run, args.n)


if __name__ == "__main__":
    main()
