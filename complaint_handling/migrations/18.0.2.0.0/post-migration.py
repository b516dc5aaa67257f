"""18.0.2.0.0: remove the scheduled job of the pre-aggregated counts, shipped as ``noupdate`` data by the core.

complaint_handling_scale ships its own (the counts' code is there now); without it the job would call a
method the core no longer has.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("complaint_handling.ir_cron_complaint_count_summary", raise_if_not_found=False)
    if cron:
        cron.unlink()
