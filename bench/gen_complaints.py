"""Fill a throw-away database with realistic complaints (and helpdesk_mgmt tickets) by SQL, in seconds.

Run it from the repository's root on a database with ``complaint_handling`` installed (and
``helpdesk_mgmt`` + ``helpdesk_mgmt_sla`` for the tickets, see ``bench/requirements.txt``):

    .venv/bin/python bench/gen_complaints.py -c .run/odoo.conf -d <database> -n 1000000

What it adds (commits), by ``INSERT ... SELECT generate_series`` but for the contacts and the flags:

- 2,000 contacts with e-mail addresses (names from 50 first and 40 last names);
- ``n`` complaints received over the last 1,000 days, in every state (old ones mostly closed,
  rejected or withdrawn, recent ones spread over the open states, a few per cent of old ones
  still open): partner or free complainant name, channel, category, severity, priority, team and
  handler, the company's standard time policy with its three deadlines, acknowledgement,
  assessment, first response and closing dates, breach flags, the next escalation date of open
  complaints, references ``CMP/<year>/<number>`` numbered in order of receipt from the
  complaint sequence (which is advanced past them), two or three history steps each, and a
  decision for the complaints that reached one;
- ``n`` helpdesk_mgmt tickets over the same contacts, dates, teams and categories, in every stage,
  numbered from their sequence, with an SLA line (helpdesk_mgmt_sla) on the open ones;
- the recurring-problem flags, by the daily job (with ``complaint_handling_reports``);
- ``VACUUM ANALYZE`` of the tables (as autovacuum would do: statistics and visibility map).

``--no-tickets`` skips the tickets (helpdesk_mgmt not installed). Random but reproducible (seeded).
"""

import argparse
import time

import _common

FIRST_NAMES = [
    "Ann",
    "Bart",
    "Carla",
    "Dirk",
    "Emma",
    "Frank",
    "Greta",
    "Hugo",
    "Ines",
    "Jan",
    "Karin",
    "Luc",
    "Marie",
    "Nico",
    "Olga",
    "Paul",
    "Quinn",
    "Rosa",
    "Sven",
    "Tina",
    "Ugo",
    "Vera",
    "Wim",
    "Xena",
    "Yves",
    "Zoe",
    "Adam",
    "Bea",
    "Cees",
    "Dora",
    "Eric",
    "Fien",
    "Gert",
    "Hanne",
    "Ivo",
    "Joke",
    "Kees",
    "Lies",
    "Mark",
    "Nora",
    "Otto",
    "Pia",
    "Rik",
    "Saar",
    "Tom",
    "Ulla",
    "Vic",
    "Wout",
    "Yara",
    "Zeno",
]
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De",
    "Smet",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Simon",
    "Laurent",
    "Leroy",
    "Moreau",
    "Lefebvre",
    "Garcia",
    "Muller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
]
LAST_NAMES = [name for name in LAST_NAMES if name not in ("De", "Smet")] + ["De Smet", "Van Dam"]
SUBJECTS = [
    "Parcel arrived damaged",
    "Wrong invoice amount",
    "Late delivery",
    "Rude staff on the phone",
    "Product broke after a week",
    "Refund not received",
    "Charged twice",
    "Missing parts",
    "Wrong size delivered",
    "No answer to my e-mails",
    "Installation not done",
    "Warranty refused",
    "Poor cleaning service",
    "Meter reading wrong",
    "Service outage",
]


def _ids(env, query):
    env.cr.execute(query)
    return [row[0] for row in env.cr.fetchall()]


def _partners(env, count=2000):
    """``count`` bench contacts (created once, reused on later runs)."""
    existing = _ids(env, "SELECT id FROM res_partner WHERE ref LIKE 'BENCH-%' ORDER BY id")
    if len(existing) >= count:
        return existing[:count]
    # Through the ORM (a few seconds for 2,000): whatever other addons add to contacts (required
    # columns of Invoicing, Sales...) gets its default.
    values = []
    for index in range(len(existing) + 1, count + 1):
        first = FIRST_NAMES[(index - 1) % len(FIRST_NAMES)]
        last = LAST_NAMES[(index - 1) // len(FIRST_NAMES) % len(LAST_NAMES)]
        email = f"{first}.{last}".lower().replace(" ", "") + f"{index}@example.com"
        values.append({"name": f"{first} {last}", "email": email, "ref": f"BENCH-{index}", "lang": "en_US"})
    env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True).create(values)
    env.flush_all()
    env.cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE ref LIKE 'BENCH-%'")
    return _ids(env, "SELECT id FROM res_partner WHERE ref LIKE 'BENCH-%' ORDER BY id")


