#!/usr/bin/env bash
# Renders the HTML preview of every notification template (sample data, 4 languages) and takes a
# headless Chromium screenshot of each.
#   target/template-previews/<type>.<lang>.html  and  target/template-previews/<type>.<lang>.png
# Usage: scripts/template-screenshots.sh [type-glob]     e.g. scripts/template-screenshots.sh 'payment_*'
# Needs: Maven, JDK 17, chromium (installed with apt-get if missing; Noto fonts for Thai/CJK too).
set -euo pipefail
cd "$(dirname "$0")/.."
GLOB="${1:-*}"
OUT=target/template-previews

if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium missing: installing" >&2
  apt-get update && apt-get install -y chromium
fi
if ! fc-list :lang=th | grep -q . || ! fc-list :lang=ja | grep -q .; then
  echo "Thai/CJK fonts missing: installing fonts-noto-core and fonts-noto-cjk" >&2
  apt-get install -y fonts-noto-core fonts-noto-cjk || echo "warning: could not install fonts; Thai/CJK text may show as boxes" >&2
fi

mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/template-previews.classpath >/dev/null
CP="target/test-classes:target/classes:$(cat target/template-previews.classpath)"
java -cp "$CP" io.linehub.template.PreviewExport "$OUT" config/templates

PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
count=0
for html in "$OUT"/$GLOB.html; do
  [ -e "$html" ] || continue
  png="${html%.html}.png"
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$PROFILE" --hide-scrollbars \
    --screenshot="$(realpath -m "$png")" --window-size=420,900 \
    "file://$(realpath "$html")" >/dev/null 2>&1 || { echo "screenshot failed: $html" >&2; continue; }
  count=$((count + 1))
done
echo "wrote $count screenshots to $OUT"
