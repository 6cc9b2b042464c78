#!/usr/bin/env bash
# Runs every fuzz target for a bounded time, one after the other, then stops.
#
#   bash fuzz/run.sh [SECONDS] [TARGET...]    # default: 60 s for each of event, date, markdown
#
# With a nightly toolchain (`cargo +nightly`), targets are built with AddressSanitizer;
# on stable alone, with RUSTC_BOOTSTRAP=1 and no sanitizer (`-s none`): libFuzzer's
# coverage instrumentation needs only stable -C flags, Rust's own checks (bounds,
# overflow, debug assertions) still stop the run. Installs cargo-fuzz when missing.
#
# Each target grows fuzz/corpus/<target>/ (not committed), starting from the committed
# seeds in fuzz/seeds/<target>/ (rebuild them with fuzz/make_seeds.sh). A crash, a
# timeout (10 s) or an out-of-memory (2 GiB) is saved in fuzz/artifacts/<target>/, and
# the script exits 1 after running the other targets. Reproduce one with
#   cargo fuzz run <target> fuzz/artifacts/<target>/<file>      (prefix as below)
# then copy it to tests/fixtures/fuzz/<target>/ so tests/suite/fuzz_regressions.rs keeps it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(event date markdown)

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi
if cargo +nightly --version >/dev/null 2>&1; then
  fuzz=(cargo +nightly fuzz)
  sanitizer=address
else
  fuzz=(env RUSTC_BOOTSTRAP=1 cargo fuzz)
  sanitizer=none
fi
echo "fuzz: ${fuzz[*]}, sanitizer $sanitizer, ${seconds} s per target"

mkdir -p fuzz/logs
found=0
summary=()
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  log="fuzz/logs/$target.log"
  status=0
  # -max_total_time bounds the run; -timeout and -rss_limit_mb turn a hang or a memory
  # blow-up (an alias bomb) into a finding; seeds are read, new inputs go to corpus/.
  "${fuzz[@]}" run --sanitizer "$sanitizer" "$target" \
    "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict="fuzz/dicts/$target.dict" -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1)
  corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
  if [ "$status" -ne 0 ]; then
    found=1
    summary+=("$target: FAILED (exit $status) after ${execs:-?} runs; see $log and fuzz/artifacts/$target/")
    grep -E 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | head -n 8 || true
  else
    summary+=("$target: ok, ${execs:-?} runs in ${seconds} s, corpus of $corpus inputs")
  fi
done
printf 'fuzz: %s\n' "${summary[@]}"
exit "$found"
