#!/usr/bin/env python3
"""How `annalist check` scales on hostile files, as ratios measured side by side.

    python3 bench/hostile.py [--annalist PATH] [--sizes 5000,10000,20000]

For each shape below and each size N it writes one event file into a copy of the
check fixture's base chronology (tests/fixtures/check/_base/), runs `annalist check`
on it, and prints the wall time and the ratio to the smallest size. A linear cost
doubles when N doubles (ratio 2, 4); a quadratic one quadruples (4, 16). Times are
noisy on a shared machine: read the ratios, not the milliseconds, and never turn them
into a timed test.

Shapes:
  unknown-ids   N actor entries whose ids do not exist (N diagnostics in one file)
  open-brackets `title: ` followed by N unclosed `[` (libyaml's flow nesting)
  mib           the 1 MiB limit filled with `[` (must finish in well under a second)

The binary defaults to target/release/annalist (build it first with
`cargo build --release`). Nothing is written outside a new folder under /tmp.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = os.path.join(REPO, "tests", "fixtures", "check", "_base")
EVENT = os.path.join("events", "2025", "2025-05-23-djoura-camp-attack.yaml")


def unknown_ids(text, n):
    entries = "".join(f"  - id: unknown-actor-{i}\n    role: target\n" for i in range(n))
    return text.replace("actors:\n", "actors:\n" + entries, 1)


def open_brackets(_text, n):
    return "title: " + "[" * n + "\n"


def mib(_text, _n):
    return "title: " + "[" * (1024 * 1024 - 16) + "\n"


SHAPES = {"unknown-ids": unknown_ids, "open-brackets": open_brackets, "mib": mib}


def run(binary, root):
    start = time.monotonic()
    proc = subprocess.run(
        [binary, "check", root],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=600,
    )
    return time.monotonic() - start, proc.returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annalist", default=os.path.join(REPO, "target", "release", "annalist"))
    parser.add_argument("--sizes", default="5000,10000,20000")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    args = parser.parse_args()
    if not os.access(args.annalist, os.X_OK):
        sys.exit(f"no annalist binary at {args.annalist}: run `cargo build --release` first")
    sizes = [int(s) for s in args.sizes.split(",")]
    work = tempfile.mkdtemp(prefix="annalist-hostile-")
    print(f"binary: {args.annalist}")
    print("| shape | N | file size | exit | wall time | ratio to first N |")
    print("|---|---|---|---|---|---|")
    try:
        for shape in args.shapes.split(","):
            first = None
            for n in sizes if shape != "mib" else [1]:
                root = os.path.join(work, f"{shape}-{n}")
                shutil.copytree(BASE, root)
                path = os.path.join(root, EVENT)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(SHAPES[shape](text, n))
                seconds, code = run(args.annalist, root)
                first = first or seconds
                size = os.path.getsize(path)
                print(
                    f"| {shape} | {n:,} | {size / 1024:,.0f} KiB | {code} | "
                    f"{seconds * 1000:,.0f} ms | {seconds / first:.1f} |"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
