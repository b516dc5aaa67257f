from ast import literal_eval

from odoo import models


class ComplaintTeam(models.Model):
    """An optional e-mail alias per team: mails sent to it become complaints of the team (ISO 10002 7.2)."""

    _name = "complaint.team"
    _inherit = ["complaint.team", "mail.alias.mixin.optional"]

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("complaint.complaint")
        if self.id:
            values["alias_defaults"] = defaults = literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            defaults["company_id"] = self.company_id.id
        return values
