"""Many workers: concurrent intake (JSON-RPC and the public form), handlers and two escalation jobs at once.

Run it from the repository's root; it copies a database that has the addons with demo data (the
copy is dropped at the end unless ``--keep``), starts Odoo on it in multi-worker (prefork) mode on
loopback, and drives it:

    .venv/bin/python bench/load_test.py -c .run/odoo.conf --template <database> --port 8181

At the same time:

- ``--clients`` JSON-RPC clients (``/jsonrpc``, as ``admin``) each create ``--per-client`` complaints,
  one call each;
- ``--form-clients`` browsers each submit ``--per-client`` complaints through the public form
  (``GET /complaint`` for the form and its CSRF token, ``POST /complaint/submit``);
- ``--handlers`` handler sessions (the demo users ``handler`` and ``handler2``) move the new complaints
  through the process: acknowledge, assess (category, severity, scope), assign and investigate
  (``--handler-api web``: as the web client does, list by ``web_search_read``, buttons by
  ``/web/dataset/call_button``; ``jsonrpc``, the default: ``search``, ``write`` and the action by ``/jsonrpc``);
- ``--readers`` web client sessions (``complaint_manager``) read lists, kanban and KPI groupings, a
  complaint's form and chatter, as the web client does (``/web/dataset/call_kw``), until the intake ends;
- two processes run the escalation job (``_cron_escalate``, batches of 100, a commit per batch)
  over the copy's open complaints (``gen_complaints.py`` adds ``--generate`` of them first);
  ``--jobs http`` instead runs the escalation and acknowledgement jobs' code through each server at
  once (a server action each, batches of 50 and 10, one caller per server URL) while complaints are due or
  queued.

Several servers on one database: ``--url`` (repeated) drives servers already running on ``--db``
(nothing is copied, started or dropped; ``psql`` reaches the database through ``PGHOST``/``PGPORT``);
the clients are spread over the URLs in turn (client ``i`` on URL ``i mod n``).
``bench/scale_out.py`` uses it so, against two servers on a PostgreSQL primary and its replica.

Then it checks: every complaint acknowledged by the server is in the database (none lost), no
reference twice, no escalation level fired twice on a complaint (log and history), no complaint
acknowledged twice, the pre-aggregated counts (kanban, pivots) equal to a count of the complaints,
and reports the throughput, the HTTP and RPC errors, and the concurrency failures the server retried
(from its log: PostgreSQL serialization failures and lock conflicts are retried by Odoo up to 5 times).
"""

import argparse
import collections
import datetime
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ESCALATION_JOB = """
import sys, time, odoo
from odoo.modules.registry import Registry
from psycopg2 import errors
odoo.tools.config.parse_config(["-c", sys.argv[1], "--log-level=warn"])
registry = Registry(sys.argv[2])
done = retries = 0
while True:
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            count = env["complaint.complaint"]._cron_escalate(batch_size=100)
    except (errors.SerializationFailure, errors.LockNotAvailable, errors.DeadlockDetected):
        retries += 1
        time.sleep(0.2)
        continue
    done += count
    if not count:
        break
print(f"{done} {retries}")
"""
# The jobs run through the servers (``--jobs http``): the scheduled jobs' code in small batches (so that the
# servers' calls interleave), and what each finds due.
HTTP_JOBS = [
    (
        "escalation",
        "model._cron_escalate(batch_size=50)",
        lambda now: [("date_next_escalation", "<=", now), ("is_done", "=", False), ("is_paused", "!=", True)],
    ),
    ("acknowledgement", "model._cron_send_acknowledgements(batch_size=10)", lambda now: [("ack_pending", "=", True)]),
]
# psql's connection options for the checks (empty: the local server, or PGHOST/PGPORT).
PSQL_ARGS = []


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.created = {}  # marker -> complaint id (None when the server did not say)
        self.timings = collections.defaultdict(list)  # read kind -> seconds
        self.error_samples = {}  # error key -> first message

    def add(self, key, count=1):
        with self.lock:
            self.counts[key] += count

    def time(self, key, seconds):
        with self.lock:
            self.timings[key].append(seconds)


def _post_json(url, payload, opener=None, timeout=120):
    request = urllib.request.Request(url, json.dumps(payload).encode(), {"Content-Type": "application/json"})
    opener = opener or urllib.request.build_opener()
    with opener.open(request, timeout=timeout) as response:
        return json.loads(response.read())


