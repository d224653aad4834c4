"""Cold reads: every request a query text never seen before, ours beside Virtuoso and pyoxigraph.

A user's ad-hoc query is new text almost every time, so no kept answer helps
(service/limits/cache.py keys answers by their text). Each request here appends a unique comment
to the text of a named query (its example values bound), so every one is a cache miss on our side
and a new text for Virtuoso. For three named queries, in one run:

- the p50 of sequential requests (a new text each, one kept-alive connection) on ``/sparql`` of
  ours and of Virtuoso,
- requests/s at concurrency 16 for 10 s, a new text per request (wrk with a Lua script that
  counts, when installed; else Python threads),
- and, as the floor, the p50 of the same new texts run and serialised as JSON by pyoxigraph in
  this process (the engine's own time, no HTTP, no sandbox).

The last line is ``cold ratio ours/virtuoso: latency Lx, throughput Tx`` (geometric means over
the three queries). Usage: ``python benchmarks/bench_cold.py [--seconds 10] [--requests 200]``.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import re
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
sys.path.insert(0, str(ROOT / "benchmarks"))

import pyoxigraph as ox  # noqa: E402
from bench_service import SETTLE, query_text  # noqa: E402

from graph.compile.build import build_dataset  # noqa: E402
from graph.query.catalog import load_catalog  # noqa: E402
from graph.query.engine import EmbeddedEngine  # noqa: E402
from graph.query.remote import push  # noqa: E402
from tests import virtuoso as vt  # noqa: E402
from tests.liveserver import server  # noqa: E402

QUERIES = ("area_leads", "donors_areas_countries", "events_by_date")
JSON_RESULTS = "application/sparql-results+json"
_COUNTER = itertools.count()
LUA = """
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tag", "%s-" .. threads)
end
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "%%0A%%23" .. tag .. "-" .. counter, {["Accept"] = "%s"})
end
"""
"""wrk's hooks: each thread a tag, each request's query text a unique comment (``#tag-n``)."""


def fresh(text: str) -> str:
    """The text with a comment no request had before."""
    return f"{text}\n# cold {next(_COUNTER)} {time.monotonic_ns()}"


def sequential(base: str, text: str | None, n: int) -> float:
    """p50 seconds of ``n`` requests one after another, each a new text.

    On one kept-alive connection, as a browser or a client library sends them. No text asks
    ``/health`` instead: the HTTP round trip through the app with no query at all.
    """
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    samples = []
    try:
        for _ in range(n):
            path = "/health"
            if text is not None:
                path = "/sparql?" + urllib.parse.urlencode({"query": fresh(text)})
            start = time.perf_counter()
            conn.request("GET", path, headers={"Accept": JSON_RESULTS})
            response = conn.getresponse()
            response.read()
            samples.append(time.perf_counter() - start)
            if response.status != 200:
                raise RuntimeError(f"{base}: {response.status} for {path[:40]}")
    finally:
        conn.close()
    return statistics.median(samples)


def concurrent(base: str, text: str, seconds: int, concurrency: int = 16) -> float:
    """Requests/s at ``concurrency``, each request a new text."""
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": text})
    wrk = shutil.which("wrk")
    if wrk:
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "cold.lua"
            script.write_text(LUA % (f"run{time.monotonic_ns()}", JSON_RESULTS))
            run = subprocess.run(
                [wrk, "-t2", f"-c{concurrency}", f"-d{seconds}s", "-s", str(script), url],
                capture_output=True,
                text=True,
                check=True,
            )
            found = re.search(r"Requests/sec:\s+([\d.]+)", run.stdout)
            return float(found.group(1)) if found else 0.0
    done = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def loop() -> None:
        nonlocal done
        while time.monotonic() < stop:
            sequential(base, text, 1)
            with lock:
                done += 1

    threads = [threading.Thread(target=loop) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done / seconds


def in_process(engine: EmbeddedEngine, text: str, n: int) -> float:
    """p50 seconds of pyoxigraph running a new text and writing its JSON results."""
    samples = []
    for _ in range(n):
        query = fresh(text)
        start = time.perf_counter()
        result = engine.store.query(query, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)  # noqa: S101
        result.serialize(format=ox.QueryResultsFormat.JSON)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    """Measure the three engines, print the table and the ratio line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    catalog = load_catalog()
    texts = {name: query_text(catalog[name]) for name in QUERIES}
    build = build_dataset()
    engine = EmbeddedEngine.from_dataset(build.dataset)
    floor = {name: in_process(engine, text, args.requests) for name, text in texts.items()}
    ours: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "MERCURY_KG_BURST": "10000000",
            "MERCURY_KG_RATE": "10000000",
            "MERCURY_KG_DATA_DIR": str(Path(tmp) / "data"),
        }
        with server(env) as (base, _):
            time.sleep(SETTLE)
            http_alone = sequential(base, None, args.requests)
            for name, text in texts.items():
                ours[name] = (
                    sequential(base, text, args.requests),
                    concurrent(base, text, args.seconds),
                )
    virt: dict[str, tuple[float, float]] = {}
    if vt.binary():
        with tempfile.TemporaryDirectory() as tmp, vt.running(Path(tmp)) as vbase:
            os.environ.update(vt.credentials())
            push(build.dataset, f"{vbase}/sparql-graph-crud-auth")
            for name, text in texts.items():
                virt[name] = (
                    sequential(vbase, text, args.requests),
                    concurrent(vbase, text, args.seconds),
                )
    client = "wrk" if shutil.which("wrk") else "Python threads (wrk is not installed)"
    print(
        f"cold reads: a new text per request; p50 of {args.requests} sequential requests; "
        f"{args.seconds} s of {client} at concurrency 16"
    )
    print(
        f"{'query':28}{'pyoxigraph ms':>14}{'ours ms':>9}{'virt ms':>9}"
        f"{'ours req/s':>12}{'virt req/s':>12}{'latency':>9}{'thrpt':>8}"
    )
    lat_ratios, rps_ratios = [], []
    for name in QUERIES:
        lat, rps = ours[name]
        vlat, vrps = virt.get(name, (float("nan"), float("nan")))
        lat_ratios.append(lat / vlat)
        rps_ratios.append(rps / vrps)
        print(
            f"{name:28}{floor[name] * 1e3:>14.2f}{lat * 1e3:>9.2f}{vlat * 1e3:>9.2f}"
            f"{rps:>12.0f}{vrps:>12.0f}{lat / vlat:>8.2f}x{rps / vrps:>7.2f}x"
        )
        fixed = lat - floor[name]
        print(
            f"{'':28}fixed cost above the engine: {fixed * 1e3:.2f} ms, of which the HTTP round "
            f"trip alone (GET /health) {http_alone * 1e3:.2f} ms and the query's own path "
            f"{(fixed - http_alone) * 1e3:.2f} ms"
        )
    print(
        f"cold ratio ours/virtuoso: latency {statistics.geometric_mean(lat_ratios):.2f}x, "
        f"throughput {statistics.geometric_mean(rps_ratios):.2f}x"
    )


if __name__ == "__main__":
    main()
