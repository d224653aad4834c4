"""The write path measured: gate latency, reads while accepting, and kill -9 durability.

Prints (never asserts), each beside its baseline measured in the same run:

1. submit + gate of a 20-record submission on the real graph and on a ~100k-quad synthetic
   graph, and of a 200-record one on the real graph (p50 of several runs, each submission new:
   the cold path), beside a full re-validation of the merged graph (all shapes on
   every node and every check: what a gate without focus nodes would cost);
2. named-query latency (``area_leads`` over HTTP on the real server) idle, with one accept
   every 5 s, and with accepts back to back (the worst case);
3. the kill -9 loop of tests/crashloop.py (``--kills``, default 50): every accept that returned
   200 published, nothing half-applied, the store opening cleanly each time.

Usage: ``.venv/bin/python benchmarks/bench_contrib.py [--kills 50] [--runs 7] [--seconds 20]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from graph.check.checks import run_checks  # noqa: E402
from graph.check.validate import validate  # noqa: E402
from graph.compile.build import Build, build_dataset, new_dataset  # noqa: E402
from graph.contrib import accounts  # noqa: E402
from graph.contrib.datadir import DataDir  # noqa: E402
from graph.contrib.intake import read  # noqa: E402
from graph.contrib.ledger import Ledger  # noqa: E402
from graph.contrib.submission import compile_submission  # noqa: E402

ORG = "https://w3id.org/mercury-kg/id/org/"


def submission(tag: str, records: int = 20) -> bytes:
    """A valid submission of ``records`` funding flows, each quoting its own sentence."""
    sentences = [
        f"In March 2013 grant {tag}-{i} of {100000 + i * 7919} US$ went to the ASGM area."
        for i in range(records)
    ]
    lines = [
        "organisation: org/gov-norway",
        "period: {from: 2012-07, to: 2013-06}",
        "text: |",
        *(f"  {s}" for s in sentences),
        "records:",
    ]
    for i, s in enumerate(sentences):
        amount = 100000 + i * 7919
        lines += [
            f"- id: flow/bench-{tag}-{i}",
            "  type: FundingFlow",
            f"  label: Benchmark grant {tag}-{i}",
            "  funder: org/gov-norway",
            "  item: area/asgm",
            "  transaction: gmp:tt-granted",
            "  when: 2013-03",
            f"  amount: {{value: {amount}, currency: USD, approx: exact,"
            f" verbatim: '{amount} US$'}}",
            f"  source: '{s}'",
        ]
    return ("\n".join(lines) + "\n").encode()


def p50(xs: list[float]) -> float:
    """The median."""
    return statistics.median(xs)


def gate_latency(build: Build, runs: int, label: str, records: int = 20) -> None:
    """Submit + gate p50 of ``records``-record submissions beside a full re-validation."""
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger(DataDir(Path(tmp) / "data"), build)
        partner = accounts.add(ledger.conn, ORG + "gov-norway", "partner")[0]
        secretariat = accounts.add(ledger.conn, ORG + "unep", "secretariat")[0]
        ledger.open_period(secretariat, "2012-07/2014-06")
        ledger.submit(partner, "application/yaml", submission("warm"))  # first-use costs
        ours, full = [], []
        published = ledger.published()
        data, ontology = published.abox(), build.ontology()
        subjects = published.subjects()
        vocabulary = {s for s in ontology.subjects()}
        for n in range(runs):
            body = submission(f"r{n}", records)
            t = time.perf_counter()
            ledger.submit(partner, "application/yaml", body)
            ours.append(time.perf_counter() - t)
            compiled = compile_submission(
                read(body, "application/yaml").doc or {},
                f"full{n}",
                subjects,
                vocabulary,  # type: ignore[arg-type]
            )
            t = time.perf_counter()
            merged = data + ontology
            for triple in compiled.triples:
                merged.add(triple)
            validate(merged, ontology)
            run_checks(merged)
            full.append(time.perf_counter() - t)
        ledger.close()
    quads = sum(1 for _ in build.dataset.quads((None, None, None, None)))
    print(
        f"  {label} ({quads:,} quads), {records} records: submit + gate p50 "
        f"{p50(ours) * 1000:,.0f} ms "
        f"(max {max(ours) * 1000:,.0f}); full re-validation p50 {p50(full) * 1000:,.0f} ms"
    )


def synthetic(build: Build, target: int) -> Build:
    """The real graph plus synthetic units up to ``target`` quads (benchmarks/synth.py)."""
    from synth import synthetic_quads

    ds = new_dataset()
    for s, p, o, g in build.dataset.quads((None, None, None, None)):
        ds.graph(g).add((s, p, o))
    for s, p, o, g in synthetic_quads(build, target):
        ds.graph(g).add((s, p, o))
    return Build(ds, dict(build.subjects))


def _reader(url: str, seconds: float) -> list[float]:
    """Latencies of ``url`` fetched every 10 ms for ``seconds``."""
    out = []
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        t = time.perf_counter()
        req = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
        with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 - loopback
            r.read()
        out.append(time.perf_counter() - t)
        time.sleep(0.01)
    return out


def _writer(
    base: str, partner: str, secretariat: str, pause: float, stop: threading.Event, tag: str
) -> int:
    """Submit and accept one-record submissions until ``stop``, ``pause`` s apart."""
    import json

    n = 0
    while not stop.is_set():
        n += 1
        req = urllib.request.Request(  # noqa: S310
            f"{base}/api/submissions",
            data=submission(f"w{tag}-{n}", records=1),
            headers={"Authorization": f"Bearer {partner}", "Content-Type": "application/yaml"},
            method="POST",
        )
        with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 - loopback
            sid = json.loads(r.read())["id"]
        req = urllib.request.Request(  # noqa: S310
            f"{base}/api/submissions/{sid}/accept",
            data=b"",
            headers={"Authorization": f"Bearer {secretariat}"},
            method="POST",
        )
        with urllib.request.urlopen(req, timeout=60):  # noqa: S310 - loopback
            pass
        stop.wait(pause)
    return n


def reads_while_accepting(seconds: float, rounds: int = 3) -> None:
    """area_leads latency over HTTP: idle, with accepts paced 5 s apart, and back to back.

    ``seconds`` per condition, split over ``rounds`` interleaved rounds.
    """
    from tests.liveserver import serving

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        conn = DataDir(data).connect()
        partner = accounts.add(conn, ORG + "gov-norway", "partner")[1]
        secretariat = accounts.add(conn, ORG + "unep", "secretariat")[1]
        conn.close()
        env = {
            "MERCURY_KG_DATA_DIR": str(data),
            "MERCURY_KG_WORKERS": "2",
            "MERCURY_KG_UPLOAD_BURST": "100000",
        }
        with serving(env) as base:
            url = f"{base}/api/queries/area_leads"
            _reader(url, 1.0)
            conditions = (
                (None, "idle"),
                (5.0, "with one accept every 5 s"),
                (0.0, "with accepts back to back"),
            )
            samples: dict[str, list[float]] = {name: [] for _, name in conditions}
            accepted: dict[str, int] = {name: 0 for _, name in conditions}
            for _round in range(rounds):  # interleaved, so that drift hits every condition alike
                for pause, name in conditions:
                    if pause is None:
                        samples[name] += _reader(url, seconds / rounds)
                        continue
                    stop = threading.Event()
                    done: list[int] = []
                    thread = threading.Thread(
                        target=lambda pause=pause, stop=stop, done=done, tag=f"{_round}{pause}": (
                            done.append(_writer(base, partner, secretariat, pause, stop, tag))
                        )
                    )
                    thread.start()
                    samples[name] += _reader(url, seconds / rounds)
                    stop.set()
                    thread.join()
                    accepted[name] += done[0]
            idle = p50(samples["idle"])
            for _, name in conditions:
                xs = samples[name]
                extra = (
                    ""
                    if name == "idle"
                    else f" ({p50(xs) / idle - 1:+.0%}); {accepted[name]} accepted"
                )
                print(
                    f"  area_leads {name}: p50 {p50(xs) * 1000:.1f} ms{extra}, "
                    f"p95 {p95(xs) * 1000:.1f} ms, {len(xs)} samples"
                )


def p95(xs: list[float]) -> float:
    """The 95th percentile."""
    return sorted(xs)[int(0.95 * (len(xs) - 1))]


def kill_loop(kills: int) -> None:
    """The SIGKILL loop of tests/crashloop.py, with its tally."""
    from tests.crashloop import run

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        tally = run(Path(tmp) / "data", kills=kills, max_delay=3.0)
        took = time.perf_counter() - t
    print(
        f"  {tally.kills} SIGKILLs in {took:.0f} s: {tally.submitted} submitted, "
        f"{len(tally.accepted_200)} accepts returned 200, {tally.refused} requests cut by a kill; "
        f"restart p50 {p50(tally.restarts_s):.2f} s; problems: {tally.problems or 'none'}"
    )


def main() -> None:
    """Run the three measurements."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=30.0, help="of reads per condition")
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--parts", default="gate,reads,kills", help="which measurements to run")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if "gate" in parts:
        build = build_dataset()
        print("1. gate: submit + gate of a submission, beside a full re-validation")
        print("   (targets of issue 25: 20 records < 500 ms p50, 200 records < 2,000 ms)")
        gate_latency(build, args.runs, "real graph")
        gate_latency(build, max(3, args.runs // 2), "real graph", records=200)
        gate_latency(synthetic(build, args.synthetic), max(3, args.runs // 2), "synthetic graph")
    if "reads" in parts:
        print("2. named queries while submissions are accepted (interleaved rounds)")
        reads_while_accepting(args.seconds)
    if "kills" in parts:
        print("3. kill -9 while submitting and accepting")
        kill_loop(args.kills)


if __name__ == "__main__":
    main()
