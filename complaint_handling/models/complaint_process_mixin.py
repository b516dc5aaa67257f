from odoo import api, models
from odoo.exceptions import AccessError

# Odoo's own bookkeeping: the ORM fills them; nobody gives them (a forged creator would defeat the rules).
LOG_ACCESS_FIELDS = frozenset(("create_uid", "create_date", "write_uid", "write_date"))
X2MANY = ("one2many", "many2many")


class ComplaintProcessMixin(models.AbstractModel):
    """Records whose process fields only their own server-side methods write.

    The state, the process dates, counters, approvals and the other system fields of a complaint (of a
    decision, an erasure request...) change through the model's action methods: each checks its rule
    (group, record rules, transition, prerequisites), then writes them as superuser and records who did
    it and when. A create or a write by a user that names one of them is refused, over every interface
    (web client, JSON-RPC, XML-RPC) and whatever the context: a context key is the caller's to set, so
    it never grants anything.

    The mixin's ``create`` and ``write`` check the values they are given; a model adds values of its own
    to new records in :meth:`_complete_create_values` (after the check) rather than before calling
    ``super().create``, acts on them in :meth:`_on_created`, and writes its process fields with
    ``sudo()`` after its own checks.
    """

    _name = "complaint.process.mixin"
    _description = "Complaint Record with Process Fields"

    # Process fields beyond those declared read-only (e.g. a writable field inherited from a mixin).
    _process_extra_fields = ()
    # Process fields a create may give with this value only (their default), e.g. {"state": "draft"}.
    _process_create_defaults = {}

    @api.model
    def _process_fields(self):
        """Names of the fields that only the model's own methods write (as superuser, after their checks).

        Every field declared read-only that a write could change (stored, related, with an inverse, or
        x2many: the ORM does not refuse a write to a read-only field, the screens merely do not offer
        it), Odoo's bookkeeping fields and :attr:`_process_extra_fields`. Extensions add theirs by
        declaring them read-only, or by overriding this method.
        """
        names = set(LOG_ACCESS_FIELDS) | set(self._process_extra_fields)
        for name, field in self._fields.items():
            if name in ("id", "display_name") or not field.readonly:
                continue
            if field.store or field.related or field.inverse or field.type in X2MANY:
                names.add(name)
        return names

    @api.model
    def _check_process_values(self, vals_list, creating=False):
        """Refuse values of process fields given by a user (not by the superuser).

        :param vals_list: the values of a ``create`` (a list) or of a ``write`` (a list of one dict).
        :param creating: a create may give the defaults of :attr:`_process_create_defaults`.
        :raise AccessError: naming the fields, so that the caller knows which button to use instead.
        """
        if self.env.su:
            return
        process_fields = self._process_fields()
        given = set()
        for vals in vals_list:
            for name in process_fields.intersection(vals):
                defaults = self._process_create_defaults
                if creating and name in defaults and vals[name] == defaults[name]:
                    continue
                given.add(name)
        if given:
            labels = sorted(self._fields[name].get_description(self.env)["string"] for name in given)
            raise AccessError(
                self.env._(
                    "%(fields)s of a %(model)s cannot be set or changed directly: they change only through its "
                    "process (its buttons and scheduled jobs).",
                    fields=", ".join(labels),
                    model=self._description,
                )
            )

    # ---------------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        self._check_process_values(vals_list, creating=True)
        vals_list = self._complete_create_values(vals_list)
        records = super().create(vals_list)
        records._on_created(vals_list)
        return records

    def write(self, vals):
        self._check_process_values([vals])
        return super().write(vals)

    @api.model
    def _complete_create_values(self, vals_list):
        """Hook: the values of new records, completed by the model (process fields included).

        Runs after the check of the caller's values; returns new dicts (the caller's stay as they are).
        """
        return [dict(vals) for vals in vals_list]

    def _on_created(self, vals_list):
        """Hook: what follows the creation of these records (``vals_list``: their values as created)."""
        return
