"""Scale-out: two Odoo servers on a PostgreSQL primary with a streaming read replica, against one server alone.

Run it from the repository's root, as root (it runs PostgreSQL as the ``postgres`` system user):

    .venv/bin/python bench/scale_out.py -c .run/odoo.conf --template <database with the addons and demo data>

Everything runs on loopback, in a temporary directory removed at the end (also on error, Ctrl+C, SIGTERM
or ``--timeout``); the machine's own PostgreSQL server is only read (``pg_dump`` of the template).

1. PostgreSQL: a new primary (``initdb`` of the machine's PostgreSQL binaries, ``--pg-bin``, as the
   ``postgres`` system user; trust authentication on loopback; a superuser role named after the OS user
   for Odoo; ``pg_stat_statements`` loaded) on a free port. The template is restored into it
   (``pg_dump`` from the machine's server, ``pg_restore``, its filestore copied), or, without
   ``--template``, initialised by Odoo with the demo data (slower). ``gen_complaints.py`` adds
   ``--generate`` complaints, the public form's flood limits are switched off, the scheduled jobs other
   than the complaints' (escalation, acknowledgement, count folding) and the e-mail queue are
   deactivated. One copy of that database per phase.
   Then a streaming replica: ``pg_basebackup -R`` (``standby.signal`` and ``primary_conninfo``), a
   physical replication slot, ``hot_standby_feedback``; started on another free port and caught up
   (``pg_stat_replication``: ``streaming``, replayed up to the primary's WAL position) before any load.
2. A local SMTP sink, so that the acknowledgement e-mails go somewhere on loopback.
3. Phases, one after the other, on their own copy of the database, with the same load
   (``load_test.drive``: JSON-RPC creates, public form submissions, handlers through the web client's
   routes, web client readers, the escalation and acknowledgement jobs' code called through every
   server at once, and the scheduled jobs triggered on every server's cron worker):

   - ``single``: one Odoo server, ``--workers`` workers, ``max_cron_threads`` 1, no replica;
   - ``two`` (only when asked, ``--phases``): two such servers, no replica;
   - ``scaled``: two such servers, each with ``db_replica_host``/``db_replica_port`` on the replica.

   Per phase: complaints submitted against stored, duplicate references, double escalations and
   acknowledgements (``load_test.check``), HTTP and JSON-RPC errors, the servers' ERROR lines and their
   read-only fallbacks (``cannot execute ... in a read-only transaction, retrying with a read/write cursor``,
   with the route), the statements each PostgreSQL server ran (``pg_stat_statements``, reset at the start
   of the load, ``track = top``): reads (``SELECT``/``WITH`` without a write, a lock or ``nextval``), writes,
   transactions; the replica's share of the reads; the replication lag sampled every 0.5 s; throughput.
4. After the ``scaled`` load, with its two servers still up: a sweep of the addons' models and routes
   through a server on the replica (every field of a few records by ``web_search_read``, ``web_read_group``,
   ``name_search``, ``search_count``, ``get_views``, the actions, ``/my/counters``, the chatter's data),
   then "read your writes": a create through one server and an immediate read through the other (and
   the same one), with the replica as it is, with its replay paused (``pg_wal_replay_pause``: what a
   user sees) and with ``recovery_min_apply_delay``.
"""

import argparse
import collections
import configparser
import contextlib
import json
import math
import os
import pwd
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import load_test
import psutil
import psycopg2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS = "sale_management,stock,account,complaint_handling,complaint_handling_reports"
# The scheduled jobs that stay active in the copies (others would add unrelated work, the same in each phase).
KEPT_CRONS = [
    ("complaint_handling", "ir_cron_complaint_escalate"),
    ("complaint_handling", "ir_cron_complaint_acknowledgement"),
    ("complaint_handling", "ir_cron_complaint_count_summary"),
    ("mail", "ir_cron_mail_scheduler_action"),
]
# What pg_stat_statements counts, by kind of statement (constants are normalised to $n in its texts).
STATEMENT_KINDS = r"""
SELECT CASE
         WHEN query ~* '^\s*(begin|start)\M' THEN 'transactions'
         WHEN query ~* '^\s*(commit|rollback|savepoint|release|set|show|reset|discard)\M'
              OR query ~* '^\s*(listen|unlisten|notify|end|deallocate)\M' THEN 'utility'
         WHEN query ~* '^\s*(select|with|values|table)\M'
              AND query !~* '\m(insert|update|delete|merge|nextval|setval|pg_advisory\w*)\M'
              AND query !~* '\mfor\s+(no\s+key\s+|key\s+)?(update|share)\M' THEN 'reads'
         ELSE 'writes'
       END AS kind,
       sum(calls)::bigint, sum(rows)::bigint, sum(total_exec_time)::float
  FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
 WHERE d.datname = %s
 GROUP BY 1
"""
CONCURRENCY = load_test.CONCURRENCY
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+) (\d+) (\w+) (\S+) (\S+): (.*)$")


