#!/usr/bin/env bash
# README command 1: start Odoo on http://localhost:8069 with both addons and demo data.
# Creates the database when it does not exist; otherwise upgrades the addons in it.
# Usage: setup/start.sh             (COMPLAINT_DB=name to choose the database, HTTP_PORT=8069)
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$REPO_ROOT/setup/install.sh"

DB=${COMPLAINT_DB:-complaints}
PORT=${HTTP_PORT:-8069}
# The port is given on the command line, so that the shared .run/odoo.conf keeps 8069.
odoo=("$VENV/bin/python" -m odoo -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT")

if psql -d "$DB" -Atc "select 1 from ir_module_module limit 1" >/dev/null 2>&1; then
    say "Upgrading $OUR_ADDONS in the existing database '$DB'"
    "${odoo[@]}" -u "$OUR_ADDONS" --stop-after-init --log-level=warn
else
    say "Creating the database '$DB' with demo data (a few minutes)"
    # Vietnamese is loaded beside English: the public pages and the reports are translated (/vi/complaint).
    # English comes first: Odoo makes the first language given the default of contacts and the company.
    "${odoo[@]}" -i "$ERP_ADDONS,$OUR_ADDONS" --load-language=en_US,vi_VN --stop-after-init --log-level=warn
fi

cat <<MSG

  Complaint Handling is starting on  http://localhost:$PORT   (database: $DB)
  Public complaint form: http://localhost:$PORT/complaint   (Vietnamese: /vi/complaint)

  Demo logins (login / password):
    admin / admin                          administrator, complaint manager
    complaint_manager / complaint_manager  complaint manager (all complaints, approvals)
    handler / handler                      complaint handler, leader of Customer Care
    handler2 / handler2                    complaint handler
    complaint_user / complaint_user        logs complaints, sees their own
    auditor / auditor                      read-only auditor
    complaint_portal / complaint_portal    a customer with a portal account (/my/complaints)

  Stop with Ctrl+C.

MSG
exec "${odoo[@]}"
