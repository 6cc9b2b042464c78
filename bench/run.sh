#!/usr/bin/env bash
# Benchmarks annalist against a Hugo twin of the same synthetic chronology.
#
#   bench/run.sh                           # 1,000 and 10,000 events
#   bench/run.sh 1000 10000 50000 100000   # the full run
#
# For each size N it generates, with a fixed seed, the annalist chronology and its Hugo
# twin (examples/synth.rs), then measures on this machine, in this run:
#   - `annalist check` (wall time), and serde_yaml alone parsing the same files already
#     in memory on every core (examples/parse_floor.rs: the floor for `check`),
#   - `annalist build` (wall time, peak memory),
#   - `annalist build` again after one event file was edited (everything is rendered
#     again; only the files whose bytes changed are written, the others are linked),
#   - `cp -r` of annalist's output (wall time: the floor for writing that many files),
#   - `hugo --quiet` on the twin (wall time, peak memory),
#   - the number of files and the size of both outputs,
# and prints a Markdown table (also saved as results.md in the work folder).
#
# Environment:
#   SEED=42          the generator's seed
#   RUNS=1           runs of each measured command; the table gives the median time
#   WORK=DIR         where to generate and build (default: a new folder under /tmp)
#   KEEP=1           keep each size's trees and sites (they take GBs at 100,000 events)
#   ANNALIST=PATH    an annalist binary to measure instead of building this checkout
#   HUGO=0           skip Hugo (it takes over 20 minutes at 100,000 events here)
#
# It installs `hugo` and GNU `time` with apt-get when they are missing.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
seed=${SEED:-42}
runs=${RUNS:-1}

log() { printf '%s\n' "$*" >&2; }

apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  log "installing $* with apt-get"
  $sudo apt-get install -y "$@" >/dev/null 2>&1 ||
    { $sudo apt-get update >/dev/null && $sudo apt-get install -y "$@" >/dev/null; }
}
hugo_on=${HUGO:-1}
[ "$hugo_on" = 0 ] || command -v hugo >/dev/null 2>&1 || apt_install hugo
[ -x /usr/bin/time ] || apt_install time

# The generator has no dependency: when this checkout's library does not build (work in
# progress elsewhere), it is compiled on its own.
work=${WORK:-$(mktemp -d /tmp/annalist-bench.XXXXXX)}
mkdir -p "$work"
synth="$work/synth"
if cargo build --release --quiet --example synth 2>/dev/null; then
  cp target/release/examples/synth "$synth"
else
  log "cargo could not build the examples; compiling examples/synth.rs alone with rustc"
  rustc --edition 2024 -O examples/synth.rs -o "$synth"
fi
floor="$work/parse_floor"
cargo build --release --quiet --example parse_floor 2>/dev/null && cp target/release/examples/parse_floor "$floor" || floor=""
if [ -n "${ANNALIST:-}" ]; then
  annalist=$(realpath "$ANNALIST")
else
  cargo build --release --quiet --bin annalist
  annalist="$repo/target/release/annalist"
fi
if "$annalist" build --help 2>/dev/null | grep -q -- --timings; then timings=(--timings); else timings=(); fi

# Runs a command under GNU time; prints "seconds peak_MB". The command's output goes to
# the log file given first.
measure() {
  local out=$1 tf
  shift
  tf=$(mktemp)
  if ! /usr/bin/time -f '%e %M' -o "$tf" "$@" >>"$out" 2>&1; then
    log "failed: $* (see $out)"
    tail -5 "$out" >&2
    rm -f "$tf"
    return 1
  fi
  awk '{printf "%.2f %.0f\n", $1, $2 / 1024}' "$tf"
  rm -f "$tf"
}
commas() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
# Runs "$@" $RUNS times, each after `eval "$1"` (untimed); prints the median wall time
# (with the range when there are several runs) after the largest peak memory and a tab.
timed() {
  local prep=$1 times=() mem=0 r t m i
  shift
  for ((i = 0; i < runs; i++)); do
    eval "$prep"
    # Flush what earlier steps wrote (GBs at 100,000 events), so that its writeback is
    # not timed as part of this command.
    sync
    r=$(measure "$logf" "$@") || return 1
    read -r t m <<<"$r"
    times+=("$t")
    if [ "$m" -gt "$mem" ]; then mem=$m; fi
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v m="$mem" '
    {a[NR] = $1}
    END {
      t = a[int((NR + 1) / 2)] " s"
      if (NR > 1) t = t " (" a[1] "–" a[NR] ")"
      print m "\t" t
    }'
}
files() { find "$1" -type f | wc -l; }
megabytes() { du -s --apparent-size -B1 "$1" | awk '{printf "%.1f", $1 / 1e6}'; }

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src templates Cargo.toml 2>/dev/null || commit="$commit + uncommitted changes"
header=$(
  cat <<EOF
Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GB RAM; $(uname -sr)
annalist: ${ANNALIST:-$commit}; $( [ "$hugo_on" = 0 ] && echo "Hugo skipped" || hugo version | cut -d' ' -f2 | cut -d- -f1 | sed 's/^/Hugo /'); seed $seed; median of $runs run(s); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)

