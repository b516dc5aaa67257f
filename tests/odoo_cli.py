"""Helpers of the system tests that run Odoo's command line on a throw-away database."""

import re
import subprocess
import sys
from contextlib import closing

from odoo.sql_db import close_db, db_connect
from odoo.tools import SQL, config


def run_odoo(db, data_dir, *args, command=(), stdin=None, timeout=600):
    """Run Odoo (``command``: e.g. ``("shell",)``) on ``db``; fail on an error or a warning of ours.

    Returns the log (standard output and error).
    """
    result = subprocess.run(
        [sys.executable, "-m", "odoo", *command, "-c", config.rcfile, "-d", db, *args]
        + ["--log-level=warn", f"--data-dir={data_dir}"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-5000:]
    problems = [line for line in log.splitlines() if re.search(r"(WARNING|ERROR|CRITICAL) .*complaint", line)]
    assert not problems, "\n".join(problems)
    return log


def drop_database(db):
    """Drop ``db`` if it exists, after closing this process's connections to it."""
    close_db(db)
    with closing(db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(db)))