def _rpc(base, db, uid, password, model, method, args, kwargs=None):
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": [db, uid, password, model, method, args, kwargs or {}],
        },
    }
    return _post_json(f"{base}/jsonrpc", payload)


def _login(base, db, login, password):
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {"service": "common", "method": "login", "args": [db, login, password]},
    }
    return _post_json(f"{base}/jsonrpc", payload)["result"]


class WebSession:
    """A browser's session on one server: ``/web/session/authenticate``, then the web client's JSON routes.

    ``/web/dataset/call_kw`` runs the methods marked ``@api.readonly`` (``web_search_read``, ``web_read``,
    ``web_read_group``, ``read_group``, ``name_search``...) on a read-only cursor: on the replica when the
    server has ``db_replica_host``. ``/jsonrpc`` always uses the primary.
    """

    def __init__(self, base, db, login, password, opener=None):
        self.base = base
        self.db = db
        self.opener = opener or urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        answer = self.json("/web/session/authenticate", {"db": db, "login": login, "password": password})
        self.uid = (answer.get("result") or {}).get("uid")
        if not self.uid:
            raise RuntimeError(f"{login} cannot log in on {base}: {answer.get('error')}")

    def json(self, path, params):
        return _post_json(
            f"{self.base}{path}", {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}, self.opener
        )

    def call_kw(self, model, method, args, kwargs=None):
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}
        return self.json(f"/web/dataset/call_kw/{model}/{method}", params)

    def call_button(self, model, method, args, kwargs=None):
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}
        return self.json(f"/web/dataset/call_button/{model}/{method}", params)


def _error_name(error):
    data = error.get("data") or {}
    return data.get("name") or error.get("message") or "error"


def _count_error(stats, prefix, error):
    if isinstance(error, urllib.error.HTTPError):
        key = f"{prefix} HTTP {error.code}"
        message = str(error)
    elif isinstance(error, dict):
        key = f"{prefix} {_error_name(error)}"
        message = (error.get("data") or {}).get("message") or error.get("message")
    else:
        key = f"{prefix} {type(error).__name__}"
        message = str(error)
    stats.add(key)
    with stats.lock:
        stats.error_samples.setdefault(key, message)


def rpc_client(base, db, uid, password, run, index, count, stats):
    for number in range(count):
        marker = f"LOAD {run} rpc{index}-{number}"
        try:
            answer = _rpc(
                base,
                db,
                uid,
                password,
                "complaint.complaint",
                "create",
                [
                    {
                        "subject": marker,
                        "complainant_name": f"Caller {index}-{number}",
                        "complainant_email": f"rpc{index}.{number}@example.com",
                        "channel": "web",
                        "description": "<p>Submitted by the load test.</p>",
                    }
                ],
            )
        except (urllib.error.URLError, OSError) as error:
            _count_error(stats, "rpc create", error)
            continue
        if "error" in answer:
            _count_error(stats, "rpc create", answer["error"])
            continue
        stats.add("rpc create ok")
        with stats.lock:
            stats.created[marker] = answer["result"]


def form_client(base, run, index, count, stats):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    post_opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(CookieJar()))
    for number in range(count):
        marker = f"LOAD {run} form{index}-{number}"
        try:
            with post_opener.open(f"{base}/complaint", timeout=120) as response:
                page = response.read().decode()
            token = re.search(r'name="csrf_token"\s+value="([^"]+)"', page)
            if not token:
                stats.add("form GET without csrf_token")
                continue
            data = urllib.parse.urlencode(
                {
                    "csrf_token": token.group(1),
                    "complainant_name": f"Visitor {index}-{number}",
                    "complainant_email": f"form{index}.{number}@example.com",
                    "subject": marker,
                    "description": "Submitted through the public form by the load test.",
                    "contact_channel": "email",
                    "consent_data_processing": "on",
                }
            ).encode()
            try:
                post_opener.open(urllib.request.Request(f"{base}/complaint/submit", data), timeout=120)
                stats.add("form: no redirect (refused or form shown again)")
                continue
            except urllib.error.HTTPError as error:
                if error.code not in (302, 303):
                    raise
                location = error.headers.get("Location", "")
            found = re.search(r"/complaint/confirmation/(\d+)", location)
            stats.add("form submit ok" if found else "form: redirected elsewhere")
            if found:
                with stats.lock:
                    stats.created[marker] = int(found.group(1))
        except (urllib.error.URLError, OSError) as error:
            _count_error(stats, "form submit", error)