class Harness:
    """The temporary PostgreSQL servers, the SMTP sink and the Odoo servers, and how to stop them all."""

    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="scale_out_")
        self.pg_started = []  # data directories of the PostgreSQL servers started
        self.servers = []  # Popen of the Odoo servers running
        self.sink = None
        self.user = pwd.getpwuid(os.geteuid()).pw_name  # the role Odoo connects as
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.tmp, "postgres")
        os.chmod(self.tmp, 0o755)
        self.primary_port = self.replica_port = None

    # ------------------------------------------------------------------ processes

    def log(self, message):
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    def pg_bin(self, name):
        return os.path.join(self.args.pg_bin, name)

    def run_pg(self, *command, **kwargs):
        return subprocess.run([*self.as_postgres, *command], check=True, capture_output=True, text=True, **kwargs)

    def connect(self, port, db="postgres", user=None):
        cnx = psycopg2.connect(host="127.0.0.1", port=port, user=user or self.user, dbname=db)
        cnx.autocommit = True
        return cnx

    def sql(self, port, query, params=None, db="postgres", user=None):
        cnx = self.connect(port, db, user)
        try:
            with cnx.cursor() as cr:
                cr.execute(query, params)
                return cr.fetchall() if cr.description else None
        finally:
            cnx.close()

    def cleanup(self):
        for server in self.servers:
            stop_process_group(server)
        self.servers = []
        if self.sink:
            stop_process_group(self.sink)
            self.sink = None
        for datadir in reversed(self.pg_started):
            subprocess.run(
                [*self.as_postgres, self.pg_bin("pg_ctl"), "-D", datadir, "-m", "immediate", "-w", "stop"],
                capture_output=True,
                check=False,
            )
        self.pg_started = []
        if self.args.keep:
            self.log(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------------ PostgreSQL

    def start_pg(self, datadir, port, name):
        logfile = os.path.join(self.tmp, f"{name}.log")
        self.pg_started.append(datadir)  # before: an interrupted start is stopped too
        self.run_pg(self.pg_bin("pg_ctl"), "-D", datadir, "-l", logfile, "-w", "-t", "60", "-o", f"-p {port}", "start")

    def make_primary(self):
        datadir = os.path.join(self.tmp, "primary")
        self.primary_port = free_port()
        self.run_pg(
            self.pg_bin("initdb"), "-D", datadir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
        )
        with open(os.path.join(datadir, "postgresql.conf"), "a") as conf:
            # Copied into the replica by pg_basebackup, but the port (given at start).
            conf.write(
                f"""
listen_addresses = '127.0.0.1'
unix_socket_directories = '{self.tmp}'
max_connections = 300
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.max = 20000
pg_stat_statements.track = top
hot_standby = on
hot_standby_feedback = on
max_standby_streaming_delay = 30s
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
"""
            )
        self.start_pg(datadir, self.primary_port, "primary")
        if self.user != "postgres":
            self.sql(self.primary_port, f'CREATE ROLE "{self.user}" SUPERUSER LOGIN', user="postgres")
        self.sql(self.primary_port, "CREATE EXTENSION pg_stat_statements")

    def make_replica(self):
        datadir = os.path.join(self.tmp, "replica")
        self.replica_port = free_port()
        self.run_pg(
            self.pg_bin("pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary_port),
            "-U",
            "postgres",
            "-D",
            datadir,
            "-X",
            "stream",
            "-R",
            "-C",
            "-S",
            "scale_out_replica",
            "-c",
            "fast",
        )
        for name in ("standby.signal",):
            if not os.path.exists(os.path.join(datadir, name)):
                raise RuntimeError(f"pg_basebackup -R wrote no {name}")
        self.start_pg(datadir, self.replica_port, "replica")
        self.wait_replica_caught_up(timeout=120)

    def replication_state(self):
        rows = self.sql(
            self.primary_port,
            "SELECT state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint, "
            "coalesce(extract(epoch FROM replay_lag), 0)::float FROM pg_stat_replication",
        )
        return rows[0] if rows else (None, None, None)

    def wait_replica_caught_up(self, timeout=60):
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            state, behind, _lag = self.replication_state()
            if state == "streaming" and behind == 0:
                return time.monotonic() - started
            time.sleep(0.2)
        raise RuntimeError(f"the replica did not catch up in {timeout} s ({self.replication_state()})")

    # ------------------------------------------------------------------ Odoo

    def write_odoo_conf(self, smtp_port):
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(self.args.config)
        options = parser["options"]
        self.source_data_dir = options.get("data_dir")
        options["db_host"] = "127.0.0.1"
        options["db_port"] = str(self.primary_port)
        options["db_user"] = self.user
        options["db_password"] = "False"
        options["data_dir"] = os.path.join(self.tmp, "odoo-data")  # shared by the servers: sessions, filestore
        options["smtp_server"] = "127.0.0.1"
        options["smtp_port"] = str(smtp_port)
        options["list_db"] = "False"
        options["http_interface"] = "127.0.0.1"
        for key in ("db_replica_host", "db_replica_port", "dbfilter", "db_name"):
            options.pop(key, None)
        self.odoo_conf = os.path.join(self.tmp, "odoo.conf")
        with open(self.odoo_conf, "w") as conf:
            parser.write(conf)

    def start_sink(self):
        port = free_port()
        code = (
            "import sys, warnings, asyncore\n"
            "warnings.simplefilter('ignore')\n"
            "import smtpd\n"
            "class Sink(smtpd.SMTPServer):\n"
            "    def process_message(self, *args, **kwargs):\n"
            "        return None\n"
            "Sink(('127.0.0.1', int(sys.argv[1])), None, decode_data=False)\n"
            "asyncore.loop()\n"
        )
        self.sink = subprocess.Popen(
            [sys.executable, "-c", code, str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return port

    def odoo(self, *odoo_args, log=None):
        return subprocess.run(
            [*load_test.odoo_command(), "-c", self.odoo_conf, *odoo_args],
            cwd=ROOT,
            check=True,
            stdout=log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )

    def fill_database(self, db):
        """The template on the new primary: restored from the machine's server, or initialised by Odoo."""
        if self.args.template:
            dump = os.path.join(self.tmp, "template.dump")
            collate, ctype = (
                subprocess.run(
                    [
                        "psql",
                        "-d",
                        self.args.template,
                        "-Atc",
                        "SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()",
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .split("|")
            )
            subprocess.run(["pg_dump", "-Fc", "-d", self.args.template, "-f", dump], check=True)
            target = ["-h", "127.0.0.1", "-p", str(self.primary_port), "-U", self.user]
            subprocess.run(
                [
                    "createdb",
                    *target,
                    "-T",
                    "template0",
                    "-E",
                    "UTF8",
                    f"--lc-collate={collate}",
                    f"--lc-ctype={ctype}",
                    db,
                ],
                check=True,
            )
            subprocess.run(["pg_restore", *target, "-j", "2", "--no-owner", "--no-acl", "-d", db, dump], check=True)
            os.remove(dump)
            source = os.path.join(self.source_data_dir or "", "filestore", self.args.template)
            if self.source_data_dir and os.path.isdir(source):
                shutil.copytree(source, os.path.join(self.tmp, "odoo-data", "filestore", db))
        else:
            subprocess.run(
                [
                    "createdb",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.primary_port),
                    "-U",
                    self.user,
                    "-T",
                    "template0",
                    "-E",
                    "UTF8",
                    "--lc-collate=C",
                    "--lc-ctype=C.UTF-8",
                    db,
                ],
                check=True,
            )
            with open(os.path.join(self.tmp, "init.log"), "w") as log:
                self.odoo("-d", db, "-i", ADDONS, "--stop-after-init", "--log-level=warn", log=log)
        self.sql(
            self.primary_port,
            "UPDATE res_company SET complaint_portal_limit_ip = 0, complaint_portal_limit_email = 0",
            db=db,
        )
        if self.args.generate:
            subprocess.run(
                [
                    sys.executable,
                    "bench/gen_complaints.py",
                    "-c",
                    self.odoo_conf,
                    "-d",
                    db,
                    "-n",
                    str(self.args.generate),
                    "--no-tickets",
                ],
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
        self.sql(self.primary_port, "DELETE FROM ir_cron_trigger", db=db)
        # Only the complaints' jobs and the e-mail queue stay active; none due until the load triggers them.
        kept = " OR ".join(f"(module = '{module}' AND name = '{name}')" for module, name in KEPT_CRONS)
        self.sql(
            self.primary_port,
            f"""UPDATE ir_cron SET active = id IN (SELECT res_id FROM ir_model_data
                                                   WHERE model = 'ir.cron' AND ({kept})),
                                   nextcall = (now() AT TIME ZONE 'UTC') + interval '1 day'""",
            db=db,
        )

    def copy_database(self, template, db):
        self.sql(self.primary_port, f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
        source = os.path.join(self.tmp, "odoo-data", "filestore", template)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(self.tmp, "odoo-data", "filestore", db))

    def start_odoo(self, name, db, replica):
        port, gevent_port = free_port(), free_port()
        log_path = os.path.join(self.tmp, f"odoo-{name}.log")
        command = [
            *load_test.odoo_command(),
            "-c",
            self.odoo_conf,
            "-d",
            db,
            f"--db-filter=^{db}$",
            f"--workers={self.args.workers}",
            f"--max-cron-threads={self.args.cron_threads}",
            f"--http-port={port}",
            f"--gevent-port={gevent_port}",
            "--http-interface=127.0.0.1",
            "--log-level=info",
            "--limit-time-real=600",
            "--limit-time-cpu=300",
        ]
        if replica:
            command += ["--db_replica_host=127.0.0.1", f"--db_replica_port={self.replica_port}"]
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                command,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=dict(os.environ, ODOO_PGAPPNAME=f"odoo-{name}-{{pid}}"),
            )
        self.servers.append(server)
        base = f"http://127.0.0.1:{port}"
        load_test.wait_http(base, server)
        return {"name": name, "base": base, "log": log_path, "process": server, "replica": replica}

    def stop_odoo(self):
        for server in self.servers:
            stop_process_group(server)
        self.servers = []


def find_pg_bin():
    """The directory of ``initdb`` and ``pg_ctl``: ``pg_config --bindir``, else Debian's newest version."""
    candidates = []
    with contextlib.suppress(OSError):
        candidates.append(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip())
    debian = "/usr/lib/postgresql"
    if os.path.isdir(debian):
        versions = sorted((v for v in os.listdir(debian) if v.isdigit()), key=int, reverse=True)
        candidates += [os.path.join(debian, v, "bin") for v in versions]
    return next((c for c in candidates if c and os.path.exists(os.path.join(c, "initdb"))), None)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process_group(process):
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass


def cpu_times():
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values), idle


def tree_cpu(pid):
    """CPU seconds of a process and its descendants, the ones they reaped included."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def cpu_snapshot(harness):
    """CPU seconds so far of the Odoo servers, each PostgreSQL server and this process (the load's clients)."""
    snapshot = {"odoo": sum(tree_cpu(server.pid) for server in harness.servers)}
    for name in ("primary", "replica"):
        pidfile = os.path.join(harness.tmp, name, "postmaster.pid")
        if os.path.exists(pidfile):
            with open(pidfile) as pids:
                snapshot[f"postgres {name}"] = tree_cpu(int(pids.readline()))
    own = os.times()
    snapshot["load generator"] = own.user + own.system
    return snapshot


# ---------------------------------------------------------------------- measures


def statement_counts(harness, port, db):
    rows = harness.sql(port, STATEMENT_KINDS, [db])
    return {kind: {"calls": calls, "rows": rows_, "ms": ms} for kind, calls, rows_, ms in rows}


def signaling_checks(harness, port, db):
    """The registry and cache signaling queries each request runs on the primary (never on the replica)."""
    rows = harness.sql(
        port,
        "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
        "WHERE d.datname = %s AND query LIKE '%%base_registry_signaling.last_value%%'",
        [db],
    )
    return rows[0][0]


class LagSampler(threading.Thread):
    def __init__(self, harness):
        super().__init__(daemon=True)
        self.harness = harness
        self.stop = threading.Event()
        self.samples = []

    def run(self):
        while not self.stop.is_set():
            try:
                state, behind, lag = self.harness.replication_state()
                self.samples.append((state, behind or 0, lag or 0.0))
            except psycopg2.Error:
                pass
            self.stop.wait(0.5)


def parse_log(path, start_offset=0):  # noqa: C901 (one pass over the log lines)
    """ERROR lines, read-only fallbacks with their route and traceback, retries and the cron jobs of one log."""
    with open(path, errors="replace") as log:
        log.seek(start_offset)
        lines = log.read().splitlines()
    entries = []  # (pid, level, logger, message, extra lines)
    for line in lines:
        match = LOG_LINE.match(line)
        if match:
            entries.append([match.group(2), match.group(3), match.group(5), match.group(6), []])
        elif entries:
            entries[-1][4].append(line)
    result = {
        "errors": [],
        "concurrency_errors": 0,
        "fallbacks": [],
        "retries": 0,
        "recovery_conflicts": 0,
        "jobs": collections.Counter(),
        "requests": 0,
        "modes": collections.Counter(),  # the cursor Odoo logs for each request: ro, rw, ro->rw
        "replica_unreachable": 0,
    }
    for index, (pid, level, logger, message, extra) in enumerate(entries):
        if logger == "werkzeug":
            result["requests"] += 1
            request = re.search(r'"(?:GET|POST) (\S+) [^"]*" \d+ .* (ro->rw|ro|rw|-)$', message)
            if request:
                path, mode = request.groups()
                if path.startswith(("/jsonrpc", "/xmlrpc")):
                    mode = "external API (/jsonrpc: primary)"
                result["modes"][mode] += 1
        if "tries left, try again" in message or "maximum number of tries reached" in message:
            result["retries"] += 1
        if "conflict with recovery" in message or any("conflict with recovery" in x for x in extra):
            result["recovery_conflicts"] += 1
        if "Failed to open a readonly cursor" in message:
            result["replica_unreachable"] += 1
        job = re.match(r"Job '(.+)' \(\d+\) done", message)
        if job:
            result["jobs"][job.group(1)] += 1
        if level in ("ERROR", "CRITICAL"):
            text = "\n".join([message, *extra])
            if message.startswith("bad query") and CONCURRENCY.search(text):
                # Odoo logs each failed statement; these are retried (see "tries left" above).
                result["concurrency_errors"] += 1
            else:
                result["errors"].append({"logger": logger, "message": message, "traceback": extra[-12:]})
        if "in a read-only transaction" in message and "retrying with a read/write cursor" in message:
            route = None
            for later in entries[index + 1 :]:
                if later[0] == pid and later[2] == "werkzeug":
                    found = re.search(r'"(GET|POST) (\S+)', later[3])
                    route = found.group(2) if found else later[3]
                    break
            result["fallbacks"].append({"message": message, "route": route, "traceback": extra})
    return result


def summarise_fallbacks(fallbacks):
    """Group the read-only fallbacks by statement and route; keep the addons' frames of one traceback."""
    groups = collections.OrderedDict()
    for fallback in fallbacks:
        route = re.sub(r"\d+", "<id>", fallback["route"] or "?")
        key = (fallback["message"].split(",")[0], route)
        if key not in groups:
            frames = [
                line.strip()
                for line in fallback["traceback"]
                if 'File "' in line and ("complaint_handling" in line or "/addons/" in line)
            ]
            groups[key] = {"count": 0, "frames": frames[-8:], "last": fallback["traceback"][-3:]}
        groups[key]["count"] += 1
    return groups


# ---------------------------------------------------------------------- checks on the replica


def replica_sweep(base, db, run):
    """Read the addons' models and routes through a server on the replica; failures, with the primary's answer."""
    session = load_test.WebSession(base, db, "admin", "admin")
    uid = session.uid
    calls = 0
    failures = []

    def record(label, answer, retry=None):
        nonlocal calls
        calls += 1
        if "error" in answer:
            error = answer["error"]
            entry = {
                "call": label,
                "error": load_test._error_name(error),
                "message": ((error.get("data") or {}).get("message") or "")[:300],
            }
            if retry:
                primary = retry()
                entry["on the primary (/jsonrpc)"] = "error too" if "error" in primary else "works"
            failures.append(entry)

    models = session.call_kw(
        "ir.model", "search_read", [[("model", "=like", "complaint.%"), ("transient", "=", False)], ["model"]]
    )["result"]
    skipped = []
    for model in sorted(m["model"] for m in models):
        if "error" in load_test._rpc(base, db, uid, "admin", model, "search_count", [[]]):
            skipped.append(model)  # abstract, or not readable by the administrator: not the replica's doing
            continue
        fields = session.call_kw(model, "fields_get", [], {"attributes": ["type", "store"]})
        if "error" in fields:
            record(f"{model}.fields_get", fields)
            continue
        spec, group_by = {}, None
        for name, field in fields["result"].items():
            if field["type"] in ("binary", "properties", "properties_definition", "json"):
                continue
            if field["type"] in ("many2one", "one2many", "many2many"):
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
            if (
                not group_by
                and field.get("store")
                and field["type"] in ("many2one", "selection")
                and name != "company_id"
            ):
                group_by = name

        def primary(method, args, kwargs=None, model=model):
            return load_test._rpc(base, db, uid, "admin", model, method, args, kwargs)

        record(
            f"{model}.web_search_read (every field)",
            session.call_kw(model, "web_search_read", [[], spec], {"limit": 5, "count_limit": 10001}),
            lambda spec=spec: primary("search_read", [[]], {"limit": 5, "fields": list(spec)}),
        )
        record(f"{model}.search_count", session.call_kw(model, "search_count", [[]]))
        record(f"{model}.name_search", session.call_kw(model, "name_search", [], {"name": "", "limit": 8}))
        if group_by:
            record(
                f"{model}.web_read_group by {group_by}",
                session.call_kw(model, "web_read_group", [[], ["__count"], [group_by]], {"lazy": True}),
                lambda group_by=group_by: primary("read_group", [[], ["__count"], [group_by]]),
            )
        record(
            f"{model}.get_views",
            session.call_kw(model, "get_views", [], {"views": [[False, "list"], [False, "form"], [False, "search"]]}),
        )
    actions = session.call_kw(
        "ir.actions.act_window", "search_read", [[("res_model", "=like", "complaint.%")], ["id"]]
    )["result"]
    for action in actions:
        record(f"/web/action/load {action['id']}", session.json("/web/action/load", {"action_id": action["id"]}))
    some = session.call_kw("complaint.complaint", "search", [[]], {"limit": 3})["result"]
    for complaint_id in some:
        record(
            "/mail/thread/data complaint",
            session.json(
                "/mail/thread/data",
                {
                    "thread_model": "complaint.complaint",
                    "thread_id": complaint_id,
                    "request_list": [
                        "activities",
                        "attachments",
                        "followers",
                        "scheduledMessages",
                        "suggestedRecipients",
                    ],
                },
            ),
        )
    record("/mail/data (init_messaging)", session.json("/mail/data", {"init_messaging": {}}))
    record("/web/session/get_session_info", session.json("/web/session/get_session_info", {}))
    try:
        portal = load_test.WebSession(base, db, "complaint_portal", "complaint_portal")
        record("/my/counters (portal user)", portal.json("/my/counters", {"counters": ["complaint_count"]}))
    except RuntimeError as error:
        failures.append({"call": "portal login", "error": str(error)})
    return {"calls": calls, "models": len(models) - len(skipped), "skipped": skipped, "failures": failures}


def read_your_writes(harness, first, second, db, run, trials, delay):
    """A write through one server, then an immediate read through the other (and the same) on the replica."""
    model = "complaint.complaint"
    uid = load_test._login(first, db, "admin", "admin")
    on_first = load_test.WebSession(first, db, "admin", "admin")
    on_second = load_test.WebSession(second, db, "admin", "admin")
    result = {}

    def create(label):
        answer = load_test._rpc(
            first,
            db,
            uid,
            "admin",
            model,
            "create",
            [
                {
                    "subject": f"RYW {run} {label}",
                    "complainant_name": "Read your writes",
                    "complainant_phone": "+32 2 555 01 01",
                    "channel": "phone",
                }
            ],
        )
        return answer["result"]

    def visible(session, complaint_id):
        return session.call_kw(model, "search_count", [[("id", "=", complaint_id)]])["result"] == 1

    def time_to_visible(session, complaint_id, timeout):
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if visible(session, complaint_id):
                return time.perf_counter() - started
            time.sleep(0.02)
        return None

    # 1. The replica as it is: how often does the read right after the write miss it? And the web client's
    #    button: call_button (primary), then the form reloads the record by web_read (replica), same server.
    misses = collections.Counter()
    waits = []
    stale_after_button = button_errors = 0
    for trial in range(trials):
        complaint_id = create(f"trial {trial}")
        order = [("other server", on_second), ("same server", on_first)]
        if trial % 2:
            order.reverse()
        for label, session in order:
            if not visible(session, complaint_id):
                misses[label] += 1
                waited = time_to_visible(session, complaint_id, 10)
                waits.append(waited)
        answer = on_first.call_button(model, "action_acknowledge", [[complaint_id]])
        if "error" in answer:
            button_errors += 1
            continue
        reloaded = on_first.call_kw(model, "web_read", [[complaint_id], {"state": {}}]).get("result") or []
        if not reloaded or reloaded[0]["state"] != "acknowledged":
            stale_after_button += 1
    result["as is"] = {
        "trials": trials,
        "create (server 1), then search_count on server 2: missed": misses["other server"],
        "create (server 1), then search_count on server 1: missed": misses["same server"],
        "missed ones visible after (ms)": [round(w * 1000, 1) for w in waits if w is not None],
        "Acknowledge button (server 1), then the form's web_read (server 1): still 'received'": stale_after_button,
        "button errors": button_errors,
    }

    # 2. Replay paused: what a user sees while the replica is behind.
    received = create("received before the pause")
    time_to_visible(on_second, received, 10)
    replica = harness.connect(harness.replica_port)
    observed = {}
    try:
        with replica.cursor() as cr:
            cr.execute("SELECT pg_wal_replay_pause()")
            for _i in range(50):
                cr.execute("SELECT pg_get_wal_replay_pause_state()")
                if cr.fetchone()[0] == "paused":
                    break
                time.sleep(0.1)
        new = create("created while the replica is paused")
        observed["create through server 1 (JSON-RPC, primary)"] = f"id {new}"
        answer = on_first.call_button(model, "action_acknowledge", [[received]])
        observed[f"handler 1 acknowledges complaint {received} through server 1 (call_button, primary)"] = (
            "done" if "error" not in answer else load_test._error_name(answer["error"])
        )
        answer = on_first.call_kw(model, "web_read", [[received], {"state": {}}])
        observed["the form reloads it after the button (web_read, server 1, replica)"] = answer.get("result")
        answer = on_second.call_kw(
            model, "web_search_read", [[("id", "in", [new, received])], {"name": {}, "state": {}}]
        )
        records = (answer.get("result") or {}).get("records", [])
        observed["list through server 2 (web_search_read, replica)"] = [(r["id"], r["state"]) for r in records]
        answer = on_first.call_kw(
            model, "web_search_read", [[("id", "in", [new, received])], {"name": {}, "state": {}}]
        )
        records = (answer.get("result") or {}).get("records", [])
        observed["list through server 1 (the writer's own server, replica)"] = [(r["id"], r["state"]) for r in records]
        answer = on_second.call_kw(model, "web_read", [[new], {"name": {}, "state": {}}])
        observed["form of the new complaint through server 2 (web_read)"] = (
            answer.get("result") if "error" not in answer else error_text(answer, 160)
        )
        answer = on_second.call_kw(
            model, "web_read_group", [[("subject", "like", f"RYW {run} %")], ["__count"], ["state"]], {"lazy": True}
        )
        observed["kanban counts through server 2 (web_read_group)"] = [
            (g.get("state"), g.get("state_count", g.get("__count")))
            for g in (answer.get("result") or {}).get("groups", [])
        ]
        answer = on_second.call_button(model, "action_acknowledge", [[received]])
        observed["handler 2 sees it 'received' and acknowledges it again through server 2 (call_button, primary)"] = (
            "done (no error)" if "error" not in answer else error_text(answer, 200)
        )
        answer = on_second.call_kw(
            model,
            "web_save",
            [[new], {"subject": f"RYW {run} edited"}],
            {"specification": {"subject": {}, "state": {}}},
        )
        observed["edit of the new complaint through server 2 (web_save, primary)"] = (
            answer.get("result") if "error" not in answer else load_test._error_name(answer["error"])
        )
        answer = load_test._rpc(second, db, uid, "admin", model, "search_count", [[("id", "=", new)]])
        observed["JSON-RPC search_count through server 2 (/jsonrpc, primary)"] = answer.get("result")
        observed["public form through server 2, then its confirmation page"] = form_round_trip(second, run)
    finally:
        with replica.cursor() as cr:
            cr.execute("SELECT pg_wal_replay_resume()")
        replica.close()
    resumed = time.perf_counter()
    waited = time_to_visible(on_second, new, 30)
    observed["after pg_wal_replay_resume, new complaint visible through server 2 after (s)"] = (
        round(waited, 3) if waited is not None else "not within 30 s"
    )
    harness.wait_replica_caught_up(60)
    observed["replica caught up after (s)"] = round(time.perf_counter() - resumed, 3)
    result["replay paused"] = observed

    # 3. A replica applying the WAL ``delay`` seconds late.
    harness.sql(harness.replica_port, f"ALTER SYSTEM SET recovery_min_apply_delay = '{int(delay * 1000)}ms'")
    harness.sql(harness.replica_port, "SELECT pg_reload_conf()")
    time.sleep(0.5)
    try:
        complaint_id = create("with an apply delay")
        seen = time_to_visible(on_second, complaint_id, delay + 20)
        result[f"recovery_min_apply_delay {delay} s"] = {
            "new complaint visible through server 2 after (s)": round(seen, 2) if seen is not None else None
        }
    finally:
        harness.sql(harness.replica_port, "ALTER SYSTEM RESET recovery_min_apply_delay")
        harness.sql(harness.replica_port, "SELECT pg_reload_conf()")
    harness.wait_replica_caught_up(60)
    return result


def error_text(answer, size):
    error = answer["error"]
    return f"{load_test._error_name(error)}: {(error.get('data') or {}).get('message', '')[:size]}"


def form_round_trip(base, run):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(CookieJar()))
    with opener.open(f"{base}/complaint", timeout=60) as response:
        token = re.search(r'name="csrf_token"\s+value="([^"]+)"', response.read().decode())
    data = urllib.parse.urlencode(
        {
            "csrf_token": token.group(1),
            "complainant_name": "Paused replica",
            "complainant_email": "paused@example.com",
            "subject": f"RYW {run} form while paused",
            "description": "Submitted while the replica replays nothing.",
            "contact_channel": "email",
            "consent_data_processing": "on",
        }
    ).encode()
    try:
        opener.open(urllib.request.Request(f"{base}/complaint/submit", data), timeout=60)
        return "no redirect"
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location", "")
    try:
        with opener.open(urllib.parse.urljoin(base, location), timeout=60) as response:
            return f"redirected to {re.sub(r'^https?://[^/]+', '', location)}, which answers {response.status}"
    except urllib.error.HTTPError as error:
        return f"redirected to {location}, which answers {error.code}"


# ---------------------------------------------------------------------- phases


def warm_up(servers, db, workers):
    """Every worker loads the registry before the clock starts (each worker serves some of the logins)."""
    threads = [
        threading.Thread(target=load_test._login, args=(server["base"], db, "admin", "admin"), daemon=True)
        for server in servers
        for _i in range(workers * 3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    for server in servers:
        session = load_test.WebSession(server["base"], db, "complaint_manager", "complaint_manager")
        session.call_kw("complaint.complaint", "web_search_read", [[], {"name": {}}], {"limit": 1})


def trigger_crons(harness, db):
    """Make the complaints' jobs due now and wake every server's cron worker (as ``ir.cron._trigger`` does)."""
    kept = " OR ".join(f"(module = '{module}' AND name = '{name}')" for module, name in KEPT_CRONS)
    harness.sql(
        harness.primary_port,
        f"""INSERT INTO ir_cron_trigger (cron_id, call_at)
            SELECT res_id, now() AT TIME ZONE 'UTC' FROM ir_model_data WHERE model = 'ir.cron' AND ({kept})""",
        db=db,
    )
    harness.sql(harness.primary_port, "SELECT pg_notify('cron_trigger', %s)", [db])


def run_phase(harness, phase, template):
    args = harness.args
    db = f"scale_out_{phase}"
    harness.copy_database(template, db)
    replica = phase == "scaled"
    count = 1 if phase == "single" else 2
    harness.log(
        f"phase {phase}: {count} Odoo server(s), --workers={args.workers}, replica: {'yes' if replica else 'no'}"
    )
    servers = [harness.start_odoo(f"{phase}{n + 1}", db, replica) for n in range(count)]
    warm_up(servers, db, args.workers)
    if harness.replica_port:
        harness.wait_replica_caught_up(60)
    ports = [harness.primary_port] + ([harness.replica_port] if harness.replica_port else [])
    for port in ports:
        harness.sql(port, "SELECT pg_stat_statements_reset()")
    offsets = {server["name"]: os.path.getsize(server["log"]) for server in servers}
    sampler = LagSampler(harness) if harness.replica_port else None
    if sampler:
        sampler.start()
    run = f"{phase}{time.strftime('%H%M%S')}"
    stats = load_test.Stats()
    trigger_crons(harness, db)
    cpu_start, load_start, own_start = cpu_times(), os.getloadavg()[0], cpu_snapshot(harness)
    figures = load_test.drive([s["base"] for s in servers], db, run, args, stats, jobs="http")
    cpu_end, load_end, own_end = cpu_times(), os.getloadavg()[0], cpu_snapshot(harness)
    if sampler:
        sampler.stop.set()
        sampler.join()
    statements = {"primary": statement_counts(harness, harness.primary_port, db)}
    statements["primary"]["signaling"] = signaling_checks(harness, harness.primary_port, db)
    if harness.replica_port:
        statements["replica"] = statement_counts(harness, harness.replica_port, db)
    logs = {server["name"]: parse_log(server["log"], offsets[server["name"]]) for server in servers}
    result = {
        "phase": phase,
        "servers": count,
        "replica": replica,
        "run": run,
        "figures": figures,
        "counts": dict(stats.counts),
        "error_samples": stats.error_samples,
        "timings": {k: summarise_timings(v) for k, v in stats.timings.items()},
        "statements": statements,
        "lag": summarise_lag(sampler.samples) if sampler else None,
        "logs": logs,
        "cpu_busy": 1 - (cpu_end[1] - cpu_start[1]) / max(1, cpu_end[0] - cpu_start[0]),
        "load_average": (load_start, load_end),
        "cpu_seconds": {name: round(own_end[name] - own_start.get(name, 0.0), 1) for name in own_end},
    }
    if replica:
        harness.log("sweep of the addons' models and routes through a server on the replica")
        sweep_offsets = {server["name"]: os.path.getsize(server["log"]) for server in servers}
        result["sweep"] = replica_sweep(servers[0]["base"], db, run)
        harness.log("read your writes")
        result["read_your_writes"] = read_your_writes(
            harness, servers[0]["base"], servers[1]["base"], db, run, args.ryw_trials, args.lag_delay
        )
        after = {server["name"]: parse_log(server["log"], sweep_offsets[server["name"]]) for server in servers}
        result["after_logs"] = after
    harness.stop_odoo()
    result["checks"] = load_test.check(db, run, stats)
    return result


def summarise_timings(values):
    values = sorted(values)
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(values[min(len(values), math.ceil(len(values) * 0.95)) - 1] * 1000, 1),
    }


def summarise_lag(samples):
    streaming = [s for s in samples if s[0] == "streaming"]
    if not streaming:
        return {"samples": len(samples), "streaming": 0}
    behind = [s[1] for s in streaming]
    lag = [s[2] for s in streaming]
    return {
        "samples": len(samples),
        "streaming": len(streaming),
        "bytes_behind_median": int(statistics.median(behind)),
        "bytes_behind_max": max(behind),
        "replay_lag_median_ms": round(statistics.median(lag) * 1000, 1),
        "replay_lag_max_ms": round(max(lag) * 1000, 1),
    }


# ---------------------------------------------------------------------- report


def report(results, args, setup_seconds, total_seconds):  # noqa: C901 (the figures, in reading order)
    out = []
    say = out.append
    say("")
    say(
        f"=== scale-out, {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} CPUs, set-up {setup_seconds:.0f} s, "
        f"total {total_seconds:.0f} s"
    )
    say(
        f"load per phase: {args.clients} JSON-RPC + {args.form_clients} form clients x {args.per_client} complaints, "
        f"{args.handlers} handlers ({args.handler_api}), {args.readers} readers, jobs through every server; "
        f"--workers={args.workers}, max_cron_threads={args.cron_threads} per server"
    )
    single = next((r for r in results if r["phase"] == "single"), None)
    for result in results:
        figures, checks, counts = result["figures"], result["checks"], result["counts"]
        seconds = figures["intake_seconds"]
        say("")
        say(f"--- {result['phase']}: {result['servers']} server(s), replica {'yes' if result['replica'] else 'no'}")
        say(
            f"intake {checks['submitted']} complaints in {seconds:.1f} s = {checks['submitted'] / seconds:.2f}/s; "
            f"reads {counts.get('reads ok', 0)} = {counts.get('reads ok', 0) / seconds:.1f}/s; "
            f"handler moves {counts.get('handler moves ok', 0)}"
        )
        cpu = result["cpu_seconds"]
        servers_cpu = sum(v for k, v in cpu.items() if k != "load generator")
        say(
            f"CPU seconds during the load: {cpu} (machine busy {result['cpu_busy']:.0%}, load average "
            f"{result['load_average'][0]:.1f} -> {result['load_average'][1]:.1f}); "
            f"{checks['submitted'] / max(1e-9, servers_cpu):.2f} complaints per CPU second of Odoo + PostgreSQL"
        )
        requests = sum(log["requests"] for log in result["logs"].values())
        modes = sum((log["modes"] for log in result["logs"].values()), collections.Counter())
        say(
            f"HTTP requests served (server logs): {requests} = {requests / figures['elapsed']:.1f}/s over "
            f"{figures['elapsed']:.1f} s"
            + (
                f"; by cursor: {dict(modes)}, on the replica ('ro') {modes['ro'] / max(1, sum(modes.values())):.0%}"
                if modes
                else ""
            )
        )
        say(
            f"stored {checks['found']} of {checks['submitted']} submitted (missing ids {checks['missing']}); "
            f"duplicate references {checks['duplicates']}; double escalations: logs {checks['double_logs']}, "
            f"steps {checks['double_steps']}; double acknowledgements {checks['double_acks']}; "
            f"count summary mismatches {checks['summary_mismatches']}; escalation logs {checks['escalation_logs']}; "
            f"acknowledged {checks['acknowledged']}"
        )
        jobs = {k: v for k, v in counts.items() if k.startswith("job ")}
        say(f"jobs called through the servers: {jobs}")
        for name, log in result["logs"].items():
            say(
                f"  {name}: cron worker ran {dict(log['jobs'])}; ERROR lines {len(log['errors'])} "
                f"(+ {log['concurrency_errors']} failed statements Odoo retried); "
                f"read-only fallbacks {len(log['fallbacks'])}; concurrency retries {log['retries']}; "
                f"recovery conflicts {log['recovery_conflicts']}; replica unreachable {log['replica_unreachable']}"
            )
            for error in log["errors"][:5]:
                cause = next((line.strip() for line in reversed(error["traceback"]) if line.strip()), "")
                say(f"    ERROR {error['logger']}: {error['message'][:200]} / {cause[:200]}")
        errors = {
            k: v for k, v in counts.items() if not k.endswith(" ok") and not k.startswith("job ") and k != "reads ok"
        }
        http_5xx = sum(v for k, v in errors.items() if re.search(r"HTTP 5\d\d", k))
        say(
            f"client errors: HTTP 5xx {http_5xx}, JSON-RPC and other errors {sum(errors.values()) - http_5xx}: "
            f"{errors or 'none'}"
        )
        for key, message in result["error_samples"].items():
            say(f"    first {key}: {str(message)[:240]}")
        for fallback_group in summarise_fallbacks(
            [f for log in result["logs"].values() for f in log["fallbacks"]]
        ).items():
            (message, route), group = fallback_group
            say(f"  READ-ONLY FALLBACK x{group['count']}: {message} on {route}")
            for frame in group["frames"]:
                say(f"      {frame}")
        stats = result["statements"]
        primary = stats["primary"]
        reads_primary = primary.get("reads", {}).get("calls", 0)
        say(
            f"statements on the primary: reads {reads_primary} (of which registry/cache signaling checks "
            f"{primary['signaling']}), writes {primary.get('writes', {}).get('calls', 0)}, "
            f"transactions {primary.get('transactions', {}).get('calls', 0)}"
        )
        if "replica" in stats:
            replica = stats["replica"]
            reads_replica = replica.get("reads", {}).get("calls", 0)
            rows_replica = replica.get("reads", {}).get("rows", 0)
            rows_primary = primary.get("reads", {}).get("rows", 0)
            time_replica = replica.get("reads", {}).get("ms", 0)
            time_primary = primary.get("reads", {}).get("ms", 0)
            tx_replica = replica.get("transactions", {}).get("calls", 0)
            tx_primary = primary.get("transactions", {}).get("calls", 0)
            say(
                f"statements on the replica: reads {reads_replica}, "
                f"writes {replica.get('writes', {}).get('calls', 0)}, transactions {tx_replica}"
            )
            say(
                f"replica's share: of the read statements {reads_replica / max(1, reads_replica + reads_primary):.1%} "
                f"({reads_replica / max(1, reads_replica + reads_primary - primary['signaling']):.1%} without "
                f"the signaling checks), of the rows read {rows_replica / max(1, rows_replica + rows_primary):.1%}, "
                "of the reads' "
                f"execution time {time_replica / max(1e-9, time_replica + time_primary):.1%}, "
                f"of the transactions {tx_replica / max(1, tx_replica + tx_primary):.1%}"
            )
            say(f"replication during the load: {result['lag']}")
        if single and result is not single:
            base = single["figures"]["intake_seconds"]
            ratio_intake = (checks["submitted"] / seconds) / (single["checks"]["submitted"] / base)
            ratio_reads = (counts.get("reads ok", 0) / seconds) / max(1e-9, single["counts"].get("reads ok", 0) / base)

            def efficiency(r):
                cpu = sum(v for k, v in r["cpu_seconds"].items() if k != "load generator")
                return r["checks"]["submitted"] / max(1e-9, cpu)

            say(
                f"throughput against single: intake x{ratio_intake:.2f}, reads x{ratio_reads:.2f}; "
                f"complaints per CPU second of the servers x{efficiency(result) / efficiency(single):.2f}"
            )
        say(
            "read latency (median / p95 ms): "
            + ", ".join(f"{k} {v['median_ms']}/{v['p95_ms']}" for k, v in sorted(result["timings"].items()))
        )
        if "sweep" in result:
            sweep = result["sweep"]
            say(
                f"sweep through a server on the replica: {sweep['calls']} calls over {sweep['models']} models; "
                f"failures: {len(sweep['failures'])}"
            )
            for failure in sweep["failures"]:
                say(f"    {failure}")
        if "read_your_writes" in result:
            say("read your writes:")
            for part, values in result["read_your_writes"].items():
                say(f"  {part}:")
                for key, value in values.items() if isinstance(values, dict) else [("", values)]:
                    say(f"    {key}: {value}")
        if "after_logs" in result:
            for name, log in result["after_logs"].items():
                say(
                    f"  {name} during the sweep and read-your-writes: ERROR lines {len(log['errors'])}, "
                    f"read-only fallbacks {len(log['fallbacks'])}"
                )
                for error in log["errors"][:5]:
                    say(f"    ERROR {error['logger']}: {error['message'][:200]}")
            groups = summarise_fallbacks([f for log in result["after_logs"].values() for f in log["fallbacks"]])
            for (message, route), group in groups.items():
                say(f"  READ-ONLY FALLBACK x{group['count']}: {message} on {route}")
                for frame in group["frames"]:
                    say(f"      {frame}")
        say(f"checks {'OK' if checks['ok'] else 'FAILED'}")
    text = "\n".join(out)
    print(text, flush=True)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "-c", "--config", default=".run/odoo.conf", help="Odoo configuration file (addons path, data_dir)"
    )
    parser.add_argument("--template", help="database on the machine's server to copy (without: initialised by Odoo)")
    parser.add_argument(
        "--pg-bin", help="PostgreSQL's binaries (default: pg_config --bindir, or Debian's newest /usr/lib/postgresql/*)"
    )
    parser.add_argument("--phases", default="single,scaled", help="single, two (two servers, no replica), scaled")
    parser.add_argument("--workers", type=int, default=2, help="HTTP workers per server")
    parser.add_argument("--cron-threads", type=int, default=1, help="cron workers per server")
    parser.add_argument("--clients", type=int, default=6, help="JSON-RPC clients")
    parser.add_argument("--form-clients", type=int, default=2, help="public form clients")
    parser.add_argument("--handlers", type=int, default=2, help="handler sessions")
    parser.add_argument("--handler-api", choices=["jsonrpc", "web"], default="web", help="how handlers work")
    parser.add_argument("--readers", type=int, default=2, help="web client sessions reading")
    parser.add_argument("--per-client", type=int, default=20, help="complaints per client")
    parser.add_argument("--generate", type=int, default=3000, help="complaints added by gen_complaints.py")
    parser.add_argument("--ryw-trials", type=int, default=40, help="read-your-writes trials on the replica as it is")
    parser.add_argument("--lag-delay", type=float, default=2.0, help="recovery_min_apply_delay of the lag test (s)")
    parser.add_argument("--timeout", type=int, default=900, help="stop everything after this many seconds")
    parser.add_argument("--json", help="write the figures to this file too")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, data)")
    args = parser.parse_args()
    args.kpi = True
    order = ["single", "two", "scaled"]  # the replica exists only for the last one
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    if set(phases) - set(order):
        parser.error("--phases: single, two, scaled")
    phases = sorted(set(phases), key=order.index)

    args.pg_bin = args.pg_bin or find_pg_bin()
    if not args.pg_bin:
        parser.error("no PostgreSQL server binaries (initdb) found: give --pg-bin")
    harness = Harness(args)

    def interrupt(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGINT too where a shell ignores it
        signal.signal(signum, interrupt)

    def timeout(_signum, _frame):
        raise KeyboardInterrupt(f"--timeout {args.timeout} s reached")

    signal.signal(signal.SIGALRM, timeout)
    signal.alarm(args.timeout)
    started = time.perf_counter()
    status = 1
    try:
        harness.log(f"temporary directory {harness.tmp}")
        harness.make_primary()
        harness.log(f"primary on 127.0.0.1:{harness.primary_port}")
        smtp_port = harness.start_sink()
        harness.write_odoo_conf(smtp_port)
        load_test.PSQL_ARGS[:] = ["-h", "127.0.0.1", "-p", str(harness.primary_port), "-U", harness.user]
        template = "scale_out_template"
        harness.log(f"filling {template} ({'restore of ' + args.template if args.template else 'Odoo -i ' + ADDONS})")
        harness.fill_database(template)
        setup_seconds = time.perf_counter() - started
        results = []
        for phase in phases:
            if phase == "scaled":
                harness.make_replica()
                harness.log(f"replica on 127.0.0.1:{harness.replica_port}, streaming and caught up")
            results.append(run_phase(harness, phase, template))
        signal.alarm(0)
        text = report(results, args, setup_seconds, time.perf_counter() - started)
        if args.json:
            with open(args.json, "w") as out:
                json.dump({"results": results, "report": text}, out, indent=1, default=str)
        status = 0 if all(r["checks"]["ok"] for r in results) else 1
    except KeyboardInterrupt as error:
        harness.log(f"interrupted ({error}); cleaning up")
        status = 130
    except Exception:
        import traceback  # noqa: PLC0415

        traceback.print_exc()
        status = 1
    finally:
        signal.alarm(0)
        harness.cleanup()
    sys.exit(status)


if __name__ == "__main__":
    main()
