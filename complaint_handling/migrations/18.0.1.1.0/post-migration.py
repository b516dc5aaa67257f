"""18.0.1.1.0: portal customers reach complaints through the portal pages only.

Their access right was removed from the data files (Odoo removes it on update); the record rule that went
with it was shipped as ``noupdate`` data, which Odoo keeps: removed here.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("complaint_handling.complaint_complaint_rule_portal", raise_if_not_found=False)
    if rule:
        rule.unlink()
