from odoo import fields, models


class ComplaintTeam(models.Model):
    """A group of complaint handlers with a leader; complaints are assigned to one team."""

    _name = "complaint.team"
    _description = "Complaint Team"
    _inherit = ["complaint.process.mixin", "mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    leader_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    member_ids = fields.Many2many(
        "res.users",
        "complaint_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer()
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("team_id", "in", self.ids), ("is_done", "=", False)], ["team_id"], ["__count"]
            )
        )
        for team in self:
            team.complaint_count = counts.get(team, 0)

    def write(self, vals):
        result = super().write(vals)
        if {"member_ids", "leader_id"} & set(vals):
            # A new member may be the handler of an open complaint about this team.
            self.env["complaint.complaint"].sudo().search(
                [("subject_team_id", "in", self.ids), ("is_done", "=", False), ("user_id", "!=", False)]
            )._check_objectivity()
        return result
