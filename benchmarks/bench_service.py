"""The web service over HTTP, side by side with Virtuoso serving the same graph and queries.

Starts our service (uvicorn, one process, the defaults a user gets) and a private Virtuoso on
loopback, then prints: named-query p50 latency over HTTP; requests/s at concurrency 16 (wrk if
installed, else Python threads); and, while 4 runaway queries run to their deadline, the p95 of
a simple named query and when the runaways ended.

Usage: ``python benchmarks/bench_service.py [--query area_leads] [--seconds 10]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.build import build_dataset  # noqa: E402
from graph.catalog import bind, load_catalog  # noqa: E402
from graph.engine import with_values  # noqa: E402
from graph.remote import push  # noqa: E402
from tests import virtuoso as vt  # noqa: E402
from tests.liveserver import serving  # noqa: E402

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def get(url: str, timeout: float = 60) -> tuple[int, float]:
    """Status and seconds of one GET."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - loopback
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - start


def latencies(url: str, n: int) -> list[float]:
    """Seconds of n sequential GETs (after 5 warm-up calls)."""
    for _ in range(5):
        get(url)
    return [get(url)[1] for _ in range(n)]


def throughput(url: str, seconds: int, concurrency: int = 16) -> float:
    """Requests per second at a concurrency: wrk when installed, else Python threads."""
    wrk = shutil.which("wrk")
    if wrk:
        out = subprocess.run(
            [wrk, "-t2", f"-c{concurrency}", f"-d{seconds}s", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for line in out.splitlines():
            if line.startswith("Requests/sec:"):
                return float(line.split()[1])
    done, stop = [0], time.monotonic() + seconds

    def loop() -> None:
        while time.monotonic() < stop:
            if get(url)[0] == 200:
                done[0] += 1

    threads = [threading.Thread(target=loop) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / seconds


def runaway_check(base: str, simple: str, deadline: float) -> dict[str, float]:
    """Four runaway queries to their deadline; the simple query's p95 meanwhile."""
    ends: list[float] = []
    start = time.monotonic()

    def runaway() -> None:
        get(f"{base}/sparql?{urllib.parse.urlencode({'query': RUNAWAY})}", timeout=deadline + 30)
        ends.append(time.monotonic() - start)

    threads = [threading.Thread(target=runaway) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    samples = []
    while any(t.is_alive() for t in threads):
        samples.append(get(simple)[1])
        time.sleep(0.02)
    for t in threads:
        t.join()
    samples.sort()
    return {
        "p95": samples[int(len(samples) * 0.95) - 1] if samples else 0.0,
        "samples": len(samples),
        "last_end": max(ends),
        "first_end": min(ends),
    }


def main() -> None:
    """Run both servers and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--query", default="area_leads")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    catalog = load_catalog()
    q = catalog[args.query]
    text = with_values(q.text, dict(bind(q, q.example_values())))
    text = "\n".join(line for line in text.splitlines() if not line.startswith("#"))

    with serving({"MERCURY_KG_BURST": "1000000", "MERCURY_KG_RATE": "1000000"}) as base:
        named = f"{base}/api/queries/{args.query}?" + urllib.parse.urlencode(q.example_values())
        ours_lat = latencies(named, args.requests)
        ours_sparql = latencies(
            f"{base}/sparql?{urllib.parse.urlencode({'query': text})}", args.requests
        )
        ours_rps = throughput(named, args.seconds)
        runaway = runaway_check(base, named, 10.0)

    virt: dict[str, float] = {}
    if vt.binary():
        with tempfile.TemporaryDirectory() as tmp, vt.running(Path(tmp)) as vbase:
            os.environ.update(vt.credentials())
            push(build_dataset().dataset, f"{vbase}/sparql-graph-crud-auth")
            url = f"{vbase}/sparql?" + urllib.parse.urlencode(
                {"query": text, "format": "application/sparql-results+json"}
            )
            lat = latencies(url, args.requests)
            virt = {"p50": statistics.median(lat), "rps": throughput(url, args.seconds)}

    p50 = statistics.median(ours_lat)
    print(
        f"named query {args.query!r} over HTTP ({args.requests} sequential requests, "
        f"{args.seconds} s at concurrency 16)"
    )
    print(f"{'':34}{'p50 ms':>10}{'req/s @16':>12}")
    print(f"{'ours /api/queries/' + args.query:34}{p50 * 1e3:>10.2f}{ours_rps:>12.0f}")
    print(f"{'ours /sparql (same text)':34}{statistics.median(ours_sparql) * 1e3:>10.2f}{'':>12}")
    if virt:
        print(f"{'virtuoso /sparql (same text)':34}{virt['p50'] * 1e3:>10.2f}{virt['rps']:>12.0f}")
        print(
            f"ratio ours/virtuoso: latency {p50 / virt['p50']:.2f}x, "
            f"throughput {ours_rps / virt['rps']:.2f}x"
        )
    print(
        f"4 runaway queries (10 s deadline): simple query p95 {runaway['p95'] * 1e3:.1f} ms over "
        f"{runaway['samples']:.0f} samples; runaways ended after {runaway['first_end']:.1f}-"
        f"{runaway['last_end']:.1f} s"
    )


if __name__ == "__main__":
    main()
