#!/usr/bin/env bash
# The reader's side of issue 16: search and filters on a large site, on a phone with a
# poor connection, against Pagefind on the same built site. A benchmark, not a test (CI
# never runs it).
#
#   bench/reading.sh                      # builds a 10,000-event site and measures it
#   bench/reading.sh --events 100000      # the 100,000-event site (slow)
#   bench/reading.sh --site SITE          # an already built site (not modified)
#
# It generates a synthetic chronology (examples/synth.rs, seed 1), builds it with
# annalist, copies the site (hard links) and indexes the copy with Pagefind (npm
# `pagefind`, pinned below) into COPY/pagefind/, with a search page COPY/pagefind-bench.html
# (Pagefind's default UI); then bench/reading.mjs serves each with gzip on 127.0.0.1 and
# drives Chromium under the throttling of the issue. The table is printed and the figures
# written to bench/results/reading-DATE.json (not committed).
#
# Environment:
#   ANNALIST=PATH     the annalist binary (default: target/release/annalist, built if missing)
#   SYNTH=PATH        the generator (default: target/release/examples/synth, built if missing)
#   WORK=DIR          where to generate and build (default: a new folder under /tmp, removed
#                     at the end unless KEEP=1)
#   PAGEFIND=0        skip Pagefind
#   PAGEFIND_GLOB=G   the pages Pagefind indexes (default: event pages only, so that its
#                     counts are events; "**/*.html" for every page)
#   WORD=, BODY_WORD= the words of the first search and of the full-text count
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
events=10000
site=""
while [ $# -gt 0 ]; do
  case $1 in
    --events) events=$2; shift 2 ;;
    --site) site=$(realpath "$2"); shift 2 ;;
    *) echo "usage: bench/reading.sh [--events N | --site SITE]" >&2; exit 2 ;;
  esac
done
pagefind_version=1.6.0
pagefind_glob=${PAGEFIND_GLOB:-events/**/*.html}
log() { printf '%s\n' "$*" >&2; }

work=${WORK:-$(mktemp -d /tmp/annalist-reading.XXXXXX)}
mkdir -p "$work"
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT

[ -d tests/tools/node_modules/playwright-core ] || { log "playwright-core missing: run tests/setup.sh"; exit 1; }

if [ -z "$site" ]; then
  synth=${SYNTH:-$repo/target/release/examples/synth}
  [ -x "$synth" ] || cargo build --release --quiet --example synth
  annalist=${ANNALIST:-$repo/target/release/annalist}
  [ -x "$annalist" ] || cargo build --release --quiet --bin annalist
  log "generating $events events (seed 1) and building with $annalist"
  "$synth" --events "$events" --seed 1 --out "$work/chrono"
  "$annalist" build "$work/chrono" --output "$work/site" >"$work/build.log" 2>&1 ||
    { tail -20 "$work/build.log" >&2; exit 1; }
  site=$work/site
fi

pf_args=()
if [ "${PAGEFIND:-1}" != 0 ]; then
  # A copy made of hard links: Pagefind only adds files (pagefind/ and the page below), so
  # the original site is never written to.
  copy=$work/pagefind-site
  rm -rf "$copy"
  cp -al "$site" "$copy"
  rm -rf "$copy/pagefind" "$copy/pagefind-bench.html"
  log "indexing the copy with Pagefind $pagefind_version (glob $pagefind_glob)"
  if npx --yes "pagefind@$pagefind_version" --site "$copy" --glob "$pagefind_glob" >"$work/pagefind.log" 2>&1; then
    lang=$(grep -o '<html lang="[^"]*"' "$site/index.html" | head -1 | cut -d'"' -f2)
    cat >"$copy/pagefind-bench.html" <<EOF
<!doctype html>
<html lang="${lang:-en}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pagefind</title>
<link href="pagefind/pagefind-ui.css" rel="stylesheet">
<script src="pagefind/pagefind-ui.js"></script>
</head>
<body>
<div id="search"></div>
<script>
window.addEventListener('DOMContentLoaded', function () {
  new PagefindUI({ element: '#search', showSubResults: false, showImages: false });
});
</script>
</body>
</html>
EOF
    pf_args=(--pagefind "$copy")
    tail -8 "$work/pagefind.log" | sed 's/^/  pagefind: /' >&2
  else
    log "Pagefind could not run (see below); skipped"
    tail -20 "$work/pagefind.log" >&2
  fi
fi

mkdir -p bench/results
out=bench/results/reading-$(date -u +%Y-%m-%d).json
PAGEFIND_VERSION=$pagefind_version PAGEFIND_GLOB=$pagefind_glob node bench/reading.mjs --site "$site" \
  "${pf_args[@]}" --events "$events" --word "${WORD:-djawe}" --body-word "${BODY_WORD:-humanitaire}" --out "$out"