def _gen_table(env, n):
    """The shared random draw: one row per record (date of receipt, age, dice), ordered by date."""
    env.cr.execute("SELECT setseed(0.42)")
    env.cr.execute("DROP TABLE IF EXISTS bench_gen")
    env.cr.execute(
        """
        CREATE TEMP TABLE bench_gen AS
        SELECT row_number() OVER (ORDER BY d, i) AS rn, d,
               extract(epoch FROM (now() AT TIME ZONE 'UTC') - d) / 86400 AS age, r1, r2, r3, r4, r5
          FROM (SELECT i, (now() AT TIME ZONE 'UTC') - random() * interval '1000 days' AS d,
                       random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
                  FROM generate_series(1, %s) i) s
        """,
        [n],
    )


def _complaints(env, n, partners):
    company = env.company
    sequence = env["ir.sequence"].sudo().search([("code", "=", "complaint.complaint")], limit=1)
    policy = env["complaint.policy"].sudo().search([("company_id", "=", company.id)], order="sequence, id", limit=1)
    handlers = env.ref("complaint_handling.group_complaint_handler").users.filtered(lambda u: not u.share)
    params = {
        "partners": partners,
        "np": len(partners),
        "handlers": handlers.ids,
        "nh": len(handlers),
        "teams": _ids(env, "SELECT id FROM complaint_team ORDER BY id"),
        "categories": _ids(env, "SELECT id FROM complaint_category ORDER BY id"),
        "severities": _ids(env, "SELECT id FROM complaint_severity ORDER BY id"),
        "subjects": SUBJECTS,
        "first": FIRST_NAMES,
        "company": company.id,
        "policy": policy.id,
        "seq": f"ir_sequence_{sequence.id:03d}",
        "prefix": "CMP/",
        "padding": sequence.padding,
    }
    params.update(nt=len(params["teams"]), nc=len(params["categories"]), ns=len(params["severities"]))
    missing = [name for name in ("handlers", "teams", "categories", "severities") if not params[name]]
    if missing:
        # They come with the demo data; without them the generator would divide by zero in SQL.
        raise SystemExit(
            f"{env.cr.dbname} has no complaint {', '.join(missing)}: install the addons with demo data, "
            "or create at least one of each, then run the generator again."
        )
    env.cr.execute("SELECT last_value, is_called FROM " + params["seq"])  # noqa: S608 (our own sequence name)
    last, called = env.cr.fetchone()
    params["start"] = last if called else last - 1
    env.cr.execute("SELECT coalesce(max(id), 0) FROM complaint_complaint")
    params["base"] = env.cr.fetchone()[0]
    env.cr.execute("SELECT coalesce(max(id), 0) FROM complaint_decision")
    params["dbase"] = env.cr.fetchone()[0]
    # State by age: old complaints are mostly done, recent ones spread over the open states.
    env.cr.execute(
        """
        DROP TABLE IF EXISTS bench_complaint;
        CREATE TEMP TABLE bench_complaint AS
        SELECT g.*, %(base)s + g.rn AS cid,
               CASE WHEN g.age > 60 THEN
                      CASE WHEN g.r1 < 0.80 THEN 'closed' WHEN g.r1 < 0.86 THEN 'rejected'
                           WHEN g.r1 < 0.90 THEN 'withdrawn' WHEN g.r1 < 0.93 THEN 'investigating'
                           WHEN g.r1 < 0.95 THEN 'escalated' WHEN g.r1 < 0.97 THEN 'decision_communicated'
                           WHEN g.r1 < 0.985 THEN 'response_proposed' ELSE 'reopened' END
                    ELSE
                      CASE WHEN g.r1 < 0.15 THEN 'received' WHEN g.r1 < 0.30 THEN 'acknowledged'
                           WHEN g.r1 < 0.45 THEN 'assessed' WHEN g.r1 < 0.70 THEN 'investigating'
                           WHEN g.r1 < 0.80 THEN 'response_proposed' WHEN g.r1 < 0.90 THEN 'decision_communicated'
                           ELSE 'closed' END
               END AS state
          FROM bench_gen g;
        ALTER TABLE bench_complaint ADD COLUMN date_ack timestamp, ADD COLUMN date_response timestamp,
                                    ADD COLUMN date_closed timestamp, ADD COLUMN ack_late boolean,
                                    ADD COLUMN response_late boolean, ADD COLUMN resolution_late boolean;
        UPDATE bench_complaint SET
               date_ack = CASE WHEN state <> 'received'
                               THEN LEAST(now() AT TIME ZONE 'UTC', d + r2 * interval '40 hours') END,
               date_response = CASE WHEN state IN ('decision_communicated', 'closed', 'rejected', 'escalated')
                                    THEN LEAST(now() AT TIME ZONE 'UTC', d + r3 * interval '12 days') END,
               date_closed = CASE WHEN state IN ('closed', 'rejected', 'withdrawn')
                                  THEN LEAST(now() AT TIME ZONE 'UTC', d + (0.5 + r3 * 25) * interval '1 day') END;
        UPDATE bench_complaint SET
               ack_late = coalesce(date_ack, now() AT TIME ZONE 'UTC') > d + interval '1 day',
               response_late = state <> 'withdrawn'
                               AND coalesce(date_response, now() AT TIME ZONE 'UTC') > d + interval '7 days',
               resolution_late = state <> 'withdrawn'
                                 AND coalesce(date_closed, now() AT TIME ZONE 'UTC') > d + interval '14 days';
        -- The decision of the complaints that reached one: its id drawn now, the row inserted after the complaint.
        ALTER TABLE bench_complaint ADD COLUMN did integer;
        UPDATE bench_complaint b SET did = %(dbase)s + x.k
          FROM (SELECT rn, row_number() OVER (ORDER BY rn) AS k FROM bench_complaint
                 WHERE state IN ('response_proposed', 'decision_communicated', 'escalated')
                    OR (state = 'closed' AND date_response IS NOT NULL)) x
         WHERE x.rn = b.rn;
        """,
        params,
    )
    # The complaint points to its decision, inserted right after it: foreign keys checked by hand below.
    env.cr.execute("SET LOCAL session_replication_role = replica")
    env.cr.execute(
        """
        INSERT INTO complaint_complaint (
            id, name, subject, active, company_id, partner_id, complainant_name, complainant_email, channel,
            date_received, received_by_id, description, category_id, severity_id, priority, user_id, team_id,
            stage_id, state, is_done, date_acknowledged, acknowledgement_method, date_assessed, scope_decision,
            date_closed, reopen_count, closing_reason, escalation_type, policy_id, date_ack_deadline,
            date_response_deadline, date_deadline, date_first_response, ack_breached, response_breached,
            resolution_breached, is_breached, date_next_escalation, is_paused, paused_hours, extension_hours,
            ack_pending, confidential, anonymous, create_uid, write_uid, create_date, write_date, decision_id,
            date_ended)
        SELECT c.cid,
               %(prefix)s || to_char(c.d, 'YYYY') || '/' || lpad((%(start)s + c.rn)::text,
                   GREATEST(%(padding)s, length((%(start)s + c.rn)::text)), '0'),
               (%(subjects)s::varchar[])[1 + (c.rn * 7) %% 15] || ' #' || c.rn, true, %(company)s,
               CASE WHEN c.r4 < 0.9 THEN p.id END, p.name, p.email,
               (ARRAY['email', 'web', 'phone', 'in_person', 'letter', 'social', 'other'])[1 + (c.r5 * 7)::int %% 7],
               c.d, 2, '<p>Bench complaint ' || c.rn || '.</p>',
               (%(categories)s::int[])[1 + c.rn %% %(nc)s], (%(severities)s::int[])[1 + (c.rn / 3) %% %(ns)s],
               CASE WHEN c.r5 < 0.8 THEN '0' WHEN c.r5 < 0.93 THEN '1' WHEN c.r5 < 0.98 THEN '2' ELSE '3' END,
               CASE WHEN c.state NOT IN ('received', 'acknowledged') THEN (%(handlers)s::int[])[1 + c.rn %% %(nh)s] END,
               (%(teams)s::int[])[1 + c.rn %% %(nt)s],
               st.id, c.state, c.state IN ('closed', 'rejected', 'withdrawn'),
               c.date_ack, CASE WHEN c.date_ack IS NOT NULL THEN 'email' END,
               CASE WHEN c.state NOT IN ('received', 'acknowledged', 'rejected')
                    THEN LEAST(now() AT TIME ZONE 'UTC', c.date_ack + interval '1 day') END,
               CASE WHEN c.state = 'rejected' THEN 'out_of_scope'
                    WHEN c.state NOT IN ('received', 'acknowledged') THEN 'in_scope' END,
               c.date_closed, CASE WHEN c.state = 'reopened' THEN 1 ELSE 0 END,
               CASE WHEN c.state = 'withdrawn' THEN 'Withdrawn by the complainant.' END,
               CASE WHEN c.state = 'escalated' THEN 'internal_review' END,
               %(policy)s, c.d + interval '1 day', c.d + interval '7 days', c.d + interval '14 days', c.date_response,
               c.ack_late, c.response_late, c.resolution_late, c.ack_late OR c.response_late OR c.resolution_late,
               -- Open complaints: the escalation job looks at them from 4 hours before their resolution
               -- deadline (the shipped reminder), or at a deadline not met yet.
               CASE WHEN c.state NOT IN ('closed', 'rejected', 'withdrawn') THEN LEAST(
                   c.d + interval '14 days' - interval '4 hours',
                   CASE WHEN c.date_ack IS NULL AND NOT c.ack_late THEN c.d + interval '1 day' END,
                   CASE WHEN c.date_response IS NULL AND NOT c.response_late THEN c.d + interval '7 days' END) END,
               false, 0, 0, false, false, false, 2, 2, c.d, coalesce(c.date_closed, c.d), c.did,
               -- The retention period runs from the end (see ``date_ended``).
               CASE WHEN c.state IN ('closed', 'rejected', 'withdrawn') THEN coalesce(c.date_closed, c.d) END
          FROM bench_complaint c
          JOIN LATERAL (SELECT id, name, email FROM res_partner
                         WHERE id = (%(partners)s::int[])[1 + (c.rn * 13) %% %(np)s]) p ON true
          JOIN LATERAL (SELECT id FROM complaint_stage WHERE state = c.state ORDER BY sequence, id LIMIT 1) st ON true
        """,
        params,
    )
    env.cr.execute(
        """
        SELECT setval('complaint_complaint_id_seq', %(base)s + (SELECT count(*) FROM bench_complaint));
        SELECT setval(%(seq)s, %(start)s + (SELECT count(*) FROM bench_complaint));
        """,
        params,
    )
    # History: the receipt, and the step into the current state.
    env.cr.execute(
        """
        INSERT INTO complaint_step (complaint_id, company_id, user_id, stage_id, handler_id, team_id, action,
                                    state_from, state_to, note, date, create_uid, write_uid, create_date, write_date)
        SELECT c.id, c.company_id, 2, (SELECT id FROM complaint_stage WHERE state = 'received' ORDER BY sequence
               LIMIT 1), NULL, c.team_id, 'Received', NULL, 'received', c.channel, c.date_received, 2, 2,
               c.date_received, c.date_received
          FROM complaint_complaint c WHERE c.id > %(base)s
        UNION ALL
        SELECT c.id, c.company_id, coalesce(c.user_id, 2), c.stage_id, c.user_id, c.team_id, initcap(c.state),
               CASE WHEN c.state IN ('acknowledged', 'rejected', 'withdrawn') THEN 'received'
                    WHEN c.state = 'assessed' THEN 'acknowledged' WHEN c.state = 'investigating' THEN 'assessed'
                    WHEN c.state = 'response_proposed' THEN 'investigating'
                    WHEN c.state IN ('decision_communicated', 'escalated') THEN 'response_proposed'
                    WHEN c.state = 'reopened' THEN 'closed' ELSE 'decision_communicated' END,
               c.state, c.closing_reason, coalesce(c.date_closed, c.date_acknowledged, c.date_received), 2, 2,
               c.write_date, c.write_date
          FROM complaint_complaint c WHERE c.id > %(base)s AND c.state <> 'received'
        """,
        params,
    )
    env.cr.execute(
        """
        INSERT INTO complaint_decision (id, complaint_id, company_id, remedy_type, state, reasons, amount,
                                        approval_required, date_approved, date_communicated, date_response,
                                        approved_by_id, create_uid, write_uid, create_date, write_date)
        SELECT c.decision_id, c.id, c.company_id,
               (ARRAY['refund', 'replacement', 'repair', 'apology', 'explanation'])[1 + c.id %% 5],
               CASE WHEN c.state = 'response_proposed' THEN 'approved'
                    WHEN c.state = 'decision_communicated' THEN 'communicated'
                    WHEN c.state = 'escalated' THEN 'rejected' ELSE 'accepted' END,
               'Bench decision.', CASE WHEN c.id %% 5 < 3 THEN 10 + c.id %% 200 END, false,
               c.date_acknowledged, c.date_first_response,
               CASE WHEN c.state IN ('closed', 'escalated') THEN c.date_closed END, NULL, 2, 2,
               c.date_acknowledged, c.write_date
          FROM complaint_complaint c
         WHERE c.id > %(base)s AND c.decision_id IS NOT NULL;
        SELECT setval('complaint_decision_id_seq', (SELECT max(id) FROM complaint_decision));
        """,
        params,
    )
    env.cr.execute("SET LOCAL session_replication_role = DEFAULT")
    # The replica role also skipped the triggers that keep the pre-aggregated complaint counts: count again.
    if hasattr(env["complaint.complaint"], "_count_summary_rebuild"):
        env["complaint.complaint"]._count_summary_rebuild()
    env.cr.execute(
        """SELECT count(*) FROM complaint_complaint c LEFT JOIN complaint_decision d ON d.id = c.decision_id
            WHERE c.id > %(base)s AND c.decision_id IS NOT NULL AND d.id IS NULL""",
        params,
    )
    assert not env.cr.fetchone()[0], "every complaint's decision exists"
    return params["base"]