def handler_session(base, db, login, run, stop, stats, index, handlers, api="jsonrpc"):  # noqa: C901 (one loop of user moves)
    if api == "web":
        try:
            session = WebSession(base, db, login, login)
        except (RuntimeError, urllib.error.URLError, OSError):
            stats.add(f"handler {login} cannot log in")
            return
        uid = session.uid

        def call(method, args, kwargs=None):
            return session.call_kw("complaint.complaint", method, args, kwargs)

        def search(domain):
            # The list view's read (on the replica when the server has one).
            answer = call("web_search_read", [domain, {"state": {}}], {"limit": 40, "order": "id"})
            return answer, [record["id"] for record in (answer.get("result") or {}).get("records", [])]

        def act(action, ids):
            return session.call_button("complaint.complaint", action, [ids])

        categories = session.call_kw("complaint.category", "search", [[]], {"limit": 1})["result"]
        severities = session.call_kw("complaint.severity", "search", [[]], {"limit": 1})["result"]
    else:
        uid = _login(base, db, login, login)
        if not uid:
            stats.add(f"handler {login} cannot log in")
            return

        def call(method, args, kwargs=None):
            return _rpc(base, db, uid, login, "complaint.complaint", method, args, kwargs)

        def search(domain):
            answer = call("search", [domain], {"limit": 40})
            return answer, answer.get("result", [])

        def act(action, ids):
            return call(action, [ids])

        categories = _rpc(base, db, uid, login, "complaint.category", "search", [[]], {"limit": 1})["result"]
        severities = _rpc(base, db, uid, login, "complaint.severity", "search", [[]], {"limit": 1})["result"]
    steps = [
        ("received", "action_acknowledge", None),
        (
            "acknowledged",
            "action_assess",
            {"category_id": categories[0], "severity_id": severities[0], "scope_decision": "in_scope"},
        ),
        ("assessed", "action_start_investigation", {"user_id": uid}),
    ]
    while not stop.is_set():
        moved = False
        for state, action, vals in steps:
            domain = [("subject", "like", f"LOAD {run} %"), ("state", "=", state)]
            try:
                answer, found = search(domain)
                if "error" in answer:
                    _count_error(stats, "handler list", answer["error"])
                    continue
                ids = [cid for cid in found if cid % handlers == index]
                if not ids:
                    continue
                batch = ids[:5]
                if vals:
                    answer = call("write", [batch, vals])
                    if "error" in answer:
                        _count_error(stats, f"handler {action}", answer["error"])
                        continue
                answer = act(action, batch)
            except (urllib.error.URLError, OSError) as error:
                _count_error(stats, f"handler {action}", error)
                continue
            if "error" in answer:
                _count_error(stats, f"handler {action}", answer["error"])
            else:
                stats.add("handler moves ok", len(batch))
                moved = True
        if not moved:
            time.sleep(0.2)


LIST_SPEC = {
    "priority": {},
    "name": {},
    "date_received": {},
    "subject": {},
    "complainant_display": {},
    "channel": {},
    "category_id": {"fields": {"display_name": {}}},
    "severity_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "team_id": {"fields": {"display_name": {}}},
    "stage_id": {"fields": {"display_name": {}}},
    "state": {},
    "is_done": {},
}


