#!/usr/bin/env python3
"""`annalist serve` under load, measured with raw sockets on 127.0.0.1 only.

    python3 bench/serve_load.py BINARY CHRONOLOGY

CHRONOLOGY is a chronology folder with `base_url` set (so that it has a sitemap), e.g.
`cargo run --release --example synth -- --events 3000 --seed 1 --out /tmp/serve-3k`.
Every phase is bounded in count and time (about two minutes in all); the server is
stopped at the end, also when a phase fails. Prints one line per figure:

- sitemap: the latency of an event page asked 0.2 s after the first /sitemap.xml;
- memory: the server's RSS (from /proc) after 3,000 cross-site requests, after 3,000
  requests to distinct paths, after asking for every event, actor and location page,
  and after 10,000 made-up paths of 2 KB;
- slow: whether a normal request is answered while 256 connections send their
  request head a byte every 5 s, and when the server cuts one of them;
- streams: whether a normal request is answered while 256 reload streams are open;
- redirect: the Location answered to `GET //events/ID`.
"""

import os
import socket
import subprocess
import sys
import threading
import time


def start(binary, root):
    p = subprocess.Popen(
        [binary, "serve", root, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        line = p.stdout.readline()
        if not line:
            break
        if "http://" in line:
            addr = line.split("http://", 1)[1].split()[0].rstrip("/")
            host, port = addr.rsplit(":", 1)
            # Drain the rest of stdout so that the server never blocks on it.
            threading.Thread(target=lambda: p.stdout.read(), daemon=True).start()
            return p, (host, int(port))
    p.kill()
    sys.exit("the server did not print its address")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def get(addr, path, headers=None, timeout=30.0):
    """Status, headers (lowercase) and body length of one request; (None, error) on failure."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    try:
        s = socket.create_connection(addr, timeout=timeout)
    except OSError as e:
        return None, str(e), 0
    try:
        host = f"{addr[0]}:{addr[1]}"
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n".encode())
        raw = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            raw += chunk
    except OSError as e:
        return None, str(e), 0
    finally:
        s.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines or len(lines[0].split()) < 2:
        return None, "no status line", 0
    status = int(lines[0].split()[1])
    hs = {}
    for l in lines[1:]:
        if ":" in l:
            k, v = l.split(":", 1)
            hs[k.strip().lower()] = v.strip()
    return status, hs, len(body)


def page_paths(root):
    """Event pages first, then actors' and locations' pages."""
    paths = [f"/events/{i}/" for i in event_ids(root)]
    for kind in ("actors", "locations"):
        d = os.path.join(root, "events", kind)
        if os.path.isdir(d):
            paths += [f"/{kind}/{f[:-5]}/" for f in sorted(os.listdir(d)) if f.endswith(".yaml")]
    return paths


def event_ids(root):
    ids = []
    for year in sorted(os.listdir(os.path.join(root, "events"))):
        d = os.path.join(root, "events", year)
        if year[:2] in ("19", "20") and os.path.isdir(d):
            ids += [f[:-5] for f in sorted(os.listdir(d)) if f.endswith(".yaml")]
    return ids


def phase_sitemap(addr, ids):
    done = {}

    def sitemap():
        t = time.time()
        st, _, n = get(addr, "/sitemap.xml", timeout=120)
        done["sitemap"] = (st, time.time() - t, n)

    th = threading.Thread(target=sitemap)
    th.start()
    time.sleep(0.2)
    t = time.time()
    st, _, _ = get(addr, f"/events/{ids[0]}/", timeout=120)
    page = time.time() - t
    th.join(130)
    sst, stime, sn = done.get("sitemap", (None, 0, 0))
    print(f"sitemap: page during the first sitemap render: {st} in {page * 1000:.0f} ms; "
          f"sitemap {sst} ({sn} bytes) in {stime * 1000:.0f} ms")


def phase_memory(addr, pid, paths):
    more = paths[3000:]
    paths = paths[:3000]
    paths += [f"/no-such-page-{i}/" for i in range(3000 - len(paths))]
    before = rss_mb(pid)
    statuses = {}
    for p in paths:
        st, _, _ = get(addr, p, {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"})
        statuses[st] = statuses.get(st, 0) + 1
    cross = rss_mb(pid)
    print(f"memory: RSS {before:.0f} MB at start; after 3,000 cross-site no-cors requests "
          f"{cross:.0f} MB (statuses {statuses})")
    statuses = {}
    t = time.time()
    for p in paths:
        st, _, _ = get(addr, p)
        statuses[st] = statuses.get(st, 0) + 1
    print(f"memory: after 3,000 distinct paths {rss_mb(pid):.0f} MB (statuses {statuses}, "
          f"{time.time() - t:.1f} s)")
    for p in more:
        get(addr, p)
    print(f"memory: after {3000 + len(more)} distinct paths {rss_mb(pid):.0f} MB")
    # Made-up addresses, 2 KB each: every one was kept (with its `/index.html`).
    t = time.time()
    for i in range(10000):
        get(addr, f"/made-up-{i}-" + "x" * 2000)
    print(f"memory: after 10,000 made-up 2 KB paths {rss_mb(pid):.0f} MB ({time.time() - t:.1f} s)")


def phase_slow(addr):
    socks = []
    for _ in range(256):
        try:
            s = socket.create_connection(addr, timeout=5)
            s.sendall(b"G")
            socks.append(s)
        except OSError:
            break
    stop = threading.Event()
    cut = {}

    def trickle():
        # A byte every 5 s for at most 25 s, noting when the server closes the first one.
        start = time.time()
        while not stop.is_set() and time.time() - start < 25:
            for i, s in enumerate(socks):
                try:
                    s.sendall(b"E")
                except OSError:
                    cut.setdefault(i, time.time() - start)
            stop.wait(5)

    th = threading.Thread(target=trickle)
    th.start()
    time.sleep(1)
    t = time.time()
    st, hs, _ = get(addr, "/", timeout=15)
    st = st if st is not None else f"no answer ({hs})"
    print(f"slow: {len(socks)} slow connections open; a normal request got {st} in "
          f"{(time.time() - t) * 1000:.0f} ms")
    # When does the server close a slow connection? The first was closed to make room
    # for newer ones; the last one has only the deadline. Read each until EOF.
    for name, s0 in (("first", socks[0]), ("last", socks[-1])):
        s0.settimeout(20)
        t0 = time.time()
        answer = b""
        try:
            data = s0.recv(4096)
            while data and time.time() - t0 < 20:
                answer += data
                data = s0.recv(4096)
            closed = f"closed {time.time() - t:.1f} s after the normal request"
        except socket.timeout:
            closed = f"still open {time.time() - t:.1f} s after the normal request"
        except OSError as e:
            closed = f"reset {time.time() - t:.1f} s after the normal request ({e})"
        status = answer.split(b"\r\n", 1)[0].decode("latin-1") or "no answer"
        print(f"slow: the {name} slow connection was {closed} ({status})")
    stop.set()
    th.join(30)
    for s in socks:
        s.close()


def phase_streams(addr):
    socks = []
    host = f"{addr[0]}:{addr[1]}"
    for _ in range(256):
        try:
            s = socket.create_connection(addr, timeout=5)
            s.sendall(f"GET /__annalist/events HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            socks.append(s)
        except OSError:
            break
    time.sleep(1)
    t = time.time()
    st, hs, _ = get(addr, "/", timeout=15)
    st = st if st is not None else f"no answer ({hs})"
    print(f"streams: {len(socks)} reload streams opened; a normal request got {st} in "
          f"{(time.time() - t) * 1000:.0f} ms")
    for s in socks:
        s.close()
    time.sleep(1)


def phase_redirect(addr, ids):
    st, hs, _ = get(addr, f"//events/{ids[0]}")
    loc = hs.get("location") if isinstance(hs, dict) else hs
    print(f"redirect: GET //events/{ids[0]} -> {st} Location: {loc}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, root = sys.argv[1], sys.argv[2]
    ids = event_ids(root)
    p, addr = start(binary, root)
    try:
        phase_memory(addr, p.pid, page_paths(root))
        phase_redirect(addr, ids)
        phase_slow(addr)
        time.sleep(2)
        phase_streams(addr)
    finally:
        p.kill()
        p.wait()
    # A fresh server, for the first sitemap of a build.
    p, addr = start(binary, root)
    try:
        phase_sitemap(addr, ids)
    finally:
        p.kill()
        p.wait()


if __name__ == "__main__":
    main()
