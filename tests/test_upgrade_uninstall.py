"""System test: an organisation running the previous release upgrades to this code and keeps every record;
uninstalling the reports addon afterwards leaves the register intact.

The previous release is taken from the repository's own history (:data:`PREVIOUS_RELEASE`, see
CHANGELOG.md): its addons are extracted with ``git archive`` and installed with their demo data, then its
own data generator adds 3,000 complaints (steps, decisions), and a few chatter messages with attachments
are posted. The same database is then upgraded with this code (``-u`` of every addon): every complaint,
step, decision, message and attachment must be there, unchanged, as must the users' settings. About five
minutes on two cores.
"""

import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from odoo_cli import drop_database, run_odoo

from odoo.sql_db import db_connect
from odoo.tools import config

ROOT = Path(__file__).resolve().parent.parent
# The release organisations run today (CHANGELOG.md): the first one, 18.0.1.0.0.
PREVIOUS_RELEASE = "90575a4"
PREVIOUS_ADDONS = "complaint_handling,complaint_handling_reports"
GENERATED = 3000
# Columns that an upgrade may legitimately touch (Odoo's write stamps); everything else must be kept.
STAMPS = {"write_uid", "write_date"}
TABLES = {
    "complaint_complaint": "id",
    "complaint_step": "id",
    "complaint_decision": "id",
    "complaint_team": "id",
    "complaint_category": "id",
    "mail_message": "id",
    "ir_attachment": "id",
    "res_company": "id",
}
# Rows of these tables that belong to complaints (the others are Odoo's own, not ours to compare).
SCOPES = {
    "mail_message": "model = 'complaint.complaint'",
    "ir_attachment": "res_model = 'complaint.complaint'",
}


# Run in ``odoo shell`` on the previous release: messages with attachments, as users post them, and settings.
POST_MESSAGES_SCRIPT = """
for complaint in env["complaint.complaint"].search([], limit=25, order="id desc"):
    photo = b"\\x89PNG\\r\\n\\x1a\\n" + str(complaint.id).encode()
    complaint.message_post(
        body="Photo of the damage", message_type="comment", attachments=[(f"photo-{complaint.id}.png", photo)]
    )
env["res.company"].search([]).write({"complaint_approval_limit": 1234, "complaint_retention_years": 7})
env.cr.commit()
"""


def _query(db, query, params=None):
    with closing(db_connect(db).cursor()) as cr:
        cr.execute(query, params)
        return cr.fetchall()


def _columns(db, table):
    rows = _query(db, "SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table])
    return sorted({name for (name,) in rows} - STAMPS)


def _snapshot(db, columns):
    """Per table of ``columns``: the number of rows and an md5 over every row's ``columns[table]``."""
    snapshot = {}
    for table in columns:
        key = TABLES[table]
        where = f"WHERE {SCOPES[table]}" if table in SCOPES else ""
        values = ", ".join(f"{column}::text" for column in columns[table])
        [(count, digest)] = _query(
            db,
            f"SELECT count(*), md5(string_agg(concat_ws('|', {values}), ',' ORDER BY {key})) FROM {table} {where}",  # noqa: S608
        )
        snapshot[table] = (count, digest)
    return snapshot


def _modules(db):
    return dict(_query(db, "SELECT name, state FROM ir_module_module WHERE name LIKE 'complaint%'"))


@pytest.fixture(scope="module")
def release_database(tmp_path_factory):
    """A database running the previous release, with demo data, generated complaints and attachments."""
    previous = tmp_path_factory.mktemp("previous_release")
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", PREVIOUS_RELEASE],
            capture_output=True,
            check=True,
        ).stdout
    except subprocess.CalledProcessError as error:
        pytest.fail(f"The previous release {PREVIOUS_RELEASE} is not in this clone's history: {error.stderr!r}")
    subprocess.run(["tar", "-x", "-C", str(previous)], input=archive, check=True)
    odoo_paths = [path for path in config["addons_path"].split(",") if Path(path).resolve() != ROOT]
    old_paths = ",".join([str(previous), *odoo_paths])
    # The previous release's own data generator reads a configuration file: this one, on its addons.
    old_conf = previous / "odoo.conf"
    options = {name: config[name] for name in ("db_host", "db_port", "db_user", "db_password", "data_dir")}
    old_conf.write_text(
        "[options]\n" + f"addons_path = {old_paths}\n" + "".join(f"{k} = {v}\n" for k, v in options.items())
    )
    db = f"complaint_upgrade_{uuid.uuid4().hex[:10]}"
    data_dir = tmp_path_factory.mktemp("filestore")
    try:
        run_odoo(db, data_dir, f"--addons-path={old_paths}", "-i", PREVIOUS_ADDONS, "--stop-after-init", timeout=1200)
        generator = subprocess.run(
            [sys.executable, str(previous / "bench" / "gen_complaints.py"), "-c", str(old_conf), "-d", db]
            + ["-n", str(GENERATED), "--no-tickets"],
            capture_output=True,
            text=True,
            check=False,
            cwd=previous,
        )
        assert generator.returncode == 0, (generator.stdout + generator.stderr)[-3000:]
        # Messages with attachments on some complaints, as users post them.
        run_odoo(
            db,
            data_dir,
            f"--addons-path={old_paths}",
            command=("shell",),
            stdin=POST_MESSAGES_SCRIPT,
        )
        yield db, data_dir
    finally:
        drop_database(db)


