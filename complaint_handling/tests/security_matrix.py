"""The attacker's tools of the security tests: real JSON-RPC calls as a given user, the context keys the addons
read, and forged values for any field.

The process fields of every ``complaint.*`` model (``complaint.process.mixin._process_fields``) are attacked
from the weakest role that may write the model, over ``/web/dataset/call_kw`` (the web client's JSON-RPC) and
``/jsonrpc`` (the external API), with every context key the addons read anywhere set: each attempt must be
refused with a clear error and change nothing.
"""

import base64
import json
import logging
import re
from pathlib import Path

_logger = logging.getLogger(__name__)

# The addons of this repository (siblings of complaint_handling).
REPO = Path(__file__).resolve().parents[2]
CONTEXT_KEY_PATTERNS = (
    re.compile(r"context\.get\(\s*[\"'](\w+)[\"']"),
    re.compile(r"context\[\s*[\"'](\w+)[\"']\s*\]"),
    re.compile(r"with_context\(\s*(\w+)\s*="),
    re.compile(r"with_context\(\s*\{\s*[\"'](\w+)[\"']"),
)
# Odoo's own keys that an attacker would try too, whether or not our code reads them.
ODOO_CONTEXT_KEYS = ("install_mode", "tracking_disable", "mail_notrack", "mail_create_nolog", "import_file")
# Keys whose value must keep its type for the call to reach the check at all.
TYPED_CONTEXT_VALUES = {"lang": "en_US", "tz": "UTC", "active_test": True}
REFUSALS = {"odoo.exceptions.AccessError", "odoo.exceptions.UserError", "odoo.exceptions.ValidationError"}


def addon_context_keys():
    """Every context key read or set by the Python code of the addons (tests excluded), plus Odoo's own."""
    keys = set(ODOO_CONTEXT_KEYS)
    for path in REPO.glob("complaint_handling*/**/*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in CONTEXT_KEY_PATTERNS:
            keys.update(pattern.findall(text))
    return keys


def attack_context():
    """The context an attacker sends: every key set (to a value of the right kind)."""
    context = {}
    for key in sorted(addon_context_keys()):
        if key in TYPED_CONTEXT_VALUES:
            context[key] = TYPED_CONTEXT_VALUES[key]
        elif key.endswith("_id"):
            context[key] = 1
        elif key.endswith("_ids"):
            context[key] = [1]
        else:
            context[key] = True
    return context


class SecurityCaseMixin:
    """JSON-RPC as a user, and forged values (for a test class that is also an ``HttpCase``)."""

    @staticmethod
    def password(user):
        """The password ``new_test_user`` gives: the login, padded to 8 characters."""
        return user.login + "x" * (8 - len(user.login))

    def _login(self, user):
        if getattr(self, "_logged_in", None) != user.id:
            self.authenticate(user.login, self.password(user))
            self._logged_in = user.id

    def call_kw(self, user, model, method, args, kwargs=None):
        """A call of the web client (``/web/dataset/call_kw``) as ``user``; returns the decoded JSON-RPC answer."""
        self._login(user)
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        return response.json()

    def execute_kw(self, user, model, method, args, kwargs=None):
        """A call of the external API (``/jsonrpc``, ``object.execute_kw``) as ``user``, with their password."""
        response = self.url_open(
            "/jsonrpc",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "service": "object",
                        "method": "execute_kw",
                        "args": [self.env.cr.dbname, user.id, self.password(user), model, method, args, kwargs or {}],
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        return response.json()

    def assertRefused(self, answer, message=None, what=""):
        """The JSON-RPC answer is a clear refusal (access error, user error or validation error)."""
        self.assertIn("error", answer, f"{what}: the call was accepted: {answer.get('result')!r}")
        name = answer["error"]["data"]["name"]
        self.assertIn(name, REFUSALS, answer["error"]["data"].get("debug", "")[-2000:])
        if message:
            self.assertIn(message, answer["error"]["data"]["message"])
        return answer["error"]["data"]["message"]

    # ------------------------------------------------------------------ forged values

    def forged_value(self, record, name, avoid=()):
        """A value for field ``name`` of ``record`` that differs from its current one and from ``avoid``."""
        field = record._fields[name]
        current = record.sudo()[name]
        kind = field.type
        if kind == "boolean":
            return not current
        if kind == "integer":
            return (current or 0) + 7
        if kind in ("float", "monetary"):
            return (current or 0.0) + 7.5
        if kind in ("char", "text"):
            return "forged"
        if kind == "html":
            return "<p>forged</p>"
        if kind == "selection":
            keys = [key for key, _label in field._description_selection(record.env)]
            return next(key for key in keys if key != current and key not in avoid)
        if kind == "date":
            return "2000-01-01"
        if kind == "datetime":
            return "2000-01-01 00:00:00"
        if kind == "json":
            return {"forged": True}
        if kind == "binary":
            return base64.b64encode(b"forged").decode()
        if kind == "many2one":
            other = (
                record.env[field.comodel_name]
                .sudo()
                .with_context(active_test=False)
                .search([("id", "!=", current.id)], limit=1)
            )
            return other.id
        if kind == "one2many":
            return [(0, 0, {})]
        if kind == "many2many":
            other = record.env[field.comodel_name].sudo().search([], limit=1)
            return [(6, 0, other.ids)]
        return None

    def stored_value(self, record, name):
        """The value of ``name`` as the database has it now (ids for relations)."""
        record.env.invalidate_all()
        value = record.sudo().with_context(active_test=False)[name]
        if record._fields[name].relational:
            return sorted(value.ids)
        return value

    def attack_process_fields(self, user, record, create_values=None, context=None):
        """Try every process field of ``record``'s model as ``user``, over JSON-RPC, with the attacker's context.

        A write of each field on ``record``; with ``create_values`` (valid values of a new record), a create
        with each field added. Each must be refused and leave the data as it was. Returns the attempts made.
        """
        model = record._name
        context = attack_context() if context is None else context
        Model = record.env[model].sudo().with_context(active_test=False)
        attempts = 0
        for name in sorted(Model._process_fields()):
            value = self.forged_value(record, name)
            if value is None:
                continue
            with self.subTest(model=model, field=name, operation="write"):
                before = self.stored_value(record, name)
                answer = self.call_kw(user, model, "write", [record.ids, {name: value}], {"context": context})
                self.assertRefused(answer, what=f"{user.login} writes {model}.{name}")
                self.assertEqual(self.stored_value(record, name), before, f"{model}.{name} changed")
                attempts += 1
            if create_values is None:
                continue
            # Not the value a new record may give (e.g. a state "draft" at creation).
            value = self.forged_value(record, name, avoid=[Model._process_create_defaults.get(name)])
            with self.subTest(model=model, field=name, operation="create"):
                count = Model.search_count([])
                vals = {**create_values, name: value}
                answer = self.execute_kw(user, model, "create", [[vals]], {"context": context})
                self.assertRefused(answer, what=f"{user.login} creates {model} with {name}")
                record.env.invalidate_all()
                self.assertEqual(Model.search_count([]), count, f"a {model} was created with {name}")
                attempts += 1
        _logger.info("Process fields of %s attacked as %s: %s attempts, all refused", model, user.login, attempts)
        return attempts
