"""The web service over HTTP, side by side with Virtuoso serving the same graph and queries.

Starts our service (uvicorn, one process, the defaults a user gets) and a private Virtuoso on
loopback, then prints, for three paths, ours and Virtuoso's p50 latency (sequential requests) and
requests/s at concurrency 16 (wrk if installed, else Python threads), each with its ratio: a named
query over REST (Virtuoso: the same text on /sparql), the same text through /sparql, and a
resource page as Turtle (Virtuoso: the resource's CONSTRUCT, ``queries/support/resource_rdf.rq``).
Then the named query's p95 while a submission is accepted every second, beside its p95 without
writes, in alternating rounds. Then fair share: the p95 of a simple ASK from 127.0.0.1 over 50
samples, alone and while one other address (127.0.0.2) sends 6 runaway queries, beside the same
with fair share off (one client may hold every worker); and a flood of 40 parallel posted
networks from 40 addresses: the main process's peak RSS beside its idle RSS, and /health
meanwhile. The last line is ``ratio ours/virtuoso: latency Ax, throughput Bx`` for the named query.

Usage: ``python benchmarks/bench_service.py [--query area_leads] [--seconds 10] [--parts
reads,writes,fair,flood]``.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
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

SETTLE = 5.0
"""Seconds a server just started is left to warm its cache before it is measured."""
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def get(url: str, timeout: float = 60, headers: dict[str, str] | None = None) -> tuple[int, float]:
    """Status and seconds of one GET."""
    start = time.perf_counter()
    try:
        request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
        with urllib.request.urlopen(request, timeout=timeout) as r:  # noqa: S310 - loopback
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - start


def latencies(url: str, n: int, headers: dict[str, str] | None = None) -> list[float]:
    """Seconds of n sequential GETs (after 5 warm-up calls, which must answer 200)."""
    for _ in range(5):
        status, _took = get(url, headers=headers)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
    return [get(url, headers=headers)[1] for _ in range(n)]


def throughput(
    url: str, seconds: int, concurrency: int = 16, headers: dict[str, str] | None = None
) -> float:
    """Requests per second at a concurrency: wrk when installed, else Python threads."""
    wrk = shutil.which("wrk")
    if wrk:
        extra = [a for k, v in (headers or {}).items() for a in ("-H", f"{k}: {v}")]
        out = subprocess.run(
            [wrk, "-t2", f"-c{concurrency}", f"-d{seconds}s", *extra, url],
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
            if get(url, headers=headers)[0] == 200:
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
    asks = (
        "/sparql?" + urllib.parse.urlencode({"query": f"ASK {{ ?s ?p ?o FILTER ({i} = {i}) }}"})
        for i in itertools.count()
    )  # each text once: answered by a worker, never from the response cache
    for _ in range(5):
        call(base, next(asks))
    alone = [call(base, next(asks))[1] for _ in range(50)]
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
        code, took = call(base, next(asks), timeout=deadline + 30)
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


RESOURCE = "area/asgm"
TURTLE = {"Accept": "text/turtle"}
JSON = {"Accept": "application/sparql-results+json"}


def paths(base: str, query: str, catalog: dict[str, Any]) -> dict[str, tuple[str, dict[str, str]]]:
    """Our three paths: (URL, headers)."""
    q = catalog[query]
    return {
        "named": (f"{base}/api/queries/{query}?" + urllib.parse.urlencode(q.example_values()), {}),
        "sparql": (f"{base}/sparql?" + urllib.parse.urlencode({"query": query_text(q)}), JSON),
        "turtle": (f"{base}/id/{RESOURCE}", TURTLE),
    }


def virtuoso_paths(
    base: str, query: str, catalog: dict[str, Any]
) -> dict[str, tuple[str, dict[str, str]]]:
    """The same three on Virtuoso's /sparql."""
    from graph.namespaces import GMPD
    from graph.query.catalog import support

    rdf = with_values(support("resource_rdf").text, {"r": GMPD[RESOURCE]})
    text = query_text(catalog[query])
    url = f"{base}/sparql?"
    return {
        "named": (url + urllib.parse.urlencode({"query": text}), JSON),
        "sparql": (url + urllib.parse.urlencode({"query": text}), JSON),
        "turtle": (url + urllib.parse.urlencode({"query": _bare(rdf)}), TURTLE),
    }


