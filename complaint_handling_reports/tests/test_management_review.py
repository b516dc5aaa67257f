import os
import re
import subprocess
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from odoo.addons.complaint_handling.tests.common import ComplaintCase

REPORT = "complaint_handling_reports.action_report_management_review"


def pdf_text(pdf):
    """The text of a PDF as pdftotext reads it, spaces collapsed."""
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"[ \t]+", " ", result.stdout.decode())


class TestManagementReview(ComplaintCase):
    """The management review (ISO 10002 8.6): inputs snapshot, frozen once done, printed with charts.

    A controlled data set in the second company (no demo data there): period September-October 2026,
    previous period July-August 2026.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.company2.write({"complaint_recurring_days": 90, "complaint_recurring_threshold": 3})
        cls.review_manager = new_test_user(
            cls.env,
            login="ch_review_manager",
            groups="complaint_handling.group_complaint_manager",
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
            tz="UTC",
            lang="en_US",
            name="Rose Reviewer",
        )
        cls.auditor2 = new_test_user(
            cls.env,
            login="ch_review_auditor",
            groups="complaint_handling.group_complaint_auditor",
            company_id=cls.company2.id,
            company_ids=[Command.set(cls.company2.ids)],
        )
        cls.kettle = cls.env["product.product"].create({"name": "Review Test Kettle"})
        cls.category_delivery = cls.env["complaint.category"].create({"name": "Review Test Late Delivery"})
        partners = cls.env["res.partner"].create(
            [{"name": f"Review Complainant {i}", "email": f"review{i}@example.com"} for i in range(8)]
        )
        Complaint = cls.env["complaint.complaint"].with_company(cls.company2)

        def complaint(i, received, channel, **vals):
            return Complaint.create(
                {
                    "subject": f"Review complaint {i}",
                    "company_id": cls.company2.id,
                    "partner_id": partners[i].id,
                    "channel": channel,
                    "date_received": received,
                    **vals,
                }
            )

        cls.complaints = (
            complaint(1, datetime(2026, 9, 5, 9), "phone", product_id=cls.kettle.id)
            | complaint(2, datetime(2026, 9, 20, 9), "phone", product_id=cls.kettle.id)
            | complaint(3, datetime(2026, 10, 10, 9), "phone", product_id=cls.kettle.id)
            | complaint(4, datetime(2026, 10, 1, 9), "email", category_id=cls.category_delivery.id)
            | complaint(5, datetime(2026, 10, 15, 9), "email", category_id=cls.category_delivery.id)
        )
        cls.previous = complaint(6, datetime(2026, 8, 10, 9), "web")
        cls.objective = cls.env["complaint.objective"].create(
            {
                "name": "Backlog under control",
                "company_id": cls.company2.id,
                "indicator": "open_count",
                "target": 10,
                "period": "custom",
                "date_from": date(2026, 9, 1),
                "date_to": date(2026, 10, 31),
            }
        )
        cls.action = cls.env["complaint.improvement.action"].create(
            {
                "name": "Stronger kettle packaging",
                "company_id": cls.company2.id,
                "user_id": cls.review_manager.id,
                "product_id": cls.kettle.id,
                "complaint_ids": [Command.set(cls.complaints[:3].ids)],
            }
        )
        cls.action.action_done()

    def _review(self, **vals):
        values = {"date_from": date(2026, 9, 1), "date_to": date(2026, 10, 31), "company_id": self.company2.id}
        values.update(vals)
        Review = self.env["complaint.management.review"].with_user(self.review_manager)
        return Review.with_context(lang="en_US").create(values)

    def test_snapshot_figures(self):
        review = self._review()
        self.assertEqual(review.name, "Management Review 09/01/2026 – 10/31/2026")
        review.action_prepare()
        snapshot = review.snapshot
        self.assertEqual(snapshot["period"], ["2026-09-01", "2026-10-31"])
        self.assertEqual(snapshot["previous_period"], ["2026-07-02", "2026-08-31"])
        self.assertEqual(snapshot["kpi"]["count"], 5)
        self.assertEqual(snapshot["kpi"]["open_count"], 5)
        self.assertEqual(snapshot["kpi_previous"]["count"], 1)
        channels = {row["key"]: (row["count"], row["previous"]) for row in snapshot["breakdowns"]["channel"]}
        self.assertEqual(channels, {"phone": (3, 0), "email": (2, 0), "web": (0, 1)})
        products = {row["name"]: row["count"] for row in snapshot["breakdowns"]["product_id"]}
        self.assertEqual(products["Review Test Kettle"], 3)
        self.assertEqual(
            [(b["low"], b["high"], b["count"]) for b in snapshot["backlog_age"]],
            [(0, 7, 0), (8, 30, 3), (31, 90, 3), (91, None, 0)],
        )
        self.assertEqual(
            [(r["dimension"], r["name"], r["count"]) for r in snapshot["recurring"]],
            [("product", "Review Test Kettle", 3)],
        )
        self.assertEqual([a["name"] for a in snapshot["actions"]], ["Stronger kettle packaging"])
        self.assertEqual(snapshot["actions"][0]["state"], "done")
        (objective,) = snapshot["objectives"]
        self.assertEqual((objective["name"], objective["actual"], objective["met"]), ("Backlog under control", 5, True))
        self.assertEqual([m["count"] for m in snapshot["monthly"]][-4:], [0, 1, 2, 3])

    def test_snapshot_frozen_once_done(self):
        review = self._review()
        review.action_prepare()
        review.write({"decision_ids": [Command.create({"name": "Train the phone team on kettle returns"})]})
        review.action_done()
        self.assertEqual(review.state, "done")
        before = review.snapshot
        self.env["complaint.complaint"].with_company(self.company2).create(
            {
                "subject": "Late one",
                "company_id": self.company2.id,
                "partner_id": self.partner.id,
                "date_received": datetime(2026, 10, 20, 9),
            }
        )
        with self.assertRaisesText(UserError, "frozen"):
            review.action_prepare()
        with self.assertRaisesText(UserError, "frozen"):
            review.date_to = date(2026, 11, 30)
        with self.assertRaisesText(UserError, "decisions are part of the record"):
            review.decision_ids.name = "Changed"
        with self.assertRaisesText(UserError, "cannot be deleted"):
            review.unlink()
        review.invalidate_recordset()
        self.assertEqual(review.snapshot, before)
        self.assertEqual(review.snapshot["kpi"]["count"], 5, "the new complaint is not in the frozen inputs")
        self.assertIn("Review Test Kettle", review.summary_html)

    def test_done_prepares_if_needed_and_access(self):
        review = self._review()
        review.action_done()
        self.assertEqual(review.snapshot["kpi"]["count"], 5)
        with self.assertRaisesText(AccessError, "change only through its process"):
            self._review().write({"snapshot": {"kpi": {}}})
        self.assertEqual(review.with_user(self.auditor2).snapshot["kpi"]["count"], 5)
        with self.assertRaises(AccessError):
            review.with_user(self.auditor2).write({"conclusions": "<p>No</p>"})
        with self.assertRaises(AccessError):
            self.env["complaint.management.review"].with_user(self.handler).create({"company_id": self.company.id})

    def test_pdf_figures_and_charts(self):
        review = self._review(other_participants="Quality director")
        review.action_prepare()
        review.write({"decision_ids": [Command.create({"name": "Train the phone team on kettle returns"})]})
        review.action_done()
        reports = self.env["ir.actions.report"].with_context(lang="en_US")
        html = reports._render_qweb_html(REPORT, review.ids)[0].decode()
        # Months (2), channel, category, product, team, outcomes, backlog, causes, recurring: inline SVG.
        self.assertEqual(html.count("<svg"), 10)
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.review_manager)
            .with_context(force_report_rendering=True, lang="en_US")
            ._render_qweb_pdf(REPORT, review.ids)
        )
        self.assertEqual(report_type, "pdf")
        text = pdf_text(pdf)
        if os.environ.get("COMPLAINT_REPORT_DUMP"):
            with open(os.path.join(os.environ["COMPLAINT_REPORT_DUMP"], "management_review.pdf"), "wb") as file:
                file.write(pdf)
        for expected in (
            "Management Review 09/01/2026 – 10/31/2026",
            "Complaints Received 5 1",
            "Phone 3 0",
            "E-mail 2 0",
            "Web Form 0 1",
            "Review Test Kettle 3 0",
            "Review Test Late Delivery 2 0",
            "Same product Review Test Kettle 3 09/05/2026 10/10/2026",
            "Backlog under control",
            "Stronger kettle packaging",
            "Train the phone team on kettle returns",
            "Quality director",
        ):
            self.assertIn(expected, text)
        # Backlog figures describe the day the inputs were prepared: no previous-period value to compare.
        self.assertRegex(text, r"Open Complaints \(Backlog\) 5 –")
        self.assertRegex(text, r"Backlog under control Open Complaints \(Backlog\) ≤ 10 5 Met")

    def test_vietnamese_and_demo_review(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        review = self._review()
        review.action_done()
        html = (
            self.env["ir.actions.report"].with_context(lang="vi_VN")._render_qweb_html(REPORT, review.ids)[0].decode()
        )
        self.assertIn("01/09/2026", html, "dates in the Vietnamese format (day first)")
        self.assertIn("Review Test Kettle", html)
        demo = self.env.ref(
            "complaint_handling_reports.complaint_management_review_last_quarter_demo", raise_if_not_found=False
        )
        if demo:  # the database has the demo data (done at install; a draft if added by an update)
            if demo.state == "done":
                self.assertTrue(demo.snapshot["kpi"]["count"])
            self.assertIn("<svg", self.env["ir.actions.report"]._render_qweb_html(REPORT, demo.ids)[0].decode())
