#!/usr/bin/env bash
# Idempotent set-up: Odoo at ODOO_PATH, Debian's Python packages Odoo lists, our venv,
# Chromium for tours, and a PostgreSQL that answers. Fast when everything is there.
set -euo pipefail

ODOO_PATH=${ODOO_PATH:-/opt/odoo}
VENV=${VENV:-.venv}
PGHOST_CHECK=${PGHOST:-}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

die() { printf 'setup: %s\n' "$*" >&2; exit 1; }
say() { printf 'setup: %s\n' "$*"; }

# 1. Odoo 18.0 source ------------------------------------------------------------------------
if [ ! -f "$ODOO_PATH/odoo-bin" ]; then
  if [ "${B2B_NO_CLONE:-}" != 1 ] && command -v git >/dev/null \
     && timeout 8 git ls-remote --heads https://github.com/odoo/odoo.git 18.0 >/dev/null 2>&1; then
    say "cloning Odoo 18.0 into $ODOO_PATH (shallow)"
    git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git "$ODOO_PATH" \
      || die "git clone of Odoo 18.0 into $ODOO_PATH failed"
  else
    cat >&2 <<MSG
setup: Odoo 18.0 was not found: ODOO_PATH=$ODOO_PATH has no odoo-bin.
  Get Odoo 18.0 Community in one of two ways, then run this again:
    1. git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git $ODOO_PATH
       (or point ODOO_PATH at an existing 18.0 checkout: make test ODOO_PATH=/path/to/odoo)
    2. Docker: use the official odoo:18.0 image with docker/docker-compose.yml (see README).
MSG
    exit 1
  fi
fi
grep -q "18, 0" "$ODOO_PATH/odoo/release.py" 2>/dev/null \
  || die "$ODOO_PATH is not Odoo 18.0 (odoo/release.py says otherwise)"

# 2. Debian packages -------------------------------------------------------------------------
# The python3-* packages of Odoo's debian/control (the lxml-html-clean alternative is
# satisfied by python3-lxml on Debian 12), plus what tours, PDFs and the database need.
wanted=$(sed -n '/^Depends:/,/^Pre-Depends:/p' "$ODOO_PATH/debian/control" | grep -v '^#' \
  | grep -o 'python3-[a-z0-9-]*' | grep -v '^python3-lxml-html-clean$' | sort -u)
# python3-websocket: Odoo drives Chromium over the DevTools websocket; without it every tour
# (HttpCase.start_tour / browser_js) is silently skipped.
# wkhtmltopdf: Odoo prints QWeb reports (statements, scorecards, invoices) to PDF with it.
wanted="$wanted python3-lxml python3-venv python3-websocket postgresql-client chromium fonts-noto-cjk wkhtmltopdf"
missing=""
for pkg in $wanted; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  command -v apt-get >/dev/null || die "missing Debian packages:$missing (no apt-get here to install them)"
  [ "$(id -u)" = 0 ] || die "missing Debian packages:$missing (run 'make setup' as root, or apt-get install them)"
  say "installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  # shellcheck disable=SC2086
  apt-get install -y -qq $missing >/dev/null || die "apt-get install failed for:$missing"
fi

# 3. Our virtualenv over the system Python (Odoo's Debian deps stay visible) -----------------
if [ ! -x "$VENV/bin/python" ] || [ requirements-dev.txt -nt "$VENV/.installed" ]; then
  say "preparing $VENV (system site packages + requirements-dev.txt)"
  [ -x "$VENV/bin/python" ] || /usr/bin/python3 -m venv --system-site-packages "$VENV" \
    || die "could not create $VENV with /usr/bin/python3"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r requirements-dev.txt \
    || die "pip install -r requirements-dev.txt failed"
  touch "$VENV/.installed"
fi
# The load tester needs a newer urllib3 than Debian's: it gets a plain venv of its own.
if [ "${B2B_LOAD_VENV:-}" = 1 ] && { [ ! -x .venv-load/bin/locust ] || [ tests/load/requirements.txt -nt .venv-load/.installed ]; }; then
  say "preparing .venv-load (locust)"
  /usr/bin/python3 -m venv .venv-load && .venv-load/bin/pip install -q -r tests/load/requirements.txt \
    || die "could not install the load tester (tests/load/requirements.txt)"
  touch .venv-load/.installed
fi

# 4. PostgreSQL --------------------------------------------------------------------------------
pg_ok() { psql -X -q -d postgres -c 'select 1' >/dev/null 2>&1; }
if ! pg_ok; then
  if ls /etc/postgresql/*/main >/dev/null 2>&1; then
    say "starting the local PostgreSQL cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start >/dev/null 2>&1 || true
    sleep 2
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing and starting PostgreSQL"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || die "apt-get install postgresql failed"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start >/dev/null 2>&1 || true
    sleep 2
  fi
  if ! pg_ok && [ "$(id -u)" = 0 ]; then
    # a fresh Debian cluster only trusts the postgres role: give root a superuser role
    su postgres -c "psql -X -q -c \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='$(id -un)') THEN CREATE ROLE \\\"$(id -un)\\\" SUPERUSER LOGIN; END IF; END\\\$\\\$\"" >/dev/null 2>&1 || true
  fi
  pg_ok || die "PostgreSQL does not answer ${PGHOST_CHECK:+on $PGHOST_CHECK }for user $(id -un). Start a server (or set PGHOST/PGUSER/PGPASSWORD) and run this again."
fi
exit 0
