#!/usr/bin/env bash
# Runs every test of annalist: the Rust unit and integration tests (which drive the
# real binary on fixture trees), then real validators on the site built from the
# sample chronology: the Nu HTML Checker on every page, the sitemap XSD.
set -euo pipefail
cd "$(dirname "$0")/.."
# Everything is built once, in the `ci` profile (Cargo.toml: optimised, with debug
# assertions and overflow checks): the tests, the binary the validators and browser
# tests run, examples/synth. setup.sh's downloads run meanwhile; the tests wait for it.
# Without the `jemalloc` feature (Cargo.toml): its C build is the longest step of a cold
# build, and the allocator changes a build's speed, never its output. tests/browser/run.sh
# builds with the same features, so it reuses this build.
bash tests/setup.sh &
setup=$!
cargo test --locked --profile ci --no-default-features --no-run
wait "$setup"
# The browser tests' sites (10,000 events among them: the longest to build) are built
# meanwhile, by the binary just built; their log is shown if that fails.
sites_log=target/browser-sites.log
mkdir -p target
bash tests/browser/run.sh --sites-only >"$sites_log" 2>&1 &
sites=$!

cargo test --locked --profile ci --no-default-features

echo "validators: building the sample chronology"
out=target/test-site
# The binary `cargo test` built. Not `cargo run`: without the tests, the dev-dependencies'
# features are not unified into the dependencies, and cargo would build the crate again.
"${CARGO_TARGET_DIR:-target}/ci/annalist" build . --output "$out"
passed=0
failed=0
if java -jar tests/tools/node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html "$out"; then
  echo "validators: Nu HTML Checker: no errors"; passed=$((passed + 1))
else
  echo "validators: Nu HTML Checker found errors"; failed=$((failed + 1))
fi
if xmllint --noout --schema tests/tools/node_modules/sitemap/schema/sitemap.xsd "$out/sitemap.xml"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi
echo "validators: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

# --- browser tests (tests/browser/): filter, search, strip of months, map, accessibility
# Chromium (headless) against the sample site, a fixture chronology with coordinates,
# and 10,000 synthetic events for what a search downloads (ANNALIST_BROWSER_BIG=0 skips
# those). Ends with the summary of Node's test runner.
if ! wait "$sites"; then
  cat "$sites_log"
  echo "browser: building the sites failed" >&2
  exit 1
fi
cat "$sites_log"
bash tests/browser/run.sh
