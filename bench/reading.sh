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
#   STEP_TIMEOUT=S    seconds any one wait of a task may take (default 180; a task as a whole
#                     is given 2×S+60); PAGEFIND_TIMEOUT, BUILD_TIMEOUT, GEN_TIMEOUT: seconds
#                     for Pagefind (1800), the build (1800) and the generator (600)
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
pagefind_version=1.6.0
pagefind_glob=${PAGEFIND_GLOB:-events/**/*.html}
# shellcheck source=bench/site.sh
. bench/site.sh
site_args "$@"

work=${WORK:-$(mktemp -d /tmp/annalist-reading.XXXXXX)}
mkdir -p "$work"
cleanup() { [ "${KEEP:-0}" = 1 ] || [ -n "${WORK:-}" ] || rm -rf "$work"; }
trap cleanup EXIT

[ -d tests/tools/node_modules/playwright-core ] || { log "playwright-core missing: run tests/setup.sh"; exit 1; }

build_site

pf_args=()
if [ "${PAGEFIND:-1}" != 0 ]; then
  # A copy made of hard links: Pagefind only adds files (pagefind/ and the page below), so
  # the original site is never written to.
  copy=$work/pagefind-site
  rm -rf "$copy"
  cp -al "$site" "$copy"
  rm -rf "$copy/pagefind" "$copy/pagefind-bench.html"
  log "indexing the copy with Pagefind $pagefind_version (glob $pagefind_glob)"
  pf_start=$(date +%s)
  pf_time=()
  [ -x /usr/bin/time ] && pf_time=(/usr/bin/time -v -o "$work/pagefind-time.txt")
  if bounded "${PAGEFIND_TIMEOUT:-1800}" "Pagefind" "${pf_time[@]}" \
    npx --yes "pagefind@$pagefind_version" --site "$copy" --glob "$pagefind_glob" >"$work/pagefind.log" 2>&1; then
    log "  Pagefind took $(($(date +%s) - pf_start)) s$([ -f "$work/pagefind-time.txt" ] && echo ", max RSS $(($(grep 'Maximum resident' "$work/pagefind-time.txt" | grep -o '[0-9]*$') / 1024)) MiB"), index $(du -sb "$copy/pagefind" | cut -f1 | awk '{printf "%.1f MB", $1/1e6}') in $(find "$copy/pagefind" -type f | wc -l) files"
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
    log "Pagefind failed or timed out after $(($(date +%s) - pf_start)) s (see below); skipped"
    tail -20 "$work/pagefind.log" >&2
  fi
fi

mkdir -p bench/results
out=bench/results/reading-$(date -u +%Y-%m-%dT%H%M%S).json
log "measuring (load $(load_avg))"
PAGEFIND_VERSION=$pagefind_version PAGEFIND_GLOB=$pagefind_glob node bench/reading.mjs --site "$site" \
  "${pf_args[@]}" ${events:+--events "$events"} --timeout "${STEP_TIMEOUT:-180}" --word "${WORD:-djawe}" --body-word "${BODY_WORD:-humanitaire}" --out "$out"
