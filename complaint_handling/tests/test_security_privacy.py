"""Data protection requests tell nothing their author may not read; export and erasure stay with managers."""

from odoo.tests import HttpCase, tagged

from .common import ComplaintCase
from .security_matrix import SecurityCaseMixin


@tagged("post_install", "-at_install")
class TestErasureRequestDisclosure(HttpCase, ComplaintCase, SecurityCaseMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Complaint = cls.env["complaint.complaint"]
        base = {"partner_id": cls.partner.id}
        cls.visible = Complaint.create(dict(base, subject="Team A's", team_id=cls.team_a.id))
        cls.other_team = Complaint.create(dict(base, subject="Team B's", team_id=cls.team_b.id))
        cls.confidential = Complaint.create(
            dict(base, subject="Secret", team_id=cls.team_a.id, user_id=cls.leader.id, confidential=True)
        )

    def test_the_count_of_an_erasure_request_is_what_its_reader_may_read(self):
        request = self.env["complaint.erasure.request"].with_user(self.handler).create({"partner_id": self.partner.id})
        self.assertEqual(request.complaint_count, 1, "only team A's non-confidential complaint")
        self.assertEqual(request.with_user(self.manager).complaint_count, 3)
        answer = self.call_kw(self.handler, "complaint.erasure.request", "read", [request.ids, ["complaint_count"]])
        self.assertEqual(answer["result"][0]["complaint_count"], 1)

    def test_export_and_erasure_are_for_complaint_managers_only(self):
        request = self.env["complaint.erasure.request"].with_user(self.handler).create({"partner_id": self.partner.id})
        request.with_user(self.handler).action_submit()
        for user in (self.user, self.handler, self.auditor):
            with self.subTest(user=user.login):
                self.assertRefused(
                    self.call_kw(user, "complaint.privacy.export", "create", [{"partner_id": self.partner.id}])
                )
                self.assertRefused(self.call_kw(user, "complaint.erasure.request", "action_approve", [request.ids]))
        request.invalidate_recordset()
        self.assertEqual(request.state, "to_approve")