def reader_session(base, db, login, run, stop, stats, kpi=True):
    """Read as the web client does, in a loop until ``stop``: list, kanban, groupings, KPI pivot, a form."""
    try:
        session = WebSession(base, db, login, login)
    except (RuntimeError, urllib.error.URLError, OSError):
        stats.add(f"reader {login} cannot log in")
        return
    model = "complaint.complaint"
    reads = [
        (
            "list",
            lambda: session.call_kw(model, "web_search_read", [[], LIST_SPEC], {"limit": 80, "count_limit": 10001}),
        ),
        (
            "list LOAD filter",
            lambda: session.call_kw(
                model,
                "web_search_read",
                [[("subject", "like", f"LOAD {run} %")], LIST_SPEC],
                {"limit": 80, "count_limit": 10001},
            ),
        ),
        (
            "kanban groups",
            lambda: session.call_kw(model, "web_read_group", [[], ["__count"], ["stage_id"]], {"lazy": True}),
        ),
        (
            "read_group month x category",
            lambda: session.call_kw(
                model, "read_group", [[], ["__count"], ["date_received:month", "category_id"]], {"lazy": False}
            ),
        ),
        ("name_search partner", lambda: session.call_kw("res.partner", "name_search", [], {"name": "a", "limit": 8})),
    ]
    if kpi:
        reads.append(
            (
                "KPI pivot",
                lambda: session.call_kw(
                    "complaint.kpi.report",
                    "read_group",
                    [
                        [],
                        ["nbr:sum", "ack_on_time_pct:avg", "resolved_on_time_pct:avg", "resolution_hours:avg"],
                        ["category_id", "date_received:month"],
                    ],
                    {"lazy": False},
                ),
            )
        )
    form_id = [None]

    def form():
        answer = session.call_kw(
            model,
            "web_search_read",
            [[("subject", "like", f"LOAD {run} %")], {"id": {}}],
            {"limit": 20, "order": "id desc"},
        )
        records = (answer.get("result") or {}).get("records") or []
        if not records:
            return answer
        form_id[0] = random.choice(records)["id"]
        spec = dict(LIST_SPEC, description={}, partner_id={"fields": {"display_name": {}}}, complainant_email={})
        return session.call_kw(model, "web_read", [[form_id[0]], spec])

    def chatter():
        if not form_id[0]:
            return {"result": None}
        return session.json(
            "/mail/thread/data",
            {
                "thread_model": model,
                "thread_id": form_id[0],
                "request_list": ["activities", "attachments", "followers"],
            },
        )

    reads += [("form", form), ("chatter", chatter)]
    while not stop.is_set():
        for name, read in reads:
            started = time.perf_counter()
            try:
                answer = read()
            except (urllib.error.URLError, OSError) as error:
                _count_error(stats, f"read {name}", error)
                continue
            if "error" in answer:
                _count_error(stats, f"read {name}", answer["error"])
                continue
            stats.time(name, time.perf_counter() - started)
            stats.add("reads ok")
            if stop.is_set():
                break


def job_runner(base, db, uid, password, stop, stats, tag, actions):
    """Run the jobs' code through one server while something is due (and until ``stop``).

    ``ir.actions.server.run`` runs it in the HTTP worker, not under ``ir.cron``'s lock: every server runs the
    same job at the same moment (beside the scheduled job in a cron worker), as the job's own locks allow.
    """
    deadline = None
    while True:
        busy = False
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
        for name, action_id, due in actions:
            try:
                answer = _rpc(base, db, uid, password, "complaint.complaint", "search_count", [due(now)])
                if "error" in answer:
                    _count_error(stats, f"job {name}", answer["error"])
                    continue
                if not answer["result"]:
                    continue
                answer = _rpc(base, db, uid, password, "ir.actions.server", "run", [[action_id]])
            except (urllib.error.URLError, OSError) as error:
                _count_error(stats, f"job {name}", error)
                continue
            if "error" in answer:
                _count_error(stats, f"job {name}", answer["error"])
            else:
                stats.add(f"job {name} runs on {tag}")
                busy = True
        if stop.is_set():
            deadline = deadline or time.monotonic() + 120
            if not busy or time.monotonic() > deadline:
                return
        if not busy:
            time.sleep(0.5)


def _job_actions(base, db, uid, password):
    """Server actions running the jobs' code (created in the database under load), with what each finds due."""
    model_id = _rpc(base, db, uid, password, "ir.model", "search", [[("model", "=", "complaint.complaint")]])["result"][
        0
    ]
    actions = []
    for name, code, due in HTTP_JOBS:
        action_id = _rpc(
            base,
            db,
            uid,
            password,
            "ir.actions.server",
            "create",
            [{"name": f"Load test: {name}", "model_id": model_id, "state": "code", "code": code}],
        )["result"]
        actions.append((name, action_id, due))
    return actions


