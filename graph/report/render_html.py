"""The report as one self-contained HTML page (no external file: styles inline, figures as data).

Every figure is a link to its first passage (the quote shows on hover) with the numbers of its
passages as superscripts, listed under Sources, and a link (``q``) to the named query that
produced it. Print styles (CSS Paged Media, https://www.w3.org/TR/css-page-3/) give A4 pages,
fixed table layouts that wrap instead of overflowing, and repeated table headers. The report's
machine-readable edition is embedded as ``<script type="application/json" id="report-data">``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from graph import paths
from graph.report.model import Evidence, Figure, Report
from graph.report.words import day

NARROW = frozenset({"No.", "Status", "Kind", "Items", "Change", "Staff", "Share"})
"""Columns of short values, given a narrow width (the others share the rest)."""

_ENV = Environment(
    loader=FileSystemLoader(paths.ROOT / "graph" / "report" / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=False,
)


def render_html(
    report: Report,
    query_base: str = "http://127.0.0.1:8000",
    link: Callable[[str], str] | None = None,
    label: Callable[[str], str] | None = None,
    compact: bool = False,
) -> str:
    """The HTML page; ``query_base`` is where the service runs the named queries.

    ``compact`` (for print): a figure is its text linked to its first passage and the numbers
    of its passages, without the per-figure query link and tooltips (each table's caption still
    links its named query), so a long report lays out in a few seconds.
    """
    numbers: dict[str, int] = {}
    notes: list[tuple[int, Evidence]] = []
    for figure in report.figures():
        for ev in figure.evidence:
            if ev.passage not in numbers:
                numbers[ev.passage] = len(numbers) + 1
                notes.append((numbers[ev.passage], ev))

    def fig_notes(f: Figure) -> list[tuple[int, Evidence]]:
        return [(numbers[e.passage], e) for e in f.evidence]

    return _ENV.get_template("report.html").render(
        report=report,
        period_words=f"{day(report.period[0])} to {day(report.period[1])}",
        notes=fig_notes,
        footnotes=notes,
        query_url=lambda name: f"{query_base}/api/queries/{quote(name)}",
        link=link or (lambda iri: iri),
        label=label or (lambda iri: report.labels.get(iri, iri)),
        data_uri=lambda media, data: f"data:{media};base64,{base64.b64encode(data).decode()}",
        data_json=embedded_json(report),
        narrow=NARROW,
        compact=compact,
    )


def embedded_json(report: Report) -> str:
    """The report's data as JSON safe inside a script element (no ``</`` can close it)."""
    return json.dumps(report.data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
