"""System test: the core addon installs alone, on a database without sale, stock or account."""

import re
import subprocess
import sys
import uuid
from contextlib import closing

from odoo.sql_db import close_db, db_connect
from odoo.tools import SQL, config


def _drop(db):
    close_db(db)
    with closing(db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(db)))


def test_core_installs_alone_without_erp_apps(tmp_path):
    db = f"complaint_core_{uuid.uuid4().hex[:10]}"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "odoo", "-c", config.rcfile, "-d", db, "-i", "complaint_handling"]
            + ["--stop-after-init", "--without-demo=all", "--log-level=warn", f"--data-dir={tmp_path}"],
            capture_output=True,
            text=True,
            timeout=1200,
            check=False,
        )
        log = result.stdout + result.stderr
        assert result.returncode == 0, log[-5000:]
        problems = [line for line in log.splitlines() if re.search(r"(WARNING|ERROR|CRITICAL) .*complaint", line)]
        assert not problems, "\n".join(problems)
        with closing(db_connect(db).cursor()) as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND "
                "(name LIKE 'complaint%%' OR name IN ('sale', 'stock', 'account'))"
            )
            installed = {name for (name,) in cr.fetchall()}
        assert installed == {"complaint_handling"}
    finally:
        _drop(db)
