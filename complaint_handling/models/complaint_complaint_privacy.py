import logging

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.mail import email_normalize

_logger = logging.getLogger(__name__)

ANONYMISE_BATCH_SIZE = 500
# The job reports at most this many batches as remaining (see ``_anonymise_due_query``): Odoo's cron
# runs up to 10 calls in a row (``MAX_BATCH_PER_CRON_JOB``), then reschedules itself at once.
REMAINING_COUNT_BATCHES = 10
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
# Columns of a complaint emptied, when the installed parts of the addon have them: the contact, the
# copies, the web form's IP address, the portal link sent to the complainant (a new token is drawn if
# the page is ever shared again).
CLEARED_COLUMNS = ("partner_id", "complainant_email", "complainant_phone", "email_cc", "submitter_ip", "access_token")
# Queues that must not send anything to an anonymised complainant.
CLEARED_FLAGS = ("ack_pending", "rating_request_pending")


class ComplaintComplaint(models.Model):
    """Retention and anonymisation of complaints (ISO 10002 4.9, 8.1; GDPR storage limitation).

    Once a complaint is over (closed, rejected or withdrawn) for the number of years the company
    keeps complaints, a daily job removes the complainant's personal data: identity and contact,
    free texts, messages and attachments. What the analysis needs stays: dates, category, product,
    severity, state, decisions' remedy and amount, breach flags, the step history (without notes).

    At scale (a million complaints, hundreds of thousands due at once) the work is set-based SQL,
    a fixed number of queries per batch whatever its size; the job finds the complaints due through
    a partial index on ``date_ended`` (only the complaints not yet anonymised), so a run with
    nothing due reads nothing, and Odoo's cron commits after each batch and calls it again.
    """

    _inherit = "complaint.complaint"  # pylint: disable=consider-merging-classes-inherited

    anonymised = fields.Boolean(readonly=True, copy=False, help="The personal data of this complaint was removed.")
    date_anonymised = fields.Datetime(string="Anonymised On", readonly=True, copy=False)
    date_ended = fields.Datetime(
        string="Ended On",
        readonly=True,
        copy=False,
        help="When the complaint was closed, rejected or withdrawn (emptied when reopened): the retention "
        "period runs from this date.",
    )

    @api.model
    def _index_specs(self):
        # The job's queue: only the complaints not yet anonymised that ended, oldest first.
        return [
            *super()._index_specs(),
            (
                "complaint_complaint_anonymise_due_index",
                ["date_ended", "id"],
                "date_ended IS NOT NULL AND anonymised IS NOT TRUE",
            ),
        ]

    def _state_change_values(self, new_state, now, reason=False):
        # An ended complaint starts its retention period, a reopened one stops it.
        vals = super()._state_change_values(new_state, now, reason)
        vals["date_ended"] = (vals.get("date_closed") or now) if new_state in ANONYMISABLE_STATES else False
        return vals

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
    def _anonymise_due_query(self, batch_size=ANONYMISE_BATCH_SIZE):
        """The queries of the job: ``select`` locks the next batch due, ``remaining`` counts the rest.

        Due: ended (closed, rejected or withdrawn) before the retention period of its company (zero:
        never), not yet anonymised. Both read the partial index on ``date_ended`` up to the oldest
        cutoff only; ``remaining`` stops counting at ``REMAINING_COUNT_BATCHES`` batches. Empty dict when
        no company keeps complaints for a limited time.
        """
        self.env["res.company"].flush_model(["complaint_retention_years"])
        self.env.cr.execute(
            SQL("SELECT id, complaint_retention_years FROM res_company WHERE complaint_retention_years > 0")
        )
        now = fields.Datetime.now()
        cutoffs = [(company_id, now - relativedelta(years=years)) for company_id, years in self.env.cr.fetchall()]
        if not cutoffs:
            return {}
        where = SQL(
            "c.date_ended IS NOT NULL AND c.anonymised IS NOT TRUE AND c.date_ended < %s AND c.state IN %s AND (%s)",
            max(cutoff for _company, cutoff in cutoffs),
            ANONYMISABLE_STATES,
            SQL(" OR ").join(
                SQL("(c.company_id = %s AND c.date_ended < %s)", company_id, cutoff) for company_id, cutoff in cutoffs
            ),
        )
        return {
            "select": SQL(
                "SELECT c.id FROM complaint_complaint c WHERE %s ORDER BY c.date_ended, c.id LIMIT %s "
                "FOR UPDATE OF c SKIP LOCKED",
                where,
                batch_size,
            ),
            # Counted up to what one run of the cron does at most (10 calls): enough for Odoo to call it
            # again, without counting 500,000 due rows after every batch of 500 (0.4 s each at 1M).
            "remaining": SQL(
                "SELECT COUNT(*) FROM (SELECT 1 FROM complaint_complaint c WHERE %s ORDER BY c.date_ended, c.id "
                "LIMIT %s) due",
                where,
                batch_size * REMAINING_COUNT_BATCHES,
            ),
        }

    @api.model
    def _cron_anonymise(self, batch_size=ANONYMISE_BATCH_SIZE):
        """Anonymise one batch of complaints past their company's retention period.

        A complaint qualifies when it ended (closed, rejected or withdrawn, see ``date_ended``) longer
        ago than the company's retention years (zero: never). Rows are locked with SKIP LOCKED, so two
        workers never take the same complaint; Odoo's cron commits after each call and calls it again
        while complaints remain (``_notify_progress``), so a crash loses one batch at most and the next
        run goes on where it stopped. Each batch is reported in the data protection log. Returns the
        number done.
        """
        self.env.flush_all()
        queries = self._anonymise_due_query(batch_size)
        done = remaining = 0
        if queries:
            due = [row[0] for row in self.env.execute_query(queries["select"])]
            complaints = self.sudo().with_context(active_test=False).browse(due)
            # The history's texts in each company's language (the job has no user language).
            complaints = complaints.browse().union(
                *(
                    part._anonymise(part.env._("Personal data removed after the retention period"))
                    for part in self._split_by_job_lang(complaints)
                )
            )
            if complaints:
                done = len(complaints)
                cron = self.env.ref("complaint_handling.ir_cron_complaint_anonymise", raise_if_not_found=False)
                job = cron.sudo().name if cron else self.env._("Scheduled job")
                # One line per company of the batch in the log: what was done, when, by which job.
                self.env["complaint.privacy.log"].sudo().create(
                    [
                        {
                            "operation": "retention",
                            "job": job,
                            "company_id": company.id,
                            "complaint_count": len(company_done),
                            "complaint_refs": ", ".join(company_done.mapped("name")),
                        }
                        for company, company_done in complaints.grouped("company_id").items()
                    ]
                )
            remaining = self.env.execute_query(queries["remaining"])[0][0]
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    def _anonymise(self, step_note):
        """Remove the personal data of these complaints; keep what the statistics need.

        Replaced by a marker: subject, complainant (name; contact, e-mail and phone emptied),
        description and every free text, the decisions' reasons and the complainant's answers, the
        notes of pauses, extensions, disputes and steps (except the receipt's channel); removed:
        the messages' bodies, authors and recipients, the tracked values of personal fields,
        attachments, followers, activities, queued e-mails and ratings' feedback. One step
        "Personal data anonymised" with ``step_note`` is added to each history.

        Set-based: a fixed number of queries whatever the number of complaints. The rows are locked
        first and the complaints already anonymised (earlier, or by another worker) are left out, so
        it is idempotent. Runs as superuser (the step history can only be changed by the superuser).
        Returns the complaints done.
        """
        Complaint = self.env["complaint.complaint"].sudo().with_context(active_test=False)
        if not self:
            return Complaint
        env = Complaint.env
        cr = env.cr
        env.flush_all()
        cr.execute(
            SQL(
                "SELECT id FROM complaint_complaint WHERE id = ANY(%s) AND anonymised IS NOT TRUE "
                "ORDER BY id FOR UPDATE",
                list(self.ids),
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        complaints = Complaint.browse(ids)
        if not ids:
            return complaints
        marker = self._anonymise_marker()
        html_marker = str(Markup("<p>%s</p>") % marker)
        now = fields.Datetime.now()

        # The complaint itself, in one UPDATE: no tracking (the old values are the personal data), no
        # automation (nothing happens to the case itself).
        stored = {name for name, field in Complaint._fields.items() if field.store and field.column_type}
        assignments = [
            SQL("subject = %s", marker),
            SQL("complainant_name = %s", marker),
            SQL("anonymised = TRUE"),
            SQL("date_anonymised = %s", now),
            SQL("write_uid = %s", env.uid),
            SQL("write_date = %s", now),
        ]
        assignments += [SQL("%s = NULL", SQL.identifier(name)) for name in CLEARED_COLUMNS if name in stored]
        assignments += [SQL("%s = FALSE", SQL.identifier(name)) for name in CLEARED_FLAGS if name in stored]
        for name in PERSONAL_TEXT_FIELDS + PERSONAL_HTML_FIELDS:
            column = SQL.identifier(name)
            value = html_marker if name in PERSONAL_HTML_FIELDS else marker
            assignments.append(SQL("%s = CASE WHEN %s IS NULL OR %s = '' THEN %s ELSE %s END", *[column] * 4, value))
        cr.execute(SQL("UPDATE complaint_complaint SET %s WHERE id = ANY(%s)", SQL(", ").join(assignments), ids))
        changed = ["subject", "complainant_name", "anonymised", "date_anonymised", "write_uid", "write_date"]
        changed += [name for name in CLEARED_COLUMNS + CLEARED_FLAGS if name in stored]
        changed += list(PERSONAL_TEXT_FIELDS + PERSONAL_HTML_FIELDS)
        complaints.invalidate_recordset(changed)
        complaints.modified(changed)  # stored fields computed from them, in any installed addon

        # Decisions (written directly: an approved decision is locked for users), pauses, extensions.
        cr.execute(
            SQL(
                "UPDATE complaint_decision SET reasons = %s, rejection_reason = CASE WHEN rejection_reason "
                "IS NULL OR rejection_reason = '' THEN rejection_reason ELSE %s END WHERE complaint_id = ANY(%s)",
                marker,
                marker,
                ids,
            )
        )
        for table in ("complaint_pause", "complaint_extension"):
            cr.execute(
                SQL("UPDATE %s SET reason = %s WHERE complaint_id = ANY(%s)", SQL.identifier(table), marker, ids)
            )
        # The step history: notes hold reasons; the receipt's note (the channel) is a statistic.
        cr.execute(
            SQL(
                "UPDATE complaint_step SET note = %s WHERE complaint_id = ANY(%s) AND state_from IS NOT NULL "
                "AND note IS NOT NULL AND note != ''",
                marker,
                ids,
            )
        )
        records = [("complaint.complaint", ids)]
        cr.execute(
            SQL(
                "UPDATE complaint_dispute SET outcome_note = CASE WHEN outcome_note IS NULL OR outcome_note = '' "
                "THEN outcome_note ELSE %s END WHERE complaint_id = ANY(%s) RETURNING id",
                marker,
                ids,
            )
        )
        dispute_ids = [row[0] for row in cr.fetchall()]
        if dispute_ids:
            records.append(("complaint.dispute", dispute_ids))
        env.invalidate_all()
        self._anonymise_thread_data(records, marker, html_marker)
        complaints._log_step("anonymised", note=step_note)
        env.invalidate_all()
        _logger.info("Anonymised %s complaints", len(complaints))
        return complaints

    @api.model
    def _anonymise_thread_data(self, records, marker, html_marker):
        """Empty the chatter, attachments, followers, activities, queued mails and ratings of records.

        ``records``: a list of ``(model, ids)``. Through the ORM of the mail and rating models, a fixed
        number of calls for all the records (one per model and kind of data), each a batch.
        """
        env = self.env(su=True)
        models_ = tuple(model for model, _ids in records)
        for model, ids in records:
            ids = list(ids)
            messages = env["mail.message"].search([("model", "=", model), ("res_id", "in", ids)])
            attachments = env["ir.attachment"].search([("res_model", "=", model), ("res_id", "in", ids)])
            if messages:
                attachments |= messages.attachment_ids
                # Queued e-mails (their body and recipients are personal data): the ORM also removes the
                # message of an e-mail that is not a notification.
                env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
                messages = messages.exists()
                env["mail.tracking.value"].search(
                    [
                        ("mail_message_id", "in", messages.ids),
                        ("field_id.model", "in", models_ + ("complaint.complaint",)),
                        ("field_id.name", "in", PERSONAL_TRACKED_FIELDS),
                    ]
                ).unlink()
                env["mail.notification"].search([("mail_message_id", "in", messages.ids)]).unlink()
                env["mail.message.reaction"].search([("message_id", "in", messages.ids)]).unlink()
                # The messages keep their date, type and the tracking of the process fields (stage, handler).
                messages.filtered("body").write({"body": html_marker})
                messages.write(
                    {
                        "subject": False,
                        "author_id": False,
                        "author_guest_id": False,
                        "email_from": False,
                        "reply_to": False,
                        "record_name": False,
                        "partner_ids": [Command.clear()],
                        "attachment_ids": [Command.clear()],
                    }
                )
            # Attachments through the ORM: it removes their files from the filestore too.
            attachments.unlink()
            env["mail.followers"].search([("res_model", "=", model), ("res_id", "in", ids)]).unlink()
            env["mail.activity"].search([("res_model", "=", model), ("res_id", "in", ids)]).unlink()
            # Ratings keep their value (ISO 10004 statistics); the complainant, their comment, the link they
            # were sent and the stored name of the complaint (its subject) go.
            ratings = env["rating.rating"].search([("res_model", "=", model), ("res_id", "in", ids)])
            if ratings:
                ratings.write({"partner_id": False})
                ratings.filtered("feedback").write({"feedback": marker})
                names = dict(env[model].browse(ratings.mapped("res_id")).mapped(lambda r: (r.id, r.display_name)))
                for rating in ratings:
                    rating.write(
                        {
                            "access_token": rating._default_access_token(),
                            "res_name": names.get(rating.res_id) or f"{model}/{rating.res_id}",
                        }
                    )
