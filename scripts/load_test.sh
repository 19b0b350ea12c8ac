#!/usr/bin/env bash
# make load: the dealer-portal load test (locust, tests/load/).
#   1. copies the bench database (make bench-data) into LOAD_DB, with its filestore;
#   2. tests/load/setup_load.py setup: USERS dealer portal users, low-stock products;
#   3. starts Odoo on it (--workers, -d, no --db-filter) on a port of 8500-8599;
#   4. runs locust headless: USERS simulated dealers, SPAWN per second, for DURATION;
#   5. tests/load/setup_load.py check: no low-stock product oversold;
#   6. tests/load/report_load.py: p50/p95 per request type into docs/benchmarks.md.
# Fails when a request failed (5xx, unexpected 4xx), the server logged an error, or stock was oversold.
set -uo pipefail
. "$(dirname "$0")/odoo_env.sh"
src=${DB:-b2b_bench}
db=${LOAD_DB:-b2b_load}
users=${USERS:-500}
spawn=${SPAWN:-2}
duration=${DURATION:-8m}
workers=${WORKERS:-5}
out="$B2B_ROOT/var/load"
config_args=(-c "$B2B_ROOT/odoo.conf" --addons-path="$ADDONS_PATH")
mkdir -p "$out"
rm -f "$out"/locust_*.csv "$out"/outcomes.json "$out"/check.json

[ -x "$B2B_ROOT/.venv-load/bin/locust" ] || { echo "make load: no .venv-load (B2B_LOAD_VENV=1 make setup)" >&2; exit 1; }
psql -X -qtA -d "$src" -c "select 1 from ir_module_module where name='b2b_portal' and state='installed'" 2>/dev/null | grep -q 1 \
  || { echo "make load: $src has no b2b_portal; run make bench-data DB=$src first" >&2; exit 1; }

if [ "${LOAD_REUSE:-}" = 1 ] && psql -X -qtA -d "$db" -c "select 1" >/dev/null 2>&1; then
  echo "make load: reusing $db (LOAD_REUSE=1)"
else
  echo "make load: copying $src to $db"
  drop_db "$db"
  createdb -T "$src" "$db" || { echo "make load: cannot copy $src (is a server connected to it?)" >&2; exit 1; }
  filestore="${HOME}/.local/share/Odoo/filestore"
  [ -d "$filestore/$src" ] && cp -r "$filestore/$src" "$filestore/$db"
fi
"$PY" "$B2B_ROOT/tests/load/setup_load.py" setup --db "$db" --users "$users" -- "${config_args[@]}" || exit 1

port=""
for candidate in $(seq 8500 8599); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "make load: no free port in 8500-8599" >&2; exit 1; }
echo "make load: Odoo --workers=$workers on port $port (log: var/load/odoo.log)"
# The prefork server re-executes argv[0] ("odoo-bin") for its gevent process: run from Odoo's directory.
(cd "$ODOO_PATH" && exec "$PY" "$B2B_ROOT/scripts/odoo_run.py" -- "${config_args[@]}" -d "$db" \
  --workers="$workers" --max-cron-threads=0 --http-port="$port" --log-level=warn \
  --limit-time-real=600 --limit-time-cpu=300) >"$out/odoo.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/web/health" >/dev/null && break
  sleep 1
done
curl -sf "http://127.0.0.1:$port/web/health" >/dev/null || { echo "make load: Odoo did not start" >&2; exit 1; }

echo "make load: $users dealers, $spawn/s, $duration"
start=$(date +%s)
"$B2B_ROOT/.venv-load/bin/locust" -f "$B2B_ROOT/tests/load/locustfile.py" --headless \
  -u "$users" -r "$spawn" -t "$duration" --stop-timeout 20 --host "http://127.0.0.1:$port" \
  --csv "$out/locust" --only-summary >"$out/locust.log" 2>&1
echo "make load: locust finished in $(( $(date +%s) - start ))s"
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
trap - EXIT

"$PY" "$B2B_ROOT/tests/load/setup_load.py" check --db "$db" -- "${config_args[@]}"
stock_rc=$?
# PostgreSQL serialization failures are logged (odoo.sql_db "bad query") and the request is
# retried by Odoo: counted apart; a request that still fails answers 5xx and locust counts it.
retries=$(grep -c "could not serialize access" "$out/odoo.log")
server_errors=$(grep -E " (ERROR|CRITICAL) " "$out/odoo.log" | grep -vc "odoo.sql_db: bad query")
"$PY" "$B2B_ROOT/tests/load/report_load.py" --users "$users" --spawn "$spawn" --duration "$duration" \
  --workers "$workers" --server-errors "$server_errors" --retries "$retries"
report_rc=$?
[ "$stock_rc" = 0 ] && [ "$report_rc" = 0 ] && [ "$server_errors" = 0 ] && { echo "make load: passed"; exit 0; }
echo "make load: FAILED (stock check $stock_rc, request failures $report_rc, server errors $server_errors)" >&2
exit 1