def query_text(q: Any) -> str:
    """A named query's text with its example values bound, comments dropped."""
    return _bare(with_values(q.text, dict(bind(q, q.example_values()))))


def _bare(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("#"))


def measure(
    targets: dict[str, tuple[str, dict[str, str]]], n: int, seconds: int
) -> dict[str, tuple[float, float]]:
    """Per path: (p50 seconds, requests/s at concurrency 16)."""
    out = {}
    for name, (url, headers) in targets.items():
        p50 = statistics.median(latencies(url, n, headers))
        out[name] = (p50, throughput(url, seconds, headers=headers))
    return out


def tokens(data_dir: Path) -> tuple[str, str]:
    """A partner's and a reviewer's token, made before the service starts (as a deployment does)."""
    from graph.contrib import accounts
    from graph.contrib.datadir import DataDir

    conn = DataDir(data_dir).connect()
    org = "https://w3id.org/mercury-kg/id/org/"
    partner = accounts.add(conn, org + "gov-norway", "partner")[1]
    reviewer = accounts.add(conn, org + "unep", "secretariat")[1]
    conn.close()
    return partner, reviewer


def writes(
    base: str, tokens: tuple[str, str], query: str, catalog: dict[str, Any], rounds: int
) -> dict[str, Any]:
    """The named query's p95 in alternating rounds with and without an accept every second."""
    partner, reviewer = tokens
    example = (ROOT / "examples" / "contribution.yaml").read_text()
    url, headers = paths(base, query, catalog)["named"]
    accepted = [0]

    def accept(i: int) -> None:
        body = (
            example.replace("flow/norway-asgm-2013", f"flow/bench-{i}")
            .replace("title: Norway's", f"title: ({i}) Norway's")
            .replace("label: Norway grant", f"label: ({i}) Norway grant")
            .encode()
        )
        req = urllib.request.Request(  # noqa: S310 - loopback
            f"{base}/api/submissions",
            data=body,
            headers={"Authorization": f"Bearer {partner}", "Content-Type": "application/yaml"},
        )
        with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 - loopback
            sid = json.loads(r.read())["id"]
        req = urllib.request.Request(  # noqa: S310 - loopback
            f"{base}/api/submissions/{sid}/accept",
            data=b"",
            headers={"Authorization": f"Bearer {reviewer}"},
        )
        with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 - loopback
            if r.status == 200:
                accepted[0] += 1

    quiet: list[float] = []
    busy: list[float] = []
    for k in range(rounds):
        quiet += _sample(url, headers, 10.0)
        stop = threading.Event()

        thread = threading.Thread(target=_writer, args=(accept, stop, k * 1000))
        thread.start()
        busy += _sample(url, headers, 10.0)
        stop.set()
        thread.join()
    return {"quiet": p95(quiet), "busy": p95(busy), "accepted": accepted[0], "n": len(busy)}


def _sample(url: str, headers: dict[str, str], seconds: float) -> list[float]:
    """Seconds of GETs, one every 10 ms, for a while."""
    out, began = [], time.monotonic()
    while time.monotonic() - began < seconds:
        out.append(get(url, headers=headers)[1])
        time.sleep(0.01)
    return out


def _writer(accept: Any, stop: threading.Event, start: int) -> None:
    """Accept a new submission every second until stopped."""
    i = start
    while not stop.is_set():
        began = time.monotonic()
        accept(i)
        i += 1
        stop.wait(max(0.0, 1.0 - (time.monotonic() - began)))


