#!/usr/bin/env bash
# README command 2: the whole test suite on a fresh throw-away database, dropped afterwards.
#   1. installs the ERP apps and both addons with demo data (the bridges auto-install); any
#      error or warning of our addons during install fails the run;
#   2. runs every test with pytest-odoo: the addons' own tests (<addon>/tests), the system
#      tests (tests/: standalone install, lint), browser tests included (--odoo-http).
# Usage: setup/test.sh [extra pytest arguments, e.g. -k lifecycle]
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$REPO_ROOT/setup/install.sh"

DB=complaint_test_$(date +%Y%m%d%H%M%S)_$$
TEST_CONF=$RUN_DIR/odoo-test-$$.conf
INSTALL_LOG=$RUN_DIR/test-install-$$.log
cleanup() {
    dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    rm -rf "$TEST_CONF" "$RUN_DIR/data/filestore/$DB"
}
trap cleanup EXIT

# A free port, so that the tests can run while a demo server uses 8069.
port=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed "s/^http_port = .*/http_port = $port/" "$ODOO_CONF" > "$TEST_CONF"

# Every addon but the opt-in speed layer (complaint_handling_scale): its own system test
# (tests/test_scale_layer.py) installs it on a database of its own, runs its tests and uninstalls it.
addons=$(cd "$REPO_ROOT" && ls -d complaint_handling*/ | tr -d / | grep -vx complaint_handling_scale | paste -sd, -)
say "Installing $ERP_ADDONS,$addons with demo data into the throw-away database $DB"
start=$(date +%s)
"$VENV/bin/python" -m odoo -c "$TEST_CONF" -d "$DB" -i "$ERP_ADDONS,$addons" --stop-after-init \
    --log-level=warn >"$INSTALL_LOG" 2>&1 || { cat "$INSTALL_LOG"; die "Installing the addons failed."; }
say "Installed in $(( $(date +%s) - start )) s"
if grep -E "(WARNING|ERROR|CRITICAL) .*(complaint_handling|complaint\.)" "$INSTALL_LOG"; then
    die "Installing the addons logged the warnings or errors above."
fi

say "Running the tests"
cd "$REPO_ROOT"
test_dirs=$(ls -d complaint_handling*/tests tests 2>/dev/null | grep -v "^complaint_handling_scale/" | paste -sd' ' -)
# shellcheck disable=SC2086
"$VENV/bin/pytest" --odoo-config="$TEST_CONF" --odoo-database="$DB" --odoo-http \
    -p no:cacheprovider -r fEs $test_dirs "$@"
