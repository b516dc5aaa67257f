"""Side by side: our complaints, OCA helpdesk_mgmt tickets and the raw PostgreSQL floor, same work, same run.

Run it from the repository's root on a database with ``complaint_handling``, ``helpdesk_mgmt`` and
``helpdesk_mgmt_sla`` installed (``bench/requirements.txt``) and filled by ``bench/gen_complaints.py``
(everything the benchmark writes is rolled back; the measured tables are vacuumed first, as autovacuum
keeps a live database, so that the dead rows a previous run left do not slow this one's reads):

    .venv/bin/python bench/bench_compare.py -c .run/odoo.conf -d <database>

Measured in-process (server time, no HTTP), as the administrator (access rules apply), each read
a median of 5 runs after a warm-up, the ORM cache emptied before each run; queries counted with
``odoo.sql_db.sql_counter``:

- ``create``: one ``create()`` of 2,000 value dicts (after a warm-up of 20), ``flush_all`` included,
  three times each side, alternated (median): records/s and queries per record. Ours assigns the
  reference, policy, working-time deadlines, history line and acknowledgement queue; theirs its
  number and SLA lines; both subscribe the creator and trace the creation in the chatter (ours a
  note, theirs a "Ticket created" message posted to the followers). Floor: one
  ``INSERT ... SELECT generate_series`` of the same rows;
- ``list``: ``web_search_read`` with the fields of the default list view, 80 rows, default order
  (count limited to 10,001 as the web client does), then with a filter on stage + team;
- ``kanban``: ``web_read_group`` by stage;
- ``search reference`` / ``search partner``: the list page filtered by ``ilike`` on the reference
  (ticket number) and on the complainant's name;
- ``KPI``: ``read_group`` count by month × category (pivot);
- ``escalation``: ours ``_cron_escalate`` (its batches, as the scheduled job) until ``--escalation`` complaints are
  processed; theirs: helpdesk_mgmt_sla has no scheduled job, so its SLA pass is measured, what it
  does on a stage change for each ticket (``helpdesk.ticket.sla._stage_recompute``: working time
  consumed, expired or not), over as many open tickets, stopped after ``--budget`` seconds and
  extrapolated. Floor: the escalation log rows inserted by one ``INSERT ... SELECT``.

Prints a Markdown table: ours, theirs, ratio (theirs / ours for times, ours / theirs for rates), floor.
"""

import statistics
import time

import _common

RUNS = 5


def _median(func, runs=RUNS, env=None):
    """(median seconds, queries of one run) of ``func()`` after a warm-up run."""
    import odoo.sql_db  # noqa: PLC0415

    times = []
    queries = 0
    for index in range(runs + 1):
        if env is not None:
            env.invalidate_all()
        count = odoo.sql_db.sql_counter
        started = time.perf_counter()
        func()
        elapsed = time.perf_counter() - started
        if index:
            times.append(elapsed)
            queries = odoo.sql_db.sql_counter - count
    return statistics.median(times), queries


def _floor(env, query, params=None, runs=RUNS):
    def run():
        env.cr.execute(query, params)
        env.cr.fetchall()

    return _median(run, runs)[0]


def _list_spec(model):
    """The ``web_search_read`` specification of the model's default list view, as the web client sends it."""
    from lxml import etree  # noqa: PLC0415

    view = model.get_views([(False, "list")])["views"]["list"]
    arch = etree.fromstring(view["arch"])
    spec = {}
    for node in arch.iter("field"):
        name = node.get("name")
        field = model._fields.get(name)
        if not field or name in spec:
            continue
        if field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            spec[name] = {}
        else:
            spec[name] = {}
    return spec


class Side:
    """The operations of one side (our complaints or helpdesk_mgmt tickets)."""

    def __init__(self, env, model, create_vals, stage_team, reference, partner_name, month_field, escalate):
        self.env = env
        self.model = env[model].with_context(bench=True)
        self.create_vals = create_vals
        self.stage_team = stage_team
        self.reference = reference
        self.partner_name = partner_name
        self.month_field = month_field
        self.escalate = escalate
        self.spec = _list_spec(self.model)

    def page(self, domain):
        return self.model.web_search_read(domain, self.spec, limit=80, count_limit=10001)

    def kanban(self):
        return self.model.web_read_group([], ["__count"], ["stage_id"])

    def kpi(self):
        return self.model.read_group([], ["__count"], [f"{self.month_field}:month", "category_id"], lazy=False)


