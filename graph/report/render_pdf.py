"""The report as PDF, from its HTML, with WeasyPrint (https://doc.courtbouillon.org/weasyprint/).

The machine-readable edition travels inside the PDF as an attached file ``report-data.json``
(PDF embedded files, ISO 32000-1 section 7.11.4), so ``graph.report.compare`` reads a PDF too.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable

from graph.report.model import Report
from graph.report.render_html import render_html

ATTACHMENT = "report-data.json"


def render_pdf(
    report: Report,
    query_base: str = "http://127.0.0.1:8000",
    link: Callable[[str], str] | None = None,
) -> bytes:
    """The PDF bytes; links as in ``render_html``."""
    from weasyprint import HTML, Attachment  # type: ignore[import-untyped]

    data = json.dumps(report.data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    pdf = HTML(string=render_html(report, query_base, link, compact=True)).write_pdf(
        attachments=[Attachment(string=data, base_url=None, name=ATTACHMENT)]
    )
    return bytes(pdf)


_STREAM = re.compile(rb"/Type\s*/EmbeddedFile(?P<dict>.*?)>>\s*stream\r?\n", re.DOTALL)


def pdf_data(pdf: bytes) -> dict[str, object] | None:
    """The report data attached to a PDF this module wrote (None if it has none)."""
    for match in _STREAM.finditer(pdf):
        length = re.search(rb"/Length\s+(\d+)", match.group("dict"))
        if not length:
            continue
        body = pdf[match.end() : match.end() + int(length.group(1))]
        if b"/FlateDecode" in match.group("dict"):
            body = zlib.decompress(body)
        try:
            data = json.loads(body)
        except ValueError:
            continue
        if isinstance(data, dict) and "figures" in data:
            return data
    return None