def drive(urls, db, run, args, stats, jobs="process", config=None):
    """Run the clients against ``urls`` (spread in turn) until the intake is done; return the timings."""
    uid = _login(urls[0], db, "admin", "admin")
    stop = threading.Event()
    handler_logins = ["handler", "handler2"]
    handlers = [
        threading.Thread(
            target=handler_session,
            args=(urls[i % len(urls)], db, handler_logins[i % 2], run, stop, stats, i, args.handlers, args.handler_api),
            daemon=True,
        )
        for i in range(args.handlers)
    ]
    readers = [
        threading.Thread(
            target=reader_session,
            args=(urls[i % len(urls)], db, "complaint_manager", run, stop, stats, getattr(args, "kpi", True)),
            daemon=True,
        )
        for i in range(args.readers)
    ]
    intake = [
        threading.Thread(
            target=rpc_client,
            args=(urls[i % len(urls)], db, uid, "admin", run, i, args.per_client, stats),
            daemon=True,
        )
        for i in range(args.clients)
    ] + [
        threading.Thread(
            target=form_client,
            args=(urls[(args.clients + i) % len(urls)], run, i, args.per_client, stats),
            daemon=True,
        )
        for i in range(args.form_clients)
    ]
    processes = []
    runners = []
    started = time.perf_counter()
    if jobs == "process":
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", ESCALATION_JOB, config, db],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            for _i in range(2)
        ]
    elif jobs == "http":
        actions = _job_actions(urls[0], db, uid, "admin")
        runners = [
            threading.Thread(
                target=job_runner, args=(url, db, uid, "admin", stop, stats, f"server {n + 1}", actions), daemon=True
            )
            for n, url in enumerate(urls)
        ]
    for thread in handlers + readers + intake + runners:
        thread.start()
    for thread in intake:
        thread.join()
    intake_seconds = time.perf_counter() - started
    time.sleep(3)  # the handlers finish their round
    stop.set()
    for thread in handlers + readers:
        thread.join(timeout=300)
    escalated = []
    for job in processes:
        out, _err = job.communicate(timeout=600)
        escalated.append(out.strip() or "failed")
    for thread in runners:
        thread.join(timeout=300)
    return {"intake_seconds": intake_seconds, "elapsed": time.perf_counter() - started, "escalated": escalated}


def _psql(db, query):
    return subprocess.run(
        ["psql", *PSQL_ARGS, "-d", db, "-Atc", query], check=True, capture_output=True, text=True
    ).stdout


def check(db, run, stats):
    """What the database says after the load: lost complaints, duplicates, double escalations and acknowledgements."""
    submitted = len(stats.created)
    found = int(_psql(db, f"SELECT count(*) FROM complaint_complaint WHERE subject LIKE 'LOAD {run} %'"))
    ids = [cid for cid in stats.created.values() if cid]
    missing = int(
        _psql(
            db,
            f"SELECT count(*) FROM unnest(ARRAY[{','.join(map(str, ids or [0]))}]::int[]) i WHERE NOT EXISTS "
            "(SELECT 1 FROM complaint_complaint WHERE id = i)",
        )
    )
    duplicates = int(
        _psql(
            db,
            "SELECT count(*) FROM (SELECT name, company_id FROM complaint_complaint "
            "GROUP BY 1, 2 HAVING count(*) > 1) d",
        )
    )
    double_logs = int(
        _psql(
            db,
            "SELECT count(*) FROM (SELECT complaint_id, level_id FROM complaint_escalation_log "
            "GROUP BY 1, 2 HAVING count(*) > 1) d",
        )
    )
    double_steps = int(
        _psql(
            db,
            # A history line names the levels fired together: "Escalation: <level>; <level>".
            "SELECT count(*) FROM (SELECT complaint_id, level FROM complaint_step, "
            "regexp_split_to_table(substring(action FROM 'Escalation: (.*)'), '; ') AS level "
            "WHERE action LIKE 'Escalation:%' GROUP BY 1, 2 HAVING count(*) > 1) d",
        )
    )
    # Acknowledged twice: two history lines into "acknowledged" for one of the load's complaints.
    double_acks = int(
        _psql(
            db,
            "SELECT count(*) FROM (SELECT s.complaint_id FROM complaint_step s JOIN complaint_complaint c "
            f"ON c.id = s.complaint_id WHERE c.subject LIKE 'LOAD {run} %' AND s.action LIKE 'Acknowledged%' "
            "GROUP BY 1 HAVING count(*) > 1) d",
        )
    )
    acknowledged = int(
        _psql(
            db,
            f"SELECT count(*) FROM complaint_complaint WHERE subject LIKE 'LOAD {run} %' "
            "AND date_acknowledged IS NOT NULL",
        )
    )
    # The pre-aggregated counts (kanban, pivots) against a count of the complaints, after the concurrent writes.
    counted = "SELECT company_id, stage_id, team_id, user_id, count(*) FROM complaint_complaint GROUP BY 1, 2, 3, 4"
    summed = (
        "SELECT NULLIF(company_id, 0), NULLIF(stage_id, 0), NULLIF(team_id, 0), NULLIF(user_id, 0),"
        " sum(summary_count) FROM (SELECT * FROM complaint_count_summary"
        " UNION ALL SELECT * FROM complaint_count_delta) s GROUP BY 1, 2, 3, 4 HAVING sum(summary_count) <> 0"
    )
    summary_mismatches = int(
        _psql(db, f"SELECT count(*) FROM (({counted} EXCEPT {summed}) UNION ALL ({summed} EXCEPT {counted})) d")
    )
    logs = int(_psql(db, "SELECT count(*) FROM complaint_escalation_log"))
    result = {
        "submitted": submitted,
        "found": found,
        "missing": missing,
        "duplicates": duplicates,
        "double_logs": double_logs,
        "double_steps": double_steps,
        "double_acks": double_acks,
        "acknowledged": acknowledged,
        "summary_mismatches": summary_mismatches,
        "escalation_logs": logs,
    }
    result["ok"] = not (
        found != submitted or missing or duplicates or double_logs or double_steps or double_acks or summary_mismatches
    )
    return result