def _create(env, side, n):
    import odoo.sql_db  # noqa: PLC0415

    vals_list = side.create_vals(n + 20)
    env.cr.execute("SAVEPOINT bench_create")
    side.model.create(vals_list[:20])
    env.flush_all()
    count = odoo.sql_db.sql_counter
    started = time.perf_counter()
    side.model.create(vals_list[20:])
    env.flush_all()
    elapsed = time.perf_counter() - started
    queries = odoo.sql_db.sql_counter - count
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_create")
    env.invalidate_all()
    return n / elapsed, queries / n


def _floor_create(env, n):
    env.cr.execute("SAVEPOINT bench_floor")
    started = time.perf_counter()
    env.cr.execute(
        """INSERT INTO complaint_complaint (name, subject, company_id, partner_id, channel, date_received,
                                            state, stage_id, category_id, create_date, write_date)
           SELECT 'FLOOR/' || i, 'Bench ' || i, 1, NULL, 'email', now(), 'received', 1, NULL, now(), now()
             FROM generate_series(1, %s) i""",
        [n],
    )
    elapsed = time.perf_counter() - started
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_floor")
    return n / elapsed


def _ours(env):
    Complaint = env["complaint.complaint"]
    partners = env["res.partner"].search([("email", "!=", False), ("ref", "=like", "BENCH-%")], limit=50)
    partners = partners or env["res.partner"].search([("email", "!=", False)], limit=50)
    categories = env["complaint.category"].search([])

    def create_vals(n):
        return [
            {
                "subject": f"Bench {index}",
                "partner_id": partners[index % len(partners)].id,
                "category_id": categories[index % len(categories)].id,
                "channel": "email",
                "description": "<p>Bench.</p>",
            }
            for index in range(n)
        ]

    stage = env["complaint.stage"].search([("state", "=", "investigating")], limit=1)
    team = env["complaint.team"].search([], limit=1)
    last = Complaint.search([], order="id desc", limit=1)
    # A reference typed in part (its number), as a user searches it.
    reference = last.name.rsplit("/", 1)[-1] if last else "0001"

    def escalate(limit):
        done = 0
        while done < limit:
            count = Complaint.sudo()._cron_escalate()
            env.invalidate_all()
            if not count:
                break
            done += count
        return done

    return Side(
        env,
        "complaint.complaint",
        create_vals,
        [("stage_id", "=", stage.id), ("team_id", "=", team.id)],
        [("name", "ilike", reference)],
        [("partner_id", "ilike", "Peeters")],
        "date_received",
        escalate,
    )


def _theirs(env, budget):
    Ticket = env["helpdesk.ticket"]
    partners = env["res.partner"].search([("email", "!=", False), ("ref", "=like", "BENCH-%")], limit=50)
    partners = partners or env["res.partner"].search([("email", "!=", False)], limit=50)
    teams = env["helpdesk.ticket.team"].search([])
    categories = env["helpdesk.ticket.category"].search([])

    def create_vals(n):
        return [
            {
                "name": f"Bench {index}",
                "description": "<p>Bench.</p>",
                "partner_id": partners[index % len(partners)].id,
                "team_id": teams[index % len(teams)].id,
                "category_id": categories[index % len(categories)].id,
            }
            for index in range(n)
        ]

    stage = env["helpdesk.ticket.stage"].search([("closed", "=", False)], order="sequence", limit=2)[-1:]
    last = Ticket.search([], order="id desc", limit=1)
    reference = (last.number or "HT00001")[-5:]

    def escalate(limit):
        env.cr.execute(
            """SELECT s.id FROM helpdesk_ticket_sla s JOIN helpdesk_ticket t ON t.id = s.ticket_id
                WHERE s.state = 'in_progress' AND t.active ORDER BY s.id LIMIT %s""",
            [limit],
        )
        ids = [row[0] for row in env.cr.fetchall()]
        started = time.perf_counter()
        done = 0
        for start in range(0, len(ids), 500):
            for sla in env["helpdesk.ticket.sla"].sudo().browse(ids[start : start + 500]):
                sla._stage_recompute()
            env.flush_all()
            env.invalidate_all()
            done += len(ids[start : start + 500])
            if time.perf_counter() - started > budget:
                break
        return done

    return Side(
        env,
        "helpdesk.ticket",
        create_vals,
        [("stage_id", "=", stage.id), ("team_id", "=", teams[:1].id)],
        [("number", "ilike", reference)],
        [("partner_id", "ilike", "Peeters")],
        "create_date",
        escalate,
    )


