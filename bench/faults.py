#!/usr/bin/env python3
"""Fault injection for `annalist build`: does the published site survive everything?

Each round does one of these to builds into one output folder, then checks that the
output is, byte for byte, either the site it held before the round or the site the
round's build(s) were making (two reference builds, one per edition of a generated
chronology), and that nothing outside the output changed (the chronologies, a folder of
bystander files beside the output; annalist's own `.site.annalist-*` leftovers of a
killed build are allowed, and must be gone after the next build):

- concurrent: 2 or 3 builds of different editions started together; each must publish
  (exit 0) or stop at once because another holds the output's lock (exit 2);
- kill: one build killed with SIGKILL after a random delay, half of them in the last
  fifth of a build's measured length, where it swaps the site in and cleans up;
- full: the output on a small tmpfs (`size=`) with room for one site and a half, so
  the build of the other edition fills the disk: it must fail and leave the old site;
- readonly: the output's file system remounted read-only: the build must fail with
  help that names the folder to make writable, and leave the old site.

`full` and `readonly` need root (mount); they are skipped, and counted as skipped,
where mounting is not permitted. Bounded by --rounds and --seconds. Not run by CI
(about a minute per 10 rounds on 2 cores): run it by hand after changing src/write.rs:

    cargo build --release && python3 bench/faults.py --rounds 60

Prints one line per round and a closing table (rounds, kills, faults, losses); the exit
code is 1 if anything was lost.
"""

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def generate(root: Path, events: int, edition: int) -> None:
    """A chronology of `events` valid events over the build suite's `_base` fixture;
    the edition is in every title and body, so two editions give two different sites."""
    shutil.copytree(REPO / "tests/fixtures/build/_base", root)
    for i in range(events):
        year = 2010 + i % 15
        month = 1 + (i // 15) % 12
        day = 1 + (i // 180) % 28
        date = f"{year}-{month:02}-{day:02}"
        folder = root / "events" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        actor, role = ("jnim", "perpetrator") if i % 2 == 0 else ("fama", "target")
        location = ["djoura", "mopti-region", "mali"][i % 3]
        (folder / f"{date}-event-{i}.yaml").write_text(
            f"title: Événement {i}, édition {edition}\n"
            f"date: {date}\n"
            "type: attack\n"
            "status: reported\n"
            f"locations: [{location}]\n"
            f"actors:\n  - id: {actor}\n    role: {role}\n"
            "sources:\n  - publisher: Article de presse\n"
            f"tags: [sujet-{i % 40}]\n"
            f"body: |\n  Récit de l'événement {i} (édition {edition}).\n",
            encoding="utf-8",
        )


def fingerprint(top: Path, skip_leftovers: bool = False) -> dict:
    """Every entry under `top` by relative path: a hash of a file's bytes, the target
    of a link, or None for a folder."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(top):
        base = Path(dirpath)
        for name in list(dirnames):
            path = base / name
            rel = str(path.relative_to(top))
            if skip_leftovers and base == top and ".annalist-" in name:
                dirnames.remove(name)
                continue
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
                dirnames.remove(name)
            else:
                out[rel] = None
        for name in filenames:
            path = base / name
            rel = str(path.relative_to(top))
            if skip_leftovers and base == top and ".annalist-" in name:
                continue
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            else:
                out[rel] = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    return out


def state_of(out: Path, sites: dict) -> str:
    """Which whole site the output holds: an edition's name, 'missing' or 'broken'."""
    if not out.exists():
        return "missing"
    now = fingerprint(out)
    for name, tree in sites.items():
        if now == tree:
            return name
    return "broken"


class Run:
    def __init__(self, binary: Path, root: Path, out: Path):
        self.proc = subprocess.Popen(
            [str(binary), "build", str(root), "--output", str(out)],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "NO_COLOR": "1", "CI": "1"},
        )

    def finish(self, timeout: float = 300):
        _, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, err.decode("utf-8", "replace")


def mount(*args) -> bool:
    return subprocess.run(["mount", *args], stderr=subprocess.DEVNULL).returncode == 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--binary", type=Path, default=REPO / "target/release/annalist")
    p.add_argument("--events", type=int, default=1500)
    p.add_argument("--rounds", type=int, default=40)
    p.add_argument("--seconds", type=float, default=600, help="stop starting rounds after this")
    p.add_argument("--seed", type=int, default=17)
    args = p.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="annalist-faults-"))
    started = time.monotonic()
    stats = dict(rounds=0, builds=0, stopped_by_lock=0, kills=0, kills_landed=0,
                 kills_after_swap=0, faults=0, skipped=0, losses=0)
    try:
        roots = {}
        for edition in (1, 2):
            roots[f"e{edition}"] = work / f"chronology-{edition}"
            generate(roots[f"e{edition}"], args.events, edition)
        # Reference sites, and how long a build lasts.
        sites, lengths = {}, []
        for name, root in roots.items():
            ref = work / f"ref-{name}" / "site"
            t = time.monotonic()
            code, err = Run(args.binary, root, ref).finish()
            lengths.append(time.monotonic() - t)
            assert code == 0, err
            sites[name] = fingerprint(ref)
        length = max(lengths)
        before_roots = {n: fingerprint(r) for n, r in roots.items()}
        print(f"{args.events} events, {len(sites['e1'])} entries per site, "
              f"a build lasts {length:.2f} s; seed {args.seed}")

        parent = work / "out"
        parent.mkdir()
        bystanders = parent / "bystanders"
        bystanders.mkdir()
        for i in range(20):
            (bystanders / f"f{i}.txt").write_text(f"not annalist's {i}\n")
        out = parent / "site"
        Run(args.binary, roots["e1"], out).finish()
        current = "e1"
        outside = fingerprint(parent, skip_leftovers=True)
        del outside["site"]
        outside = {k: v for k, v in outside.items() if not k.startswith("site/")}

        def check(label: str, allowed: set) -> str:
            nonlocal current
            state = state_of(out, sites)
            around = {k: v for k, v in fingerprint(parent, skip_leftovers=True).items()
                      if k != "site" and not k.startswith("site/")}
            lost = state not in allowed or around != outside \
                or any(fingerprint(r) != before_roots[n] for n, r in roots.items())
            if lost:
                stats["losses"] += 1
                print(f"  LOSS in {label}: output is {state}, allowed {sorted(allowed)}; "
                      f"outside changed: {around != outside}")
            if state in sites:
                current = state
            return state

        kinds = ["concurrent", "kill", "kill", "full", "readonly"]
        while stats["rounds"] < args.rounds and time.monotonic() - started < args.seconds:
            stats["rounds"] += 1
            n = stats["rounds"]
            kind = kinds[(n - 1) % len(kinds)] if n <= len(kinds) else rng.choice(kinds)
            other = "e2" if current == "e1" else "e1"
            if kind == "concurrent":
                editions = [rng.choice(["e1", "e2"]) for _ in range(rng.choice([2, 3]))]
                runs = [Run(args.binary, roots[e], out) for e in editions]
                results = [r.finish() for r in runs]
                stats["builds"] += len(runs)
                codes = []
                for code, err in results:
                    if code == 2 and "another annalist build" in err:
                        stats["stopped_by_lock"] += 1
                    elif code != 0:
                        stats["losses"] += 1
                        print(f"  LOSS: unexpected exit {code}: {err.strip()[:300]}")
                    codes.append(code)
                state = check(kind, {current, *editions})
                print(f"{n:3} concurrent {editions} -> exits {codes}, output {state}")
            elif kind == "kill":
                if rng.random() < 0.5:
                    delay = rng.uniform(0.8, 1.05) * length
                else:
                    delay = rng.uniform(0, 1.05) * length
                run = Run(args.binary, roots[other], out)
                time.sleep(delay)
                stats["kills"] += 1
                run.proc.send_signal(signal.SIGKILL)
                code, _ = run.finish()
                landed = code == -signal.SIGKILL
                stats["kills_landed"] += landed
                stats["builds"] += 1
                state = check(kind, {current, other})
                # Killed with the new site in place: while cleaning up, or exiting.
                stats["kills_after_swap"] += landed and state == other
                print(f"{n:3} kill at {delay:.2f} s -> "
                      f"{'killed' if landed else f'had exited {code}'}, output {state}")
            else:
                # A small file system of its own: the output and its staging folder.
                fs_dir = work / f"fs-{n}"
                fs_dir.mkdir()
                size_kib = sum(
                    f.stat().st_size for f in (work / "ref-e1/site").rglob("*") if f.is_file()
                ) * 3 // 2 // 1024 + 2048
                if not mount("-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(fs_dir)):
                    stats["skipped"] += 1
                    print(f"{n:3} {kind}: skipped (cannot mount a tmpfs here)")
                    continue
                try:
                    small_out = fs_dir / "site"
                    code, err = Run(args.binary, roots["e1"], small_out).finish()
                    assert code == 0, err
                    keep = fingerprint(fs_dir)
                    if kind == "readonly":
                        assert mount("-o", "remount,ro", str(fs_dir))
                    code, err = Run(args.binary, roots["e2"], small_out).finish()
                    stats["faults"] += 1
                    stats["builds"] += 2
                    whole = state_of(small_out, sites) == "e1"
                    expected_words = "No space left" if kind == "full" else "make that folder writable"
                    clear = code == 2 and expected_words in err and "remove that folder" not in err
                    # Nothing else in the small file system: its staging folder is gone.
                    clean = fingerprint(fs_dir) == keep
                    if not (whole and clear and clean):
                        stats["losses"] += 1
                        print(f"  LOSS in {kind}: whole {whole}, clear message {clear}, "
                              f"clean {clean}: exit {code}: {err.strip()[:300]}")
                    first = err.strip().splitlines()[0] if err.strip() else ""
                    print(f"{n:3} {kind} ({size_kib} KiB) -> exit {code}: {first[:110]}")
                finally:
                    subprocess.run(["umount", str(fs_dir)])
        # A last normal build cleans up what the killed ones left.
        code, err = Run(args.binary, roots[current], out).finish()
        leftovers = [e.name for e in parent.iterdir() if ".annalist-" in e.name]
        if code != 0 or leftovers or state_of(out, sites) != current:
            stats["losses"] += 1
            print(f"  LOSS after the last build: exit {code}, leftovers {leftovers}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - started
    print()
    print("| rounds | builds | stopped by the lock | kills (landed, after the swap) "
          "| faults | skipped | losses | time |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    s = stats
    print(f"| {s['rounds']} | {s['builds']} | {s['stopped_by_lock']} | {s['kills']} "
          f"({s['kills_landed']}, {s['kills_after_swap']}) | {s['faults']} | {s['skipped']} "
          f"| {s['losses']} | {elapsed:.0f} s |")
    return 1 if stats["losses"] else 0


if __name__ == "__main__":
    sys.exit(main())
