from odoo import api, fields, models
from odoo.exceptions import UserError

from .complaint_stage import COMPLAINT_STATES


class ComplaintStep(models.Model):
    """One step of a complaint's handling: who moved it, from where to where, when and why.

    The history an auditor reads (ISO 10002 8.1, 8.5). Written only by
    ``complaint.complaint._change_state`` (as superuser); nobody edits or deletes it.
    """

    _name = "complaint.step"
    _description = "Complaint Step History"
    _inherit = ["complaint.process.mixin"]
    _order = "date desc, id desc"
    _rec_name = "action"

    complaint_id = fields.Many2one("complaint.complaint", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Done By", required=True, default=lambda self: self.env.user, readonly=True
    )
    action = fields.Char(required=True, readonly=True, translate=False)
    state_from = fields.Selection(COMPLAINT_STATES, string="From", readonly=True)
    state_to = fields.Selection(COMPLAINT_STATES, string="To", readonly=True)
    stage_id = fields.Many2one("complaint.stage", readonly=True)
    handler_id = fields.Many2one("res.users", string="Responsible Handler", readonly=True)
    team_id = fields.Many2one("complaint.team", readonly=True)
    note = fields.Text(readonly=True)

    def write(self, vals):
        if not self.env.is_superuser():
            raise UserError(self.env._("The step history of a complaint cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.is_superuser():
            raise UserError(self.env._("The step history of a complaint cannot be deleted."))