def test_upgrading_the_previous_release_keeps_every_record(release_database):
    db, data_dir = release_database
    assert _query(db, "SELECT latest_version FROM ir_module_module WHERE name = 'complaint_handling'") == [
        ("18.0.1.0.0",)
    ]
    columns = {table: _columns(db, table) for table in TABLES}
    before = _snapshot(db, columns)
    assert before["complaint_complaint"][0] > GENERATED, "demo and generated complaints to keep"
    assert before["complaint_step"][0] > before["complaint_complaint"][0]
    assert before["ir_attachment"][0] >= 25

    # The current code: the repository's addons, every one of them upgraded (the bridges and the speed layer
    # are not installed on this database: they install themselves or are opt-in).
    run_odoo(db, data_dir, "-u", PREVIOUS_ADDONS, "--stop-after-init", timeout=1200)

    assert _snapshot(db, columns) == before
    versions = dict(_query(db, "SELECT name, latest_version FROM ir_module_module WHERE name LIKE 'complaint%'"))
    assert versions["complaint_handling"] != "18.0.1.0.0"
    assert _query(db, "SELECT DISTINCT complaint_approval_limit, complaint_retention_years FROM res_company") == [
        (1234, 7)
    ]
    # What the release notes say the upgrade removes: the counts of the speed layer, the portal rule.
    assert not _query(db, "SELECT 1 FROM pg_class WHERE relname = 'complaint_count_summary'")
    assert not _query(
        db,
        "SELECT 1 FROM ir_model_data WHERE module = 'complaint_handling' AND name = 'complaint_complaint_rule_portal'",
    )


def test_uninstalling_the_reports_leaves_the_register_intact(release_database):
    db, data_dir = release_database
    # The register's own columns (the reports' columns go with the reports).
    columns = {
        table: [
            column
            for column in _columns(db, table)
            if not column.endswith("working_hours") and column not in ("is_recurring", "recurring_keys")
        ]
        for table in ("complaint_complaint", "complaint_step", "complaint_decision")
    }
    before = _snapshot(db, columns)
    run_odoo(
        db,
        data_dir,
        command=("shell",),
        stdin="env['ir.module.module'].search([('name', '=', 'complaint_handling_reports')])"
        ".button_immediate_uninstall()\nenv.cr.commit()\n",
    )
    modules = _modules(db)
    assert modules["complaint_handling_reports"] == "uninstalled"
    assert modules["complaint_handling"] == "installed"
    assert _snapshot(db, columns) == before, "complaints, steps and decisions are all kept"
    # The register still works after the uninstall: the core upgrades and loads cleanly.
    run_odoo(db, data_dir, "-u", "complaint_handling", "--stop-after-init")
    assert _snapshot(db, columns) == before
