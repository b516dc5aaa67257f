from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ComplaintCase

GROUPS = ("public", "portal", "user", "handler", "manager", "auditor")


def _row(public="", portal="", user="", handler="", manager="", auditor=""):
    """One line of the matrix: the operations each group may do (nothing when not given)."""
    return {
        "public": public,
        "portal": portal,
        "user": user,
        "handler": handler,
        "manager": manager,
        "auditor": auditor,
    }


# The expected access rights (ACLs) of every model of the complaint addons: model -> group ->
# the operations allowed, as letters c(reate) r(ead) u(pdate) d(elete). Each group is tested with
# a real user holding only that group (plus the groups it implies). Record rules narrow this down
# further (see the tests below and test_security.py). A new model must be declared here: the
# test fails for any model of the installed complaint_handling* addons that is missing. Models
# of addons that are not installed are skipped; abstract models (no table) are not listed.
MATRIX = {
    # complaint_handling: the register and its history
    # Portal customers reach their complaints through the portal pages only (no right over the ORM or RPC).
    "complaint.complaint": _row(user="cru", handler="cru", manager="cru", auditor="r"),
    "complaint.decision": _row(user="r", handler="crud", manager="crud", auditor="r"),
    "complaint.step": _row(user="r", handler="r", manager="r", auditor="r"),
    "complaint.dispute": _row(user="r", handler="cru", manager="cru", auditor="r"),
    "complaint.pause": _row(user="r", handler="r", manager="r", auditor="r"),
    "complaint.extension": _row(user="r", handler="r", manager="r", auditor="r"),
    "complaint.escalation.log": _row(user="r", handler="r", manager="r", auditor="r"),
    # complaint_handling: configuration (managers)
    "complaint.category": _row(user="r", handler="r", manager="crud", auditor="r"),
    "complaint.cause": _row(user="r", handler="r", manager="crud", auditor="r"),
    "complaint.severity": _row(user="r", handler="r", manager="crud", auditor="r"),
    "complaint.stage": _row(user="r", handler="r", manager="crud", auditor="r"),
    "complaint.team": _row(user="r", handler="r", manager="crud", auditor="r"),
    "complaint.policy": _row(user="r", handler="r", manager="crud", auditor="r"),
    "complaint.promise": _row(user="r", handler="r", manager="crud", auditor="r"),
    "complaint.escalation.level": _row(user="r", handler="r", manager="crud", auditor="r"),
    # complaint_handling: data protection
    "complaint.privacy.log": _row(manager="r", auditor="r"),
    "complaint.erasure.request": _row(handler="cru", manager="crud", auditor="r"),
    "complaint.privacy.export": _row(manager="cru"),
    # complaint_handling: wizards
    "complaint.quick.entry": _row(user="cru", handler="cru", manager="cru"),
    "complaint.reason.wizard": _row(handler="cru", manager="cru"),
    "complaint.timeliness.wizard": _row(handler="cru", manager="cru"),
    # complaint_handling_reports
    "complaint.kpi.report": _row(handler="r", manager="r", auditor="r"),
    "complaint.recurring.report": _row(manager="r", auditor="r"),
    "complaint.improvement.action": _row(user="r", handler="cru", manager="crud", auditor="r"),
    "complaint.management.review": _row(user="r", handler="r", manager="crud", auditor="r"),
    "complaint.management.review.decision": _row(user="r", handler="r", manager="crud", auditor="r"),
    "complaint.objective": _row(manager="crud", auditor="r"),
    "complaint.audit.wizard": _row(handler="cru", manager="cru", auditor="cru"),
    "complaint.register.wizard": _row(handler="cru", manager="cru", auditor="cru"),
    # complaint_handling_reports_sale
    "complaint.rate.report": _row(handler="r", manager="r", auditor="r"),
}

OPERATIONS = (("c", "create"), ("r", "read"), ("u", "write"), ("d", "unlink"))

# Models whose records belong to one complaint and must follow its visibility.
COMPLAINT_CHILDREN = (
    "complaint.decision",
    "complaint.step",
    "complaint.pause",
    "complaint.extension",
    "complaint.escalation.log",
    "complaint.dispute",
)


