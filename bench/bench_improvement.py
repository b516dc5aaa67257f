"""Improvement loop at scale: recurring-problem detection, the recurring problems list, the management review.

Run it from the repository's root on a database with ``complaint_handling_reports`` installed and many
complaints (``bench/gen_complaints.py``); everything it changes is rolled back at the end:

    .venv/bin/python bench/bench_improvement.py -c .run/odoo.conf -d <database> [--report-url http://127.0.0.1:8069]

It times (median of 5 after a warm-up, queries counted with ``odoo.sql_db.sql_counter``):

- the daily job that refreshes every complaint's recurring flag (first run: it flags every complaint of
  a generated database; second run: the usual day, little changes);
- the refresh after creating one complaint and after changing a complaint's product (the create/write hook);
- a page of the "Recurring Problems" list (SQL view, 80 rows);
- preparing a management review of the last quarter (the inputs snapshot), its HTML, and, with
  ``--report-url`` (a running Odoo server the PDF engine fetches the styles from), its PDF.
"""

import statistics
import time
from datetime import date

import _common
from dateutil.relativedelta import relativedelta


def _measure(env, func, runs=5):
    import odoo.sql_db  # noqa: PLC0415

    func()  # warm-up
    times, queries = [], []
    for _run in range(runs):
        env.invalidate_all()
        before = odoo.sql_db.sql_counter
        started = time.perf_counter()
        func()
        env.flush_all()
        times.append(time.perf_counter() - started)
        queries.append(odoo.sql_db.sql_counter - before)
    return statistics.median(times) * 1000, int(statistics.median(queries))


def _print(label, env, func, runs=5):
    elapsed, queries = _measure(env, func, runs=runs)
    print(f"{label}: {elapsed:.1f} ms, {queries} queries")


def _run(env, report_url):
    import odoo.sql_db  # noqa: PLC0415

    Complaint = env["complaint.complaint"]
    print(f"complaints: {Complaint.search_count([]):,}")
    started = time.perf_counter()
    queries = odoo.sql_db.sql_counter
    Complaint._cron_refresh_recurring()
    env.flush_all()
    print(
        f"daily refresh of every flag: {time.perf_counter() - started:.2f} s, "
        f"{odoo.sql_db.sql_counter - queries} queries, "
        f"{Complaint.search_count([('is_recurring', '=', True)]):,} recurring complaints"
    )
    started = time.perf_counter()
    queries = odoo.sql_db.sql_counter
    Complaint._cron_refresh_recurring()
    env.flush_all()
    print(
        f"daily refresh again (nothing changed): {time.perf_counter() - started:.2f} s, "
        f"{odoo.sql_db.sql_counter - queries} queries"
    )
    partner = env["res.partner"].search([("email", "!=", False)], limit=1)
    category = env["complaint.category"].search([], limit=1)
    products = env["product.product"].search([], limit=2)

    def create_one():
        Complaint.create({"subject": "Bench", "partner_id": partner.id, "category_id": category.id})

    _print("create one complaint (with its refresh)", env, create_one)
    target = Complaint.search([("category_id", "=", category.id)], limit=1, order="date_received desc")
    flip = iter(list(products) * 10)

    def write_product():
        target.product_id = next(flip)

    _print("change a complaint's product (with its refresh)", env, write_product)

    def recurring_page():
        env["complaint.recurring.report"].web_search_read(
            [], {"dimension": {}, "value": {}, "complaint_count": {}, "date_first": {}, "date_last": {}}, limit=80
        )

    _print("Recurring Problems list, first page", env, recurring_page)
    today = date.today()
    review = env["complaint.management.review"].create(
        {
            "date_from": (today.replace(day=1) - relativedelta(months=3)),
            "date_to": today.replace(day=1) - relativedelta(days=1),
        }
    )
    _print("management review inputs (snapshot)", env, review.action_prepare)
    report = "complaint_handling_reports.action_report_management_review"
    reports = env["ir.actions.report"]
    _print("management review HTML", env, lambda: reports._render_qweb_html(report, review.ids), runs=3)
    if report_url:
        env["ir.config_parameter"].sudo().set_param("report.url", report_url)
        printer = reports.with_context(force_report_rendering=True)
        _print("management review PDF (wkhtmltopdf)", env, lambda: printer._render_qweb_pdf(report, review.ids), runs=3)


def main():
    parser = _common.parser(__doc__, "a database with complaint_handling_reports")
    parser.add_argument("--report-url", help="a running Odoo server for the PDF engine (e.g. http://127.0.0.1:8069)")
    args = parser.parse_args()

    _common.run_rolled_back(args, _run, args.report_url)


if __name__ == "__main__":
    main()
