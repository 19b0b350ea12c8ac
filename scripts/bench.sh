#!/usr/bin/env bash
# make bench-data DB=... SCALE=...: create $DB (five modules, no demo data) when missing, then
#   fill it with the benchmark data set (scripts/bench/data_generator.py).
# make bench DB=...: run every scripts/bench/bench_*.py against $DB and refresh docs/benchmarks.md.
set -uo pipefail
. "$(dirname "$0")/odoo_env.sh"
action=${1:-run}
db=${DB:-b2b_bench}
config_args=(-c "$B2B_ROOT/odoo.conf" --addons-path="$ADDONS_PATH")

installed() {
  psql -X -qtA -d "$db" -c "select count(*) from ir_module_module where name in ('b2b_pricing','b2b_credit','b2b_logistics','b2b_portal','b2b_reports') and state='installed'" 2>/dev/null || echo 0
}

case "$action" in
  data)
    scale=${SCALE:-1}
    start=$(date +%s)
    if [ "$(installed)" != 5 ]; then
      if psql -X -qtA -d "$db" -c "select 1" >/dev/null 2>&1 \
         && psql -X -qtA -d "$db" -c "select 1 from ir_module_module limit 1" >/dev/null 2>&1; then
        echo "make bench-data: database $db exists but does not have the five modules installed" >&2
        exit 1
      fi
      echo "make bench-data: creating $db with the five modules, without demo data..."
      odoo_cmd -d "$db" -i "$OUR_MODULES" --without-demo=all --stop-after-init --http-port=0 \
        --max-cron-threads=0 --workers=0 --log-handler=:WARNING --log-handler=odoo.modules.loading:INFO \
        || { echo "make bench-data: installing the modules into $db failed" >&2; exit 1; }
      echo "make bench-data: database ready in $(( $(date +%s) - start ))s"
    fi
    "$PY" "$B2B_ROOT/scripts/bench/make_data.py" --db "$db" --scale "$scale" -- "${config_args[@]}"
    rc=$?
    echo "make bench-data: finished in $(( $(date +%s) - start ))s (exit $rc)"
    exit $rc
    ;;
  run)
    if [ "$(installed)" != 5 ]; then
      echo "make bench: database $db has not the five modules; run make bench-data DB=$db first" >&2
      exit 1
    fi
    exec "$PY" "$B2B_ROOT/scripts/bench/run.py" --db "$db" ${BENCH:+--only "$BENCH"} -- "${config_args[@]}"
    ;;
  *)
    echo "usage: scripts/bench.sh data|run" >&2
    exit 2
    ;;
esac
