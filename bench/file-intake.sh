#!/usr/bin/env bash
# File intake benchmark: a CSV of N rows (default 1,000,000) through the inbox route into the outbox, in a hub
# limited to a 512 MB heap (embedded H2, delivery off). Prints rows/second and peak heap.
# Usage: bench/file-intake.sh [rows=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
rm -rf target/bench-file-intake
java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" io.linehub.bench.FileIntakeBench "$rows" target/bench-file-intake \
  2> target/bench-file-intake.log | grep -E '^(file:|  …|status|H2 file|heap:)' || true
