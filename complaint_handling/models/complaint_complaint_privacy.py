import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.mail import email_normalize

_logger = logging.getLogger(__name__)

ANONYMISE_BATCH_SIZE = 500
# States in which a complaint is over and may be anonymised.
ANONYMISABLE_STATES = ("closed", "rejected", "withdrawn")
# Free-text fields of a complaint that may hold personal data: replaced by the marker when set.
PERSONAL_TEXT_FIELDS = (
    "remedy_requested",
    "scope_reason",
    "immediate_action",
    "root_cause",
    "escalation_note",
    "closing_reason",
)
PERSONAL_HTML_FIELDS = ("description", "findings")
# Fields whose tracked old and new values are personal data (deleted from the chatter's tracking).
PERSONAL_TRACKED_FIELDS = (
    "subject",
    "partner_id",
    "complainant_name",
    "complainant_email",
    "complainant_phone",
    "closing_reason",
    "escalation_note",
    "remedy_requested",
    "scope_reason",
    "immediate_action",
    "root_cause",
    "email_cc",
)


class ComplaintComplaint(models.Model):
    """Retention and anonymisation of complaints (ISO 10002 4.9, 8.1; GDPR storage limitation).

    Once a complaint is over (closed, rejected or withdrawn) for the number of years the company
    keeps complaints, a daily job removes the complainant's personal data: identity and contact,
    free texts, messages and attachments. What the analysis needs stays: dates, category, product,
    severity, state, decisions' remedy and amount, breach flags, the step history (without notes).
    """

    _inherit = "complaint.complaint"

    anonymised = fields.Boolean(readonly=True, copy=False, help="The personal data of this complaint was removed.")
    date_anonymised = fields.Datetime(string="Anonymised On", readonly=True, copy=False)

    @api.constrains("partner_id", "complainant_name", "complainant_email", "complainant_phone", "anonymous")
    def _check_complainant_contact(self):
        # An anonymised complaint keeps no contact on purpose.
        return super(ComplaintComplaint, self.filtered(lambda c: not c.anonymised))._check_complainant_contact()

    @api.model
    def _privacy_subject_domain(self, partner=None, email=None):
        """Domain of the complaints of one complainant: their contact, or their e-mail address (given,
        or the contact's)."""
        domains = []
        emails = {email_normalize(email or "")}
        if partner:
            domains.append([("partner_id", "in", partner.ids)])
            emails |= set(partner.mapped("email_normalized"))
        emails = sorted(e for e in emails if e)
        for normalized in emails:
            domains.append([("complainant_email", "=ilike", normalized)])
        if emails:
            domains.append([("partner_id.email_normalized", "in", emails)])
        if not domains:
            return expression.FALSE_DOMAIN
        return expression.OR(domains)

    # ------------------------------------------------------------------ retention

    @api.model
    def _anonymise_marker(self):
        return self.env._("[anonymised]")

    @api.model
    def _cron_anonymise(self, batch_size=ANONYMISE_BATCH_SIZE):
        """Anonymise one batch of complaints past their company's retention period.

        A complaint qualifies when it is closed, rejected or withdrawn and the date it got there
        (closing date, else the date of its last step) is older than the company's retention years
        (zero: never). Rows are locked with SKIP LOCKED, so two workers never take the same
        complaint; the cron is called again while complaints remain. Returns the number done.
        """
        self.env["complaint.complaint"].flush_model()
        self.env["complaint.step"].flush_model()
        self.env["res.company"].flush_model(["complaint_retention_years"])
        ended = SQL("COALESCE(c.date_closed, (SELECT MAX(s.date) FROM complaint_step s WHERE s.complaint_id = c.id))")
        where = SQL(
            "c.anonymised IS NOT TRUE AND c.state IN %s AND rc.complaint_retention_years > 0 "
            "AND %s < %s::timestamp - make_interval(years => rc.complaint_retention_years)",
            ANONYMISABLE_STATES,
            ended,
            fields.Datetime.now(),
        )
        self.env.cr.execute(
            SQL(
                "SELECT c.id FROM complaint_complaint c JOIN res_company rc ON rc.id = c.company_id "
                "WHERE %s ORDER BY c.id LIMIT %s FOR UPDATE OF c SKIP LOCKED",
                where,
                batch_size,
            )
        )
        complaints = self.sudo().with_context(active_test=False).browse([row[0] for row in self.env.cr.fetchall()])
        if complaints:
            complaints._anonymise(self.env._("Personal data removed after the retention period"))
            cron = self.env.ref("complaint_handling.ir_cron_complaint_anonymise", raise_if_not_found=False)
            job = cron.sudo().name if cron else self.env._("Scheduled job")
            # One line per company of the batch in the log: what was done, when, by which job.
            self.env["complaint.privacy.log"].sudo().create(
                [
                    {
                        "operation": "retention",
                        "job": job,
                        "company_id": company.id,
                        "complaint_count": len(done),
                        "complaint_refs": ", ".join(done.mapped("name")),
                    }
                    for company, done in complaints.grouped("company_id").items()
                ]
            )
        self.env.cr.execute(
            SQL(
                "SELECT COUNT(*) FROM complaint_complaint c JOIN res_company rc ON rc.id = c.company_id WHERE %s",
                where,
            )
        )
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(complaints), remaining=remaining)
        return len(complaints)

    def _anonymise(self, step_note):
        """Remove the personal data of these complaints; keep what the statistics need.

        Replaced by a marker: subject, complainant (name; contact, e-mail and phone emptied),
        description and every free text, the decisions' reasons and the complainant's answers, the
        notes of pauses, extensions, disputes and steps (except the receipt's channel); removed:
        the messages' bodies, authors and recipients, the tracked values of personal fields,
        attachments, followers, activities, queued e-mails and ratings' feedback. Runs as superuser
        (the step history can only be changed by the superuser). Returns the complaints done.
        """
        complaints = self.sudo().with_context(active_test=False).filtered(lambda c: not c.anonymised)
        if not complaints:
            return complaints
        marker = self._anonymise_marker()
        html_marker = Markup("<p>%s</p>") % marker
        env = complaints.env
        ids = tuple(complaints.ids)
        env.flush_all()

        # The complaint itself, without tracking (the old values are the personal data).
        vals = {
            "subject": marker,
            "partner_id": False,
            "complainant_name": marker,
            "complainant_email": False,
            "complainant_phone": False,
            "ack_pending": False,
            "anonymised": True,
            "date_anonymised": fields.Datetime.now(),
        }
        # Fields of the other parts of the addon, when there: the copies, the web form's IP address,
        # the portal link sent to the complainant (a new token is drawn if the page is ever shared again).
        for name in ("email_cc", "submitter_ip", "access_token"):
            if name in complaints._fields:
                vals[name] = False
        complaints.with_context(
            complaint_change_state=True, tracking_disable=True, mail_notrack=True, mail_auto_subscribe_no_notify=True
        ).write(vals)
        for name in PERSONAL_TEXT_FIELDS + PERSONAL_HTML_FIELDS:
            table_field = SQL.identifier(name)
            value = html_marker if name in PERSONAL_HTML_FIELDS else marker
            env.cr.execute(
                SQL(
                    "UPDATE complaint_complaint SET %s = %s WHERE id IN %s AND %s IS NOT NULL AND %s != ''",
                    table_field,
                    str(value),
                    ids,
                    table_field,
                    table_field,
                )
            )
        # Decisions (written directly: an approved decision is locked for users), pauses, extensions.
        env.cr.execute(
            SQL(
                "UPDATE complaint_decision SET reasons = %s, rejection_reason = CASE WHEN rejection_reason "
                "IS NULL OR rejection_reason = '' THEN rejection_reason ELSE %s END WHERE complaint_id IN %s",
                marker,
                marker,
                ids,
            )
        )
        for table in ("complaint_pause", "complaint_extension"):
            env.cr.execute(
                SQL("UPDATE %s SET reason = %s WHERE complaint_id IN %s", SQL.identifier(table), marker, ids)
            )
        # The step history: notes hold reasons; the receipt's note (the channel) is a statistic.
        env.cr.execute(
            SQL(
                "UPDATE complaint_step SET note = %s WHERE complaint_id IN %s AND state_from IS NOT NULL "
                "AND note IS NOT NULL AND note != ''",
                marker,
                ids,
            )
        )
        records = [("complaint.complaint", ids)]
        if "complaint.dispute" in env:
            disputes = env["complaint.dispute"].with_context(active_test=False).search([("complaint_id", "in", ids)])
            env.cr.execute(
                SQL(
                    "UPDATE complaint_dispute SET outcome_note = %s WHERE complaint_id IN %s AND outcome_note "
                    "IS NOT NULL AND outcome_note != ''",
                    marker,
                    ids,
                )
            )
            if disputes:
                records.append(("complaint.dispute", tuple(disputes.ids)))
        env.invalidate_all()
        for model, res_ids in records:
            self._anonymise_thread_data(model, res_ids, marker, html_marker)
        complaints._log_step(self.env._("Personal data anonymised"), note=step_note)
        _logger.info("Anonymised %s complaints", len(complaints))
        return complaints

    @api.model
    def _anonymise_thread_data(self, model, res_ids, marker, html_marker):
        """Empty the chatter, attachments, followers, activities, queued mails and ratings of records."""
        env = self.env(su=True)
        messages = env["mail.message"].search([("model", "=", model), ("res_id", "in", res_ids)])
        if messages:
            personal_fields = env["ir.model.fields"].search(
                [("model", "in", (model, "complaint.complaint")), ("name", "in", PERSONAL_TRACKED_FIELDS)]
            )
            env["mail.tracking.value"].search(
                [("mail_message_id", "in", messages.ids), ("field_id", "in", personal_fields.ids)]
            ).unlink()
            env.cr.execute(
                SQL(
                    "UPDATE mail_message SET body = %s, subject = NULL, author_id = NULL, author_guest_id = NULL, "
                    "email_from = NULL, reply_to = NULL, record_name = NULL WHERE id IN %s",
                    str(html_marker),
                    tuple(messages.ids),
                )
            )
            env.cr.execute(
                SQL("DELETE FROM mail_message_res_partner_rel WHERE mail_message_id IN %s", tuple(messages.ids))
            )
            env["mail.notification"].search([("mail_message_id", "in", messages.ids)]).unlink()
            env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
            messages.invalidate_recordset()
        env["ir.attachment"].search([("res_model", "=", model), ("res_id", "in", res_ids)]).unlink()
        env["mail.followers"].search([("res_model", "=", model), ("res_id", "in", res_ids)]).unlink()
        env["mail.activity"].search([("res_model", "=", model), ("res_id", "in", res_ids)]).unlink()
        ratings = env["rating.rating"].search([("res_model", "=", model), ("res_id", "in", res_ids)])
        ratings.write({"partner_id": False, "feedback": marker})
        env.invalidate_all()
