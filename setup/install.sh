#!/usr/bin/env bash
# Installs what the project needs, idempotently: Debian packages, a Python virtual
# environment with Odoo 18.0 and the pinned tools, the pinned JavaScript lint tools
# (package-lock.json, in node_modules/), and the Odoo config file.
# Usage: setup/install.sh            (the start and test commands call it first)
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Debian packages: Python 3.11 venv and headers, the C headers psycopg2/python-ldap build against, wkhtmltopdf for PDF reports,
# chromium for browser tests, poppler-utils (pdftotext) to check PDFs, PostgreSQL client.
DEB_PACKAGES=(python3.11-venv python3.11-dev libpq-dev libldap2-dev libsasl2-dev wkhtmltopdf chromium poppler-utils postgresql-client fonts-noto-core)

install_debian_packages() {
    local missing=()
    for pkg in "${DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    say "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq || die "apt-get update failed; install by hand: apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
        || die "apt-get install failed; install by hand: apt-get install ${missing[*]}"
}

venv_fingerprint() {
    {
        "$PYTHON" --version
        echo "src=${ODOO_SRC:-importable}"
        cat "$REPO_ROOT/setup/requirements.txt" "$REPO_ROOT/setup/constraints.txt"
        if [ -n "${ODOO_SRC:-}" ]; then cat "$ODOO_SRC/requirements.txt"; fi
    } 2>&1 | sha256sum | cut -d' ' -f1
}

# pip, minus the warnings some machines' pip.conf give for every package (missing local index dirs).
pip_quiet() {
    "$VENV/bin/python" -m pip "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}

build_venv() {
    local stamp=$VENV/.complaint_handling_stamp fingerprint
    fingerprint=$(venv_fingerprint)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ]; then
        return
    fi
    say "Building the virtual environment in $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    if [ "$ODOO_IMPORTABLE" = 1 ]; then
        # Odoo is installed in $PYTHON's environment (maybe a venv itself): make that environment's
        # packages visible from ours through a .pth file, behind our own pinned packages.
        "$PYTHON" -c 'import os, site, sys, odoo
paths = [os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__)))]
paths += site.getsitepackages() + [p for p in sys.path if p.endswith("site-packages")]
print("\n".join(dict.fromkeys(paths)))' > "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')/complaint_handling_odoo.pth"
    fi
    local pip=(pip_quiet install -q --disable-pip-version-check)
    # Some of Odoo's pinned sdists (cbor2 5.4.2) still import pkg_resources: keep setuptools < 70
    # in every build environment through the constraints file.
    export PIP_CONSTRAINT=$REPO_ROOT/setup/constraints.txt
    "${pip[@]}" "setuptools<70" wheel
    if [ "$ODOO_IMPORTABLE" = 0 ]; then
        "${pip[@]}" -r "$ODOO_SRC/requirements.txt"
        "${pip[@]}" --no-build-isolation --no-deps -e "$ODOO_SRC"
    fi
    "${pip[@]}" -r "$REPO_ROOT/setup/requirements.txt"
    echo "$fingerprint" > "$stamp"
}

# prettier (with its XML plugin) and eslint, as pinned in package-lock.json, for tests/test_lint.py.
install_node_tools() {
    local stamp=$REPO_ROOT/node_modules/.complaint_handling_stamp fingerprint
    command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 \
        || die "Node.js (18 or later) and npm are needed for the lint tools (prettier, eslint). Install them, e.g. apt-get install nodejs npm."
    node -e 'process.exit(parseInt(process.versions.node) >= 18 ? 0 : 1)' \
        || die "Node.js $(node --version) is too old for the lint tools (eslint 9); install Node.js 18 or later."
    fingerprint=$( { node --version; cat "$REPO_ROOT/package.json" "$REPO_ROOT/package-lock.json"; } | sha256sum | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ]; then
        return
    fi
    say "Installing the JavaScript lint tools (npm ci) in $REPO_ROOT/node_modules"
    (cd "$REPO_ROOT" && npm ci --prefer-offline --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null) \
        || die "npm ci failed (see above); it needs the npm registry or npm's cache."
    echo "$fingerprint" > "$stamp"
}

write_odoo_conf() {
    mkdir -p "$RUN_DIR"
    local addons_path
    addons_path=$("$VENV/bin/python" - <<'PY'
import os
import odoo.addons, odoo.tools.config  # noqa: F401
paths = [p for p in odoo.addons.__path__ if os.path.isdir(p)]
root = os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__)))
if os.path.isdir(os.path.join(root, "addons")):  # a source tree keeps the apps beside odoo/
    paths.append(os.path.join(root, "addons"))
print(",".join(dict.fromkeys(paths)))
PY
)
    cat > "$ODOO_CONF" <<CONF
; Generated by setup/install.sh; edit setup/common.sh or $CONFIG_FILE instead.
[options]
addons_path = $REPO_ROOT,$addons_path
data_dir = $RUN_DIR/data
db_host = ${DB_HOST:-False}
db_port = $DB_PORT
db_user = $DB_USER
db_password = False
http_interface = 127.0.0.1
http_port = 8069
list_db = False
without_demo = False
CONF
}

check_database_server() {
    [ "$DB_USER" != "postgres" ] || die "Odoo refuses to run as the PostgreSQL user 'postgres'. Set DB_USER to another role (createuser -s \$USER)."
    local host_args=()
    [ -n "$DB_HOST" ] && host_args=(-h "$DB_HOST")
    psql "${host_args[@]}" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atc 'select 1' >/dev/null 2>&1 \
        || die "Cannot connect to PostgreSQL as '$DB_USER' (host ${DB_HOST:-local socket}, port $DB_PORT).
Start PostgreSQL and create the role:  sudo -u postgres createuser --superuser $DB_USER"
}

install_debian_packages
find_odoo
build_venv
install_node_tools
write_odoo_conf
check_database_server