def _tickets(env, partners):
    env.cr.execute("SELECT id FROM ir_sequence WHERE code = 'helpdesk.ticket.sequence' LIMIT 1")
    sequence_id = env.cr.fetchone()[0]
    sequence = env["ir.sequence"].browse(sequence_id)
    seq = f"ir_sequence_{sequence_id:03d}"
    env.cr.execute("SELECT last_value, is_called FROM " + seq)  # noqa: S608 (our own sequence name)
    last, called = env.cr.fetchone()
    # Every team has an SLA in the bench database, so that every open ticket has one (their SLA job).
    env.cr.execute("UPDATE helpdesk_ticket_team SET use_sla = true")
    env.cr.execute("SELECT id, days, hours, stage_id FROM helpdesk_sla WHERE active ORDER BY id LIMIT 1")
    sla = env.cr.fetchone()
    params = {
        "partners": partners,
        "np": len(partners),
        "subjects": SUBJECTS,
        "company": env.company.id,
        "seq": seq,
        "start": last if called else last - 1,
        "prefix": sequence.prefix or "",
        "padding": sequence.padding,
        "teams": _ids(env, "SELECT id FROM helpdesk_ticket_team ORDER BY id"),
        "categories": _ids(env, "SELECT id FROM helpdesk_ticket_category ORDER BY id"),
        "handlers": _ids(env, "SELECT id FROM res_users WHERE active AND NOT share ORDER BY id"),
        "stages": _ids(env, "SELECT id FROM helpdesk_ticket_stage ORDER BY sequence, id"),
        "sla": sla and sla[0],
        "sla_hours": sla and (sla[1] * 8 + sla[2]),
    }
    params.update(nt=len(params["teams"]), nc=len(params["categories"]), nh=len(params["handlers"]))
    env.cr.execute("SELECT coalesce(max(id), 0) FROM helpdesk_ticket")
    params["base"] = env.cr.fetchone()[0]
    # Stages in sequence: New, In Progress, Awaiting (open), Done, Cancelled, Rejected (closed).
    env.cr.execute(
        """
        INSERT INTO helpdesk_ticket (id, number, name, description, user_id, stage_id, partner_id,
                                     commercial_partner_id, partner_name, partner_email, company_id, category_id,
                                     team_id, priority, kanban_state, active, unattended, last_stage_update,
                                     assigned_date, closed_date, create_uid, write_uid, create_date, write_date)
        SELECT %(base)s + g.rn, %(prefix)s || lpad((%(start)s + g.rn)::text,
                   GREATEST(%(padding)s, length((%(start)s + g.rn)::text)), '0'),
               (%(subjects)s::varchar[])[1 + (g.rn * 7) %% 15] || ' #' || g.rn, '<p>Bench ticket ' || g.rn || '.</p>',
               (%(handlers)s::int[])[1 + g.rn %% %(nh)s], s.stage, p.id, p.id, p.name, p.email, %(company)s,
               (%(categories)s::int[])[1 + g.rn %% %(nc)s], (%(teams)s::int[])[1 + g.rn %% %(nt)s],
               CASE WHEN g.r5 < 0.8 THEN '0' WHEN g.r5 < 0.93 THEN '1' WHEN g.r5 < 0.98 THEN '2' ELSE '3' END,
               'normal', true, s.stage = (%(stages)s::int[])[1], g.d + interval '1 day', g.d + interval '1 hour',
               CASE WHEN s.closed THEN LEAST(now() AT TIME ZONE 'UTC', g.d + (0.5 + g.r3 * 25) * interval '1 day') END,
               2, 2, g.d, g.d + interval '1 day'
          FROM bench_gen g
          CROSS JOIN LATERAL (
              SELECT (%(stages)s::int[])[CASE
                  WHEN g.age > 60 THEN CASE WHEN g.r1 < 0.80 THEN 4 WHEN g.r1 < 0.86 THEN 5 WHEN g.r1 < 0.90 THEN 6
                                            WHEN g.r1 < 0.95 THEN 2 ELSE 3 END
                  ELSE CASE WHEN g.r1 < 0.30 THEN 1 WHEN g.r1 < 0.70 THEN 2 WHEN g.r1 < 0.90 THEN 3 ELSE 4 END
                  END] AS stage,
                  g.age > 60 AND g.r1 < 0.90 OR g.age <= 60 AND g.r1 >= 0.90 AS closed) s
          JOIN LATERAL (SELECT id, name, email FROM res_partner
                         WHERE id = (%(partners)s::int[])[1 + (g.rn * 13) %% %(np)s]) p ON true;
        SELECT setval('helpdesk_ticket_id_seq', %(base)s + (SELECT count(*) FROM bench_gen));
        SELECT setval(%(seq)s, %(start)s + (SELECT count(*) FROM bench_gen));
        """,
        params,
    )
    if params["sla"]:
        env.cr.execute(
            """
            INSERT INTO helpdesk_ticket_sla (ticket_id, sla_id, deadline, hours, expected_stage_id, consumed_time,
                                             last_state_date, state, create_uid, write_uid, create_date, write_date)
            SELECT t.id, %(sla)s, t.create_date + %(sla_hours)s * interval '3 hours', %(sla_hours)s,
                   (SELECT stage_id FROM helpdesk_sla WHERE id = %(sla)s), 0, t.create_date,
                   CASE WHEN t.closed_date IS NULL THEN 'in_progress' ELSE 'accomplished' END, 2, 2,
                   t.create_date, t.create_date
              FROM helpdesk_ticket t WHERE t.id > %(base)s AND t.closed_date IS NULL
            """,
            params,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="a throw-away database with complaint_handling")
    parser.add_argument("-n", type=int, default=100000, help="complaints (and tickets) to add (default 100000)")
    parser.add_argument("--no-tickets", action="store_true", help="no helpdesk_mgmt tickets")
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        started = time.perf_counter()
        partners = _partners(env)
        _gen_table(env, args.n)
        _complaints(env, args.n, partners)
        cr.commit()
        print(f"{args.n} complaints with history and decisions: {time.perf_counter() - started:.1f} s")
        if hasattr(env["complaint.complaint"], "_cron_refresh_recurring"):
            # The recurring-problem flags as the daily job keeps them on a live database (the refresh after
            # a create or write relies on them).
            started = time.perf_counter()
            env["complaint.complaint"]._cron_refresh_recurring()
            cr.commit()
            print(f"recurring-problem flags (the daily job): {time.perf_counter() - started:.1f} s")
        if not args.no_tickets and "helpdesk.ticket" in env:
            started = time.perf_counter()
            _tickets(env, partners)
            cr.commit()
            print(f"{args.n} helpdesk_mgmt tickets with SLA lines: {time.perf_counter() - started:.1f} s")
        cr.execute("DROP TABLE IF EXISTS bench_gen, bench_complaint")
        cr.commit()
        has_tickets = "helpdesk.ticket" in env
    # VACUUM (what autovacuum does on a live database) sets the visibility map that index-only scans need.
    started = time.perf_counter()
    tables = ["res_partner", "complaint_complaint", "complaint_step", "complaint_decision"]
    if has_tickets:
        tables += ["helpdesk_ticket", "helpdesk_ticket_sla"]
    _common.vacuum_analyze(args.database, tables)
    print(f"VACUUM ANALYZE: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