def _fmt_ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def _row(label, ours_value, theirs_value, floor, unit="ms", queries=None):
    """One line of the results table."""
    if unit == "ms":
        ratio = f"{theirs_value / ours_value:.1f}× faster" if theirs_value else ""
        cells = [_fmt_ms(ours_value), _fmt_ms(theirs_value) if theirs_value else "", ratio]
        floor_cell = _fmt_ms(floor) if floor is not None else ""
    else:
        ratio = f"{ours_value / theirs_value:.1f}×" if theirs_value else ""
        cells = [f"{ours_value:,.0f} {unit}", f"{theirs_value:,.0f} {unit}" if theirs_value else "", ratio]
        floor_cell = f"{floor:,.0f} {unit}" if floor is not None else ""
    if queries:
        cells[0] += f", {queries[0]} q"
        if theirs_value:
            cells[1] += f", {queries[1]} q"
    return f"| {label} | {' | '.join(cells)} | {floor_cell} |"


def _run(env, args):
    # The administrator's context as the web client sends it: language and time zone of the user.
    admin = env.ref("base.user_admin")
    env = env(user=admin, context={"lang": "en_US", "tz": admin.tz or "UTC"})
    ours = _ours(env)
    theirs = _theirs(env, args.budget) if "helpdesk.ticket" in env else None
    env.cr.execute("SELECT count(*) FROM complaint_complaint")
    n_complaints = env.cr.fetchone()[0]
    n_tickets = 0
    if theirs:
        env.cr.execute("SELECT count(*) FROM helpdesk_ticket")
        n_tickets = env.cr.fetchone()[0]
    rows = []
    wanted = set(args.only or ["create", "list", "kanban", "search", "kpi", "escalation"])

    def add(label, ours_value, theirs_value, floor, unit="ms", queries=None):
        rows.append(_row(label, ours_value, theirs_value, floor, unit=unit, queries=queries))
        print(rows[-1], flush=True)

    print(f"complaints: {n_complaints:,}; helpdesk_mgmt tickets: {n_tickets:,}", flush=True)
    print("| operation | ours | helpdesk_mgmt | ratio | PostgreSQL floor |\n|---|---|---|---|---|", flush=True)
    if "create" in wanted:
        # Alternated, median of 3 each: the machine's load changes within minutes.
        ours_runs, theirs_runs = [], []
        for _round in range(3):
            ours_runs.append(_create(env, ours, args.create))
            if theirs:
                theirs_runs.append(_create(env, theirs, args.create))
        ours_rate, ours_q = statistics.median(ours_runs)
        theirs_rate, theirs_q = statistics.median(theirs_runs) if theirs else (0, 0)
        add(
            f"batch create {args.create:,} (records/s, queries/record)",
            ours_rate,
            theirs_rate,
            _floor_create(env, args.create),
            unit="rec/s",
            queries=(f"{ours_q:.2f}", f"{theirs_q:.2f}"),
        )
    spec_columns = (
        "id, priority, name, date_received, subject, partner_id, complainant_name, channel, category_id, "
        "severity_id, product_id, user_id, team_id, is_breached, policy_id, stage_id, date_closed, company_id"
    )
    order = "priority DESC, date_received DESC, id DESC"
    if "list" in wanted:
        for label, domain_ours, domain_theirs, where, params in [
            ("list page 80 rows, default order", [], [], "active", []),
            (
                "list page 80 rows, filter stage + team",
                ours.stage_team,
                theirs and theirs.stage_team,
                "active AND stage_id = %s AND team_id = %s",
                [ours.stage_team[0][2], ours.stage_team[1][2]],
            ),
        ]:
            o = _median(lambda d=domain_ours: ours.page(d), env=env)
            t = _median(lambda d=domain_theirs: theirs.page(d), env=env) if theirs else (0, 0)
            floor = _floor(
                env,
                f"SELECT {spec_columns} FROM complaint_complaint WHERE {where} ORDER BY {order} LIMIT 80",  # noqa: S608
                params,
            )
            add(label, o[0], t[0], floor, queries=(o[1], t[1]))
    if "kanban" in wanted:
        o = _median(ours.kanban, env=env)
        t = _median(theirs.kanban, env=env) if theirs else (0, 0)
        floor = _floor(env, "SELECT stage_id, count(*) FROM complaint_complaint WHERE active GROUP BY stage_id")
        add("kanban grouped by stage", o[0], t[0], floor, queries=(o[1], t[1]))
    if "search" in wanted:
        for label, d_ours, d_theirs, where, param in [
            (
                "search reference (ilike), list page",
                ours.reference,
                theirs and theirs.reference,
                "name",
                ours.reference,
            ),
            (
                "search partner name (ilike), list page",
                ours.partner_name,
                theirs and theirs.partner_name,
                "partner_id IN (SELECT id FROM res_partner WHERE complete_name ILIKE %s)",
                None,
            ),
        ]:
            o = _median(lambda d=d_ours: ours.page(d), env=env)
            t = _median(lambda d=d_theirs: theirs.page(d), env=env) if theirs else (0, 0)
            if param:
                query = f"SELECT {spec_columns} FROM complaint_complaint WHERE active AND name ILIKE %s "  # noqa: S608
                params = [f"%{param[0][2]}%"]
            else:
                query = f"SELECT {spec_columns} FROM complaint_complaint WHERE active AND {where} "  # noqa: S608
                params = ["%Peeters%"]
            floor = _floor(env, query + f"ORDER BY {order} LIMIT 80", params)
            add(label, o[0], t[0], floor, queries=(o[1], t[1]))
    if "kpi" in wanted:
        o = _median(ours.kpi, env=env)
        t = _median(theirs.kpi, env=env) if theirs else (0, 0)
        floor = _floor(
            env,
            "SELECT date_trunc('month', date_received), category_id, count(*) FROM complaint_complaint"
            " WHERE active GROUP BY 1, 2",
        )
        add("KPI: count by month × category", o[0], t[0], floor, queries=(o[1], t[1]))
    if "escalation" in wanted:
        n = args.escalation
        env.cr.execute("SAVEPOINT bench_escalation")
        started = time.perf_counter()
        done_ours = ours.escalate(n)
        ours_s = time.perf_counter() - started
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_escalation")
        env.invalidate_all()
        theirs_s, done_theirs = 0, 0
        if theirs:
            env.cr.execute("SAVEPOINT bench_escalation")
            started = time.perf_counter()
            done_theirs = theirs.escalate(n)
            theirs_s = time.perf_counter() - started
            env.cr.execute("ROLLBACK TO SAVEPOINT bench_escalation")
            env.invalidate_all()
        env.cr.execute("SAVEPOINT bench_escalation")
        started = time.perf_counter()
        env.cr.execute(
            """INSERT INTO complaint_escalation_log (complaint_id, level_id, date)
               SELECT id, (SELECT min(id) FROM complaint_escalation_level), now() FROM complaint_complaint
                WHERE NOT is_done AND active ORDER BY id LIMIT %s ON CONFLICT DO NOTHING""",
            [n],
        )
        floor = time.perf_counter() - started
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_escalation")
        # Per 100,000 records, extrapolated from what was processed (theirs stops after the budget).
        ours_100k = ours_s / max(done_ours, 1) * 100000
        theirs_100k = theirs_s / max(done_theirs, 1) * 100000 if done_theirs else 0
        label = (
            f"escalation / SLA job, per 100,000 open (ours {done_ours:,} processed, "
            f"theirs {done_theirs:,}{' then extrapolated' if done_theirs < n else ''})"
        )
        rows.append(
            f"| {label} | {ours_100k:.1f} s | {f'{theirs_100k:.0f} s' if theirs_100k else ''} | "
            f"{f'{theirs_100k / ours_100k:.1f}× faster' if theirs_100k else ''} | {floor * 100000 / n:.1f} s |"
        )
        print(rows[-1], flush=True)
    return rows


def main():
    parser = _common.parser(__doc__, "database with both addons, filled by gen_complaints.py")
    parser.add_argument("--create", type=int, default=2000, help="records created in one batch (default 2000)")
    parser.add_argument("--escalation", type=int, default=100000, help="open records escalated (default 100000)")
    parser.add_argument("--budget", type=float, default=120, help="seconds given to their SLA pass (default 120)")
    parser.add_argument("--only", action="append", choices=["create", "list", "kanban", "search", "kpi", "escalation"])
    args = parser.parse_args()

    _common.configure(args)
    _common.vacuum_analyze(args.database, ["complaint_complaint", "helpdesk_ticket", "helpdesk_ticket_sla"])
    _common.run_rolled_back(args, _run, args)


if __name__ == "__main__":
    main()
