from urllib.parse import urlencode

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.complaint_complaint_portal import CONTACT_CHANNELS

# The text fields of the public form, as named in the HTML form and on the model.
FORM_FIELDS = (
    "complainant_name",
    "complainant_email",
    "complainant_phone",
    "order_reference",
    "product_id",
    "subject",
    "description",
    "remedy_requested",
    "lang",
    "contact_channel",
)
# Hidden field that people never fill in; robots filling every field do.
HONEYPOT_FIELD = "contact_fax"
# Most products listed in the form's product choice.
PRODUCT_CHOICES_LIMIT = 300


class ComplaintPortal(CustomerPortal):
    """The complainant's side: public complaint form, tracking page, answers to decisions (ISO 10002 7.1-7.9)."""

    # ------------------------------------------------------------------ helpers

    # Portal customers have no access rights on complaints: they reach theirs only through these pages,
    # which read them as superuser after their own check (the customer's contact, or the complaint's
    # token), and show only what the tracking page shows (no findings, root cause, internal notes...).

    def _complaint_domain(self):
        """The complaints of the logged-in user as complainant: their own contact's."""
        return [("partner_id", "=", request.env.user.partner_id.id)]

    def _complaints_sudo(self):
        """The complaint model as superuser, to read the logged-in customer's own complaints (see above)."""
        return request.env["complaint.complaint"].sudo()

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            values["complaint_count"] = (
                0 if request.env.user._is_public() else self._complaints_sudo().search_count(self._complaint_domain())
            )
        return values

    def _complaint_read_files(self, company):
        """The uploaded files as (name, bytes); a file is read only up to one byte over the size limit."""
        max_bytes = (company.complaint_portal_max_file_size or 0) * 1024 * 1024
        files = []
        for upload in request.httprequest.files.getlist("attachments"):
            if not upload.filename:
                continue
            data = upload.stream.read(max_bytes + 1) if max_bytes else upload.stream.read()
            files.append((upload.filename, data))
        return files

    def _complaint_client_ip(self):
        return request.httprequest.remote_addr or ""

    # ---------------------------------------------------------------- public form

    def _complaint_form_values(self, values=None, errors=None, error_message=None):
        company = request.env.company
        Complaint = request.env["complaint.complaint"]
        promises = (
            request.env["complaint.promise"]
            .sudo()
            .search([("published", "=", True), ("company_id", "=", company.id)], order="sequence, id")
        )
        products = (
            request.env["product.product"]
            .sudo()
            .search(
                [("sale_ok", "=", True), ("company_id", "in", [company.id, False])],
                order="name, id",
                limit=PRODUCT_CHOICES_LIMIT,
            )
        )
        languages = request.env["res.lang"].sudo().get_installed()
        user = request.env.user
        values = dict(values or {})
        if not user._is_public() and not values:
            partner = user.partner_id
            values = {
                "complainant_name": partner.name,
                "complainant_email": partner.email,
                "complainant_phone": partner.phone or partner.mobile,
            }
        values.setdefault("lang", request.env.lang)
        channels = dict(Complaint._fields["contact_channel"]._description_selection(request.env))
        return {
            "company": company,
            "policy": company.sudo().complaint_portal_policy,
            "promises": promises,
            "products": products,
            "languages": languages,
            "contact_channels": [(key, channels[key]) for key, _label in CONTACT_CHANNELS],
            "form": values,
            "errors": errors or {},
            "error_message": error_message,
            "honeypot": HONEYPOT_FIELD,
            "max_files": company.complaint_portal_max_files,
            "max_file_size": company.complaint_portal_max_file_size,
            "allowed_types": ",".join(sorted(Complaint._portal_allowed_mimetypes(company))),
            "page_name": "complaint_form",
        }

    @http.route("/complaint", type="http", auth="public", website=True, sitemap=True)
    def complaint_form(self, **kwargs):
        """The public "Make a complaint" page: policy, promises, process and the form."""
        return request.render("complaint_handling.portal_complaint_form", self._complaint_form_values())

    @http.route("/complaint/submit", type="http", auth="public", methods=["POST"], website=True, sitemap=False)
    def complaint_submit(self, **post):
        """Receive the public form: validated, flood-limited, files checked, then registered (channel web)."""
        if post.get(HONEYPOT_FIELD):
            # A robot: answer as if all went well, register nothing.
            return request.render("complaint_handling.portal_complaint_confirmation", {"complaint": None})
        values = {name: (post.get(name) or "").strip() for name in FORM_FIELDS}
        values["consent_data_processing"] = bool(post.get("consent_data_processing"))
        Complaint = request.env["complaint.complaint"]
        errors = Complaint._portal_validate(values)
        if errors:
            return request.render(
                "complaint_handling.portal_complaint_form",
                self._complaint_form_values(
                    values, errors, request.env._("Please correct the fields marked below and send again.")
                ),
            )
        company = request.env.company
        try:
            complaint = Complaint._portal_submit(
                values, files=self._complaint_read_files(company), ip=self._complaint_client_ip(), company=company
            )
        except UserError as error:
            return request.render(
                "complaint_handling.portal_complaint_form",
                self._complaint_form_values(values, {}, error.args[0]),
            )
        query = urlencode({"access_token": complaint._portal_ensure_token()})
        return request.redirect(f"/complaint/confirmation/{complaint.id}?{query}")

    @http.route("/complaint/confirmation/<int:complaint_id>", type="http", auth="public", website=True, sitemap=False)
    def complaint_confirmation(self, complaint_id, access_token=None, **kwargs):
        """The confirmation page with the reference and the tracking link (needs the complaint's token)."""
        try:
            complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/complaint")
        return request.render(
            "complaint_handling.portal_complaint_confirmation",
            {"complaint": complaint_sudo, "tracking_url": complaint_sudo.get_portal_url()},
        )

    # ------------------------------------------------------- e-mail confirmation

    @http.route(
        "/complaint/verify/<int:complaint_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def complaint_verify_email(self, complaint_id, token, **post):
        """The link e-mailed to the address given on the public form: confirm it (with a button: mail scanners
        open links) to follow the complaint in the customer's account."""
        complaint_sudo = request.env["complaint.complaint"].sudo().browse(complaint_id).exists()
        valid = bool(complaint_sudo) and consteq(token or "", complaint_sudo._portal_verification_token())
        if not valid:
            return request.render("complaint_handling.portal_complaint_verify", {"valid": False}, status=404)
        confirmed = False
        if request.httprequest.method == "POST":
            complaint_sudo._portal_verify_email(token)
            confirmed = True
        return request.render(
            "complaint_handling.portal_complaint_verify",
            {"valid": True, "confirmed": confirmed, "complaint": complaint_sudo, "token": token},
        )

    # --------------------------------------------------------------- my complaints

    def _complaint_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {"label": request.env._("In progress"), "domain": [("is_done", "=", False)]},
            "done": {"label": request.env._("Closed"), "domain": [("is_done", "=", True)]},
        }

    def _complaint_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date_received desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
            "state": {"label": request.env._("Status"), "order": "state, date_received desc, id desc"},
        }

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"], type="http", auth="user", website=True, sitemap=False
    )
    def portal_my_complaints(self, page=1, sortby=None, filterby=None, **kwargs):
        """The logged-in customer's complaints, with filters, sorting and pages."""
        Complaint = self._complaints_sudo()
        values = self._prepare_portal_layout_values()
        filters = self._complaint_searchbar_filters()
        sortings = self._complaint_searchbar_sortings()
        filterby = filterby if filterby in filters else "all"
        sortby = sortby if sortby in sortings else "date"
        domain = self._complaint_domain() + filters[filterby]["domain"]
        count = Complaint.search_count(domain)
        pager = portal_pager(
            url="/my/complaints",
            url_args={"sortby": sortby, "filterby": filterby},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        order = sortings[sortby]["order"]
        complaints = (
            Complaint.search(domain, order=order, limit=self._items_per_page, offset=pager["offset"])
            if count
            else Complaint
        )
        request.session["my_complaints_history"] = complaints.ids[:100]
        values.update(
            {
                # The customer's own complaints only (the domain), shown as the list shows them.
                "complaints": complaints,
                "page_name": "complaint",
                "default_url": "/my/complaints",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("complaint_handling.portal_my_complaints", values)

    def _complaint_check_access(self, complaint_id, access_token):
        """The complaint (as superuser) if the visitor may see its tracking page, else AccessError/MissingError.

        Allowed: with the complaint's access token (the link sent to the complainant), for the customer
        whose contact is the complainant, and for internal users who may read it in the back office.
        """
        complaint_sudo = request.env["complaint.complaint"].sudo().browse(complaint_id).exists()
        if not complaint_sudo:
            raise MissingError(request.env._("This complaint does not exist."))
        user = request.env.user
        if access_token and complaint_sudo.access_token and consteq(complaint_sudo.access_token, access_token):
            return complaint_sudo
        if not user._is_public() and complaint_sudo.partner_id == user.partner_id:
            return complaint_sudo
        if not user.share and complaint_sudo.with_user(user).has_access("read"):
            return complaint_sudo
        raise AccessError(request.env._("You cannot see this complaint."))

    def _complaint_page_url(self, complaint_sudo, access_token=None, **params):
        if access_token:
            params["access_token"] = access_token
        query = f"?{urlencode(params)}" if params else ""
        return f"/my/complaints/{complaint_sudo.id}{query}"

    def _complaint_error_url(self, complaint_sudo, access_token, error):
        # The message travels in the session, never in the URL (a link could not show a forged text).
        request.session["complaint_portal_error"] = error.args[0]
        return self._complaint_page_url(complaint_sudo, access_token, error=1)

    def _complaint_answer(self, complaint_id, access_token, action, notice, anchor, error_anchor=None):
        """Run ``action(complaint_sudo)`` for a form posted from the tracking page, then go back to it.

        Access by login or token as for the page itself; a UserError of ``action`` is shown on the page
        (at ``error_anchor``, default ``anchor``), success with the ``notice`` message (at ``anchor``).
        """
        try:
            complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            action(complaint_sudo)
        except UserError as error:
            url = self._complaint_error_url(complaint_sudo, access_token, error)
            return request.redirect(f"{url}#{error_anchor or anchor}")
        url = self._complaint_page_url(complaint_sudo, access_token, message=notice)
        return request.redirect(f"{url}#{anchor}")

    @http.route("/my/complaints/<int:complaint_id>", type="http", auth="public", website=True, sitemap=False)
    def portal_my_complaint(self, complaint_id, access_token=None, message=None, error=None, **kwargs):
        """The tracking page: status, dates, decision, public messages, rating; by login or by token."""
        try:
            complaint_sudo = self._complaint_check_access(complaint_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        notices = {
            "sent": request.env._("Thank you: your information was added to the complaint."),
            "accepted": request.env._("Thank you: you accepted the decision. We will close the complaint."),
            "rejected": request.env._("Your answer was recorded. We will come back to you."),
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "complaint": complaint_sudo,
                "page_name": "complaint",
                "public_messages": complaint_sudo._portal_public_messages(),
                "rating": complaint_sudo._portal_rating() if complaint_sudo.state == "closed" else None,
                "rating_token": (
                    complaint_sudo._portal_rating_token()
                    if complaint_sudo.state == "closed" and not complaint_sudo._portal_rating()
                    else False
                ),
                "dispute_methods": complaint_sudo.env["complaint.dispute"]
                ._fields["method"]
                ._description_selection(request.env),
                "notice": notices.get(message),
                "form_error": request.session.pop("complaint_portal_error", None) if error else None,
                "max_files": complaint_sudo.company_id.complaint_portal_max_files,
                "max_file_size": complaint_sudo.company_id.complaint_portal_max_file_size,
                "allowed_types": ",".join(sorted(complaint_sudo._portal_allowed_mimetypes(complaint_sudo.company_id))),
            }
        )
        values = self._get_page_view_values(complaint_sudo, access_token, values, "my_complaints_history", False)
        return request.render("complaint_handling.portal_my_complaint", values)

    @http.route(
        "/my/complaints/<int:complaint_id>/message",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def portal_complaint_message(self, complaint_id, access_token=None, message="", **kwargs):
        """The complainant adds information (text and files) to their complaint."""
        message = (message or "").strip()

        def post(complaint_sudo):
            files = complaint_sudo._portal_check_attachments(
                self._complaint_read_files(complaint_sudo.company_id), complaint_sudo.company_id
            )
            if not message and not files:
                raise UserError(request.env._("Write a message or attach a file before sending."))
            if len(message) > 20000:
                raise UserError(request.env._("The message is too long; split it in several messages."))
            complaint_sudo._portal_post_message(message, files)

        return self._complaint_answer(complaint_id, access_token, post, "sent", "messages", "complaint_add_info")

    @http.route(
        "/my/complaints/<int:complaint_id>/accept",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def portal_complaint_accept(self, complaint_id, access_token=None, **kwargs):
        """The complainant accepts the decision."""
        return self._complaint_answer(
            complaint_id,
            access_token,
            lambda complaint_sudo: complaint_sudo._portal_accept_decision(),
            "accepted",
            "decision",
        )

    @http.route(
        "/my/complaints/<int:complaint_id>/reject",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def portal_complaint_reject(
        self, complaint_id, access_token=None, reason="", recourse="none", method=None, provider_name=None, **kwargs
    ):
        """The complainant rejects the decision, says why and chooses internal review or external resolution."""
        return self._complaint_answer(
            complaint_id,
            access_token,
            lambda complaint_sudo: complaint_sudo._portal_reject_decision(
                reason, recourse, method=method, provider_name=provider_name
            ),
            "rejected",
            "decision",
        )
