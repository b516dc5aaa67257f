"""Data protection at scale: the anonymisation job, the export and the erasure of one complainant.

Run it from the repository's root on a throw-away database filled by ``gen_complaints.py`` (everything
it does is rolled back at the end unless ``--commit`` is given):

    .venv/bin/python bench/bench_privacy.py -c .run/odoo.conf -d <database> --retention 1

It sets the company's retention period (``--retention`` years, so that a large part of the complaints
is due), then measures:

- ``idle``: a run of the job when nothing is due (the usual day);
- ``due``: how many complaints the job has to anonymise, and the time of the queries the job runs on
  every call besides the work (the selection of one batch, the count of the remaining complaints),
  with their PostgreSQL plans (index or scan of the whole table);
- ``job``: ``_cron_anonymise`` called batch after batch, as the scheduled job does (Odoo 18 commits
  after each call and calls it again while complaints remain), until ``--sizes`` complaints are done:
  records/s, seconds and queries per batch (the longest batch is the longest transaction the job
  holds), the memory of the process. Before, each complaint gets a chatter as the ORM writes it (a
  message naming the complainant with a tracked change of their e-mail address, a follower, an inbox
  notification, an attachment for one in ten), added by SQL;
- ``export``: the ZIP of the complainant (contact) with the most complaints, as a manager;
- ``erasure``: an approved erasure request of another contact with many complaints (their complaints
  still open are closed first, by SQL, since an erasure is refused while one is being handled).
"""

import argparse
import resource
import statistics
import time


def _rss_mb():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(env, func):
    """(seconds, queries, result) of ``func()``."""
    import odoo  # noqa: PLC0415

    count = odoo.sql_db.sql_counter
    started = time.perf_counter()
    result = func()
    env.flush_all()
    return time.perf_counter() - started, odoo.sql_db.sql_counter - count, result


