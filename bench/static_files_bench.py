#!/usr/bin/env python3
"""Throughput of the web app's files from `gotong serve`: the index.html of an app route and the
largest hashed asset, precompressed (brotli and gzip), with N keep-alive clients for S seconds.

Usage: bench/static_files_bench.py URL ASSET_PATH [CLIENTS] [SECONDS]
  e.g. bench/static_files_bench.py http://127.0.0.1:8080 /assets/index-DlGh9P5C-EucyNXEe.js 4 4
Python's client is slower than the server: the figures are a floor, not the server's ceiling."""

import http.client
import sys
import threading
import time
import urllib.parse


def measure(host, port, path, encoding, clients, seconds):
    counts = [0] * clients
    sizes = [0] * clients

    def worker(i):
        conn = http.client.HTTPConnection(host, port)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            conn.request("GET", path, headers={"Accept-Encoding": encoding, "Accept": "text/html"})
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                raise SystemExit("%s: HTTP %d" % (path, resp.status))
            counts[i] += 1
            sizes[i] += len(body)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("%-48s %-5s %8.0f req/s %8.1f MB/s" % (path[:48], encoding, sum(counts) / seconds, sum(sizes) / seconds / 1e6))


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    url = urllib.parse.urlparse(sys.argv[1])
    asset = sys.argv[2]
    clients = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 4
    measure(url.hostname, url.port or 80, "/o/demo/forms", "gzip", clients, seconds)
    measure(url.hostname, url.port or 80, asset, "br", clients, seconds)
    measure(url.hostname, url.port or 80, asset, "gzip", clients, seconds)


if __name__ == "__main__":
    main()
