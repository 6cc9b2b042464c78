# Shared by bench/reading.sh and bench/lighthouse.sh (sourced, not run): the synthetic site
# they measure, and a bounded wait.
#
# In: $repo (the checkout), $events, $site (empty: generate and build one), $work.
# Out: $site set to the built site; $work/build.log, and $work/build-time.txt
# (`/usr/bin/time -v` of the build, when GNU time is installed).

log() { printf '%s\n' "$*" >&2; }

# `site_args "$@"`: the arguments both scripts take, `--events N` (10,000 when not given)
# or `--site SITE` (an already built site), into $events and $site.
site_args() {
  events=10000
  site=""
  while [ $# -gt 0 ]; do
    case $1 in
      --events) events=$2; shift 2 ;;
      --site) site=$(realpath "$2"); events=""; shift 2 ;;
      *) echo "usage: bench/$(basename "$0") [--events N | --site SITE]" >&2; exit 2 ;;
    esac
  done
}

# `bounded SECONDS LABEL COMMAND...`: runs COMMAND, and if it has not ended after SECONDS
# kills it and says "LABEL timed out after SECONDS s" (status 124), instead of hanging.
bounded() {
  local secs=$1 label=$2 rc=0
  shift 2
  timeout --kill-after=10 "$secs" "$@" || rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    log "$label timed out after $secs s"
    return 124
  fi
  return "$rc"
}

# The load average (1, 5, 15 min) of the machine, for the record of each run.
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

build_site() {
  [ -n "$site" ] && return 0
  local synth=${SYNTH:-$repo/target/release/examples/synth}
  [ -x "$synth" ] || cargo build --release --quiet --example synth
  local annalist=${ANNALIST:-$repo/target/release/annalist}
  [ -x "$annalist" ] || cargo build --release --quiet --bin annalist
  log "generating $events events (seed 1) and building with $annalist (load $(load_avg))"
  rm -rf "$work/chrono" "$work/site"
  bounded "${GEN_TIMEOUT:-600}" "generating the chronology" \
    "$synth" --events "$events" --seed 1 --out "$work/chrono" >/dev/null
  local time=()
  [ -x /usr/bin/time ] && time=(/usr/bin/time -v -o "$work/build-time.txt")
  if ! bounded "${BUILD_TIMEOUT:-1800}" "annalist build" \
    "${time[@]}" "$annalist" build "$work/chrono" --output "$work/site" >"$work/build.log" 2>&1; then
    tail -20 "$work/build.log" >&2
    return 1
  fi
  if [ -f "$work/build-time.txt" ]; then
    log "  build: $(grep -E 'Elapsed' "$work/build-time.txt" | sed 's/.*): //') wall, max RSS $(($(grep 'Maximum resident' "$work/build-time.txt" | grep -o '[0-9]*$') / 1024)) MiB"
  fi
  log "  output: $(find "$work/site" -type f | wc -l) files, $(du -sb "$work/site" | cut -f1 | awk '{printf "%.1f MB", $1/1e6}')"
  site=$work/site
}