def _add_chatter(env, limit):
    """Give the next ``limit`` complaints due a chatter like the one the ORM writes, by SQL."""
    from odoo.tools import SQL  # noqa: PLC0415

    cr = env.cr
    admin = env.ref("base.partner_admin").id
    field_email = env["ir.model.fields"]._get("complaint.complaint", "complainant_email").id
    field_stage = env["ir.model.fields"]._get("complaint.complaint", "stage_id").id
    cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_privacy_target ON COMMIT DROP AS
            SELECT c.id, c.partner_id, c.complainant_name, c.complainant_email, c.date_received
              FROM complaint_complaint c JOIN res_company rc ON rc.id = c.company_id
             WHERE c.state IN ('closed', 'rejected', 'withdrawn') AND c.anonymised IS NOT TRUE
               AND c.date_closed < now() - make_interval(years => rc.complaint_retention_years)
             ORDER BY c.date_closed, c.id LIMIT %s
            """,
            limit,
        )
    )
    started = time.perf_counter()
    cr.execute(
        SQL(
            """
            WITH comment AS (
                INSERT INTO mail_message (model, res_id, message_type, body, author_id, email_from, record_name,
                                          subject, date, create_uid, write_uid, create_date, write_date)
                SELECT 'complaint.complaint', t.id, 'comment',
                       '<p>' || coalesce(t.complainant_name, 'Customer') || ' called about the refund.</p>',
                       t.partner_id, t.complainant_email, 'Bench ' || t.id, 'Re: my complaint',
                       t.date_received, 1, 1, t.date_received, t.date_received
                  FROM bench_privacy_target t
                RETURNING id, res_id
            ), tracked AS (
                INSERT INTO mail_message (model, res_id, message_type, body, author_id, date,
                                          create_uid, write_uid, create_date, write_date)
                SELECT 'complaint.complaint', t.id, 'notification', '', %(admin)s, t.date_received,
                       1, 1, t.date_received, t.date_received
                  FROM bench_privacy_target t
                RETURNING id, res_id
            ), tracking AS (
                INSERT INTO mail_tracking_value (mail_message_id, field_id, old_value_char, new_value_char,
                                                 old_value_integer, new_value_integer,
                                                 create_uid, write_uid, create_date, write_date)
                SELECT m.id, f.field_id, f.old_char, f.new_char, f.old_int, f.new_int, 1, 1, now(), now()
                  FROM tracked m
                 CROSS JOIN (VALUES (%(email)s, 'old.address@example.com', 'new.address@example.com', NULL, NULL),
                                    (%(stage)s, NULL, NULL, 1, 2)) f(field_id, old_char, new_char, old_int, new_int)
                RETURNING id
            ), notified AS (
                INSERT INTO mail_notification (mail_message_id, res_partner_id, notification_type,
                                               notification_status, is_read, author_id)
                SELECT m.id, %(admin)s, 'inbox', 'sent', true, NULL FROM comment m
                RETURNING id
            ), partners AS (
                INSERT INTO mail_message_res_partner_rel (mail_message_id, res_partner_id)
                SELECT m.id, %(admin)s FROM comment m
                RETURNING mail_message_id
            ), attachments AS (
                INSERT INTO ir_attachment (name, res_model, res_id, type, db_datas, file_size, mimetype,
                                           create_uid, write_uid, create_date, write_date)
                SELECT 'scan_' || m.res_id || '.pdf', 'complaint.complaint', m.res_id, 'binary',
                       %(pdf)s, 14, 'application/pdf', 1, 1, now(), now()
                  FROM comment m WHERE mod(m.res_id, 10) = 0
                RETURNING id, res_id
            ), linked AS (
                INSERT INTO message_attachment_rel (message_id, attachment_id)
                SELECT m.id, a.id FROM comment m JOIN attachments a ON a.res_id = m.res_id
                RETURNING message_id
            )
            INSERT INTO mail_followers (res_model, res_id, partner_id)
            SELECT 'complaint.complaint', t.id, t.partner_id FROM bench_privacy_target t
             WHERE t.partner_id IS NOT NULL
            ON CONFLICT DO NOTHING
            """,
            admin=admin,
            email=field_email,
            stage=field_stage,
            pdf=b"%PDF-1.4 bench",
        )
    )
    cr.execute("ANALYZE mail_message, mail_tracking_value, mail_followers, ir_attachment")
    print(
        f"chatter: 2 messages, 2 tracked values, a follower each for {limit} complaints, "
        f"an attachment for one in ten ({time.perf_counter() - started:.1f} s)"
    )


def _due(env):
    from odoo.tools import SQL  # noqa: PLC0415

    Complaint = env["complaint.complaint"]
    count_sql = SQL(
        "SELECT COUNT(*) FROM complaint_complaint c JOIN res_company rc ON rc.id = c.company_id "
        "WHERE c.state IN ('closed', 'rejected', 'withdrawn') AND c.anonymised IS NOT TRUE "
        "AND rc.complaint_retention_years > 0 "
        "AND c.date_closed < now() - make_interval(years => rc.complaint_retention_years)"
    )
    env.cr.execute(count_sql)
    due = env.cr.fetchone()[0]
    env.cr.execute("SELECT COUNT(*) FROM complaint_complaint")
    total = env.cr.fetchone()[0]
    print(f"due: {due} of {total} complaints closed before the retention period (by their closing date)")
    # The two queries the job runs on each call besides the work, with their plans.
    if hasattr(Complaint, "_anonymise_due_query"):
        for label, query in Complaint._anonymise_due_query(batch_size=500).items():
            env.cr.execute(SQL("EXPLAIN %s", query))
            plan = " / ".join(row[0].strip() for row in env.cr.fetchall()[:2])
            times = []
            for _run in range(3):
                started = time.perf_counter()
                env.cr.execute(query)
                env.cr.fetchall()
                times.append(time.perf_counter() - started)
            print(f"  {label}: {statistics.median(times) * 1000:.0f} ms (median of 3); plan: {plan}")
    return due


def _idle(env):
    """The daily run when nothing is due (a retention of 100 years): what it costs to find that out."""
    env.company.complaint_retention_years = 100
    env.flush_all()
    runs = [_timed(env, env["complaint.complaint"]._cron_anonymise) for _run in range(5)]
    print(
        f"idle: a run with nothing due {statistics.median(run[0] for run in runs) * 1000:.1f} ms "
        f"(median of 5), {runs[-1][1]} queries"
    )


def _job(env, sizes, batch_size):
    Complaint = env["complaint.complaint"]
    done = 0
    batch_times = []
    batch_queries = []
    rss_start = _rss_mb()
    started = time.perf_counter()
    targets = sorted(sizes)
    for target in targets:
        while done < target:
            seconds, queries, count = _timed(env, lambda: Complaint._cron_anonymise(batch_size=batch_size))
            env.invalidate_all()
            if not count:
                break
            done += count
            batch_times.append(seconds)
            batch_queries.append(queries)
        elapsed = time.perf_counter() - started
        print(
            f"job: {done} complaints in {len(batch_times)} batches of {batch_size}: {elapsed:.1f} s, "
            f"{done / elapsed:.0f} complaints/s; per batch median {statistics.median(batch_times):.2f} s, "
            f"max {max(batch_times):.2f} s; queries per batch {min(batch_queries)}-{max(batch_queries)}; "
            f"RSS {rss_start:.0f} -> {_rss_mb():.0f} MB"
        )
    return done


def _busiest_partners(env, count):
    env.cr.execute(
        "SELECT partner_id, COUNT(*) FROM complaint_complaint WHERE partner_id IS NOT NULL AND anonymised IS NOT TRUE "
        "GROUP BY partner_id ORDER BY COUNT(*) DESC, partner_id LIMIT %s",
        [count],
    )
    return env.cr.fetchall()


def _export(env, partner_id):
    admin = env.ref("base.user_admin")
    wizard_env = env(user=admin, su=False)
    wizard = wizard_env["complaint.privacy.export"].create({"partner_id": partner_id})
    seconds, queries, _action = _timed(env, wizard.action_export)
    size = len(wizard.file_data or b"") * 3 / 4 / 1024 / 1024
    print(
        f"export: contact {partner_id} with {wizard.complaint_count} complaints: {seconds:.2f} s, "
        f"{queries} queries, ZIP {size:.1f} MB"
    )


def _erasure(env, partner_id):
    admin = env.ref("base.user_admin")
    env.cr.execute(
        "UPDATE complaint_complaint SET state = 'closed', date_closed = now() - interval '1 day' "
        "WHERE partner_id = %s AND state NOT IN ('closed', 'rejected', 'withdrawn')",
        [partner_id],
    )
    closed = env.cr.rowcount
    if "date_ended" in env["complaint.complaint"]._fields:
        env.cr.execute(
            "UPDATE complaint_complaint SET date_ended = date_closed WHERE partner_id = %s AND date_ended IS NULL",
            [partner_id],
        )
    env.invalidate_all()
    request = env["complaint.erasure.request"].with_user(admin).create({"partner_id": partner_id, "reason": "Bench"})
    request.action_submit()
    seconds, queries, _result = _timed(env, request.action_approve)
    log = env["complaint.privacy.log"].search([("erasure_request_id", "=", request.id)])
    print(
        f"erasure: contact {partner_id}, {log.complaint_count} complaints anonymised ({closed} open ones closed "
        f"first): {seconds:.2f} s, {queries} queries"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="a throw-away database filled by gen_complaints.py")
    parser.add_argument("--retention", type=int, default=1, help="retention period in years (default 1)")
    parser.add_argument(
        "--sizes", default="10000,100000", help="complaints to anonymise, reported at each size (default 10000,100000)"
    )
    parser.add_argument("--batch-size", type=int, default=0, help="complaints per call of the job (default: the job's)")
    parser.add_argument("--skip", action="append", default=[], choices=["job", "export", "erasure"])
    parser.add_argument("--commit", action="store_true", help="keep what was done (default: roll back)")
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = Registry(args.database)
    from odoo.addons.complaint_handling.models import complaint_complaint_privacy  # noqa: PLC0415

    sizes = [int(size) for size in args.sizes.split(",")]
    batch_size = args.batch_size or complaint_complaint_privacy.ANONYMISE_BATCH_SIZE
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            partners = _busiest_partners(env, 2)
            _idle(env)
            env.company.complaint_retention_years = args.retention
            env.flush_all()
            _due(env)
            if "job" not in args.skip:
                _add_chatter(env, max(sizes))
                _job(env, sizes, batch_size)
            if "export" not in args.skip:
                _export(env, partners[0][0])
            if "erasure" not in args.skip:
                _erasure(env, partners[1][0])
        finally:
            if args.commit:
                cr.commit()
            else:
                cr.rollback()


if __name__ == "__main__":
    main()
