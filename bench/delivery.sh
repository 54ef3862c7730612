#!/usr/bin/env bash
# Delivery benchmark: the hub (jar, PostgreSQL outbox) sends W + N queued notifications to the LINE sandbox (its
# own process, 50 ms answer time) for one channel, in one go: the first W are the warm-up (the JVM compiles its hot
# code meanwhile), the rate is measured over the N after them; then LINE's Java SDK sends the same kind the plain way.
# Usage: bench/delivery.sh [lon|push] [N=100000] [W=80000]. Needs PostgreSQL (HUB_TEST_PG_URL, default local "test" db).
# The hub takes its settings from the environment as usual (e.g. HUB_DELIVERY_RATE_WINDOW=after-answer);
# BENCH_LATENCY_MS (default 50) is the sandbox's answer time; HUB_BENCH_JAVA_OPTS / SANDBOX_BENCH_JAVA_OPTS add JVM
# options (e.g. a flight recording).
# BENCH_WEBHOOKS=on: LINE's delivery webhooks on, as LINE sends them (production's shape): the sandbox sends each LON's
# delivery-completion event 1 s after accepting it (BENCH_DELIVERY_DELAY_MS) to the hub's webhook URL, several events a
# request (the sandbox's defaults, or BENCH_WEBHOOK_BATCH_MAX / BENCH_WEBHOOK_BATCH_MS); the hub's CPU is then per
# notification including its webhook, and the run waits until every notification is DELIVERED (or 120 s). Off (the
# default): the webhooks are held back for 10 minutes, i.e. never arrive during the run.
# With the webhooks on, the sandbox also reports how long the hub took to answer its webhook requests (p50, p90, p99,
# max; requests sent after the warm-up).
# Over the measured part it also prints the whole machine's busy CPU and PostgreSQL's processes' CPU (per notification).
# BENCH_JFR=file.jfr: a flight recording (settings=profile) of the hub over the measured part only, written to that
# file (summarise it with bench/jfr-summary.py).
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-lon}; n=${2:-100000}; warmup=${3:-80000}
pg=${HUB_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
schema="hub_bench_$$"
[ -f target/line-notification-hub.jar ] || mvn -B -q package -DskipTests
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hub_port=$(free_port); line_port=$(free_port)
psql -q -h 127.0.0.1 -U postgres -d "${pg##*/}" -c "CREATE SCHEMA $schema" >/dev/null
url="$pg?currentSchema=$schema"
cleanup() { kill "${hub:-}" "${line:-}" 2>/dev/null || true; [ -n "${BENCH_KEEP_SCHEMA:-}" ] || psql -q -h 127.0.0.1 -U postgres -d "${pg##*/}" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true; }
trap cleanup EXIT

webhooks=${BENCH_WEBHOOKS:-off}
if [ "$webhooks" = on ]; then
  webhook_args=(--delivery-delay-ms "${BENCH_DELIVERY_DELAY_MS:-1000}" --channel "default:bench-token:bench-secret:http://127.0.0.1:$hub_port/webhook/line/default")
  [ -z "${BENCH_WEBHOOK_BATCH_MAX:-}" ] || webhook_args+=(--webhook-batch-max "$BENCH_WEBHOOK_BATCH_MAX")
  [ -z "${BENCH_WEBHOOK_BATCH_MS:-}" ] || webhook_args+=(--webhook-batch-ms "$BENCH_WEBHOOK_BATCH_MS")
else
  webhook_args=(--delivery-delay-ms 600000 --channel "default:bench-token:bench-secret")
fi
java -Xmx512m ${SANDBOX_BENCH_JAVA_OPTS:-} -jar target/line-notification-hub.jar sandbox --port "$line_port" --accept-all --no-validation --latency-ms "${BENCH_LATENCY_MS:-50}" --max-recorded 10 \
  "${webhook_args[@]}" > target/bench-line.log 2>&1 &
line=$!
for _ in $(seq 1 60); do grep -q "LINE sandbox on" target/bench-line.log && break; sleep 0.5; done
if [ "$kind" = push ]; then
  python3 - "$line_port" "$(( n + warmup ))" <<'PY'
import json, sys, urllib.request
port, n = sys.argv[1], int(sys.argv[2])
ids = ["U%032x" % (i + 1) for i in range(n)]
for i in range(0, n, 10000):  # the sandbox takes a bounded body: add the friends 10,000 at a time
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/sandbox/channels/default/friends", data=json.dumps(ids[i:i + 10000]).encode(), method="POST", headers={"Content-Type": "application/json"}))
PY
fi
java -cp "$cp" io.linehub.bench.Bench prepare "$url" "$kind" "$(( warmup + n ))"

# progress = LINE requests made (one attempt row each; a narrow table), polled once a second; counting finished
# notifications (a scan of the wide notification table) cost PostgreSQL about half a second a poll at 100,000 rows,
# CPU the hub's run then lacked. The end of the run is exact: no notification left to send.
finished() { psql -qtA -h 127.0.0.1 -U postgres -d "${pg##*/}" -c "SELECT COUNT(*) FROM $schema.notification_attempt" 2>/dev/null || echo 0; }
unsent() { psql -qtA -h 127.0.0.1 -U postgres -d "${pg##*/}" -c "SELECT EXISTS (SELECT 1 FROM $schema.notification WHERE status IN ('QUEUED','SENDING','RETRY_WAIT'))" 2>/dev/null || echo t; }
wait_for() { local start; start=$(date +%s)
  until [ "$(finished)" -ge "$1" ] && { [ "$1" -lt $(( warmup + n )) ] || [ "$(unsent)" = f ]; }; do
    sleep 1; [ $(( $(date +%s) - start )) -lt 900 ] || { echo "timed out"; break; }; done; }
cpu_seconds() { awk -v t="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / t}' "/proc/$1/stat"; }
# PostgreSQL's CPU: its processes alive at both readings (the hub's pooled connections, the WAL writer, the
# checkpointer…; the benchmark's own short psql sessions are not among them), summed over the pids of the first reading
pg_pids() { pgrep -x postgres | tr '\n' ' '; }
pg_cpu_seconds() { local p total=0; for p in $1; do [ -r "/proc/$p/stat" ] && total=$(echo "$total + $(cpu_seconds "$p")" | bc); done; echo "$total"; }
# the whole machine's busy and total CPU time (all cores), from /proc/stat, in seconds
machine_cpu() { awk -v t="$(getconf CLK_TCK)" '/^cpu /{busy=$2+$3+$4+$7+$8+$9; total=busy+$5+$6; printf "%.1f %.1f", busy / t, total / t}' /proc/stat; }

# the run before (its dropped schema, 100,000 rows updated several times) must not be cleaned up during this one:
# a checkpoint now, and autovacuum's workers finished (at most 60 s)
psql -qtA -h 127.0.0.1 -U postgres -d "${pg##*/}" -c "CHECKPOINT" >/dev/null 2>&1 || true
for _ in $(seq 1 60); do
  [ "$(psql -qtA -h 127.0.0.1 -U postgres -d "${pg##*/}" -c "SELECT COUNT(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'" 2>/dev/null || echo 0)" = 0 ] && break
  sleep 1
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
HUB_HTTP_PORT=$hub_port HUB_DATA_DIR=target/bench-data HUB_DB_URL="$url" HUB_DB_USER=postgres HUB_SANDBOX=off \
LINE_API_BASE_URL="http://127.0.0.1:$line_port" LINE_CHANNEL_ACCESS_TOKEN=bench-token LINE_CHANNEL_SECRET=bench-secret \
HUB_DELIVERY_PACKING_WINDOW=PT0S HUB_API_KEY="${HUB_API_KEY:-bench-api-key-0123456789abcdef0123456789}" \
  java -Xmx512m ${HUB_BENCH_JAVA_OPTS:-} -jar target/line-notification-hub.jar > target/bench-hub.log 2>&1 &
hub=$!
wait_for "$warmup"
[ -z "${BENCH_JFR:-}" ] || jcmd "$hub" JFR.start name=bench settings=profile >/dev/null
hub_cpu0=$(cpu_seconds $hub); line_cpu0=$(cpu_seconds $line); count0=$(finished)
pgs=$(pg_pids); pg_cpu0=$(pg_cpu_seconds "$pgs"); read -r busy0 total0 <<< "$(machine_cpu)"
# the webhook answer times are counted from here (the warm-up's are dropped)
[ "$webhooks" != on ] || curl -s -X DELETE "http://127.0.0.1:$line_port/sandbox/webhook-answers" >/dev/null || true
wait_for $(( warmup + n ))
hub_cpu1=$(cpu_seconds $hub); line_cpu1=$(cpu_seconds $line); count1=$(finished)
pg_cpu1=$(pg_cpu_seconds "$pgs"); read -r busy1 total1 <<< "$(machine_cpu)"
[ -z "${BENCH_JFR:-}" ] || jcmd "$hub" JFR.stop name=bench filename="$(realpath -m "$BENCH_JFR")" >/dev/null
sql() { psql -qtA -h 127.0.0.1 -U postgres -d "${pg##*/}" -c "$1"; }
if [ "$webhooks" = on ] && [ "$kind" = lon ]; then
  start=$(date +%s)
  until [ "$(sql "SELECT COUNT(*) FROM $schema.notification WHERE status = 'DELIVERED'")" -ge $(( warmup + n )) ]; do
    sleep 1; [ $(( $(date +%s) - start )) -lt 120 ] || break; done
fi
echo "hub: $kind, one channel, sandbox answering in ${BENCH_LATENCY_MS:-50} ms, rate window ${HUB_DELIVERY_RATE_WINDOW:-estimated-arrival}, delivery webhooks $webhooks"
echo "statuses at the end: $(sql "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) FROM (SELECT status, COUNT(*) AS n FROM $schema.notification GROUP BY status) s")"
if [ "$webhooks" = on ]; then
  echo "delivery webhooks: $(sql "SELECT COUNT(*) FROM $schema.line_webhook_event" 2>/dev/null || echo "?") event ids recorded (line_webhook_event)"
  answers=$(curl -s "http://127.0.0.1:$line_port/sandbox/webhook-answers" || true)
  echo "webhook answer times (requests sent after the warm-up, measured by the sandbox; LINE wants 2xx within 2 s): $(python3 -c '
import json, sys
try:
    a = json.loads(sys.argv[1])
    f = lambda v: "?" if v is None else "%.1f ms" % v
    print("%d requests, p50 %s, p90 %s, p99 %s, max %s; %d not answered within 2 s, %d failed, %d not 2xx" % (a["requests"], f(a["p50Ms"]), f(a["p90Ms"]), f(a["p99Ms"]), f(a["maxMs"]), a["timedOut"], a["failed"], a["non2xx"]))
except Exception:
    print("not available (a sandbox without /sandbox/webhook-answers)")
' "$answers")"
fi
java -cp "$cp" io.linehub.bench.Bench report "$url" "warm-up: the first $warmup sends (from a cold start)" 0 "$warmup"
measured=$(java -cp "$cp" io.linehub.bench.Bench report "$url" "measured: the $n sends after the warm-up" "$warmup" "$(( warmup + n ))")
echo "$measured"
echo "429 answers in the whole run: $(psql -qtA -h 127.0.0.1 -U postgres -d "${pg##*/}" -c "SELECT COUNT(*) FROM $schema.notification_attempt WHERE http_status = 429")"
hub_cpu=$(echo "$hub_cpu1 - $hub_cpu0" | bc); done_n=$(( count1 - count0 ))
echo "CPU over the last $done_n notifications: hub $hub_cpu s ($(echo "scale=3; $hub_cpu * 1000 / $done_n" | bc) ms per notification), sandbox $(echo "$line_cpu1 - $line_cpu0" | bc) s"
echo "machine over the same part: $(echo "$busy1 - $busy0" | bc) s busy of $(echo "$total1 - $total0" | bc) s (all cores); PostgreSQL $(echo "$pg_cpu1 - $pg_cpu0" | bc) s ($(echo "scale=3; ($pg_cpu1 - $pg_cpu0) * 1000 / $done_n" | bc) ms per notification)"
echo "hub peak RSS: $(grep VmHWM /proc/$hub/status | awk '{print $2/1024 " MiB"}'), heap: $(jcmd $hub GC.heap_info 2>/dev/null | grep -m1 -E 'garbage-first heap|total' | sed 's/^ *//')"
kill "$hub"; wait "$hub" 2>/dev/null || true; hub=
sdk=$(java -cp "$cp" io.linehub.bench.SdkBaseline "http://127.0.0.1:$line_port" bench-token "$kind" 20)
echo "$sdk"
hub_rate=$(echo "$measured" | sed -n 's/.*send rate: \([0-9]*\)\/s.*/\1/p'); sdk_rate=$(echo "$sdk" | sed -n 's/.* = \([0-9.]*\)\/s.*/\1/p')
echo "ratio: the hub (measured) sends $(echo "scale=1; $hub_rate / $sdk_rate" | bc)x as fast as the SDK's plain loop"
