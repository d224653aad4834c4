"""How long the progress report takes to write, beside the queries it is made of.

In one run on the real graph: the p50 of writing the HTML report from a loaded store (what
``/report`` does on a cache miss), with and without its two network figures, and of writing it as
Markdown and as PDF; the whole ``mercury-kg report -o FILE`` command (process start, building the
graph, writing); and, as the baseline, the p50 of only running the named queries the report reads,
one after another, on the same store (the floor any report generator over them has).

Usage: ``python benchmarks/bench_report.py [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_queries import p50

from graph.compile.build import build_dataset
from graph.query.catalog import load_catalog
from graph.query.engine import EmbeddedEngine
from graph.report.build import build_report
from graph.report.edition import edition, render


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
    print(f"{'what':<48}{'p50 ms':>10}")
    for what, seconds in rows:
        print(f"{what:<48}{seconds * 1000:>10.0f}")
    html = rows[2][1]
    print(
        f"HTML report {html * 1000:.0f} ms = {html / rows[0][1]:.1f}x its queries alone; "
        f"target under 2000 ms: {'met' if html < 2 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
