import ast
import re

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintUi(HttpCase):
    """The back-office flow in the real web client: record, acknowledge and assess a complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.handler = new_test_user(
            cls.env,
            login="ch_tour_handler",
            name="Tour Handler",
            groups="complaint_handling.group_complaint_handler",
        )
        cls.team = cls.env["complaint.team"].create({"name": "Tour Team", "member_ids": [Command.set(cls.handler.ids)]})
        cls.category = cls.env["complaint.category"].create({"name": "Tour Category"})
        cls.partner = cls.env["res.partner"].create(
            {"name": "Tour Complainant", "email": "tour.complainant@example.com"}
        )

    def test_handler_records_acknowledges_and_assesses_a_complaint(self):
        self.start_tour("/odoo", "complaint_handling_tour", login=self.handler.login)

        self.env.invalidate_all()
        complaint = self.env["complaint.complaint"].search([("subject", "=", "Tour: the kettle leaks")])
        self.assertEqual(len(complaint), 1)
        self.assertRecordValues(
            complaint,
            [
                {
                    "state": "assessed",
                    "stage_id": self.env.ref("complaint_handling.complaint_stage_assessed").id,
                    "partner_id": self.partner.id,
                    "channel": "phone",
                    "team_id": self.team.id,
                    "category_id": self.category.id,
                    "severity_id": self.env.ref("complaint_handling.complaint_severity_high").id,
                    "scope_decision": "in_scope",
                    "received_by_id": self.handler.id,
                }
            ],
        )
        self.assertTrue(complaint.date_acknowledged)
        self.assertTrue(complaint.date_assessed)
        steps = complaint.step_ids.sorted("id")
        self.assertEqual(steps.mapped("action"), ["received", "acknowledged", "assessed"])
        self.assertEqual(steps.mapped("state_to"), ["received", "acknowledged", "assessed"])
        self.assertEqual(steps.user_id, self.handler)


@tagged("post_install", "-at_install")
class TestComplaintViewsForRoles(ComplaintCase):
    """What the back-office views show: a complainant in every list row, no activity or SMS actions for auditors."""

    def test_list_shows_a_complainant_for_every_complaint(self):
        with_contact = self._create_complaint()
        name_only = self._create_complaint(
            partner_id=False, complainant_name="Paul Phone", complainant_phone="+32 2 000 00 00"
        )
        anonymous = self._create_complaint(partner_id=False, anonymous=True)
        list_arch = self.env["complaint.complaint"].get_view(view_type="list")["arch"]
        self.assertIn('name="complainant_display"', list_arch)
        rows = (
            self.env["complaint.complaint"]
            .with_user(self.manager)
            .web_search_read([("id", "in", (with_contact | name_only | anonymous).ids)], {"complainant_display": {}})[
                "records"
            ]
        )
        shown = {row["id"]: row["complainant_display"] for row in rows}
        self.assertEqual(
            shown,
            {with_contact.id: "Jane Complainer", name_only.id: "Paul Phone", anonymous.id: "Anonymous"},
        )

    def test_auditors_get_no_activity_actions(self):
        complaint = self._create_complaint()
        # An auditor may not schedule an activity: it needs the right to change the complaint.
        with self.assertRaises(AccessError):
            self.env["mail.activity"].with_user(self.auditor).create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("complaint.complaint"),
                    "res_id": complaint.id,
                    "summary": "Audit follow-up",
                }
            )
        views = [(False, "form"), (False, "list"), (False, "kanban")]
        for user, allowed in ((self.auditor, False), (self.handler, True), (self.user, True)):
            result = self.env["complaint.complaint"].with_user(user).get_views(views)
            # The chatter's "Activities" button and planned activities follow ``has_activities``.
            self.assertEqual(result["models"]["complaint.complaint"].get("has_activities", False), allowed, user.login)
            for view_type in ("list", "kanban"):
                self.assertEqual(
                    'name="activity_ids"' in result["views"][view_type]["arch"], allowed, f"{user.login} {view_type}"
                )

    def test_auditors_are_not_offered_to_send_an_sms(self):
        # Sending an SMS posts a message on the complaint, which needs the right to change it.
        for user, sms_offered in ((self.auditor, False), (self.handler, True), (self.user, True)):
            arch = etree.fromstring(self.env["complaint.complaint"].with_user(user).get_view(view_type="form")["arch"])
            phone_fields = arch.xpath("//field[@name='complainant_phone']")
            self.assertEqual(len(phone_fields), 1, user.login)
            options = ast.literal_eval(phone_fields[0].get("options") or "{}")
            self.assertEqual(options.get("enable_sms", True), sms_offered, user.login)
            # Whatever the variant shown, the fields around it keep their order.
            self.assertEqual(next(phone_fields[0].itersiblings("field")).get("name"), "lang", user.login)


@tagged("post_install", "-at_install")
class TestActivityViewScheduling(HttpCase, ComplaintCase):
    """The complaints' activity view offers scheduling to a handler, not to a read-only auditor."""

    def test_activity_view_offers_scheduling_to_who_may_schedule(self):
        complaint = self._create_complaint(team_id=self.team_a.id, user_id=self.handler.id)
        complaint.sudo().activity_schedule("mail.mail_activity_data_todo", summary="Call back", user_id=self.handler.id)
        self.start_tour("/odoo", "complaint_activity_view_can_schedule_tour", login=self.handler.login)
        self.start_tour("/odoo", "complaint_activity_view_read_only_tour", login=self.auditor.login)


@tagged("post_install", "-at_install")
class TestPortalPageTitles(HttpCase, ComplaintCase):
    """The browser tab names the page (web.layout's ``<title>``), not "Odoo"."""

    def _title(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return re.search(r"<title>(.*?)</title>", response.text, re.S).group(1).strip()

    def test_public_form_and_portal_pages_have_a_title(self):
        portal = new_test_user(self.env, login="ch_title_portal", groups="base.group_portal", name="Title Portal")
        complaint = self._create_complaint(partner_id=portal.partner_id.id, subject="The lamp flickers")
        self.assertEqual(self._title("/complaint"), "Make a complaint")
        self.authenticate(portal.login, portal.login)
        self.assertEqual(self._title("/my/complaints"), "Complaints")
        self.assertEqual(self._title(f"/my/complaints/{complaint.id}"), f"{complaint.name} - The lamp flickers")
