"""System test: the opt-in speed layer (complaint_handling_scale) changes no figure a user sees.

On a throw-away database with the core, the reports and their demo data: the figures of the kanban, the
lists' counts, the KPI pivot and graph are read; complaint_handling_scale is installed (its own tests run
then, with Odoo's test runner) and the same figures are read again; it is uninstalled and they are read a
third time. All three must be equal, and the addon's SQL objects must be gone after the uninstall.
About four minutes on two cores.
"""

import json
import re
import uuid
from contextlib import closing

import pytest
from odoo_cli import drop_database, run_odoo

from odoo.sql_db import db_connect

# Printed as JSON by ``odoo shell``: the figures of the main reads, as a complaint manager sees them.
FIGURES_SCRIPT = r"""
import json
manager = env.ref("complaint_handling.complaint_manager_demo")
Complaint = env["complaint.complaint"].with_user(manager)
Kpi = env["complaint.kpi.report"].with_user(manager).with_context(tz="Europe/Brussels")

def rows(model, domain, groupby, aggregates):
    return sorted(
        [
            [value.id if hasattr(value, "_name") else str(value) for value in row[: len(groupby)]]
            + [round(float(v), 6) if v is not None else None for v in row[len(groupby):]]
            for row in model._read_group(domain, groupby, aggregates)
        ],
        key=str,
    )

figures = {
    "kanban": rows(Complaint, [], ["stage_id"], ["__count"]),
    "by_team_and_state": rows(Complaint, [], ["team_id", "state"], ["__count"]),
    "open_by_user": rows(Complaint, [("is_done", "=", False)], ["user_id"], ["__count"]),
    "by_month_and_category": rows(Complaint, [], ["date_received:month", "category_id"], ["__count"]),
    "kpi_pivot": rows(
        Kpi,
        [],
        ["date_received:month", "category_id"],
        ["__count", "ack_on_time_pct:avg", "resolved_on_time_pct:avg", "ack_hours:avg", "resolution_hours:avg"],
    ),
    "kpi_graph": rows(Kpi, [("is_open", "=", True)], ["team_id"], ["nbr:sum"]),
    "list_count": Complaint.search_count([]),
    "web_read_group": Complaint.web_read_group([], ["stage_id"], ["stage_id"])["length"],
}
print("FIGURES " + json.dumps(figures, sort_keys=True))
"""


def _figures(db, data_dir):
    log = run_odoo(db, data_dir, command=("shell",), stdin=FIGURES_SCRIPT)
    [line] = [line for line in log.splitlines() if line.startswith("FIGURES ")]
    return json.loads(line[len("FIGURES ") :])


def _scale_objects(db):
    with closing(db_connect(db).cursor()) as cr:
        cr.execute(
            "SELECT count(*) FROM pg_class WHERE relname IN "
            "('complaint_count_summary', 'complaint_count_delta', 'complaint_complaint_kpi_due_index')"
        )
        tables = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'complaint_count_summary%'")
        return tables + cr.fetchone()[0]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    db = f"complaint_scale_{uuid.uuid4().hex[:10]}"
    data_dir = tmp_path_factory.mktemp("filestore")
    try:
        run_odoo(db, data_dir, "-i", "complaint_handling_reports", "--stop-after-init", timeout=1200)
        yield db, data_dir
    finally:
        drop_database(db)


def test_the_speed_layer_changes_no_figure_and_passes_its_tests(database):
    db, data_dir = database
    without = _figures(db, data_dir)
    assert without["list_count"] > 30, "demo complaints to count"
    assert _scale_objects(db) == 0

    log = run_odoo(
        db,
        data_dir,
        "-i",
        "complaint_handling_scale",
        "--test-enable",
        "--test-tags",
        "/complaint_handling_scale",
        "--stop-after-init",
        "--log-handler=odoo.tests.stats:INFO",
        timeout=1800,
    )
    # Odoo's test runner: a failed test is an ERROR line, which run_odoo refuses; the statistics say how many ran.
    ran = re.search(r"complaint_handling_scale: (\d+) tests", log)
    assert ran and int(ran.group(1)) >= 10, log[-3000:]
    assert _scale_objects(db) == 6, "the summary, delta and due index, and three triggers"
    assert _figures(db, data_dir) == without

    run_odoo(
        db,
        data_dir,
        command=("shell",),
        stdin="env['ir.module.module'].search([('name', '=', 'complaint_handling_scale')])"
        ".button_immediate_uninstall()\nenv.cr.commit()\n",
    )
    assert _scale_objects(db) == 0
    assert _figures(db, data_dir) == without
