from odoo import models

# The decision's terms: once proposed, a change to them is recorded in the complaint's history.
AUDITED_TERMS = ("remedy_type", "amount", "reasons")


class ComplaintDecision(models.Model):
    """Changes to a proposed decision are written into its complaint's step history.

    A decision waiting for approval can still be amended (and, within the approval limit, is then
    approved without a manager): the auditor must see what changed, from what, by whom. Drafts
    are the handler's work in progress and are not logged.
    """

    _inherit = "complaint.decision"

    def write(self, vals):
        changed = [name for name in AUDITED_TERMS if name in vals]
        proposed = self.filtered(lambda d: d.state != "draft") if changed else self.browse()
        before = {decision.id: {name: decision._audit_value(name) for name in changed} for decision in proposed}
        states = {decision.id: decision.state for decision in proposed}
        result = super().write(vals)
        notes = {}
        for decision in proposed:
            lines = [
                f"{decision._fields[name].get_description(self.env)['string']}: {before[decision.id][name]} → "
                f"{decision._audit_value(name)}"
                for name in changed
                if before[decision.id][name] != decision._audit_value(name)
            ]
            if lines and states[decision.id] == "to_approve" and decision.state == "approved":
                lines.append(self.env._("Approved without a manager: the amount is within the approval limit."))
            if lines:
                notes[decision.complaint_id.id] = "\n".join(lines)
        if notes:
            complaints = self.env["complaint.complaint"].browse(notes)
            complaints._log_step(self.env._("Decision amended"), notes=notes)
        return result

    def _audit_value(self, name):
        value = self[name]
        if name == "remedy_type":
            return dict(self._fields[name]._description_selection(self.env)).get(value, "")
        if name == "amount":
            return self.currency_id.format(value) if self.currency_id else str(value)
        return value or ""
