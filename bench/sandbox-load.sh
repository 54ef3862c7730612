#!/usr/bin/env bash
# Load against the LINE sandbox alone: it runs as its own process (java -jar … sandbox), the open-loop load
# generator in another. Usage: bench/sandbox-load.sh [rate=2000] [seconds=20] [path] [extra sandbox options, e.g. --no-validation]
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-2000}; seconds=${2:-20}; path=${3:-/v2/bot/message/pnp/templated/push}; extra=${4:-}
[ -f target/line-notification-hub.jar ] || mvn -B -q package -DskipTests
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -Xmx512m -jar target/line-notification-hub.jar sandbox --port "$port" --accept-all $extra \
  --channel bench:bench-token:bench-secret > target/bench-sandbox.log 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do grep -q "LINE sandbox on" target/bench-sandbox.log && break; sleep 0.5; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" io.linehub.bench.SandboxLoad \
  "http://127.0.0.1:$port" bench-token "$rate" "$seconds" "$path"
echo "sandbox CPU time (s): $(ps -o cputime= -p $sandbox)"
