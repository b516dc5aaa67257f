from odoo import api, fields, models


class ComplaintCategory(models.Model):
    """Hierarchical classification of complaints (ISO 10002 7.5), e.g. Product > Defect."""

    _name = "complaint.category"
    _description = "Complaint Category"
    _inherit = ["complaint.process.mixin"]
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _rec_names_search = ["complete_name", "name"]
    _order = "complete_name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", recursive=True, store=True)
    parent_id = fields.Many2one(
        "complaint.category", string="Parent Category", index=True, ondelete="restrict", check_company=True
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("complaint.category", "parent_id", string="Subcategories")
    description = fields.Text(translate=True)
    team_id = fields.Many2one(
        "complaint.team",
        string="Default Team",
        company_dependent=True,
        domain="[('company_id', 'in', allowed_company_ids)]",
        help="Team that handles complaints of this category unless another team is set; "
        "each company chooses its own for a shared category.",
    )
    company_id = fields.Many2one("res.company", help="Leave empty to share the category between companies.")
    active = fields.Boolean(default=True)
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = f"{category.parent_id.complete_name} / {category.name}"
            else:
                category.complete_name = category.name

    @api.depends_context("lang")
    @api.depends("complete_name")
    def _compute_display_name(self):
        # complete_name is stored in one language only; show the path in the user's language.
        ancestor_ids = {int(i) for category in self for i in (category.parent_path or "").split("/") if i}
        ancestors = self.browse(ancestor_ids).with_context(active_test=False).sudo()
        names = {ancestor.id: ancestor.name for ancestor in ancestors}
        for category in self:
            path = [int(i) for i in (category.parent_path or "").split("/") if i]
            if path and all(i in names for i in path):
                category.display_name = " / ".join(names[i] for i in path)
            elif category.parent_id:  # new record, not in the tree yet
                category.display_name = f"{category.parent_id.display_name} / {category.name or ''}"
            else:
                category.display_name = category.name or ""

    def _compute_complaint_count(self):
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("category_id", "child_of", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.complaint_count = sum(
                count for cat, count in counts.items() if cat.parent_path.startswith(category.parent_path)
            )

    @api.constrains("parent_id")
    def _check_category_recursion(self):
        if self._has_cycle():
            raise models.ValidationError(self.env._("A category cannot be its own parent."))
