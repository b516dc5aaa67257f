from odoo import api, fields, models


class ComplaintComplaint(models.Model):
    """The improvement actions taken on a complaint's cause (ISO 10002 8.7)."""

    _inherit = "complaint.complaint"  # pylint: disable=consider-merging-classes-inherited

    improvement_action_ids = fields.Many2many(
        "complaint.improvement.action",
        "complaint_improvement_action_complaint_rel",
        "complaint_id",
        "action_id",
        string="Improvement Actions",
        copy=False,
    )
    improvement_action_count = fields.Integer(compute="_compute_improvement_action_count")

    @api.depends("improvement_action_ids")
    def _compute_improvement_action_count(self):
        for complaint in self:
            complaint.improvement_action_count = len(complaint.improvement_action_ids)

    def action_open_improvement_actions(self):
        """The improvement actions of the complaint; a new one is linked to it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Improvement Actions"),
            "res_model": "complaint.improvement.action",
            "view_mode": "list,kanban,form",
            "domain": [("complaint_ids", "in", self.ids)],
            "context": {
                "default_complaint_ids": self.ids,
                "default_company_id": self.company_id.id,
                "default_name": self.subject,
            },
        }
