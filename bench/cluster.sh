#!/usr/bin/env bash
# Cluster benchmark: 1 hub x 3 channels, then 3 hubs x 3 channels, on one PostgreSQL outbox (a schema of its own per
# run), against one LINE sandbox process serving the three channels, answering in 50 ms and allowing each channel
# BUDGET requests a second per endpoint (429 beyond it; the channels file gives the hubs the same ratePerSecond).
# N LINE notification messages per channel are queued up front (as bench/delivery.sh does) once every hub is up;
# the first W of all sends are the warm-up. Printed per run: the aggregate send rate, each channel's busiest sliding
# second at the sandbox against its budget, 429s, the hubs' CPU per notification and that of their PostgreSQL
# backends (sessions named by the JDBC ApplicationName), with the load average before and after.
# Usage: bench/cluster.sh [N=15000] [BUDGET=700] [W=9000] [HUB_COUNTS="1 3"]. Needs PostgreSQL (HUB_TEST_PG_URL,
# default local "test" db). BENCH_LATENCY_MS (default 50) is the sandbox's answer time.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-15000}; budget=${2:-700}; warmup=${3:-9000}; hub_counts=${4:-"1 3"}
channels="default,brand-b,brand-c"
pg=${HUB_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
db="${pg##*/}"
[ -f target/line-notification-hub.jar ] || mvn -B -q package -DskipTests
[ -f target/bench-classpath.txt ] && [ target/test-classes/io/linehub/bench/ClusterBench.class -nt src/test/java/io/linehub/bench/ClusterBench.java ] \
  || mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sql() { PGOPTIONS=--client-min-messages=warning psql -qtA -h 127.0.0.1 -U postgres -d "$db" -c "$1"; }
cpu_ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo "$t"; }
hz=$(getconf CLK_TCK)
hubs=(); line=; schema=
cleanup() {
  for p in "${hubs[@]}" ${line:-}; do kill "$p" 2>/dev/null || true; done
  [ -z "$schema" ] || [ -n "${BENCH_KEEP_SCHEMA:-}" ] || sql "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "machine: $(nproc) cores (shared with other work), $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "each run: 3 channels x $n LON, budget $budget/s per channel (sandbox and channels file), sandbox answering in ${BENCH_LATENCY_MS:-50} ms, warm-up $warmup sends"
for count in $hub_counts; do
  schema="hub_cluster_bench_$$_$count"; app="cluster-bench-$$-$count"
  sql "CREATE SCHEMA $schema" >/dev/null
  url="$pg?currentSchema=$schema&ApplicationName=$app"
  java -cp "$cp" io.linehub.bench.ClusterBench migrate "$url"
  line_port=$(free_port)
  java -Xmx1g -jar target/line-notification-hub.jar sandbox --port "$line_port" --accept-all --no-validation --latency-ms "${BENCH_LATENCY_MS:-50}" \
    --max-recorded $(( 3 * n + 1000 )) --delivery-delay-ms 600000 --rate-per-second "$budget" \
    --channel default:bench-a-token:bench-a-secret --channel brand-b:bench-b-token:bench-b-secret --channel brand-c:bench-c-token:bench-c-secret \
    > "target/bench-cluster-line-$count.log" 2>&1 &
  line=$!
  for _ in $(seq 1 120); do grep -q "LINE sandbox on" "target/bench-cluster-line-$count.log" && break; sleep 0.5; done
  file="target/bench-cluster-channels.yaml"
  { echo "channels:"
    for c in default:bench-a brand-b:bench-b brand-c:bench-c; do
      echo "  - {name: ${c%%:*}, country: JP, accessToken: ${c#*:}-token, channelSecret: ${c#*:}-secret, apiBaseUrl: 'http://127.0.0.1:$line_port', ratePerSecond: $budget}"
    done; } > "$file"
  hubs=(); ports=()
  for h in $(seq 1 "$count"); do
    port=$(free_port); ports+=("$port")
    HUB_HTTP_PORT=$port HUB_DATA_DIR="target/bench-cluster-data-$count-$h" HUB_DB_URL="$url" HUB_DB_USER=postgres HUB_DB_POOL_SIZE=8 HUB_SANDBOX=off \
    HUB_CHANNELS_FILE="$file" HUB_DELIVERY_PACKING_WINDOW=PT0S HUB_API_KEY="${HUB_API_KEY:-bench-api-key-0123456789abcdef0123456789}" \
      java -Xmx512m -jar target/line-notification-hub.jar > "target/bench-cluster-hub-$count-$h.log" 2>&1 &
    hubs+=($!)
  done
  for port in "${ports[@]}"; do
    for _ in $(seq 1 240); do curl -sf -o /dev/null "http://127.0.0.1:$port/observe/health" && break; sleep 0.5; done
  done
  finished() { sql "SELECT COUNT(*) FROM $schema.notification WHERE status NOT IN ('QUEUED','SENDING','RETRY_WAIT')" 2>/dev/null || echo 0; }
  wait_for() { local start; start=$(date +%s)
    until [ "$(finished)" -ge "$1" ]; do sleep 0.5; [ $(( $(date +%s) - start )) -lt 600 ] || { echo "timed out"; break; }; done; }
  backends() { sql "SELECT pid FROM pg_stat_activity WHERE application_name = '$app'" | tr '\n' ' '; }
  echo
  echo "== $count hub(s) x 3 channels: load average before $(cut -d' ' -f1-3 /proc/loadavg)"
  java -cp "$cp" io.linehub.bench.ClusterBench queue "$url" "$n" "$channels"
  wait_for "$warmup"
  t0=$(date +%s.%N); count0=$(finished); pg_pids=$(backends)
  hub0=$(cpu_ticks "${hubs[@]}"); line0=$(cpu_ticks "$line"); db0=$(cpu_ticks $pg_pids)
  wait_for $(( 3 * n ))
  t1=$(date +%s.%N); count1=$(finished)
  hub1=$(cpu_ticks "${hubs[@]}"); line1=$(cpu_ticks "$line"); db1=$(cpu_ticks $pg_pids)
  echo "load average after $(cut -d' ' -f1-3 /proc/loadavg); statuses: $(sql "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) FROM (SELECT status, COUNT(*) AS n FROM $schema.notification GROUP BY status) s")"
  java -cp "$cp" io.linehub.bench.ClusterBench report "$url" "http://127.0.0.1:$line_port" "$budget" "$warmup"
  done_n=$(( count1 - count0 ))
  awk -v h=$(( hub1 - hub0 )) -v l=$(( line1 - line0 )) -v d=$(( db1 - db0 )) -v hz="$hz" -v n="$done_n" -v s="$(echo "$t1 - $t0" | bc)" -v c="$count" 'BEGIN {
    printf "after the warm-up: %d notifications in %.1f s (%.0f/s); CPU: hubs %.1f s (%.3f ms per notification, %.2f cores), their PostgreSQL backends %.1f s (%.3f ms per notification, %.2f cores), sandbox %.1f s\n",
      n, s, n / s, h / hz, h / hz * 1000 / n, h / hz / s, d / hz, d / hz * 1000 / n, d / hz / s, l / hz }'
  for p in "${hubs[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done; hubs=()
  kill "$line"; wait "$line" 2>/dev/null || true; line=
  [ -n "${BENCH_KEEP_SCHEMA:-}" ] || sql "DROP SCHEMA $schema CASCADE" >/dev/null; schema=
done
