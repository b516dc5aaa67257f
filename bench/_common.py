"""What the benchmark scripts share: their command line and a rolled-back Odoo environment.

The scripts run as ``.venv/bin/python bench/<script>.py`` from the repository's root, so this module
is importable as ``_common``; Odoo is imported only once the arguments are parsed (``--help`` works
without it).
"""

import argparse


def parser(doc, database_help):
    """An argument parser with ``-c/--config`` and ``-d/--database``, described by ``doc``'s first line."""
    result = argparse.ArgumentParser(description=doc.split("\n", 1)[0])
    result.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    result.add_argument("-d", "--database", required=True, help=database_help)
    return result


_configured = []


def configure(args):
    """Read Odoo's configuration file once (Odoo's parser cannot read it twice in a process)."""
    import odoo  # noqa: PLC0415

    if not _configured:
        odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
        _configured.append(args.config)


def run_rolled_back(args, func, *func_args):
    """Call ``func(env, *func_args)`` as the superuser on ``args.database``, then roll everything back."""
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    configure(args)
    with Registry(args.database).cursor() as cr:
        try:
            return func(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), *func_args)
        finally:
            cr.rollback()


def vacuum_analyze(dbname, tables):
    """``VACUUM ANALYZE`` of ``tables`` that exist in ``dbname``, as autovacuum keeps a live database.

    Odoo's configuration must be read first. The benchmarks roll back what they write, which leaves dead
    rows behind (a rolled-back escalation of 100,000 complaints leaves 100,000): the next run's reads would
    otherwise walk them, and a table that does not reach autovacuum's threshold (20 % of its rows) keeps
    them. VACUUM also sets the visibility map that index-only scans need.
    """
    from odoo import sql_db  # noqa: PLC0415

    with sql_db.db_connect(dbname).cursor() as cr:
        cr._cnx.autocommit = True  # VACUUM runs outside a transaction
        for table in tables:
            cr.execute("SELECT to_regclass(%s)", [table])
            if cr.fetchone()[0]:
                cr.execute(f"VACUUM ANALYZE {table}")
