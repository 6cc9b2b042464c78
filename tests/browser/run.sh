#!/usr/bin/env bash
# Browser tests (tests/browser/*.test.mjs, Node's test runner, Debian's Chromium driven
# by playwright-core). Builds the sites they read into target/browser/, with the
# binary of the `ci` profile (Cargo.toml) that tests/run.sh has built:
#   sample/   the sample chronology of this repository;
#   fixture/  the fictional chronology of tests/browser/fixture.mjs (coordinates,
#             aliases, 151 events on 16 pages);
#   mali/     the real events of tests/fixtures/mali-2012-2025 (issue 14: relations,
#             names and parents that change over time);
#   big/      a synthetic chronology of 10,000 events (examples/synth.rs, seed 1), the
#             size issue 16 sets its budgets at, for what a search downloads. Generated
#             once, rebuilt when the annalist binary changes; ANNALIST_BROWSER_BIG=0
#             skips it (and its test).
# Each test serves its site on a free port of 127.0.0.1 with a tiny static server.
# Screenshots and the latency figures go to tests/browser/artifacts/ (git-ignored).
# Needs what tests/setup.sh installs (chromium, tests/tools/node_modules).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/browser
mkdir -p "$out"

# The profile of tests/run.sh, which has built both already (see Cargo.toml). With the
# example, cargo resolves features as `cargo test` does (dev-dependencies included), so
# it reuses what the tests built instead of building the crate again.
# `--sites-only`: build the sites and stop, without building the binaries (tests/run.sh
# calls it so, in the background, once it has built them).
sites_only=0
[ "${1:-}" = --sites-only ] && sites_only=1
[ "$sites_only" = 1 ] || cargo build --locked --profile ci --no-default-features --quiet --bin annalist --example synth
bin="${CARGO_TARGET_DIR:-target}/ci/annalist"
synth="${CARGO_TARGET_DIR:-target}/ci/examples/synth"

echo "browser: building the sample and the fixture chronology"
"$bin" build . --output "$out/sample" >/dev/null 2>&1 || "$bin" build . --output "$out/sample"
rm -rf "$out/fixture-src"
node tests/browser/fixture.mjs "$out/fixture-src"
"$bin" build "$out/fixture-src" --output "$out/fixture" >/dev/null 2>&1 || "$bin" build "$out/fixture-src" --output "$out/fixture"
"$bin" build tests/fixtures/mali-2012-2025 --output "$out/mali" >/dev/null 2>&1 || "$bin" build tests/fixtures/mali-2012-2025 --output "$out/mali"

if [ "${ANNALIST_BROWSER_BIG:-1}" != 0 ]; then
  # `.complete` holds the number of events generated.
  if [ "$(cat "$out/big-src/.complete" 2>/dev/null)" != 10000 ]; then
    echo "browser: generating 10,000 events (examples/synth.rs, seed 1)"
    rm -rf "$out/big-src" "$out/big"
    "$synth" --events 10000 --seed 1 --out "$out/big-src"
    echo 10000 >"$out/big-src/.complete"
  fi
  if [ ! -f "$out/big/index.html" ] || [ "$bin" -nt "$out/big/index.html" ]; then
    echo "browser: building the 10,000 events"
    "$bin" build "$out/big-src" --output "$out/big" | tail -n 1
  fi
else
  export ANNALIST_BIG_SITE=/nonexistent
fi
[ "$sites_only" = 0 ] || exit 0

echo "browser: running tests/browser/*.test.mjs"
# TAP on the terminal, ending with the runner's summary; the same run, easier to read,
# in tests/browser/artifacts/report.txt.
mkdir -p tests/browser/artifacts
node --test --test-concurrency=1 \
  --test-reporter=tap --test-reporter-destination=stdout \
  --test-reporter=spec --test-reporter-destination=tests/browser/artifacts/report.txt \
  tests/browser/
