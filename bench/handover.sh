#!/usr/bin/env bash
# Idle hand-over benchmark with the packaged hub (target/line-notification-hub.jar): N single API requests
# (default 250), one every SPACING ms (default 200), each a LINE notification message to a phone number; the LINE
# sandbox (its own process) answers at once and records when each request arrived. Prints p50/p90/p99/max of
# (arrival at the sandbox - the hub's 202 at the client), both clocks this machine's.
# Usage: BENCH_DB=h2|postgres bench/handover.sh [N=250] [SPACING=200]. PostgreSQL: HUB_TEST_PG_URL as bench/file-intake.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-250}; spacing=${2:-200}
dbkind=${BENCH_DB:-h2}
work=target/bench-handover
pg=${HUB_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test}
pgdb=${pg##*/}; pgdb=${pgdb%%\?*}
schema="hub_bench_handover_$$"
jar=${BENCH_JAR:-target/line-notification-hub.jar}
key=${HUB_API_KEY:-bench-api-key-0123456789abcdef0123456789}
[ -f "$jar" ] || mvn -B -q package -DskipTests
rm -rf "$work"; mkdir -p "$work/data"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hub_port=$(free_port); line_port=$(free_port)
db_env=()
if [ "$dbkind" = postgres ]; then
  psql -q -h 127.0.0.1 -U postgres -d "$pgdb" -c "CREATE SCHEMA $schema" >/dev/null
  db_env=(HUB_DB_URL="$pg$([[ $pg == *\?* ]] && echo "&" || echo "?")currentSchema=$schema" HUB_DB_USER=postgres)
fi
cleanup() {
  kill "${hub:-}" "${line:-}" 2>/dev/null || true
  if [ "$dbkind" = postgres ]; then psql -q -h 127.0.0.1 -U postgres -d "$pgdb" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
java -Xmx256m -jar "$jar" sandbox --port "$line_port" --accept-all --latency-ms 0 --max-recorded 100000 \
  --delivery-delay-ms 600000 --channel "default:bench-token:bench-secret" > "$work/line.log" 2>&1 &
line=$!
for _ in $(seq 1 60); do grep -q "LINE sandbox on" "$work/line.log" && break; sleep 0.5; done
env "${db_env[@]}" HUB_HTTP_PORT="$hub_port" HUB_DATA_DIR="$work/data" HUB_SANDBOX=off LINE_API_BASE_URL="http://127.0.0.1:$line_port" \
  LINE_CHANNEL_ACCESS_TOKEN=bench-token LINE_CHANNEL_SECRET=bench-secret LINE_CHANNEL_COUNTRY=JP HUB_DEFAULT_REGION=TH \
  HUB_DEMO_ENABLED=false HUB_INBOX_ENABLED=false HUB_API_KEY="$key" \
  java -Xmx256m ${HUB_BENCH_JAVA_OPTS:-} -jar "$jar" > "$work/hub.log" 2>&1 &
hub=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$hub_port/observe/health" >/dev/null 2>&1 && break
  kill -0 "$hub" 2>/dev/null || { echo "the hub stopped:"; tail -20 "$work/hub.log"; exit 1; }
  sleep 0.5
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1); load average before: $(cut -d' ' -f1-3 /proc/loadavg); database: $dbkind"
python3 - "$hub_port" "$line_port" "$key" "$n" "$spacing" <<'PY'
import json, sys, time, urllib.request, urllib.error, datetime
hub, line, key, n, spacing = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
def post(i):
    body = {"type": "shipping_complete", "to": {"phone": f"081{i:07d}"},
            "data": {"orderNumber": f"HO-{i}", "shippedDate": "2026-11-27", "carrier": "Kerry Express", "itemName": "ชุดกาแฟดริป"}}
    req = urllib.request.Request(f"http://127.0.0.1:{hub}/api/notifications", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    try:
        r = urllib.request.urlopen(req)
    except urllib.error.HTTPError as e:
        sys.exit(f"request {i}: {e.code} {e.read()[:400]}")
    with r:
        answer = json.loads(r.read())
        return r.status, answer, time.time()
warm = 20  # the first requests warm the JVM up; not counted
sent = {}
for i in range(warm + n):
    status, answer, t202 = post(i)
    assert status == 202, (status, answer)
    if i >= warm:
        sent[answer["id"]] = t202
    time.sleep(spacing / 1000)
time.sleep(1)
recorded = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{line}/sandbox/requests").read())
if isinstance(recorded, dict):
    recorded = recorded.get("requests", recorded.get("items", []))
arrived = {}
for r in recorded:
    tag = next((v for k, v in (r.get("headers") or {}).items() if k.lower() == "x-line-delivery-tag"), None)
    if tag is None:
        try:
            tag = json.loads(r.get("body") or "{}").get("deliveryTag")
        except ValueError:
            pass
    at = r["at"]
    t = datetime.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp() if isinstance(at, str) else float(at)
    if tag in sent:
        arrived[tag] = t
lat = sorted((arrived[k] - sent[k]) * 1000 for k in arrived)
if not lat:
    print("no request of the measured ones reached the sandbox; first recorded:", json.dumps(recorded[:1])[:500]); sys.exit(1)
q = lambda p: lat[min(len(lat) - 1, int(round(p / 100 * len(lat) + 0.5)) - 1)]
print(f"hand-over (sandbox arrival - 202 at the client), {len(lat)} of {n} requests, one every {spacing} ms after {warm} warm-up:"
      f" p50 {q(50):.1f} ms, p90 {q(90):.1f} ms, p99 {q(99):.1f} ms, max {lat[-1]:.1f} ms, min {lat[0]:.1f} ms")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
