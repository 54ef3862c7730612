#!/usr/bin/env bash
# The store side of file intake alone (issue 15): N notifications of bench/file-intake.sh's shape stored through
# NotificationQueue.enqueueAll a checkpoint at a time (StoreIntakeBench, -Xmx256m, its own JVM), without the CSV,
# Camel or the row side. Prints rows/s per 100,000-row slice, timed around enqueueAll, beside the load average,
# and the database's size afterwards.
# Usage: BENCH_DB=postgres|h2 bench/store-intake.sh [rows=1000000] [checkpoint rows=500]
# PostgreSQL: HUB_TEST_PG_URL (default the local "test" database, user postgres), a schema of its own dropped
# afterwards (BENCH_KEEP_SCHEMA=1 keeps it). H2: target/bench-store-intake/db, deleted before each run.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
checkpoint=${2:-500}
dbkind=${BENCH_DB:-h2}
work=target/bench-store-intake
pg=${HUB_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
schema="hub_bench_store_$$"
pgdb=${pg##*/}; pgdb=${pgdb%%\?*}
[ -f target/bench-classpath.txt ] && [ -d target/test-classes/io/linehub/bench ] \
  || mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
rm -rf "$work"; mkdir -p "$work"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$dbkind" = postgres ]; then
  psql -q -h 127.0.0.1 -U postgres -d "$pgdb" -c "CREATE SCHEMA $schema" >/dev/null
  trap '[ -n "${BENCH_KEEP_SCHEMA:-}" ] || psql -q -h 127.0.0.1 -U postgres -d "$pgdb" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true' EXIT
  target="$pg$([[ $pg == *\?* ]] && echo "&" || echo "?")currentSchema=$schema"
  user=postgres
else
  target="h2:$work"
  user=""
fi
java -Xmx256m ${HUB_BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.linehub.bench.StoreIntakeBench "$target" "$rows" "$checkpoint" $user
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$dbkind" = h2 ]; then
  echo "H2 file: $(( $(stat -c %s "$work/db/hub.mv.db") / 1000000 )) MB ($(( $(stat -c %s "$work/db/hub.mv.db") / rows )) bytes per row)"
else
  psql -qtA -h 127.0.0.1 -U postgres -d "$pgdb" -c "SELECT 'PostgreSQL: ' || COUNT(*) || ' notifications; notification ' || pg_size_pretty(pg_total_relation_size('$schema.notification')) || ', history ' || pg_size_pretty(pg_total_relation_size('$schema.notification_status_history')) FROM $schema.notification"
fi