@tagged("post_install", "-at_install")
class TestAccessMatrix(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, login="ch_portal", groups="base.group_portal")
        cls.users = {
            "public": cls.env.ref("base.public_user"),
            "portal": cls.portal,
            "user": cls.user,
            "handler": cls.handler,
            "manager": cls.manager,
            "auditor": cls.auditor,
        }

    def _installed_models(self):
        """Concrete models named ``complaint.*`` or defined by an installed complaint_handling* addon."""
        return {
            name
            for name, model_class in self.env.registry.items()
            if not model_class._abstract
            and (name.startswith("complaint.") or (model_class._original_module or "").startswith("complaint_handling"))
        }

    def _rights(self, model, user):
        letters = ""
        for letter, operation in OPERATIONS:
            try:
                self.env[model].with_user(user).check_access(operation)
            except AccessError:
                continue
            letters += letter
        return letters

    def test_every_model_of_the_complaint_addons_is_declared(self):
        missing = sorted(self._installed_models() - set(MATRIX))
        self.assertFalse(missing, f"models without a declared access matrix: {missing}; add them to MATRIX")
        for model, rights in MATRIX.items():
            self.assertEqual(set(rights), set(GROUPS), f"{model}: declare every group")

    def test_access_rights_match_the_declared_matrix(self):
        differences = []
        for model in sorted(set(MATRIX) & self._installed_models()):
            for group, user in self.users.items():
                actual = self._rights(model, user)
                if actual != MATRIX[model][group]:
                    differences.append(f"{model} / {group}: expected {MATRIX[model][group]!r}, actual {actual!r}")
        self.assertFalse(differences, "\n".join(differences))

    def test_public_and_portal_users_reach_no_internal_record(self):
        complaint = self._create_complaint()
        for group in ("public", "portal"):
            user = self.users[group]
            for model in sorted(set(COMPLAINT_CHILDREN) & self._installed_models()):
                with self.subTest(group=group, model=model):
                    self.assertFalse(self._rights(model, user), f"{group} has no right on {model}")
            # Not even their own complaints: the portal pages show them what the tracking page shows.
            with self.subTest(group=group, model="complaint.complaint"), self.assertRaises(AccessError):
                complaint.with_user(user).read(["subject"])

    # ----------------------------------------------------------- record rules

    def _children(self, complaint):
        """One record of each child model for ``complaint`` (created as superuser)."""
        env = self.env
        records = {
            "complaint.decision": complaint.decision_ids[:1],
            "complaint.step": complaint.step_ids[:1],
            "complaint.pause": env["complaint.pause"].create({"complaint_id": complaint.id, "reason": "Waiting"}),
            "complaint.extension": env["complaint.extension"].create(
                {"complaint_id": complaint.id, "target": "resolution", "hours": 8, "reason": "Complex"}
            ),
            "complaint.escalation.log": env["complaint.escalation.log"].create(
                {
                    "complaint_id": complaint.id,
                    "level_id": env["complaint.escalation.level"].search([], limit=1).id,
                    "date": fields.Datetime.now(),
                }
            ),
        }
        if "complaint.dispute" in env:
            records["complaint.dispute"] = env["complaint.dispute"].create({"complaint_id": complaint.id})
        for model, record in records.items():
            self.assertTrue(record, f"a {model} record to test")
        return records

    def _assert_visibility(self, complaint, allowed, refused):
        records = self._children(complaint)
        for model, record in records.items():
            for user in allowed:
                with self.subTest(model=model, user=user.login, expected="visible"):
                    self.assertEqual(self.env[model].with_user(user).search([("id", "=", record.id)]), record)
            for user in refused:
                with self.subTest(model=model, user=user.login, expected="hidden"):
                    self.assertFalse(self.env[model].with_user(user).search([("id", "=", record.id)]))
                    with self.assertRaises(AccessError):
                        record.with_user(user).read(["complaint_id"])

    def test_records_of_a_team_complaint_are_hidden_from_other_teams(self):
        complaint = self._advance(
            self._create_complaint(team_id=self.team_a.id, user_id=self.handler.id), "response_proposed"
        )
        self._assert_visibility(
            complaint,
            allowed=(self.handler, self.handler2, self.leader, self.manager, self.auditor),
            refused=(self.handler_b, self.user2, self.handler_c2),
        )

    def test_records_of_a_confidential_complaint_are_hidden_from_the_rest_of_the_team(self):
        complaint = self._advance(
            self._create_complaint(team_id=self.team_a.id, user_id=self.handler.id, confidential=True),
            "response_proposed",
        )
        self._assert_visibility(
            complaint,
            allowed=(self.handler, self.leader, self.manager, self.auditor),
            refused=(self.handler2, self.handler_b, self.user),
        )

    def test_records_of_another_company_are_hidden(self):
        complaint = self._create_complaint(user=self.handler_c2, team_id=self.team_c2.id, user_id=self.handler_c2.id)
        self._advance(complaint.with_user(self.handler_c2), "response_proposed")
        self._assert_visibility(complaint, allowed=(self.handler_c2,), refused=(self.manager, self.auditor))
        decision = complaint.decision_ids[:1]
        with self.assertRaises(AccessError):
            decision.with_user(self.manager).write({"rejection_reason": "Cross-company"})

    def test_own_complaint_records_are_visible_to_the_user_who_logged_it(self):
        complaint = self._create_complaint(user=self.user, team_id=self.team_a.id, user_id=self.handler.id)
        self._advance(complaint.with_user(self.manager), "response_proposed")
        self._assert_visibility(complaint, allowed=(self.user, self.handler), refused=(self.user2, self.handler_b))
