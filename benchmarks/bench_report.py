"""How long the progress report takes to write, beside the queries it is made of.

In one run on the real graph: the p50 of writing the HTML report from a loaded store (what
``/report`` does on a cache miss), with and without its two network figures, and of writing it as
Markdown and as PDF; the whole ``mercury-kg report -o FILE`` command (process start, building the
graph, writing); and, as the baseline, the p50 of only running the named queries the report reads,
one after another, on the same store (the floor any report generator over them has). Then the
report of the next period, July 2012 - June 2014, on the real graph plus one cycle of
submissions (``examples/cycle-2012-2014.yaml``, through the ledger), and of the last of ten
yearly periods on a graph that holds ten cycles; targets: HTML under 1 s p50, PDF under 5 s.

Usage: ``python benchmarks/bench_report.py [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_queries import p50

from graph.compile.build import build_dataset
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from graph.contrib.ledger import Ledger
from graph.query.catalog import load_catalog
from graph.query.engine import EmbeddedEngine
from graph.report.build import build_report
from graph.report.context import parse_period
from graph.report.edition import edition, render

ROOT = Path(__file__).resolve().parent.parent
ORG = "https://w3id.org/mercury-kg/id/org/"


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    engine = EmbeddedEngine.from_dataset(build_dataset().dataset)
    catalog = load_catalog()
    used = sorted({f.query for f in build_report(engine, catalog, "0").figures()})

    def queries_only() -> None:
        for name in used:
            engine.select(catalog[name].text)

    rows = [
        (f"baseline: the {len(used)} named queries alone", p50(queries_only, args.repeat)),
        (
            "report as HTML, no figures",
            p50(lambda: render(edition(engine, catalog, 0, figures=False), "html"), args.repeat),
        ),
        (
            "report as HTML, with the two figures",
            p50(lambda: render(edition(engine, catalog, 0), "html"), args.repeat),
        ),
        (
            "report as Markdown",
            p50(lambda: render(edition(engine, catalog, 0, figures=False), "md"), args.repeat),
        ),
        (
            "report as PDF (WeasyPrint)",
            p50(lambda: render(edition(engine, catalog, 0), "pdf"), max(1, args.repeat // 3)),
        ),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            sys.executable,
            "-m",
            "service.cli.main",
            "report",
            "--force",
            "-o",
            str(Path(tmp) / "r.html"),
            "--data-dir",
            str(Path(tmp) / "none"),
        ]
        rows.append(
            (
                "mercury-kg report -o r.html (whole command)",
                p50(lambda: subprocess.run(command, check=True, capture_output=True), 3),
            )
        )
    cycles = []
    for what, span, periods in (
        ("real graph + one 2012-2014 cycle", "2012-07/2014-06", 0),
        ("ten yearly cycles, the last period", "2021-07/2022-06", 10),
    ):
        later = _with_cycles(periods)
        period = parse_period(span)

        def write(fmt: str, engine: EmbeddedEngine = later, chosen: Any = period) -> bytes:
            return render(edition(engine, catalog, 1, chosen), fmt)

        html = p50(lambda: write("html"), args.repeat)
        pdf = p50(lambda: write("pdf"), 3)
        rows += [(f"{what}: HTML", html), (f"{what}: PDF", pdf)]
        cycles.append((what, html, pdf))
    print(f"{'what':<56}{'p50 ms':>10}")
    for what, seconds in rows:
        print(f"{what:<56}{seconds * 1000:>10.0f}")
    html = rows[2][1]
    print(
        f"HTML report {html * 1000:.0f} ms = {html / rows[0][1]:.1f}x its queries alone; "
        f"target under 2000 ms: {'met' if html < 2 else 'NOT met'}"
    )
    for what, html, pdf in cycles:
        met = "met" if html < 1 and pdf < 5 else "NOT met"
        print(
            f"{what}: HTML {html * 1000:.0f} ms, PDF {pdf * 1000:.0f} ms; targets 1 s / 5 s: {met}"
        )


def _with_cycles(yearly: int) -> EmbeddedEngine:
    """The real graph plus accepted cycles.

    The example 2012-2014 submission, or ``yearly`` one-year periods from July 2012, each with a
    submission of 20 pieces of work and their flows.
    """
    with tempfile.TemporaryDirectory() as tmp:
        data = DataDir(Path(tmp) / "data")
        conn = data.connect()
        partner = accounts.add(conn, ORG + "gov-norway", "partner")[0]
        secretariat = accounts.add(conn, ORG + "unep", "secretariat")[0]
        conn.close()
        ledger = Ledger(data, build_dataset())
        try:
            bodies: list[bytes] = []
            if not yearly:
                ledger.open_period(secretariat, "2012-07/2014-06")
                bodies.append((ROOT / "examples" / "cycle-2012-2014.yaml").read_bytes())
            for n in range(yearly):
                year = 2012 + n
                ledger.open_period(secretariat, f"{year}-07/{year + 1}-06")
                bodies.append(_yearly(year))
            for body in bodies:
                sub, _ = ledger.submit(partner, "application/yaml", body)
                ledger.accept(sub.id, secretariat)
            return EmbeddedEngine.from_dataset(ledger.published().build.dataset)
        finally:
            ledger.close()


def _yearly(year: int, units: int = 20) -> bytes:
    """A synthetic partner submission for July ``year`` - June ``year + 1``."""
    areas = ["asgm", "coal", "waste", "products", "chlor-alkali"]
    sentences, records = [], []
    for i in range(units):
        area, month = areas[i % len(areas)], f"{year + 1}-0{1 + i % 6}"
        words = f"Item {i} of {year}: the {area} area held workshop {i} in Peru in {month}."
        sentences.append(words)
        records.append(
            f"- {{id: activity/synth-{year}-{i}, type: Activity, label: Workshop {i} of {year},"
            f" area: area/{area}, places: wd:Q419, implementer: org/gov-norway,"
            f" status: gmp:status-completed, when: '{month}', source: '{words}'}}"
        )
        records.append(
            f"- {{id: flow/synth-{year}-{i}, type: FundingFlow, label: Grant {i} of {year},"
            f" funder: org/gov-norway, item: activity/synth-{year}-{i},"
            f" transaction: gmp:tt-granted, when: '{month}', amount: {{value: {1000 * (i + 1)},"
            f" currency: USD, approx: exact, verbatim: '{1000 * (i + 1)} US$'}},"
            f" source: '{words}'}}"
        )
    text = " ".join(sentences)
    head = f"period: {{from: {year}-07, to: {year + 1}-06}}\ntext: '{text}'\nrecords:\n"
    return (head + "\n".join(records) + "\n").encode()


if __name__ == "__main__":
    main()
