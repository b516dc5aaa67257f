"""An external client registers and follows complaints through XML-RPC and JSON-RPC (README, "API")."""

import json
import xmlrpc.client

from odoo.tests import HttpCase, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestApi(HttpCase, ComplaintCase):
    """Runs against the test server (``--odoo-http`` with pytest-odoo); everything is rolled back."""

    def setUp(self):
        super().setUp()
        self.db = self.env.cr.dbname

    @staticmethod
    def _password(user):
        return user.login + "x" * (8 - len(user.login))  # what new_test_user gives

    def _login(self, user):
        uid = self.xmlrpc_common.authenticate(self.db, user.login, self._password(user), {})
        self.assertEqual(uid, user.id)
        return uid

    def _call(self, user, model, method, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(self.db, user.id, self._password(user), model, method, list(args), kwargs)

    def _jsonrpc(self, user, model, method, *args):
        response = self.url_open(
            "/jsonrpc",
            headers={"Content-Type": "application/json"},
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "service": "object",
                        "method": "execute_kw",
                        "args": [self.db, user.id, self._password(user), model, method, list(args)],
                    },
                }
            ),
        )
        response.raise_for_status()
        return response.json()

    def test_xmlrpc_user_creates_a_complaint_and_reads_its_status(self):
        self._login(self.user)
        complaint_id = self._call(
            self.user,
            "complaint.complaint",
            "create",
            {
                "subject": "Parcel arrived damaged",
                "channel": "phone",
                "complainant_name": "Ann Caller",
                "complainant_phone": "+32 470 11 22 33",
                "description": "<p>The box was crushed.</p>",
            },
        )
        self.assertIsInstance(complaint_id, int)
        [record] = self._call(
            self.user, "complaint.complaint", "read", [complaint_id], fields=["name", "state", "stage_id"]
        )
        complaint = self.env["complaint.complaint"].browse(complaint_id)
        self.assertEqual(record["name"], complaint.name)
        self.assertTrue(record["name"].startswith("CMP/"))
        self.assertEqual(record["state"], "received")
        self.assertEqual(record["stage_id"], [complaint.stage_id.id, complaint.stage_id.display_name])
        self.assertEqual(complaint.create_uid, self.user)

    def test_xmlrpc_refused_action_is_an_access_error_fault(self):
        complaint = self._create_complaint(user=self.user)
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._call(self.user, "complaint.complaint", "action_acknowledge", [complaint.id])
        self.assertEqual(caught.exception.faultCode, 4, "AccessError")
        self.assertIn("Only complaint handlers", caught.exception.faultString)
        complaint.invalidate_recordset()
        self.assertEqual(complaint.state, "received")
        # A handler may: the action returns True and the state follows.
        self._call(self.handler, "complaint.complaint", "action_acknowledge", [complaint.id])
        [record] = self._call(self.handler, "complaint.complaint", "read", [complaint.id], fields=["state"])
        self.assertEqual(record["state"], "acknowledged")

    def test_xmlrpc_missing_contact_is_a_validation_fault_and_creates_nothing(self):
        count = self.env["complaint.complaint"].search_count([])
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self._call(self.user, "complaint.complaint", "create", {"subject": "Who am I?", "channel": "letter"})
        self.assertEqual(caught.exception.faultCode, 2, "UserError / ValidationError")
        self.assertIn("or mark the complaint as anonymous", caught.exception.faultString)
        self.assertEqual(self.env["complaint.complaint"].search_count([]), count)

    def test_jsonrpc_create_read_and_refusal(self):
        result = self._jsonrpc(
            self.user,
            "complaint.complaint",
            "create",
            {"subject": "Wrong invoice", "partner_id": self.partner.id, "channel": "other"},
        )
        complaint_id = result["result"]
        result = self._jsonrpc(
            self.user, "complaint.complaint", "search_read", [("id", "=", complaint_id)], ["name", "state"]
        )
        [record] = result["result"]
        self.assertEqual(record["state"], "received")
        result = self._jsonrpc(self.user, "complaint.complaint", "action_acknowledge", [complaint_id])
        self.assertEqual(result["error"]["data"]["name"], "odoo.exceptions.AccessError")
        result = self._jsonrpc(self.user, "complaint.complaint", "create", {"subject": "No contact"})
        self.assertEqual(result["error"]["data"]["name"], "odoo.exceptions.ValidationError")
