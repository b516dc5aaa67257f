"""System test: upgrading the core keeps the data; uninstalling the reports addon leaves the register intact.

One throw-away database with the core and the reports addon (with demo data) serves both tests;
it is dropped afterwards. About two minutes in all on two cores.
"""

import uuid
from contextlib import closing

import pytest
from odoo_cli import drop_database, run_odoo

from odoo.sql_db import db_connect

# What the register holds: counts, and a fingerprint of every complaint's key fields.
SNAPSHOT_QUERIES = {
    "complaints": "SELECT COUNT(*) FROM complaint_complaint",
    "steps": "SELECT COUNT(*) FROM complaint_step",
    "decisions": "SELECT COUNT(*) FROM complaint_decision",
    "messages": "SELECT COUNT(*) FROM mail_message WHERE model = 'complaint.complaint'",
    "teams": "SELECT COUNT(*) FROM complaint_team",
    "fingerprint": "SELECT md5(string_agg(concat_ws('|', id, name, subject, state, partner_id, user_id, team_id, "
    "category_id, date_received, date_closed, stage_id), ',' ORDER BY id)) FROM complaint_complaint",
    "steps_fingerprint": "SELECT md5(string_agg(concat_ws('|', id, complaint_id, date, action, state_from, state_to, "
    "note), ',' ORDER BY id)) FROM complaint_step",
}


def _query(db, query):
    with closing(db_connect(db).cursor()) as cr:
        cr.execute(query)
        return cr.fetchall()


def _snapshot(db):
    return {key: _query(db, query)[0][0] for key, query in SNAPSHOT_QUERIES.items()}


def _modules(db):
    rows = _query(db, "SELECT name, state FROM ir_module_module WHERE name LIKE 'complaint%'")
    return dict(rows)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    db = f"complaint_upgrade_{uuid.uuid4().hex[:10]}"
    data_dir = tmp_path_factory.mktemp("filestore")
    try:
        run_odoo(db, data_dir, "-i", "complaint_handling_reports", "--stop-after-init")
        yield db, data_dir
    finally:
        drop_database(db)


def test_upgrade_keeps_the_register_and_the_users_settings(database):
    db, data_dir = database
    before = _snapshot(db)
    assert before["complaints"] > 0 and before["steps"] > before["complaints"], "demo data to keep"
    # Changes made by users: settings, a renamed stage (shipped as noupdate data), a complaint.
    with closing(db_connect(db).cursor()) as cr:
        cr.execute("UPDATE res_company SET complaint_approval_limit = 1234, complaint_retention_years = 7")
        cr.execute(
            'UPDATE complaint_stage SET name = \'{"en_US": "Renamed by a user"}\' WHERE id = '
            "(SELECT res_id FROM ir_model_data WHERE module = 'complaint_handling' "
            "AND name = 'complaint_stage_received')"
        )
        cr.commit()
    before = _snapshot(db)

    run_odoo(db, data_dir, "-u", "complaint_handling", "--stop-after-init")

    assert _snapshot(db) == before
    assert _query(db, "SELECT DISTINCT complaint_approval_limit, complaint_retention_years FROM res_company") == [
        (1234, 7)
    ]
    assert _query(
        db,
        "SELECT name->>'en_US' FROM complaint_stage WHERE id = (SELECT res_id FROM ir_model_data "
        "WHERE module = 'complaint_handling' AND name = 'complaint_stage_received')",
    ) == [("Renamed by a user",)]
    assert _modules(db)["complaint_handling_reports"] == "installed"


def test_uninstalling_the_reports_leaves_the_register_intact(database):
    db, data_dir = database
    before = _snapshot(db)
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
    assert _snapshot(db) == before, "complaints, steps, decisions and messages are all kept"
    # The register still works after the uninstall: the core upgrades and loads cleanly.
    run_odoo(db, data_dir, "-u", "complaint_handling", "--stop-after-init")
    assert _snapshot(db) == before
