"""One edition of the report from a build: its engine, its revision label, and its renderings.

The revision printed on the title page is the data directory's published revision (0: the curated
graph alone) and a digest of the graph's content (SHA-256 of its sorted N-Quads), so two editions
made from the same graph say so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

import pyoxigraph as ox

from graph.query.catalog import NamedQuery
from graph.query.engine import EmbeddedEngine
from graph.report.build import build_report
from graph.report.model import Report
from graph.report.render_html import render_html
from graph.report.render_md import render_md

FORMATS = ("html", "pdf", "md")
MEDIA = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
}


def content_digest(engine: EmbeddedEngine) -> str:
    """SHA-256 of the store's N-Quads, lines sorted (the same graph gives the same digest)."""
    dump = engine.store.dump(format=ox.RdfFormat.N_QUADS) or b""
    return hashlib.sha256(b"\n".join(sorted(dump.splitlines()))).hexdigest()


def edition(
    engine: EmbeddedEngine,
    catalog: dict[str, NamedQuery],
    revision: int,
    period: tuple[date, date] | None = None,
    figures: bool = True,
) -> Report:
    """The report of the engine's graph at a published revision."""
    label = f"{revision} (content sha256 {content_digest(engine)[:16]})"
    return build_report(engine, catalog, label, period, figures)


def render(
    report: Report,
    fmt: str,
    query_base: str = "http://127.0.0.1:8000",
    link: Callable[[str], str] | None = None,
) -> bytes:
    """The report in one of ``FORMATS``; ``link`` maps an IRI to where the page links it."""
    if fmt == "html":
        return render_html(report, query_base, link).encode("utf-8")
    if fmt == "md":
        return render_md(report, query_base).encode("utf-8")
    if fmt == "pdf":
        from graph.report.render_pdf import render_pdf

        return render_pdf(report, query_base, link)
    raise ValueError(f"format {fmt!r}; one of {', '.join(FORMATS)}")
