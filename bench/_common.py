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


def run_rolled_back(args, func, *func_args):
    """Call ``func(env, *func_args)`` as the superuser on ``args.database``, then roll everything back."""
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    with Registry(args.database).cursor() as cr:
        try:
            return func(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), *func_args)
        finally:
            cr.rollback()