def main() -> None:
    """Run both servers and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--query", default="area_leads")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--parts", default="reads,writes,fair,flood")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    catalog = load_catalog()
    unlimited = {"MERCURY_KG_BURST": "1000000", "MERCURY_KG_RATE": "1000000"}
    ours: dict[str, tuple[float, float]] = {}
    fair = unfair = flooded = written = None
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **unlimited,
            "MERCURY_KG_DATA_DIR": str(Path(tmp) / "data"),
            "MERCURY_KG_UPLOAD_BURST": "1000000",
        }
        made = tokens(Path(tmp) / "data") if "writes" in parts else ("", "")
        with server(env) as (base, process):
            time.sleep(SETTLE)
            if "reads" in parts:
                ours = measure(paths(base, args.query, catalog), args.requests, args.seconds)
            if "fair" in parts:
                fair = fair_share(base, 10.0)
            if "flood" in parts:
                flooded = flood(base, process.pid)
            if "writes" in parts:
                written = writes(base, made, args.query, catalog, 4)
    if "fair" in parts:
        with serving({**unlimited, "MERCURY_KG_CLIENT_WORKERS": "4"}) as base:
            time.sleep(SETTLE)  # its start-up warming (named queries, network layout) is done
            unfair = fair_share(base, 10.0)

    virt: dict[str, tuple[float, float]] = {}
    if "reads" in parts and vt.binary():
        with tempfile.TemporaryDirectory() as tmp, vt.running(Path(tmp)) as vbase:
            os.environ.update(vt.credentials())
            push(build_dataset().dataset, f"{vbase}/sparql-graph-crud-auth")
            virt = measure(virtuoso_paths(vbase, args.query, catalog), args.requests, args.seconds)

    if written:
        print(
            f"named query {args.query!r} p95 with an accept every second: "
            f"{written['busy'] * 1e3:.2f} ms ({written['n']} requests, {written['accepted']} "
            f"accepts) against {written['quiet'] * 1e3:.2f} ms without writes: "
            f"{(written['busy'] / written['quiet'] - 1) * 100:+.0f} %\n"
        )
    if fair and unfair:
        print("fair share: ASK from 127.0.0.1, p95 of 50 samples (4 query workers, 10 s deadline)")
        print(f"{'':44}{'alone ms':>10}{'with 6 runaways ms':>20}  statuses")
        for name, run in (
            ("ours (at most 2 workers per client)", fair),
            ("fair share off", unfair),
        ):
            print(
                f"{name:44}{float(run['alone']) * 1e3:>10.1f}{float(run['loaded']) * 1e3:>20.1f}"
                f"  ASK {run['ask']}, runaways {run['runaways']}"
            )
    if flooded:
        print(
            f"\n40 parallel posted networks (PNG, {flooded['body_mb']:.1f} MB each, 40 "
            f"addresses): main process RSS {flooded['idle']:.0f} MiB idle, {flooded['peak']:.0f} "
            f"MiB peak; /health p95 {float(flooded['health_p95']) * 1e3:.0f} ms, max "
            f"{float(flooded['health_max']) * 1e3:.0f} ms; statuses {flooded['statuses']}\n"
        )
    if ours:
        client = "wrk -t2" if shutil.which("wrk") else "Python threads (wrk is not installed)"
        print(
            f"{args.seconds} s of {client} at concurrency 16 per path; p50 of {args.requests} "
            "sequential requests"
        )
        print(
            f"{'path':40}{'ours p50 ms':>12}{'virt p50 ms':>12}{'ours req/s':>12}"
            f"{'virt req/s':>12}{'latency':>9}{'thrpt':>7}"
        )
        labels = {
            "named": f"named query {args.query} (REST)",
            "sparql": "the same text on /sparql",
            "turtle": f"resource page {RESOURCE} as Turtle",
        }
        for name, (lat, rps) in ours.items():
            vlat, vrps = virt.get(name, (math.nan, math.nan))
            print(
                f"{labels[name]:40}{lat * 1e3:>12.2f}{vlat * 1e3:>12.2f}{rps:>12.0f}"
                f"{vrps:>12.0f}{lat / vlat:>8.2f}x{rps / vrps:>6.2f}x"
            )
        if virt:
            lat, rps = ours["named"]
            vlat, vrps = virt["named"]
            print(f"ratio ours/virtuoso: latency {lat / vlat:.2f}x, throughput {rps / vrps:.2f}x")


if __name__ == "__main__":
    main()
