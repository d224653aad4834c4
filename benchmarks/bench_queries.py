"""Named queries on the embedded engine, raw pyoxigraph and plain rdflib, side by side.

For the real graph and synthetic graphs of about 10k, 100k and 1M triples (benchmarks/synth.py),
prints per named query the p50 latency of: ours (``EmbeddedEngine.select``: parameters bound,
rows as RDF terms), raw pyoxigraph (``Store.query`` on the same text, rows iterated), and rdflib
(``Graph.query``, run in a forked process killed at ``--rdflib-cap`` seconds: a capped time is a
lower bound). Also load times and memory. Each size runs in its own process.

Usage: ``python benchmarks/bench_queries.py [--sizes real,10k,100k,1M] [--repeat 21]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZES = {"real": 0, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def rss_mb() -> float:
    """Resident memory of this process now, MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def p50(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` calls (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _rdflib_worker(conn: Any, graph: Any, text: str, repeat: int) -> None:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        list(graph.query(text))
        times.append(time.perf_counter() - start)
    conn.send(statistics.median(times))


def rdflib_p50(graph: object, text: str, repeat: int, cap: float) -> tuple[float, bool]:
    """(p50 seconds, capped?) of rdflib on ``text`` in a forked child, killed at ``cap``."""
    ctx = get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_rdflib_worker, args=(child, graph, text, repeat))
    proc.start()
    if parent.poll(cap * max(repeat, 1)):
        value = float(parent.recv())
        proc.join()
        return value, False
    proc.kill()
    proc.join()
    return cap, True


def one_size(size: str, repeat: int, cap: float, with_rdflib: bool) -> dict[str, Any]:
    """Measure one graph size; return the numbers as a dict."""
    import pyoxigraph as ox
    from rdflib import Graph
    from synth import synthetic_quads

    from graph.compile.build import build_dataset
    from graph.oxi import store_from
    from graph.query.catalog import bind, load_catalog
    from graph.query.engine import EmbeddedEngine, with_values

    base = build_dataset()
    quads = list(synthetic_quads(base, SIZES[size]))
    out: dict[str, Any] = {"size": size, "quads": len(quads), "queries": {}}

    before = rss_mb()
    start = time.perf_counter()
    engine = EmbeddedEngine(store_from(quads))
    out["load_ours_s"], out["rss_ours_mb"] = time.perf_counter() - start, rss_mb() - before

    nquads = engine.store.dump(format=ox.RdfFormat.N_QUADS)
    before = rss_mb()
    start = time.perf_counter()
    raw = ox.Store()
    raw.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    out["load_raw_s"], out["rss_raw_mb"] = time.perf_counter() - start, rss_mb() - before

    graph = None
    if with_rdflib:
        before = rss_mb()
        start = time.perf_counter()
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o, _ in quads)
        out["load_rdflib_s"], out["rss_rdflib_mb"] = time.perf_counter() - start, rss_mb() - before
    del quads, nquads

    for name, q in load_catalog().items():
        bindings = bind(q, q.example_values())
        text = with_values(q.text, dict(bindings))

        def run_raw(text: str = text) -> None:
            result = raw.query(text, use_default_graph_as_union=True)
            names = [v for v in result.variables]  # type: ignore[union-attr]
            for solution in result:  # type: ignore[union-attr]
                for v in names:
                    solution[v]

        def run_ours(text: str = q.text, b: dict[str, Any] = bindings) -> None:
            engine.select(text, b)

        row: dict[str, Any] = {
            "ours": p50(run_ours, repeat),
            "raw": p50(run_raw, repeat),
            "rows": len(engine.select(q.text, bindings).rows),
        }
        if graph is not None:
            reps = repeat if out["quads"] <= 20_000 else 1
            row["rdflib"], row["rdflib_capped"] = rdflib_p50(graph, text, reps, cap)
        out["queries"][name] = row
    out["peak_rss_mb"] = _peak_mb()
    return out


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def report(res: dict[str, Any]) -> None:
    """Print one size's table."""
    print(
        f"\n== {res['size']}: {res['quads']:,} quads; load ours {res['load_ours_s']:.2f} s "
        f"(+{res['rss_ours_mb']:.0f} MB), raw pyoxigraph {res['load_raw_s']:.2f} s "
        f"(+{res['rss_raw_mb']:.0f} MB)"
        + (
            f", rdflib {res['load_rdflib_s']:.2f} s (+{res['rss_rdflib_mb']:.0f} MB)"
            if "load_rdflib_s" in res
            else ""
        )
        + f"; peak RSS {res['peak_rss_mb']:.0f} MB"
    )
    print(
        f"{'query':<30}{'rows':>7}{'ours ms':>10}{'raw ms':>10}{'ours/raw':>10}"
        f"{'rdflib ms':>12}{'rdflib/ours':>13}"
    )
    worst_ratio, min_speedup = 0.0, float("inf")
    for name, r in res["queries"].items():
        ratio = r["ours"] / r["raw"] if r["raw"] else 1.0
        worst_ratio = max(worst_ratio, ratio)
        line = (
            f"{name:<30}{r['rows']:>7}{r['ours'] * 1e3:>10.2f}{r['raw'] * 1e3:>10.2f}{ratio:>10.2f}"
        )
        if "rdflib" in r:
            speedup = r["rdflib"] / r["ours"]
            min_speedup = min(min_speedup, speedup)
            cap = ">" if r["rdflib_capped"] else " "
            line += f"{cap}{r['rdflib'] * 1e3:>11.1f}{cap}{speedup:>12.0f}x"
        print(line)
    worst_ours = max(r["ours"] for r in res["queries"].values())
    summary = f"slowest query ours {worst_ours * 1e3:.2f} ms; worst ours/raw {worst_ratio:.2f}"
    if min_speedup != float("inf"):
        summary += f"; smallest rdflib/ours speed-up {min_speedup:.0f}x"
    print(summary)


def main() -> None:
    """Run every size in its own process and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="real,10k,100k,1M")
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--rdflib-cap", type=float, default=30.0)
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        reps = args.repeat if SIZES[args.one] < 1_000_000 else max(5, args.repeat // 4)
        print(json.dumps(one_size(args.one, reps, args.rdflib_cap, not args.no_rdflib)))
        return
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores; p50 of {args.repeat} runs "
        f"(rdflib: 1 run above 20k quads, capped at {args.rdflib_cap:.0f} s)"
    )
    for size in args.sizes.split(","):
        cmd = [
            sys.executable,
            __file__,
            "--one",
            size,
            "--repeat",
            str(args.repeat),
            "--rdflib-cap",
            str(args.rdflib_cap),
        ] + (["--no-rdflib"] if args.no_rdflib else [])
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        report(json.loads(done.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
