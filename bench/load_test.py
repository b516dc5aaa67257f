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
  through the process: acknowledge, assess (category, severity, scope), assign and investigate;
- two processes run the escalation job (``_cron_escalate``, batches of 100, a commit per batch)
  over the copy's open complaints (``gen_complaints.py`` adds ``--generate`` of them first).

Then it checks: every complaint acknowledged by the server is in the database (none lost), no
reference twice, no escalation level fired twice on a complaint (log and history), the pre-aggregated
counts (kanban, pivots) equal to a count of the complaints, and reports
the throughput, the HTTP and RPC errors, and the concurrency failures the server retried (from
its log: PostgreSQL serialization failures and lock conflicts are retried by Odoo up to 5 times).
"""

import argparse
import collections
import json
import os
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


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.created = {}  # marker -> complaint id (None when the server did not say)

    def add(self, key, count=1):
        with self.lock:
            self.counts[key] += count


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


def _count_error(stats, prefix, error):
    if isinstance(error, urllib.error.HTTPError):
        stats.add(f"{prefix} HTTP {error.code}")
    elif isinstance(error, dict):
        stats.add(f"{prefix} {error.get('data', {}).get('name', 'error')}")
    else:
        stats.add(f"{prefix} {type(error).__name__}")


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
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

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
    del opener


def handler_session(base, db, login, run, stop, stats, index, handlers):
    uid = _login(base, db, login, login)
    if not uid:
        stats.add(f"handler {login} cannot log in")
        return
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
                answer = _rpc(base, db, uid, login, "complaint.complaint", "search", [domain], {"limit": 40})
                ids = [cid for cid in answer.get("result", []) if cid % handlers == index]
                if not ids:
                    continue
                batch = ids[:5]
                if vals:
                    answer = _rpc(base, db, uid, login, "complaint.complaint", "write", [batch, vals])
                    if "error" in answer:
                        _count_error(stats, f"handler {action}", answer["error"])
                        continue
                answer = _rpc(base, db, uid, login, "complaint.complaint", action, [batch])
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


def _wait_http(base, server, timeout=180):
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


def _psql(db, query):
    return subprocess.run(["psql", "-d", db, "-Atc", query], check=True, capture_output=True, text=True).stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", default=".run/odoo.conf", help="Odoo configuration file")
    parser.add_argument("--template", required=True, help="database with the addons and demo data, copied")
    parser.add_argument("--db", help="name of the copy (default: <template>_load)")
    parser.add_argument("--port", type=int, default=8181, help="HTTP port (the next one is the gevent port)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=6, help="JSON-RPC clients")
    parser.add_argument("--form-clients", type=int, default=2, help="public form clients")
    parser.add_argument("--handlers", type=int, default=2, help="handler sessions")
    parser.add_argument("--per-client", type=int, default=40, help="complaints per client")
    parser.add_argument("--generate", type=int, default=3000, help="complaints added by gen_complaints.py")
    parser.add_argument("--keep", action="store_true", help="keep the copy")
    args = parser.parse_args()
    db = args.db or f"{args.template}_load"
    base = f"http://127.0.0.1:{args.port}"
    python = sys.executable
    run = time.strftime("%H%M%S")

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
                python,
                "-m",
                "odoo",
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
        _wait_http(base, server)
        stats = Stats()
        uid = _login(base, db, "admin", "admin")
        stop = threading.Event()
        handler_logins = ["handler", "handler2"]
        handlers = [
            threading.Thread(
                target=handler_session,
                args=(base, db, handler_logins[i % 2], run, stop, stats, i, args.handlers),
            )
            for i in range(args.handlers)
        ]
        intake = [
            threading.Thread(target=rpc_client, args=(base, db, uid, "admin", run, i, args.per_client, stats))
            for i in range(args.clients)
        ] + [
            threading.Thread(target=form_client, args=(base, run, i, args.per_client, stats))
            for i in range(args.form_clients)
        ]
        started = time.perf_counter()
        jobs = [
            subprocess.Popen(
                [python, "-c", ESCALATION_JOB, args.config, db],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            for _i in range(2)
        ]
        for thread in handlers + intake:
            thread.start()
        for thread in intake:
            thread.join()
        intake_seconds = time.perf_counter() - started
        time.sleep(3)  # the handlers finish their round
        stop.set()
        for thread in handlers:
            thread.join()
        escalated = []
        for job in jobs:
            out, _err = job.communicate(timeout=600)
            escalated.append(out.strip() or "failed")
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)

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
    with open(log_path) as log:
        text = log.read()
    retried = len(re.findall(r"tries left, try again", text))
    server_errors = len(re.findall(r"^\S+ \S+ \d+ ERROR ", text, re.M))

    print(f"Odoo --workers={args.workers} on {base}, database {db} (copy of {args.template})")
    print(
        f"intake: {submitted} complaints in {intake_seconds:.1f} s = {submitted / intake_seconds:.1f} complaints/s "
        f"({args.clients} JSON-RPC + {args.form_clients} form clients x {args.per_client}); "
        f"{stats.counts['handler moves ok']} handler moves by {args.handlers} handlers"
    )
    print(f"escalation jobs (processed, retried): {escalated}; escalation logs: {logs}; total {elapsed:.1f} s")
    for key, value in sorted(stats.counts.items()):
        print(f"  {key}: {value}")
    print(
        f"checks: in database {found} of {submitted} acknowledged (missing ids: {missing}); "
        f"duplicate references: {duplicates}; double escalation logs: {double_logs}; "
        f"double escalation steps: {double_steps}; count summary mismatches: {summary_mismatches}"
    )
    print(f"server log {log_path}: {retried} concurrency retries, {server_errors} ERROR lines")
    ok = not (found != submitted or missing or duplicates or double_logs or double_steps or summary_mismatches)
    if not args.keep:
        subprocess.run(["dropdb", "--if-exists", db], check=False)
    print("OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
