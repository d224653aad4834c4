"""Network projections and metrics at scale, and the interactive view in a browser, with baselines.

Part 1, per graph size (the real graph and synthetic graphs of about 100k and 1M triples from
benchmarks/synth.py), in its own process: the projection (``graph.network.project``), the donors
view, the as-of view, a neighbourhood, co-involvement and metrics as ``add_metrics`` computes them
(our NumPy betweenness, exact up to 1000 nodes, else from 200 seeded sources; Louvain
communities), side by side with the baseline: the same metrics the networkx way (its
betweenness from the same sources, greedy-modularity communities), run in a forked process
killed at ``--cap`` seconds (a capped time is a lower bound). Betweenness alone, ours against
networkx's, is timed too (the values are the same).

Part 2: ``/network`` of the real graph in headless Chromium (Debian's package, Playwright), served
by the real service: milliseconds from navigation start until the network is drawn, with the
server's positions (ours) and with Cytoscape's CoSE force layout run in the browser instead
(``?layout=cose``, the baseline), median of ``--repeat`` loads.

Usage: ``python benchmarks/bench_network.py [--sizes real,100k,1M] [--cap 300] [--no-browser]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SIZES = {"real": 0, "100k": 100_000, "1M": 1_000_000}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one call takes, and its result."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _baseline_worker(conn: Any, graph: Any, k: int | None) -> None:
    import networkx as nx

    start = time.perf_counter()
    nx.betweenness_centrality(graph, k=k, seed=7)
    nx.community.greedy_modularity_communities(graph, weight="weight")
    conn.send(time.perf_counter() - start)


def baseline(graph: Any, k: int | None, cap: float) -> tuple[float, bool]:
    """The same metrics with networkx (betweenness, greedy modularity), stopped at ``cap`` s."""
    ctx = get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_baseline_worker, args=(child, graph, k))
    proc.start()
    if parent.poll(cap):
        seconds = float(parent.recv())
        proc.join()
        return seconds, False
    proc.kill()
    proc.join()
    return cap, True


def one_size(size: str, cap: float) -> dict[str, Any]:
    """Measure one graph size; return the numbers."""
    from datetime import date

    import networkx as nx
    from synth import synthetic_quads

    from graph.compile.build import build_dataset
    from graph.namespaces import GMPD
    from graph.network import project as network
    from graph.network.betweenness import betweenness
    from graph.oxi import store_from
    from graph.query.engine import EmbeddedEngine

    base = build_dataset()
    quads = list(synthetic_quads(base, SIZES[size]))
    engine = EmbeddedEngine(store_from(quads))
    out: dict[str, Any] = {"size": size, "quads": len(quads)}
    del quads
    out["project_s"], g = timed(lambda: network.project(engine))
    out["nodes"], out["edges"] = g.number_of_nodes(), g.number_of_edges()
    out["donors_s"], donors = timed(lambda: network.donors(engine))
    out["donors_edges"] = donors.number_of_edges()
    out["as_of_s"], _ = timed(lambda: network.as_of(g, date(2011, 12, 1)))
    out["focus_s"], _ = timed(lambda: network.neighbourhood(g, str(GMPD["area/coal"]), 1))
    out["coinvolvement_s"], co = timed(lambda: network.co_involvement(g))
    out["coinvolvement_edges"] = co.number_of_edges()
    h = g.copy()
    out["metrics_s"], _ = timed(lambda: network.add_metrics(h))
    out["total_s"] = out["project_s"] + out["donors_s"] + out["metrics_s"]
    simple = nx.Graph(g.to_undirected())
    n = simple.number_of_nodes()
    k = None if n <= network.EXACT_BETWEENNESS else 200
    out["sources"] = k or n
    out["betweenness_s"], _ = timed(lambda: betweenness(simple, k=k, seed=7))
    out["nx_betweenness_s"], _ = timed(lambda: nx.betweenness_centrality(simple, k=k, seed=7))
    out["baseline_s"], out["baseline_capped"] = baseline(simple, k, cap)
    return out


def report(rows: list[dict[str, Any]]) -> None:
    """The projection and metrics table."""
    print("\nProjections and metrics (seconds)")
    head = (
        f"{'size':>5} {'quads':>9} {'nodes':>8} {'edges':>8} {'project':>8} {'donors':>7}"
        f" {'as-of':>6} {'focus':>6} {'co-inv':>7} {'metrics':>8} {'total':>7} {'baseline':>10}"
    )
    between = f"{'size':>5} {'sources':>8} {'ours':>8} {'networkx':>9} {'speed-up':>9}"
    print(head)
    for r in rows:
        base = f"{'>' if r['baseline_capped'] else ''}{r['baseline_s']:.2f}"
        print(
            f"{r['size']:>5} {r['quads']:>9} {r['nodes']:>8} {r['edges']:>8}"
            f" {r['project_s']:>8.2f} {r['donors_s']:>7.2f} {r['as_of_s']:>6.2f}"
            f" {r['focus_s']:>6.3f} {r['coinvolvement_s']:>7.2f} {r['metrics_s']:>8.2f}"
            f" {r['total_s']:>7.2f} {base:>10}"
        )
    print(
        "total = projection + donors view + metrics (the 30 s target at 1M); baseline = the same"
        " metrics with networkx's betweenness (same sources) and greedy modularity"
    )
    print("\nBetweenness (seconds; the same values as networkx's)")
    print(between)
    for r in rows:
        ratio = r["nx_betweenness_s"] / max(r["betweenness_s"], 1e-9)
        print(
            f"{r['size']:>5} {r['sources']:>8} {r['betweenness_s']:>8.2f}"
            f" {r['nx_betweenness_s']:>9.2f} {ratio:>8.1f}x"
        )


def browser(repeat: int) -> None:
    """Load /network in headless Chromium; print median ms to drawn, ours vs in-browser CoSE."""
    from playwright.sync_api import sync_playwright

    from tests.browser import ARGS
    from tests.liveserver import serving

    with (
        serving({"MERCURY_KG_WORKERS": "1", "MERCURY_KG_BURST": "100000"}) as url,
        sync_playwright() as pw,
    ):
        chromium = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        times: dict[str, list[float]] = {"ours": [], "cose": []}
        for i in range(repeat + 1):
            for name, query in (("ours", ""), ("cose", "?layout=cose")):
                page = chromium.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{url}/network{query}")
                page.locator("body[data-network-ready]").wait_for(state="attached", timeout=60_000)
                ms = float(page.evaluate("Number(document.body.dataset.networkReady)"))
                if i:  # the first load of each warms caches
                    times[name].append(ms)
                page.close()
        chromium.close()
    ours, cose = statistics.median(times["ours"]), statistics.median(times["cose"])
    print("\nInteractive view of the real graph (ms from navigation start to drawn, median)")
    print(f"{'server positions (ours)':<28}{ours:>8.0f}")
    print(f"{'CoSE in the browser':<28}{cose:>8.0f}   ({cose / ours:.1f}x ours)")


def main() -> None:
    """Run each size in its own process, then the browser part."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="real,100k,1M")
    parser.add_argument("--cap", type=float, default=300.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.cap)))
        return
    rows = []
    for size in args.sizes.split(","):
        proc = subprocess.run(
            [sys.executable, __file__, "--one", size, "--cap", str(args.cap)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"measured {size}", file=sys.stderr)
    report(rows)
    if not args.no_browser:
        browser(args.repeat)


if __name__ == "__main__":
    main()
