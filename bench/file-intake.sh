#!/usr/bin/env bash
# File intake benchmark with the packaged hub (target/line-notification-hub.jar, its own JVM, -Xmx256m): a CSV of N
# rows (default 1,000,000; a `phone` column, so no customer look-up) dropped in the inbox, delivery off, until the
# file is done. Prints rows/s overall and per 100,000-row slice (from the hub's per-checkpoint log lines), the most
# heap in use after a GC (-Xlog:gc), the hub's CPU seconds per row, and for H2 the database file's size.
# Usage: BENCH_DB=postgres|h2 bench/file-intake.sh [rows=1000000]
# PostgreSQL: HUB_TEST_PG_URL (default the local "test" database, user postgres); the run uses a schema of its own,
# dropped afterwards (BENCH_KEEP_SCHEMA=1 keeps it). HUB_BENCH_JAVA_OPTS adds JVM options (e.g. a flight recording).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
dbkind=${BENCH_DB:-h2}
slice=${BENCH_SLICE:-100000}
work=target/bench-file-intake
pg=${HUB_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
schema="hub_bench_intake_$$"
pgdb=${pg##*/}; pgdb=${pgdb%%\?*}
jar=${BENCH_JAR:-target/line-notification-hub.jar}
[ -f "$jar" ] || mvn -B -q package -DskipTests
rm -rf "$work"; mkdir -p "$work/data/inbox"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

python3 - "$rows" "$work/bench.csv" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", encoding="utf-8", newline="") as w:
    w.write("\ufeffphone;type;orderNumber;shippedDate;carrier;itemName\r\n")
    for i in range(1, n + 1):
        # valid Thai mobile numbers (LINE notification messages reach TH): 08x-xxx-xxxx
        w.write(f"08{i % 10}{i % 10_000_000:07d};shipping_complete;BENCH-{i};2026-11-27;Kerry Express;\"ชุดกาแฟดริป; ชิ้นที่ {i}\"\r\n")
PY
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $rows rows, $(( $(stat -c %s "$work/bench.csv") / 1000000 )) MB, database: $dbkind"

db_env=()
if [ "$dbkind" = postgres ]; then
  psql -q -h 127.0.0.1 -U postgres -d "$pgdb" -c "CREATE SCHEMA $schema" >/dev/null
  db_env=(HUB_DB_URL="$pg$([[ $pg == *\?* ]] && echo "&" || echo "?")currentSchema=$schema" HUB_DB_USER=postgres)
fi
cleanup() {
  kill "${hub:-}" 2>/dev/null || true
  if [ "$dbkind" = postgres ] && [ -z "${BENCH_KEEP_SCHEMA:-}" ]; then
    psql -q -h 127.0.0.1 -U postgres -d "$pgdb" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

hub_port=$(free_port)
env "${db_env[@]}" HUB_HTTP_PORT="$hub_port" HUB_DATA_DIR="$work/data" HUB_SANDBOX=on HUB_SANDBOX_PORT="$(free_port)" \
  HUB_DELIVERY_ENABLED=false HUB_DEMO_ENABLED=false HUB_INBOX_POLL_MS=200 HUB_INBOX_STABLE_MS=500 HUB_DEFAULT_REGION=TH \
  HUB_API_KEY="${HUB_API_KEY:-bench-api-key-0123456789abcdef0123456789}" \
  java -Xmx256m -Xlog:gc:file="$work/gc.log" ${HUB_BENCH_JAVA_OPTS:-} -jar "$jar" > "$work/hub.log" 2>&1 &
hub=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$hub_port/observe/health" >/dev/null 2>&1 && break
  kill -0 "$hub" 2>/dev/null || { echo "the hub stopped:"; tail -20 "$work/hub.log"; exit 1; }
  sleep 0.5
done
t0=$(date +%s.%N)
mv "$work/bench.csv" "$work/data/inbox/bench.csv"
until grep -qE "inbox file bench.csv (done|broke off|refused|failed)" "$work/hub.log"; do
  kill -0 "$hub" 2>/dev/null || { echo "the hub stopped:"; tail -20 "$work/hub.log"; exit 1; }
  sleep 0.2
done
t1=$(date +%s.%N)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# the hub's CPU time (user + system, all threads, start-up included) per row: comparable on a shared machine
cpu_ticks=$(awk '{print $14 + $15}' "/proc/$hub/stat")
python3 -c "import sys; t=int(sys.argv[1])/int(sys.argv[2]); print(f'hub CPU: {t:.1f} s (user+system, start-up included) = {t/int(sys.argv[3])*1e6:.1f} us per row')" \
  "$cpu_ticks" "$(getconf CLK_TCK)" "$rows"
grep -E "inbox file bench.csv (done|broke off|refused|failed)" "$work/hub.log" | sed 's/^[^-]* - //'
python3 - "$rows" "$slice" "$t0" "$t1" "$work/hub.log" "$work/gc.log" <<'PY'
import re, sys, datetime
rows, slice_, t0, t1, log, gc = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
print(f"total: {rows} rows in {t1 - t0:.1f} s (drop to done, incl. the 0.5 s stable-file wait) = {rows / (t1 - t0):,.0f} rows/s")
day = datetime.datetime.fromtimestamp(t0).date()
def at(hms):
    t = datetime.datetime.combine(day, datetime.datetime.strptime(hms, "%H:%M:%S.%f").time()).timestamp()
    return t + 86400 if t < t0 - 3600 else t
points = [(0, t0)]
for line in open(log, encoding="utf-8", errors="replace"):
    m = re.match(r"(\d\d:\d\d:\d\d\.\d+) .*inbox file bench\.csv checkpoint: row (\d+)", line)
    if m:
        points.append((int(m.group(2)), at(m.group(1))))
if len(points) > 1:
    edges, nxt = [points[0]], slice_
    for r, t in points[1:]:
        if r >= nxt:
            edges.append((r, t)); nxt = (r // slice_ + 1) * slice_
    for (r0, a), (r1, b) in zip(edges, edges[1:]):
        print(f"  rows {r0 + 1:>9,}-{r1:>9,}: {(r1 - r0) / (b - a):>8,.0f} rows/s")
after = [int(m.group(1)) for m in re.finditer(r"->(\d+)M\(", open(gc).read())]
print(f"heap: limit 256 MB (-Xmx256m); most in use right after a GC: {max(after) if after else 0} MB over {len(after)} collections")
PY
if [ "$dbkind" = h2 ]; then
  echo "H2 file: $(( $(stat -c %s "$work/data/db/hub.mv.db") / 1000000 )) MB"
else
  psql -qtA -h 127.0.0.1 -U postgres -d "$pgdb" -c "SELECT 'PostgreSQL: ' || COUNT(*) || ' notifications; tables+indexes ' || pg_size_pretty(pg_total_relation_size('$schema.notification') + pg_total_relation_size('$schema.notification_status_history')) FROM $schema.notification"
fi
