from odoo import api, fields, models
from odoo.tools import SQL

# Rate measure -> (numerator, denominator): per 1,000 of the denominator, recomputed from the group's totals.
RATES = {
    "line_rate": ("complaint_count", "line_count"),
    "qty_rate": ("complaint_count", "qty_sold"),
}


class ComplaintRateReport(models.Model):
    """Complaints per 1,000 sales order lines and per 1,000 units sold, by product and month (ISO 10002 8.3).

    One row per company, product and month that has sales or complaints. Sales: the lines of confirmed
    orders (month of the order date). Complaints: by their product or, without one, by the products of the
    order lines they are about (month of receipt); archived complaints are left out. In a pivot or graph
    the rates of a group are computed from its totals, never averaged over its rows.
    """

    _name = "complaint.rate.report"
    _description = "Complaint Rate by Product"
    _auto = False
    _rec_name = "product_id"
    _order = "date desc, product_id"

    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    date = fields.Date(string="Month", readonly=True)
    complaint_count = fields.Integer(string="# Complaints", readonly=True, aggregator="sum")
    line_count = fields.Integer(string="# Order Lines", readonly=True, aggregator="sum")
    qty_sold = fields.Float(string="Quantity Sold", readonly=True, aggregator="sum", digits="Product Unit of Measure")
    line_rate = fields.Float(string="Complaints per 1,000 Lines", readonly=True, aggregator="avg", digits=(16, 2))
    qty_rate = fields.Float(string="Complaints per 1,000 Units", readonly=True, aggregator="avg", digits=(16, 2))

    _depends = {
        "complaint.complaint": ["active", "company_id", "product_id", "date_received", "sale_line_ids"],
        "sale.order": ["state", "date_order"],
        "sale.order.line": [
            "order_id",
            "company_id",
            "product_id",
            "product_uom_qty",
            "display_type",
            "is_downpayment",
        ],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
    }

    @property
    def _table_query(self) -> SQL:
        return SQL(
            """
            WITH sales AS (
                SELECT line.company_id, line.product_id, date_trunc('month', sale.date_order)::date AS month,
                       count(*) AS lines, sum(line.product_uom_qty) AS qty
                  FROM sale_order_line line
                  JOIN sale_order sale ON sale.id = line.order_id
                 WHERE sale.state = 'sale' AND line.display_type IS NULL AND line.product_id IS NOT NULL
                   AND line.is_downpayment IS NOT TRUE
              GROUP BY 1, 2, 3
            ), complaint_products AS (
                SELECT c.id, c.company_id, c.product_id, c.date_received
                  FROM complaint_complaint c
                 WHERE c.active AND c.product_id IS NOT NULL
                 UNION
                SELECT c.id, c.company_id, line.product_id, c.date_received
                  FROM complaint_complaint c
                  JOIN complaint_complaint_sale_order_line_rel rel ON rel.complaint_id = c.id
                  JOIN sale_order_line line ON line.id = rel.sale_line_id
                 WHERE c.active AND c.product_id IS NULL AND line.product_id IS NOT NULL
            ), complaints AS (
                SELECT company_id, product_id, date_trunc('month', date_received)::date AS month,
                       count(*) AS complaints
                  FROM complaint_products
              GROUP BY 1, 2, 3
            )
            SELECT row_number() OVER (ORDER BY rate.month, rate.company_id, rate.product_id) AS id,
                   rate.company_id, rate.product_id, product.product_tmpl_id, template.categ_id AS product_categ_id,
                   rate.month AS date, rate.complaint_count, rate.line_count, rate.qty_sold,
                   1000.0 * rate.complaint_count / NULLIF(rate.line_count, 0) AS line_rate,
                   1000.0 * rate.complaint_count / NULLIF(rate.qty_sold, 0) AS qty_rate
              FROM (
                SELECT COALESCE(s.company_id, k.company_id) AS company_id,
                       COALESCE(s.product_id, k.product_id) AS product_id,
                       COALESCE(s.month, k.month) AS month,
                       COALESCE(k.complaints, 0)::integer AS complaint_count,
                       COALESCE(s.lines, 0)::integer AS line_count,
                       COALESCE(s.qty, 0.0) AS qty_sold
                  FROM sales s
       FULL OUTER JOIN complaints k
                    ON k.company_id = s.company_id AND k.product_id = s.product_id AND k.month = s.month
              ) AS rate
              JOIN product_product product ON product.id = rate.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
            """
        )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """The rates of a group are its complaints per 1,000 of its lines (or units), from its totals.

        The pivot and the graph read groups through ``read_group``: the totals are asked along, and the rates
        computed from them instead of an average of the rows' rates.
        """
        rates = [spec for spec in fields if spec.split(":")[0].split("(")[0] in RATES]
        if not rates:
            return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        totals = sorted({name for spec in rates for name in RATES[spec.split(":")[0].split("(")[0]]})
        asked = [spec for spec in fields if spec not in rates] + [f"{name}:sum" for name in totals]
        groups = super().read_group(domain, asked, groupby, offset, limit, orderby, lazy)
        for group in groups:
            for spec in rates:
                name = spec.split(":")[0].split("(")[0]
                numerator, denominator = RATES[name]
                group[name] = 1000.0 * group[numerator] / group[denominator] if group.get(denominator) else None
        return groups
