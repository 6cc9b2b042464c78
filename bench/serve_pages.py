#!/usr/bin/env python3
"""How long `annalist serve` takes to render a page it has not cached yet.

Usage: bench/serve_pages.py BINARY CHRONOLOGY [PORT]

Starts `BINARY serve CHRONOLOGY` on 127.0.0.1:PORT (default 8731), waits for the first
page, then asks for the first ten event pages of 2020 once each (each is rendered on
demand, none is cached yet) and prints the median and the maximum time. A single-language
chronology is assumed (pages at the root, as examples/synth.rs writes them). Compare two
binaries side by side in one run; the machine is shared and noisy.
"""
import os
import subprocess
import sys
import time
import urllib.request

binary, root = sys.argv[1], sys.argv[2]
port = sys.argv[3] if len(sys.argv) > 3 else "8731"
server = subprocess.Popen([binary, "serve", root, "--port", port],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}/"
try:
    start = time.time()
    while True:
        try:
            urllib.request.urlopen(base + "index.html", timeout=60).read()
            break
        except OSError:
            if time.time() - start > 300:
                sys.exit("serve did not answer within 5 minutes")
            time.sleep(0.5)
    events = sorted(f[:-5] for f in os.listdir(os.path.join(root, "events", "2020"))
                    if f.endswith(".yaml"))[:10]
    times = []
    for event in events:
        t = time.time()
        urllib.request.urlopen(base + f"events/{event}/index.html", timeout=120).read()
        times.append(time.time() - t)
    times.sort()
    print(f"{binary}: {len(times)} event pages, median {times[len(times) // 2] * 1000:.0f} ms,"
          f" max {times[-1] * 1000:.0f} ms")
finally:
    server.terminate()
    server.wait()
