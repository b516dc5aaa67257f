from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.mail import email_normalize

from .complaint_complaint_privacy import ANONYMISABLE_STATES


class ComplaintPrivacyLog(models.Model):
    """What was done with complainants' personal data: anonymisations, exports, erasures.

    The report of the retention job and of data subject requests (GDPR art. 5(2), ISO 10002
    4.9): when, by which job or user, how many complaints, which ones. Written only by the
    privacy routines (as superuser); managers and auditors read it, nobody changes it.
    """

    _name = "complaint.privacy.log"
    _description = "Complaint Data Protection Log"
    _inherit = ["complaint.process.mixin"]
    _order = "date desc, id desc"
    _rec_name = "operation"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, index=True)
    operation = fields.Selection(
        [
            ("retention", "Anonymised (retention period)"),
            ("erasure", "Anonymised (erasure request)"),
            ("export", "Data exported"),
        ],
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Done By", required=True, default=lambda self: self.env.user, readonly=True
    )
    job = fields.Char(readonly=True, help="The scheduled job or the user action that did it.")
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    complaint_refs = fields.Text(string="Complaint References", readonly=True)
    erasure_request_id = fields.Many2one("complaint.erasure.request", readonly=True, ondelete="set null")
    note = fields.Text(readonly=True)

    @api.depends("operation", "date")
    def _compute_display_name(self):
        labels = dict(self._fields["operation"]._description_selection(self.env))
        for log in self:
            log.display_name = f"{labels.get(log.operation, '')} ({fields.Datetime.to_string(log.date)})"

    def write(self, vals):
        if not self.env.is_superuser():
            raise UserError(self.env._("The data protection log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if not self.env.is_superuser():
            raise UserError(self.env._("The data protection log cannot be deleted."))


class ComplaintErasureRequest(models.Model):
    """A complainant's request to erase their personal data (GDPR art. 17), approved by a manager.

    Once approved, every complaint of the complainant (the contact, or complaints carrying the
    e-mail address) is anonymised at once by the same routine as the retention job. A complaint
    still being handled is not erased: the approval is refused until it is closed, rejected or
    withdrawn, so that the complainant's case is never lost half-way.
    """

    _name = "complaint.erasure.request"
    _description = "Complaint Data Erasure Request"
    _inherit = ["complaint.process.mixin", "mail.thread"]
    _order = "id desc"
    _check_company_auto = True
    _process_create_defaults = {"state": "draft", "name": "/"}

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    partner_id = fields.Many2one("res.partner", string="Complainant", tracking=True)
    email = fields.Char(string="Complainant E-mail", tracking=True)
    requested_by_id = fields.Many2one(
        "res.users", required=True, readonly=True, default=lambda self: self.env.user, tracking=True
    )
    date_requested = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    reason = fields.Text(help="How and when the complainant asked for the erasure.")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "Waiting Approval"),
            ("approved", "Approved"),
            ("done", "Done"),
            ("refused", "Refused"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    refusal_reason = fields.Text(tracking=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    date_done = fields.Datetime(readonly=True, copy=False)
    complaint_count = fields.Integer(
        compute="_compute_complaint_count",
        string="Complaints Concerned",
        help="The complaints of this complainant that you can read (a complaint manager sees them all).",
    )

    @api.depends("partner_id", "email", "company_id")
    @api.depends_context("uid")
    def _compute_complaint_count(self):
        # Counted with the reader's rights: the request must not tell its author about complaints they
        # cannot read (a confidential one, another team's).
        Complaint = self.env["complaint.complaint"].with_context(active_test=False)
        for request in self:
            if not (request.partner_id or request.email):
                request.complaint_count = 0
                continue
            request.complaint_count = Complaint.search_count(
                Complaint._privacy_subject_domain(request.partner_id, request.email)
                + [("company_id", "=", request.company_id.id)]
            )

    @api.constrains("partner_id", "email")
    def _check_subject(self):
        for request in self:
            if not request.partner_id and not email_normalize(request.email or ""):
                raise ValidationError(
                    self.env._("An erasure request needs the complainant's contact or a valid e-mail address.")
                )

    def _on_created(self, vals_list):
        result = super()._on_created(vals_list)
        for request in self.sudo():
            if request.name == "/":
                request.name = self.env._("Erasure %(number)s", number=request.id)
        return result

    def write(self, vals):
        if {"partner_id", "email"} & set(vals) and any(r.state not in ("draft", "to_approve") for r in self):
            raise UserError(self.env._("The complainant of an approved or refused erasure request cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(request.state != "draft" for request in self):
            raise UserError(self.env._("Only draft erasure requests can be deleted; the others are kept as a record."))

    def _set_state(self, state, **vals):
        """Write the requests' new ``state`` (and its dates): called by the buttons once they checked the rule."""
        self.sudo().write(dict(vals, state=state))

    def _check_manager(self):
        if not self.env.user.has_group("complaint_handling.group_complaint_manager"):
            raise AccessError(self.env._("Only a complaint manager can approve or refuse an erasure request."))
        self.check_access("write")

    def _find_complaints(self):
        """Every complaint (archived ones included) of this request's complainant, in its company."""
        self.ensure_one()
        Complaint = self.env["complaint.complaint"].sudo().with_context(active_test=False)
        return Complaint.search(
            Complaint._privacy_subject_domain(self.partner_id, self.email) + [("company_id", "=", self.company_id.id)]
        )

    def action_submit(self):
        """Send the request to the complaint managers for approval."""
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("Only a draft erasure request can be submitted."))
        self.check_access("write")
        self._set_state("to_approve")
        return True

    def action_approve(self):
        """Approve and carry out the erasure: every complaint of the complainant is anonymised.

        Refused while one of them is still being handled: close, reject or withdraw it first.
        """
        self._check_manager()
        for request in self:
            if request.state != "to_approve":
                raise UserError(self.env._("Only an erasure request waiting for approval can be approved."))
            complaints = request._find_complaints()
            open_complaints = complaints.filtered(lambda c: c.state not in ANONYMISABLE_STATES)
            if open_complaints:
                raise UserError(
                    self.env._(
                        "The complainant of %(request)s still has complaints being handled (%(refs)s). Close, "
                        "reject or withdraw them first (or refuse the request): an open complaint cannot be erased.",
                        request=request.name,
                        refs=", ".join(open_complaints.mapped("name")),
                    )
                )
            request._set_state("approved", approved_by_id=self.env.uid)
            done = complaints._anonymise(self.env._("Personal data erased on request (%s)", request.name))
            self.env["complaint.privacy.log"].sudo().create(
                {
                    "operation": "erasure",
                    "user_id": self.env.uid,
                    "job": request.name,
                    "company_id": request.company_id.id,
                    "complaint_count": len(done),
                    "complaint_refs": ", ".join(done.mapped("name")),
                    "erasure_request_id": request.id,
                    "note": self.env._("%(count)s complaints already anonymised.", count=len(complaints) - len(done))
                    if len(done) < len(complaints)
                    else False,
                }
            )
            # The request itself is kept, with whom it concerned: the proof that it was carried out.
            request._set_state("done", date_done=fields.Datetime.now())
        return True

    def action_refuse(self):
        """Refuse the request (e.g. the data must be kept for a legal claim); the reason is required."""
        self._check_manager()
        for request in self:
            if request.state not in ("draft", "to_approve"):
                raise UserError(self.env._("Only a draft or waiting erasure request can be refused."))
            if not (request.refusal_reason or "").strip():
                raise UserError(self.env._("Write why the erasure request is refused first."))
        self._set_state("refused")
        return True
