#!/usr/bin/env bash
# make demo: create (or reuse) $DB with the five modules and their demo data, then serve it.
set -uo pipefail
. "$(dirname "$0")/odoo_env.sh"
db=${DB:-b2b_demo}
port=${PORT:-8069}

installed=$(psql -X -qtA -d "$db" -c "select count(*) from ir_module_module where name in ('b2b_pricing','b2b_credit','b2b_logistics','b2b_portal','b2b_reports') and state='installed'" 2>/dev/null || echo 0)
if [ "$installed" != 5 ]; then
  echo "make demo: installing the suite with demo data into database $db (a few minutes)..."
  odoo_cmd -d "$db" -i "$OUR_MODULES" --stop-after-init --http-port="$port" --max-cron-threads=0 \
    --log-handler=:WARNING --log-handler=odoo.modules.loading:INFO \
    || { echo "make demo: installation into $db failed (see the log above)" >&2; exit 1; }
fi
cat <<MSG

  B2B dealer-ordering demo: http://localhost:$port   (database $db)
  Back office:  admin / admin
  Dealers (portal, /my):
$(psql -X -qtA -F ' ' -d "$db" -c "select '    ' || u.login || ' / ' || u.login from res_users u join res_partner p on p.id=u.partner_id join res_groups_users_rel r on r.uid=u.id join ir_model_data d on d.res_id=r.gid and d.model='res.groups' and d.module='base' and d.name='group_portal' where u.active and u.login like 'dealer%' order by u.login" 2>/dev/null)
  (Ctrl-C stops the server.)

MSG
exec "$PY" "$B2B_ROOT/scripts/odoo_run.py" -- -c "$B2B_ROOT/odoo.conf" --addons-path="$ADDONS_PATH" \
  -d "$db" --db-filter="^${db}\$" --http-port="$port" --http-interface=0.0.0.0
