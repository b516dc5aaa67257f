from odoo import fields, models
from odoo.tools import SQL

from ..models.complaint_complaint_recurring import (
    RECURRING_THRESHOLD_SQL,
    recurring_base_query,
    recurring_cluster_selects,
    recurring_window_start_sql,
)


class ComplaintRecurringReport(models.Model):
    """Recurring problems now: per company, the products, categories, root causes and complainants with at
    least the company's threshold of complaints within its window (Settings > Complaints). An SQL view."""

    _name = "complaint.recurring.report"
    _description = "Recurring Complaint Problems"
    _auto = False
    _order = "complaint_count desc, date_last desc"
    _rec_name = "dimension"

    dimension = fields.Selection(
        [("product", "Product"), ("category", "Category"), ("cause", "Root Cause"), ("partner", "Complainant")],
        string="Recurring By",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    category_id = fields.Many2one("complaint.category", readonly=True)
    cause_id = fields.Many2one("complaint.cause", string="Root Cause", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Complainant", readonly=True)
    value = fields.Char(compute="_compute_value")
    complaint_count = fields.Integer(string="# Complaints", readonly=True, aggregator="sum")
    date_first = fields.Datetime(string="First Received", readonly=True, aggregator="min")
    date_last = fields.Datetime(string="Last Received", readonly=True, aggregator="max")
    complaint_id_list = fields.Char(readonly=True)
    complaint_ids = fields.Many2many("complaint.complaint", compute="_compute_complaint_ids", string="Complaints")

    @property
    def _table_query(self):
        # ``now`` as a parameter (not PostgreSQL's now()): the same clock as the flags, frozen in tests.
        now = fields.Datetime.now()
        window_start = recurring_window_start_sql(now)
        clusters = recurring_cluster_selects(RECURRING_THRESHOLD_SQL, details=True)
        return SQL(
            """
            WITH base AS (%(base)s),
            clusters AS (%(clusters)s)
            SELECT row_number() OVER (ORDER BY dimension, company_id, value_id) AS id,
                   dimension, company_id,
                   CASE WHEN dimension = 'product' THEN value_id END AS product_id,
                   CASE WHEN dimension = 'category' THEN value_id END AS category_id,
                   CASE WHEN dimension = 'cause' THEN value_id END AS cause_id,
                   CASE WHEN dimension = 'partner' THEN value_id END AS partner_id,
                   complaint_count, date_first, date_last,
                   array_to_string(complaint_ids, ',') AS complaint_id_list
              FROM clusters
            """,
            base=recurring_base_query(
                window_start,
                SQL("%s::timestamp", now),
                date_floor=self.env["complaint.complaint"]._recurring_window_floor(now),
            ),
            clusters=clusters,
        )

    def _compute_value(self):
        for row in self:
            row.value = (row.product_id or row.category_id or row.cause_id or row.partner_id).display_name

    def _compute_complaint_ids(self):
        for row in self:
            ids = [int(i) for i in (row.complaint_id_list or "").split(",") if i]
            row.complaint_ids = self.env["complaint.complaint"].browse(ids)

    def action_open_complaints(self):
        """The complaints of the recurring problem."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Recurring: %(value)s", value=self.value),
            "res_model": "complaint.complaint",
            "view_mode": "list,form,kanban",
            "domain": [("id", "in", self.complaint_ids.ids)],
            "context": {"create": False},
        }

    def action_create_improvement_action(self):
        """Start a corrective action on the recurring problem's complaints."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Improvement Action"),
            "res_model": "complaint.improvement.action",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {
                "default_name": self.env._("Recurring: %(value)s", value=self.value),
                "default_action_type": "corrective",
                "default_company_id": self.company_id.id,
                "default_complaint_ids": self.complaint_ids.ids,
                "default_cause_id": self.cause_id.id,
                "default_product_id": self.product_id.id,
                "default_category_id": self.category_id.id,
            },
        }
