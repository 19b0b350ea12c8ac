# Sourced by the scripts: one place for the paths and the odoo command line.
# shellcheck shell=bash
ODOO_PATH=${ODOO_PATH:-/opt/odoo}
B2B_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$B2B_ROOT/.venv}
PY="$VENV/bin/python"
# A git checkout keeps most addons in addons/, a packaged build merges them into odoo/addons.
ADDONS_PATH="$B2B_ROOT/addons,$B2B_ROOT/tests,$ODOO_PATH/odoo/addons"
if compgen -G "$ODOO_PATH/addons/*/__manifest__.py" >/dev/null; then
  ADDONS_PATH="$ADDONS_PATH,$ODOO_PATH/addons"
fi
OUR_MODULES="b2b_pricing,b2b_credit,b2b_logistics,b2b_portal,b2b_reports"
SUITE_MODULES="b2b_suite"
export ODOO_PATH

odoo_cmd() {
  "$PY" "$B2B_ROOT/scripts/odoo_run.py" -- -c "$B2B_ROOT/odoo.conf" --addons-path="$ADDONS_PATH" "$@"
}

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

drop_db() {
  dropdb --if-exists "$1" >/dev/null 2>&1 || true
  rm -rf "${HOME}/.local/share/Odoo/filestore/$1"
}