# A failed statement Odoo logs as an ERROR ("bad query") and then retries: a concurrency failure, not an error.
CONCURRENCY = re.compile(r"could not serialize access|deadlock detected|could not obtain lock|conflict with recovery")


def log_counts(text):
    """Concurrency retries and ERROR lines of an Odoo server log (the retried statements apart)."""
    errors = retried_statements = 0
    for match in re.finditer(r"^\S+ \S+ \d+ ERROR \S+ (\S+): (.*(?:\n(?!\S+ \S+ \d+ [A-Z]+ ).*)*)", text, re.M):
        if match.group(2).startswith("bad query") and CONCURRENCY.search(match.group(2)):
            retried_statements += 1
        else:
            errors += 1
    return {
        "retried": len(re.findall(r"tries left, try again", text)),
        "retried_statements": retried_statements,
        "errors": errors,
    }


def print_figures(args, figures, checks, stats, urls):
    submitted = checks["submitted"]
    intake_seconds = figures["intake_seconds"]
    print(
        f"intake: {submitted} complaints in {intake_seconds:.1f} s = {submitted / intake_seconds:.1f} complaints/s "
        f"({args.clients} JSON-RPC + {args.form_clients} form clients x {args.per_client}, "
        f"over {len(urls)} server(s)); "
        f"{stats.counts['handler moves ok']} handler moves by {args.handlers} handlers; "
        f"{stats.counts['reads ok']} web client reads by {args.readers} readers "
        f"({stats.counts['reads ok'] / intake_seconds:.1f}/s)"
    )
    print(
        f"escalation jobs (processed, retried): {figures['escalated']}; escalation logs: {checks['escalation_logs']}; "
        f"total {figures['elapsed']:.1f} s"
    )
    for key, value in sorted(stats.counts.items()):
        print(f"  {key}: {value}")
    for key, message in sorted(stats.error_samples.items()):
        print(f"  first {key}: {str(message)[:300]}")
    print(
        f"checks: in database {checks['found']} of {submitted} acknowledged (missing ids: {checks['missing']}); "
        f"duplicate references: {checks['duplicates']}; double escalation logs: {checks['double_logs']}; "
        f"double escalation steps: {checks['double_steps']}; double acknowledgements: {checks['double_acks']}; "
        f"count summary mismatches: {checks['summary_mismatches']}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", default=".run/odoo.conf", help="Odoo configuration file")
    parser.add_argument("--template", help="database with the addons and demo data, copied")
    parser.add_argument("--db", help="name of the copy (default: <template>_load); with --url, the servers' database")
    parser.add_argument("--port", type=int, default=8181, help="HTTP port (the next one is the gevent port)")
    parser.add_argument(
        "--url", action="append", help="a running server to drive instead of starting one (repeat it for several)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=6, help="JSON-RPC clients")
    parser.add_argument("--form-clients", type=int, default=2, help="public form clients")
    parser.add_argument("--handlers", type=int, default=2, help="handler sessions")
    parser.add_argument("--handler-api", choices=["jsonrpc", "web"], default="jsonrpc", help="how handlers work")
    parser.add_argument("--readers", type=int, default=0, help="web client sessions reading lists, groupings, KPI")
    parser.add_argument("--jobs", choices=["process", "http"], default="process", help="how the jobs run")
    parser.add_argument("--per-client", type=int, default=40, help="complaints per client")
    parser.add_argument("--generate", type=int, default=3000, help="complaints added by gen_complaints.py")
    parser.add_argument("--keep", action="store_true", help="keep the copy")
    args = parser.parse_args()
    run = time.strftime("%H%M%S")

    if args.url:
        if not args.db:
            parser.error("--url needs --db")
        stats = Stats()
        figures = drive(args.url, args.db, run, args, stats, jobs=args.jobs, config=args.config)
        checks = check(args.db, run, stats)
        print(f"{len(args.url)} server(s) {', '.join(args.url)}, database {args.db}")
        print_figures(args, figures, checks, stats, args.url)
        print("OK" if checks["ok"] else "FAILED")
        sys.exit(0 if checks["ok"] else 1)

    if not args.template:
        parser.error("--template is required (or --url)")
    db = args.db or f"{args.template}_load"
    base = f"http://127.0.0.1:{args.port}"
    python = sys.executable
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    subprocess.run(["createdb", "-T", args.template, db], check=True)
    # The public form's flood limits would refuse a load test from one address: off in the copy.
    _psql(db, "UPDATE res_company SET complaint_portal_limit_ip = 0, complaint_portal_limit_email = 0")
    if args.generate:
        subprocess.run(
            [python, "bench/gen_complaints.py", "-c", args.config, "-d", db, "-n", str(args.generate), "--no-tickets"],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    log_path = f"/tmp/load_test_{db}.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                *odoo_command(),
                "-c",
                args.config,
                "-d",
                db,
                f"--db-filter=^{db}$",
                f"--workers={args.workers}",
                "--max-cron-threads=0",
                f"--http-port={args.port}",
                f"--gevent-port={args.port + 1}",
                "--http-interface=127.0.0.1",
                "--log-level=info",
                "--limit-time-real=600",
                "--limit-time-cpu=300",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_http(base, server)
        stats = Stats()
        figures = drive([base], db, run, args, stats, jobs=args.jobs, config=args.config)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)

    checks = check(db, run, stats)
    with open(log_path) as log:
        counts = log_counts(log.read())

    print(f"Odoo --workers={args.workers} on {base}, database {db} (copy of {args.template})")
    print_figures(args, figures, checks, stats, [base])
    print(
        f"server log {log_path}: {counts['retried']} concurrency retries, {counts['errors']} ERROR lines "
        f"(+ {counts['retried_statements']} failed statements Odoo logged and retried)"
    )
    if not args.keep:
        subprocess.run(["dropdb", "--if-exists", db], check=False)
    print("OK" if checks["ok"] else "FAILED")
    sys.exit(0 if checks["ok"] else 1)


def odoo_command():
    """How to start Odoo: its ``odoo-bin`` when Odoo is a source tree. With ``python -m odoo`` a prefork server
    cannot start its gevent (websocket) worker: it runs ``odoo/__main__.py`` as a script ("attempted relative
    import"), again and again; the HTTP workers are not affected."""
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.find_spec("odoo")
    for location in (spec.submodule_search_locations or []) if spec else []:
        script = os.path.join(os.path.dirname(location), "odoo-bin")
        if os.path.exists(script):
            return [sys.executable, script]
    return [sys.executable, "-m", "odoo"]


def wait_http(base, server, timeout=180):
    """Wait until the server at ``base`` (a ``Popen``) answers ``/web/login``."""
    started = time.time()
    while time.time() - started < timeout:
        if server.poll() is not None:
            raise SystemExit("the Odoo server stopped; see its log")
        try:
            with urllib.request.urlopen(f"{base}/web/login", timeout=10) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    raise SystemExit("the Odoo server did not answer in time")


if __name__ == "__main__":
    main()
