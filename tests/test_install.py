"""System test: the core addon installs alone, on a database without sale, stock or account."""

import uuid
from contextlib import closing

from odoo_cli import drop_database, run_odoo

from odoo.sql_db import db_connect


def test_core_installs_alone_without_erp_apps(tmp_path):
    db = f"complaint_core_{uuid.uuid4().hex[:10]}"
    try:
        run_odoo(db, tmp_path, "-i", "complaint_handling", "--stop-after-init", "--without-demo=all", timeout=1200)
        with closing(db_connect(db).cursor()) as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND "
                "(name LIKE 'complaint%%' OR name IN ('sale', 'stock', 'account'))"
            )
            installed = {name for (name,) in cr.fetchall()}
        assert installed == {"complaint_handling"}
    finally:
        drop_database(db)
