"""The web service over HTTP, side by side with Virtuoso serving the same graph and queries.

Starts our service (uvicorn, one process, the defaults a user gets) and a private Virtuoso on
loopback, then prints: named-query p50 latency over HTTP; requests/s at concurrency 16 (wrk if
installed, else Python threads); fair share: the p95 of a simple ASK from 127.0.0.1 over 50
samples, alone and while one other address (127.0.0.2) sends 6 runaway queries, beside the same
with fair share off (one client may hold every worker); and a flood of 40 parallel posted
networks from 40 addresses: the main process's peak RSS beside its idle RSS, and /health
meanwhile.

Usage: ``python benchmarks/bench_service.py [--query area_leads] [--seconds 10]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
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
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.compile.build import build_dataset  # noqa: E402
from graph.query.catalog import bind, load_catalog  # noqa: E402
from graph.query.engine import with_values  # noqa: E402
from graph.query.remote import push  # noqa: E402
from tests import virtuoso as vt  # noqa: E402
from tests.liveserver import server, serving  # noqa: E402

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


def call(
    base: str, path: str, body: bytes | None = None, source: str = "127.0.0.1", timeout: float = 60
) -> tuple[int, float]:
    """Status and seconds of one request from a chosen loopback source address."""
    host, port = base.removeprefix("http://").split(":")
    start = time.perf_counter()
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout, source_address=(source, 0))
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request("POST" if body is not None else "GET", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - start
    finally:
        conn.close()


def p95(samples: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)]


def fair_share(base: str, deadline: float) -> dict[str, Any]:
    """A simple ASK's p95 from 127.0.0.1, alone and while 127.0.0.2 sends 6 runaways."""
    ask = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    for _ in range(5):
        call(base, ask)
    alone = [call(base, ask)[1] for _ in range(50)]
    runaway = "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
    statuses: list[int] = []
    threads = [
        threading.Thread(
            target=lambda: statuses.append(
                call(base, runaway, source="127.0.0.2", timeout=deadline + 30)[0]
            )
        )
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    time.sleep(0.5)
    loaded, codes = [], []
    for _ in range(50):
        code, took = call(base, ask, timeout=deadline + 30)
        loaded.append(took)
        codes.append(code)
        time.sleep(0.05)
    for t in threads:
        t.join()
    return {
        "alone": p95(alone),
        "loaded": p95(loaded),
        "ask": dict(Counter(codes)),
        "runaways": dict(Counter(statuses)),
    }


def network_body(nodes: int = 3000, edges: int = 5000) -> bytes:
    """A posted network at the edge cap: 3,000 nodes, 5,000 edges (about 0.5 MB of JSON)."""
    iri = "https://example.org/benchmark/node/{}"
    pairs = [(i % nodes, (i * 7 + 1) % nodes) for i in range(edges)]
    body = {"edges": [{"source": iri.format(a), "target": iri.format(b)} for a, b in pairs]}
    return json.dumps(body).encode()


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def flood(base: str, pid: int, parallel: int = 40) -> dict[str, Any]:
    """40 parallel posted networks (PNG) from 40 addresses: peak RSS of the main process."""
    body = network_body()
    idle = rss_mb(pid)
    peak, health, statuses = [idle], [], []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak.append(rss_mb(pid))
            health.append(call(base, "/health")[1])
            time.sleep(0.05)

    def post(i: int) -> None:
        path = "/api/network/graph?format=png"
        statuses.append(call(base, path, body, source=f"127.0.0.{10 + i}", timeout=120)[0])

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=post, args=(i,)) for i in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    watcher.join()
    return {
        "idle": idle,
        "peak": max(peak),
        "health_p95": p95(health),
        "health_max": max(health),
        "statuses": dict(Counter(statuses)),
        "body_mb": len(body) / 1e6,
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

    unlimited = {"MERCURY_KG_BURST": "1000000", "MERCURY_KG_RATE": "1000000"}
    with server(unlimited) as (base, process):
        named = f"{base}/api/queries/{args.query}?" + urllib.parse.urlencode(q.example_values())
        ours_lat = latencies(named, args.requests)
        ours_sparql = latencies(
            f"{base}/sparql?{urllib.parse.urlencode({'query': text})}", args.requests
        )
        ours_rps = throughput(named, args.seconds)
        fair = fair_share(base, 10.0)
        flooded = flood(base, process.pid)
    with serving({**unlimited, "MERCURY_KG_CLIENT_WORKERS": "4"}) as base:
        unfair = fair_share(base, 10.0)

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
    print("\nfair share: ASK from 127.0.0.1, p95 of 50 samples (4 query workers, 10 s deadline)")
    print(f"{'':44}{'alone ms':>10}{'with 6 runaways ms':>20}  statuses")
    for name, run in (("ours (at most 2 workers per client)", fair), ("fair share off", unfair)):
        print(
            f"{name:44}{float(run['alone']) * 1e3:>10.1f}{float(run['loaded']) * 1e3:>20.1f}"
            f"  ASK {run['ask']}, runaways {run['runaways']}"
        )
    print(
        f"\n40 parallel posted networks (PNG, {flooded['body_mb']:.1f} MB each, 40 addresses): "
        f"main process RSS {flooded['idle']:.0f} MiB idle, {flooded['peak']:.0f} MiB peak; "
        f"/health p95 {float(flooded['health_p95']) * 1e3:.0f} ms, max "
        f"{float(flooded['health_max']) * 1e3:.0f} ms; statuses {flooded['statuses']}"
    )


if __name__ == "__main__":
    main()
