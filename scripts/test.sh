#!/usr/bin/env bash
# make test: a throwaway database, our modules (and the cross-module suites under tests/)
# installed with their tests, then dropped. Ends with "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/odoo_env.sh"

modules=${MODULES:-$OUR_MODULES,$SUITE_MODULES}
tags=${TAGS:-}
if [ -z "$tags" ]; then
  tags=$(echo "$modules" | tr ',' '\n' | sed 's#^#/#' | paste -sd, -)
fi
db=${TEST_DB:-b2b_test_$(date +%s)_$$}
port=$(free_port)
log_dir="$B2B_ROOT/var/log"; mkdir -p "$log_dir"
trap 'drop_db "$db"' EXIT
drop_db "$db"
echo "make test: database $db, modules $modules, tags $tags, http port $port"
start=$(date +%s)
odoo_cmd -d "$db" -i "$modules" --test-enable --test-tags="$tags" --stop-after-init \
  --http-port="$port" --max-cron-threads=0 --workers=0 \
  --log-handler=:WARNING --log-handler=odoo.addons:INFO --log-handler=odoo.tests:INFO \
  --log-handler=odoo.service.server:INFO ${ODOO_ARGS:-}
rc=$?
echo "make test: finished in $(( $(date +%s) - start ))s (exit $rc)"
exit $rc
