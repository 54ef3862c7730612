#!/usr/bin/env bash
# File intake benchmark with the packaged hub (target/line-notification-hub.jar, its own JVM, -Xmx256m): a CSV of N
# rows (default 1,000,000; a `phone` column, so no customer look-up) dropped in the inbox, delivery off, until the
# file is done. Prints rows/s overall and per 100,000-row slice (from the hub's per-checkpoint log lines), the most
# heap in use after a GC (-Xlog:gc), the hub's CPU seconds per row, and for H2 the database file's size.
# Usage: BENCH_DB=postgres|h2 bench/file-intake.sh [rows=1000000]
# BENCH_FORMAT=mapped-cp932: the same rows as a Japanese legacy export instead (issue 18): Shift_JIS (CP932), two
# title lines, Japanese column names, dates as 2026/11/27, local numbers (090-…), read by a mapped inbox
# (routes/mapped-file-inbox.camel.yaml, instantiated like routes/examples/orders-shift-jis.camel.yaml into a copy of
# routes/ for the run) with HUB_DEFAULT_REGION=JP. BENCH_FORMAT=default-jp: the same Japanese rows in the hub's own
# CSV (UTF-8), for the mapped inbox's own cost. The default, BENCH_FORMAT=default, is the hub's own CSV (Thai rows).
# PostgreSQL: HUB_TEST_PG_URL (default the local "test" database, user postgres); the run uses a schema of its own,
# dropped afterwards (BENCH_KEEP_SCHEMA=1 keeps it). HUB_BENCH_JAVA_OPTS adds JVM options (e.g. a flight recording).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
dbkind=${BENCH_DB:-h2}
format=${BENCH_FORMAT:-default}
slice=${BENCH_SLICE:-100000}
work=target/bench-file-intake
pg=${HUB_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
schema="hub_bench_intake_$$"
pgdb=${pg##*/}; pgdb=${pgdb%%\?*}
jar=${BENCH_JAR:-target/line-notification-hub.jar}
[ -f "$jar" ] || mvn -B -q package -DskipTests
rm -rf "$work"; mkdir -p "$work/data/inbox"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# the file: N rows of the chosen format (one generator, so the formats differ only where they are meant to)
python3 - "$format" "$rows" "$work/bench.csv" <<'PY'
import sys
fmt, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def jp_phone(i):  # valid Japanese mobile numbers, written as exports write them: 0x0-xxxx-xxxx
    return f"0{(7, 8, 9)[i % 3]}0-{1000 + i // 10_000 % 9000:04d}-{i % 10_000:04d}"
with open(path, "w", encoding="cp932" if fmt == "mapped-cp932" else "utf-8", newline="") as w:
    if fmt == "mapped-cp932":
        w.write("受注データ出力,2026/11/27 18:00\r\n（株）ベンチ通販　物流部\r\n")
        w.write("受注番号,顧客電話,出荷日,合計金額,品名,配送業者,備考\r\n")
        for i in range(1, n + 1):
            w.write(f"JP-{i},{jp_phone(i)},2026/11/27,\"8,980\",ノンフライヤー 4.5L 第{i}号,ヤマト運輸,①ギフト包装\r\n")
    elif fmt == "default-jp":
        # the same notifications as mapped-cp932 in the hub's own CSV (UTF-8): the mapped inbox's own cost is the
        # difference between the two
        w.write("phone,type,language,orderNumber,shippedDate,itemName,carrier\r\n")
        for i in range(1, n + 1):
            w.write(f"{jp_phone(i)},shipping_complete,ja,JP-{i},2026-11-27,ノンフライヤー 4.5L 第{i}号,ヤマト運輸\r\n")
    else:
        w.write("\ufeffphone;type;orderNumber;shippedDate;carrier;itemName\r\n")
        for i in range(1, n + 1):
            # valid Thai mobile numbers (LINE notification messages reach TH): 08x-xxx-xxxx
            w.write(f"08{i % 10}{i % 10_000_000:07d};shipping_complete;BENCH-{i};2026-11-27;Kerry Express;\"ชุดกาแฟดริป; ชิ้นที่ {i}\"\r\n")
PY
if [ "$format" = mapped-cp932 ]; then
  mkdir -p "$work/routes" "$work/data/legacy/orders-jp"
  cp routes/*.camel.yaml "$work/routes/"
  cat > "$work/routes/bench-orders-jp.camel.yaml" <<'YAML'
- templatedRoute:
    routeTemplateRef: mapped-file-inbox
    routeId: bench-orders-jp
    parameters:
      - {name: directory, value: "{{hub.data.dir}}/legacy/orders-jp"}
      - {name: charset, value: windows-31j}
      - {name: skipRows, value: "2"}
      - {name: type, value: shipping_complete}
      - name: mapping
        value: "orderNumber=受注番号, phone=顧客電話, shippedDate=出荷日|yyyy/MM/dd, itemName=品名, carrier=配送業者, language='ja'"
YAML
  drop_dir="$work/data/legacy/orders-jp"; format_env=(HUB_ROUTES_DIR="$work/routes" HUB_DEFAULT_REGION=JP)
elif [ "$format" = default-jp ]; then
  drop_dir="$work/data/inbox"; format_env=(HUB_DEFAULT_REGION=JP)
else
  drop_dir="$work/data/inbox"; format_env=(HUB_DEFAULT_REGION=TH)
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $rows rows, $(( $(stat -c %s "$work/bench.csv") / 1000000 )) MB, format: $format, database: $dbkind"

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
env "${db_env[@]}" "${format_env[@]}" HUB_HTTP_PORT="$hub_port" HUB_DATA_DIR="$work/data" HUB_SANDBOX=on HUB_SANDBOX_PORT="$(free_port)" \
  HUB_DELIVERY_ENABLED=false HUB_DEMO_ENABLED=false HUB_INBOX_POLL_MS=200 HUB_INBOX_STABLE_MS=500 \
  HUB_API_KEY="${HUB_API_KEY:-bench-api-key-0123456789abcdef0123456789}" \
  java -Xmx256m -Xlog:gc:file="$work/gc.log" ${HUB_BENCH_JAVA_OPTS:-} -jar "$jar" > "$work/hub.log" 2>&1 &
hub=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$hub_port/observe/health" >/dev/null 2>&1 && break
  kill -0 "$hub" 2>/dev/null || { echo "the hub stopped:"; tail -20 "$work/hub.log"; exit 1; }
  sleep 0.5
done
t0=$(date +%s.%N)
mv "$work/bench.csv" "$drop_dir/bench.csv"
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
