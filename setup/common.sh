# shellcheck shell=bash
# Shared by the setup scripts: where Odoo is, the virtual environment, the Odoo config.
# Sourced, not run. Settings come from the environment or from the config file
# ${XDG_CONFIG_HOME:-~/.config}/complaint_handling/setup.conf (shell "KEY=value" lines),
# so that a fresh clone (CI, a new developer) finds the same Odoo without any variable set.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CONFIG_FILE=${COMPLAINT_HANDLING_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/complaint_handling/setup.conf}
if [ -f "$CONFIG_FILE" ]; then
    # shellcheck disable=SC1090
    . "$CONFIG_FILE"
fi

PYTHON=${PYTHON:-python3.11}
VENV=${COMPLAINT_HANDLING_VENV:-$REPO_ROOT/.venv}
RUN_DIR=$REPO_ROOT/.run                      # generated files (odoo.conf, filestore, logs); git-ignored
ODOO_CONF=$RUN_DIR/odoo.conf
DB_HOST=${DB_HOST:-}                          # empty: local socket
DB_PORT=${DB_PORT:-5432}
DB_USER=${DB_USER:-$(id -un)}
NIGHTLY_URL=${ODOO_NIGHTLY_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}
NIGHTLY_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/complaint_handling/odoo-18.0-nightly

# Addons of this repository. The bridges (sale/account/stock) install themselves
# (auto_install) when their ERP application is installed.
OUR_ADDONS=complaint_handling,complaint_handling_reports
# ERP applications installed beside them in the demo and test databases, so that
# the sale/invoice/delivery links can be shown and tested.
ERP_ADDONS=sale_management,stock,account

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

is_odoo18_tree() { [ -f "$1/odoo/release.py" ] && grep -q "^version_info = (18, 0," "$1/odoo/release.py"; }

# Sets ODOO_SRC (a source tree) or ODOO_IMPORTABLE=1 (an odoo 18.0 package that $PYTHON imports).
find_odoo() {
    ODOO_IMPORTABLE=0
    if [ -n "${ODOO_SRC:-}" ]; then
        is_odoo18_tree "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree (no odoo/release.py with version 18.0)."
        return
    fi
    if "$PYTHON" -c 'import odoo.release as r, sys; sys.exit(r.version_info[:2] != (18, 0))' 2>/dev/null; then
        ODOO_IMPORTABLE=1
        return
    fi
    if is_odoo18_tree "$NIGHTLY_DIR"; then
        ODOO_SRC=$NIGHTLY_DIR
        return
    fi
    say "No Odoo found; trying the official 18.0 nightly source archive"
    local tmp
    tmp=$(mktemp -d)
    if curl -fsSL --connect-timeout 10 --max-time 600 "$NIGHTLY_URL" -o "$tmp/odoo.tar.gz" 2>/dev/null; then
        mkdir -p "$NIGHTLY_DIR"
        tar -xzf "$tmp/odoo.tar.gz" -C "$NIGHTLY_DIR" --strip-components=1
        rm -rf "$tmp"
        is_odoo18_tree "$NIGHTLY_DIR" && { ODOO_SRC=$NIGHTLY_DIR; return; }
    fi
    rm -rf "$tmp"
    die "Odoo 18.0 was not found. Provide it in one of these ways:
  1. install it so that '$PYTHON -c \"import odoo\"' works (odoo 18.0), or
  2. point to an Odoo 18.0 source tree (a checkout of the 18.0 branch with odoo/, addons/, odoo-bin):
       export ODOO_SRC=/path/to/odoo-18.0
     or, to make it permanent (CI and fresh clones read it), write it to
       $CONFIG_FILE
     as the line:  ODOO_SRC=/path/to/odoo-18.0
  3. allow this machine to download $NIGHTLY_URL"
}
