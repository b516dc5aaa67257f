import re
import subprocess
from datetime import datetime, timedelta

from markupsafe import Markup

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.complaint_handling.tests.common import ComplaintCase

REPORT = "complaint_handling_reports.action_report_complaint_%s"


def pdf_text(pdf):
    """The text of a PDF, as pdftotext reads it (one line per printed line)."""
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"[ \t]+", " ", result.stdout.decode())


def pdf_pages(pdf):
    """How many pages the PDF has."""
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


class TestPrintedReports(ComplaintCase):
    """The printed letters, complaint record, register and audit report (ISO 10002 7.4, 7.8, 8.1, 8.5)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        # The test database is installed in English only: load our Vietnamese translations.
        cls.env["ir.module.module"]._load_module_terms(
            ["complaint_handling", "complaint_handling_reports"], ["vi_VN"], overwrite=True
        )
        cls.partner.write({"lang": "en_US", "tz": "UTC"})
        cls.partner_vi = cls.env["res.partner"].create(
            {"name": "Nguyễn Văn An", "email": "an.nguyen@example.com", "lang": "vi_VN", "tz": "UTC"}
        )
        cls.handler.write({"name": "Harriet Handler", "email": "harriet@example.com", "tz": "UTC"})
        cls.manager.tz = "UTC"
        cls.auditor.tz = "UTC"
        # A team of our own: the period filters on it keep the demo complaints out of the counts.
        cls.team_print = cls.env["complaint.team"].create(
            {
                "name": "Print Team",
                "leader_id": cls.leader.id,
                "member_ids": [Command.set((cls.handler | cls.handler2).ids)],
            }
        )
        cls.cause = cls.env["complaint.cause"].create({"name": "Worn seal in the lid"})

    def _render(self, report, records, user=None):
        """Render ``report`` for ``records`` as a PDF through wkhtmltopdf; return (pdf, text)."""
        reports = self.env["ir.actions.report"].with_user(user or self.manager)
        pdf, report_type = reports.with_context(force_report_rendering=True)._render_qweb_pdf(
            REPORT % report, records.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf, pdf_text(pdf)

    def _complaint(self, **vals):
        values = {"team_id": self.team_print.id, "user_id": self.handler.id}
        values.update(vals)
        return self._create_complaint(**values)

    def _closed_complaint(self, **vals):
        complaint = self._complaint(**vals)
        self._advance(complaint, "investigating")
        complaint.write({"root_cause_id": self.cause.id, "findings": "<p>The seal was worn.</p>"})
        self._create_decision(complaint, remedy_type="refund", amount=250.0, reasons="The kettle was faulty.")
        self._advance(complaint, "closed")
        return complaint

    def _register(self, user=None, **vals):
        today = fields.Date.context_today(self.env["complaint.register.wizard"])
        values = {
            "date_from": today - timedelta(days=40),
            "date_to": today,
            "team_ids": [Command.set(self.team_print.ids)],
        }
        values.update(vals)
        return self.env["complaint.register.wizard"].with_user(user or self.manager).create(values)

    def _audit(self, user=None, **vals):
        today = fields.Date.context_today(self.env["complaint.audit.wizard"])
        values = {
            "date_from": today - timedelta(days=40),
            "date_to": today,
            "team_ids": [Command.set(self.team_print.ids)],
        }
        values.update(vals)
        return self.env["complaint.audit.wizard"].with_user(user or self.manager).create(values)

    # ------------------------------------------------------------------ letters

    def test_acknowledgement_letter_english(self):
        complaint = self._complaint(subject="Kettle lid leaks", date_received=datetime(2026, 3, 2, 9, 30))
        self._advance(complaint, "acknowledged")
        self.assertTrue(complaint.date_response_deadline, "the standard policy gives a response deadline")
        _pdf, text = self._render("acknowledgement", complaint)
        self.assertIn(f"Acknowledgement of your complaint {complaint.name}", text)
        self.assertIn("Dear Jane Complainer,", text)
        self.assertIn("03/02/2026", text, "received on, in the complainant's (English) date format")
        self.assertIn(complaint.date_response_deadline.strftime("%m/%d/%Y"), text)
        self.assertIn(complaint.date_deadline.strftime("%m/%d/%Y"), text)
        self.assertIn("What happens next", text)
        self.assertIn("Harriet Handler", text)
        self.assertIn("harriet@example.com", text)
        self.assertIn(self.env.company.name, text)

    def test_acknowledgement_letter_vietnamese(self):
        complaint = self._complaint(
            partner_id=self.partner_vi.id, channel="phone", date_received=datetime(2026, 3, 2, 9, 30)
        )
        self.assertEqual(complaint._report_lang(), "vi_VN")
        _pdf, text = self._render("acknowledgement", complaint)
        self.assertIn("Nguyễn Văn An", text)
        self.assertIn("02/03/2026", text, "received on, in the Vietnamese date format (day first)")
        self.assertIn("Điện thoại", text, "the channel in Vietnamese")
        self.assertNotIn("03/02/2026", text)

    def test_acknowledgement_letter_anonymous_and_tracking_link(self):
        complaint = self._complaint(anonymous=True, partner_id=False)
        _pdf, text = self._render("acknowledgement", complaint)
        self.assertIn("Dear Sir or Madam,", text)
        self.assertNotIn("Jane Complainer", text)
        if complaint.access_url and complaint.access_url != "#":
            self.assertIn(complaint.access_url, text)
        else:
            self.assertNotIn("Follow your complaint online", text)

    def test_decision_letter(self):
        complaint = self._complaint(subject="Kettle lid leaks")
        self._advance(complaint, "investigating")
        self._create_decision(complaint, remedy_type="refund", amount=250.0, reasons="The kettle was faulty.")
        self._advance(complaint, "decision_communicated")
        _pdf, text = self._render("decision", complaint)
        self.assertIn(f"Our decision on your complaint {complaint.name}", text)
        self.assertIn("Refund", text)
        self.assertIn("250.00", text)
        self.assertIn("The kettle was faulty.", text)
        self.assertIn("Internal review", text)
        self.assertIn("External dispute resolution", text)
        self.assertIn("ISO 10003", text)

    def test_decision_letter_only_prints_a_decision_taken(self):
        complaint = self._complaint()
        self._advance(complaint, "investigating")
        self._create_decision(complaint, remedy_type="compensation", amount=5000.0, reasons="Draft reasons.")
        _pdf, text = self._render("decision", complaint)
        self.assertIn("No decision has been taken on this complaint yet.", text)
        self.assertNotIn("Draft reasons.", text)
        self._advance(complaint, "response_proposed")
        self.assertEqual(complaint.decision_id.state, "to_approve")
        _pdf, text = self._render("decision", complaint)
        self.assertNotIn("Draft reasons.", text, "waiting for a manager's approval")

    def test_decision_letter_out_of_scope_in_vietnamese(self):
        complaint = self._complaint(partner_id=self.partner_vi.id)
        self._advance(complaint, "rejected")
        _pdf, text = self._render("decision", complaint)
        self.assertIn("This is a question, not a complaint.", text)
        self.assertIn("Nguyễn Văn An", text)

    # ------------------------------------------------------------------ complaint record

    def test_complaint_record_has_the_whole_history(self):
        complaint = self._complaint(subject="Kettle lid leaks", remedy_requested="A new kettle")
        self._advance(complaint, "assessed")
        complaint.with_user(self.handler).action_pause(reason="Waiting for photos of the lid")
        complaint.with_user(self.handler).action_resume()
        complaint.message_post(body=Markup("<p>Customer sent the photos</p>"), subject="Photos of the lid")
        self.env["ir.attachment"].create(
            {"name": "lid-photo.jpg", "raw": b"x" * 2048, "res_model": complaint._name, "res_id": complaint.id}
        )
        self._advance(complaint, "investigating")
        complaint.write({"root_cause_id": self.cause.id, "findings": "<p>The seal was worn.</p>"})
        self._create_decision(complaint, remedy_type="refund", amount=250.0, reasons="The kettle was faulty.")
        self._advance(complaint, "decision_communicated")
        complaint.decision_id.rejection_reason = "I want my money back twice."
        complaint.action_record_rejection()
        self.env["complaint.dispute"].create(
            {"complaint_id": complaint.id, "provider_name": "Consumer Ombudsman Hanoi", "method": "ombudsman"}
        )
        _pdf, text = self._render("record", complaint)
        self.assertIn(f"Complaint Record {complaint.name}", text)
        for expected in (
            "Jane Complainer",
            "A new kettle",
            "Test Defect",
            "Harriet Handler",
            "Worn seal in the lid",
            "The seal was worn.",
            "Waiting for photos of the lid",
            "Refund",
            "250.00",
            "I want my money back twice.",
            "Consumer Ombudsman Hanoi",
            "Ombudsman",
            "Photos of the lid",
            "Photos of the lid · Customer sent the photos",
            "lid-photo.jpg",
            "2.0 KB",
        ):
            self.assertIn(expected, text)
        for action in ("Received", "Acknowledged", "Assessed", "Resumed", "Investigation", "Decision rejected"):
            self.assertIn(action, text)
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT % "record", complaint.ids)[0].decode()
        for step in complaint.step_ids:
            self.assertIn(step.action_label, html)
        self.assertIn(f"Messages ({len(complaint._report_messages())})", text)
        self.assertIn("Attachments (1)", text)

    def test_complaint_record_prints_many_at_once(self):
        complaints = self._complaint(subject="First kettle") | self._complaint(subject="Second kettle")
        pdf, text = self._render("record", complaints)
        for complaint in complaints:
            self.assertIn(f"Complaint Record {complaint.name}", text)
        self.assertGreaterEqual(pdf_pages(pdf), 2)

    def test_confidential_record_refused_to_who_may_not_see_it(self):
        complaint = self._complaint(confidential=True, subject="About a colleague")
        with self.assertRaises(AccessError):
            self._render("record", complaint, user=self.handler_b)
        with self.assertRaises(AccessError):
            self._render("acknowledgement", complaint, user=self.handler2)
        _pdf, text = self._render("record", complaint, user=self.auditor)
        self.assertIn("Jane Complainer", text, "auditors read every complaint")

    # ------------------------------------------------------------------ register

    def test_register_lists_the_period_with_hidden_complainants(self):
        closed = self._closed_complaint(subject="Closed kettle")
        anonymous = self._complaint(anonymous=True, partner_id=False, subject="Anonymous kettle")
        secret = self._complaint(
            confidential=True,
            partner_id=self.partner_vi.id,
            subject="Secret kettle",
            date_received=fields.Datetime.now() - timedelta(days=30),
        )
        secret._mark_breaches()
        outside = self._complaint(subject="Old kettle", date_received=fields.Datetime.now() - timedelta(days=90))
        _pdf, text = self._render("register", self._register(), user=self.manager)
        self.assertIn("Complaint Register", text)
        for complaint in closed | anonymous | secret:
            self.assertIn(complaint.name, text)
        self.assertNotIn(outside.name, text)
        self.assertIn("Anonymous", text)
        self.assertIn("Nguyễn Văn An", text, "managers see confidential complainants")
        self.assertIn("Total: 3", text)
        self.assertIn("Late: 1", text)
        lines = {line["complaint"]: line for line in self._register()._get_lines()}
        self.assertIs(lines[closed]["on_time"], True)
        self.assertIs(lines[secret]["on_time"], False)
        self.assertIsNone(lines[anonymous]["on_time"])

        # A handler of the team who does not handle the confidential complaint: not listed at all.
        _pdf, text = self._render("register", self._register(user=self.handler2), user=self.handler2)
        self.assertNotIn(secret.name, text)
        self.assertNotIn("Nguyễn Văn An", text)
        self.assertIn("Total: 2", text)
        # Its handler sees it, and whom it is from.
        _pdf, text = self._render("register", self._register(user=self.handler), user=self.handler)
        self.assertIn("Nguyễn Văn An", text)

    def test_register_filters(self):
        closed = self._closed_complaint(subject="Closed kettle")
        open_one = self._complaint(subject="Open kettle")
        wizard = self._register(states="done")
        self.assertEqual(wizard._get_complaints(), closed)
        wizard = self._register(states="open")
        self.assertEqual(wizard._get_complaints(), open_one)
        wizard = self._register(category_ids=[Command.set(self.category_parent.ids)])
        self.assertEqual(wizard._get_complaints(), closed, "a parent category includes its children")
        wizard = self._register(user=self.env.user, company_ids=[Command.set(self.company2.ids)])
        self.assertFalse(wizard._get_complaints())

    def test_register_paper_is_landscape(self):
        report = self.env.ref(REPORT % "register")
        self.assertEqual(report.paperformat_id.orientation, "Landscape")

    # ------------------------------------------------------------------ audit

    def _write_process(self, complaint, vals):
        """Force process fields, as imported or legacy data would be: the audit must catch it."""
        complaint.sudo().with_context(complaint_change_state=True).write(vals)

    def test_audit_checks_find_each_nonconformity(self):
        good = self._closed_complaint(subject="Good kettle")
        unacknowledged = self._complaint(
            subject="Forgotten kettle", date_received=fields.Datetime.now() - timedelta(days=30)
        )
        unacknowledged._mark_breaches()
        no_root_cause = self._closed_complaint(subject="No cause kettle")
        self._write_process(no_root_cause, {"root_cause_id": False})
        no_decision = self._complaint(subject="No decision kettle")
        self._advance(no_decision, "investigating")
        self._write_process(no_decision, {"state": "closed", "date_closed": fields.Datetime.now()})
        rejected = self._complaint(subject="Rejected kettle")
        self._advance(rejected, "rejected")
        self._write_process(rejected, {"scope_reason": False})
        not_assessed = self._complaint(subject="Unassessed kettle")
        self._advance(not_assessed, "acknowledged")
        self._write_process(not_assessed, {"state": "investigating"})
        unapproved = self._complaint(subject="Expensive kettle")
        self._advance(unapproved, "investigating")
        decision = self._create_decision(unapproved, remedy_type="compensation", amount=5000.0)
        self.assertTrue(decision.approval_required)
        decision.sudo().with_context(complaint_change_state=True).state = "communicated"
        biased = self._complaint(subject="Biased kettle")
        # Legacy or imported data: the handler is the person complained about (the form refuses it).
        self.env.cr.execute(
            SQL(
                "INSERT INTO complaint_subject_user_rel (complaint_id, user_id) VALUES (%s, %s)",
                biased.id,
                self.handler.id,
            )
        )
        biased.invalidate_recordset(["subject_user_ids"])

        _pdf, text = self._render("record", biased, user=self.auditor)
        self.assertIn("Handler or team complained about", text)

        checks = {check["key"]: check for check in self._audit()._get_checks()}
        expected = {
            "acknowledged": unacknowledged,
            "acknowledged_on_time": unacknowledged,
            "assessed": not_assessed,
            "rejection_reason": rejected,
            "decision_approved": unapproved,
            "closed_with_decision": no_decision,
            "closed_with_acceptance": no_decision,
            "root_cause": no_decision | no_root_cause,
            "objectivity": biased,
        }
        for key, complaints in expected.items():
            self.assertEqual(checks[key]["failed"], complaints, key)
            self.assertFalse(checks[key]["passed"], key)
        for check in checks.values():
            self.assertNotIn(good, check["failed"], check["key"])
        self.assertEqual(checks["root_cause"]["checked"], 3, "three closed complaints")
        self.assertEqual(checks["closed_with_decision"]["checked"], 3)

        _pdf, text = self._render("audit", self._audit(), user=self.auditor)
        self.assertIn("Complaint Handling Audit", text)
        self.assertIn("FAIL", text)
        for complaint in unacknowledged | no_root_cause | no_decision | rejected | not_assessed | unapproved | biased:
            self.assertIn(complaint.name, text)
        self.assertNotIn(good.name, text, "a complaint that passes every check is not listed")
        self.assertNotIn("Jane Complainer", text, "the audit lists no personal data")

    def test_audit_of_a_clean_period_passes(self):
        self._closed_complaint(subject="Good kettle")
        checks = self._audit()._get_checks()
        self.assertTrue(all(check["passed"] for check in checks), [c["key"] for c in checks if not c["passed"]])
        _pdf, text = self._render("audit", self._audit())
        self.assertIn(f"Checks passed: {len(checks)} / {len(checks)}", text)
        self.assertNotIn("FAIL", text)

    def test_audit_late_response(self):
        late = self._complaint(subject="Slow kettle", date_received=fields.Datetime.now() - timedelta(days=30))
        self._advance(late, "acknowledged")
        late._mark_breaches()
        checks = {check["key"]: check for check in self._audit()._get_checks()}
        self.assertEqual(checks["on_time"]["failed"], late)
        self.assertEqual(checks["acknowledged_on_time"]["failed"], late)
        self.assertFalse(checks["acknowledged"]["failed"], "acknowledged, but late")

    # ------------------------------------------------------------------ demo data

    def test_every_report_on_demo_data(self):
        demo = self.env["complaint.complaint"].search([("id", "in", self._demo_ids())])
        self.assertTrue(demo, "the database has demo complaints")
        for report in ("acknowledgement", "decision", "record"):
            pdf, text = self._render(report, demo)
            self.assertGreaterEqual(pdf_pages(pdf), len(demo), report)
            for complaint in demo:
                self.assertIn(complaint.name, text, report)
        today = fields.Date.context_today(self.env["complaint.register.wizard"])
        period = {"date_from": today - timedelta(days=730), "date_to": today, "team_ids": False, "company_ids": False}
        register = self._register(user=self.auditor, **period)
        _pdf, text = self._render("register", register, user=self.auditor)
        listed = register._get_complaints()
        self.assertTrue(demo & listed)
        self.assertIn(f"Total: {len(listed)}", text)
        audit = self._audit(user=self.auditor, **period)
        _pdf, text = self._render("audit", audit, user=self.auditor)
        self.assertIn(f"{audit._get_count()}", text)
        self.assertIn("Checklist", text)

    def _demo_ids(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "complaint_handling"), ("model", "=", "complaint.complaint")]
        )
        return data.mapped("res_id")

    # ------------------------------------------------------------------ wizards

    def test_wizards_default_to_last_month_and_print(self):
        for model, report in (("complaint.register.wizard", "register"), ("complaint.audit.wizard", "audit")):
            wizard = Form(self.env[model].with_user(self.auditor)).save()
            self.assertEqual(wizard.date_from.day, 1)
            self.assertEqual((wizard.date_to + timedelta(days=1)).day, 1, "the last day of a month")
            self.assertLess(wizard.date_to, fields.Date.context_today(wizard))
            action = wizard.action_print()
            self.assertEqual(action["type"], "ir.actions.report")
            self.assertEqual(action["report_name"], self.env.ref(REPORT % report).report_name)
        with self.assertRaises(ValidationError):
            self._register(date_from=fields.Date.today(), date_to=fields.Date.today() - timedelta(days=1))

    def test_print_menu_and_reporting_menus(self):
        model = self.env["ir.model"]._get("complaint.complaint")
        for report in ("acknowledgement", "decision", "record"):
            action = self.env.ref(REPORT % report)
            self.assertEqual(action.binding_model_id, model, f"{report} is in the complaint's Print menu")
            self.assertEqual(action.binding_type, "report")
        for report in ("register", "audit"):
            self.assertFalse(self.env.ref(REPORT % report).binding_model_id, "printed from its wizard only")
        menus = self.env.ref("complaint_handling_reports.complaint_register_wizard_menu") | self.env.ref(
            "complaint_handling_reports.complaint_audit_wizard_menu"
        )
        self.assertEqual(menus.parent_id, self.env.ref("complaint_handling.complaint_menu_reporting"))
        for user in (self.auditor, self.manager):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertTrue(set(menus.ids) <= visible, user.login)
        self.assertFalse(set(menus.ids) & self.env["ir.ui.menu"].with_user(self.user)._visible_menu_ids())


@tagged("post_install", "-at_install")
class TestPrintedReportsUi(HttpCase):
    """The printed documents are found where a person looks for them."""

    def test_auditor_finds_the_print_menu_and_the_report_wizards(self):
        auditor = new_test_user(self.env, login="ch_print_auditor", groups="complaint_handling.group_complaint_auditor")
        partner = self.env["res.partner"].create({"name": "Tour Printer", "email": "tour.printer@example.com"})
        complaint = self.env["complaint.complaint"].create(
            {"subject": "Tour: printed kettle", "partner_id": partner.id}
        )
        self.start_tour(f"/odoo/complaints/{complaint.id}", "complaint_print_tour", login=auditor.login)