| events | input | check | serde_yaml alone | build | build peak | rebuild after 1 edit (full) | annalist output | \`cp -r\` output | hugo | hugo peak | hugo output |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
EOF
)
results="$work/results.md"
printf '%s\n' "$header" >"$results"

for n in "${sizes[@]}"; do
  dir="$work/$n"
  rm -rf "$dir"
  mkdir -p "$dir"
  logf="$dir/log.txt"
  log "== $n events: generating into $dir"
  "$synth" --events "$n" --seed "$seed" --out "$dir/chrono" 2>>"$logf"
  [ "$hugo_on" = 0 ] || "$synth" --events "$n" --seed "$seed" --out "$dir/hugo" --hugo 2>>"$logf"
  in_files=$(files "$dir/chrono/events")
  in_mb=$(megabytes "$dir/chrono/events")

  log "   annalist check"
  r=$(timed true "$annalist" check "$dir/chrono")
  IFS=$'\t' read -r _ check_s <<<"$r"
  floor_s="—"
  if [ -n "$floor" ]; then
    floor_s=$("$floor" "$dir/chrono" 2>>"$logf" | tee -a "$logf" | awk -F': ' '/serde_yaml::Value, all threads/ {split($2, a, " "); print a[1] " s"}') || floor_s="—"
  fi
  log "   annalist build"
  r=$(timed "rm -rf '$dir/site'" "$annalist" build "$dir/chrono" --output "$dir/site" "${timings[@]}")
  IFS=$'\t' read -r build_mb build_s <<<"$r"
  site_files=$(files "$dir/site")
  site_mb=$(megabytes "$dir/site")

  # Edit one event (its status) and build again into the same folder.
  edited=$(grep -rl '^status: reported$' "$dir/chrono/events" | sort | awk 'NR == 1')
  sed -i 's/^status: reported$/status: confirmed/' "$edited"
  log "   annalist rebuild after editing ${edited#"$dir/chrono/"}"
  r=$(timed true "$annalist" build "$dir/chrono" --output "$dir/site" "${timings[@]}")
  IFS=$'\t' read -r _ rebuild_s <<<"$r"

  log "   cp -r of the site"
  r=$(timed "rm -rf '$dir/site-copy'" cp -r "$dir/site" "$dir/site-copy")
  IFS=$'\t' read -r _ cp_s <<<"$r"
  rm -rf "$dir/site-copy"

  hugo_s="—" hugo_mb="—" hugo_files="—" hugo_out_mb="—"
  if [ "$hugo_on" != 0 ]; then
    log "   hugo"
    r=$(timed "rm -rf '$dir/hugo/public'" hugo --quiet --source "$dir/hugo")
    IFS=$'\t' read -r hugo_mb hugo_s <<<"$r"
    hugo_files=$(files "$dir/hugo/public")
    hugo_out_mb=$(megabytes "$dir/hugo/public")
    hugo_mb_unit=" MiB" hugo_files_unit=" files, $hugo_out_mb MB"
  fi

  row="| $(commas "$n") | $in_files files, $in_mb MB | $check_s | $floor_s | $build_s | $build_mb MiB | $rebuild_s | $site_files files, $site_mb MB | $cp_s | $hugo_s | $hugo_mb${hugo_mb_unit:-} | $hugo_files${hugo_files_unit:-} |"
  printf '%s\n' "$row" >>"$results"
  log "   $row"
  if [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$dir/chrono" "$dir/hugo" "$dir/site"
  fi
done

cat "$results"
log "results and logs (with annalist's phase timings) in $work"
