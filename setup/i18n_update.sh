#!/usr/bin/env bash
# Regenerate each addon's i18n/<addon>.pot from the code (Odoo's export, on a database with the addons
# installed and up to date, e.g. the demo database of setup/start.sh) and merge it into its vi.po (the
# translations kept, new terms empty), then count the Vietnamese terms left to translate.
# Usage: setup/i18n_update.sh <database> [addon ...]     (default: every complaint_handling* addon)
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB=${1:?"Usage: setup/i18n_update.sh <database> [addon ...]"}
shift
addons=("$@")
if [ ${#addons[@]} -eq 0 ]; then
    mapfile -t addons < <(cd "$REPO_ROOT" && ls -d complaint_handling*/ | tr -d /)
fi
odoo=("$VENV/bin/python" -m odoo -c "$ODOO_CONF" -d "$DB" --stop-after-init --log-level=warn)
for addon in "${addons[@]}"; do
    mkdir -p "$REPO_ROOT/$addon/i18n"
    "${odoo[@]}" --i18n-export="$REPO_ROOT/$addon/i18n/$addon.pot" --modules="$addon"
    touch "$REPO_ROOT/$addon/i18n/vi.po"
    missing=$("$VENV/bin/python" "$REPO_ROOT/setup/i18n_merge.py" "$REPO_ROOT/$addon/i18n/$addon.pot" \
        "$REPO_ROOT/$addon/i18n/vi.po")
    say "$addon: $missing Vietnamese terms to translate"
done
