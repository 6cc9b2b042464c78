#!/usr/bin/env bash
# Lighthouse (npm lighthouse, pinned below) on the pages of issue 16, of a synthetic site
# served with gzip on 127.0.0.1: the timeline, an event, the largest actor page, the largest
# place page and the map. A benchmark, not a test (CI never runs it). See bench/README.md.
#
#   bench/lighthouse.sh                   # builds a 10,000-event site and audits it
#   bench/lighthouse.sh --events 100000   # the 100,000-event site
#   bench/lighthouse.sh --site SITE       # an already built site (not modified)
#
# Environment: ANNALIST, SYNTH, WORK, KEEP as for bench/reading.sh; CHROME_PATH (default
# /usr/bin/chromium); LH_TIMEOUT (seconds per page, default 300).
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
lighthouse_version=12.2.3
# shellcheck source=bench/site.sh
. bench/site.sh
site_args "$@"

work=${WORK:-$(mktemp -d /tmp/annalist-lighthouse.XXXXXX)}
mkdir -p "$work"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || [ -n "${WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

build_site

# The pages: the largest file of each kind (what Lighthouse loads is that one file).
largest() { find "$site/$1" -mindepth 2 -maxdepth 2 -name index.html -printf '%s %P\n' | sort -n | tail -1 | cut -d' ' -f2; }
pages=(
  "timeline index.html"
  "event events/$(largest events)"
  "actor actors/$(largest actors)"
  "place locations/$(largest locations)"
  "map map/index.html"
)

node bench/reading.mjs --site "$site" --serve 0 2>"$work/serve.log" &
server_pid=$!
port=""
for _ in $(seq 100); do
  port=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | head -1 | cut -d: -f2) && [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { log "the server did not start"; cat "$work/serve.log" >&2; exit 1; }

mkdir -p bench/results
stamp=$(date -u +%Y-%m-%dT%H%M%S)
dir=bench/results/lighthouse-$stamp
mkdir -p "$dir"
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
list=()
for p in "${pages[@]}"; do
  name=${p%% *} path=${p#* }
  log "lighthouse $name: /$path (load $(load_avg))"
  echo "$name $path $(load_avg | tr ' ' ,)" >>"$dir/pages.txt"
  bounded "${LH_TIMEOUT:-300}" "lighthouse on $path" \
    npx --yes "lighthouse@$lighthouse_version" "http://127.0.0.1:$port/$path" \
    --chrome-flags="--headless --no-sandbox" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$dir/$name.json" --quiet ||
    log "  lighthouse failed on $path (status $?)"
  list+=("$name=$path")
done

node bench/lighthouse.mjs "$dir" "${events:-$site}" "${list[@]}" | tee "$dir/summary.md"
log "results in $dir"
