"""The report as Markdown (GitHub-flavoured tables and footnotes).

A figure is its text as a link to the named query that produced it, and its passages as footnotes
(``[^3]``, the quote and the source in the note). The report's data is embedded at the end as an
HTML comment (``<!-- report-data: {...} -->``), which ``graph.report.compare`` reads back.
https://github.github.com/gfm/#tables-extension-
"""

from __future__ import annotations

import json
from urllib.parse import quote

from graph.report.model import Evidence, Figure, Report, Section
from graph.report.words import day

MARK = "<!-- report-data: "


def render_md(report: Report, query_base: str = "http://127.0.0.1:8000") -> str:
    """The Markdown text."""
    numbers: dict[str, int] = {}
    notes: list[tuple[int, Evidence]] = []

    def fig(f: Figure) -> str:
        refs = []
        for ev in f.evidence:
            if ev.passage not in numbers:
                numbers[ev.passage] = len(numbers) + 1
                notes.append((numbers[ev.passage], ev))
            refs.append(f"[^{numbers[ev.passage]}]")
        text = f"*{_escape(f.text)}*" if f.unknown else _escape(f.text)
        return f"[{text}]({query_base}/api/queries/{quote(f.query)}){''.join(refs[:3])}"

    out = [
        f"# {report.title}",
        "",
        f"- Period: {day(report.period[0])} to {day(report.period[1])}",
        f"- Dataset revision: {report.revision}",
        f"- Query catalogue: {report.catalogue}",
        "",
    ]

    def section(s: Section, level: int) -> None:
        out.extend([f"{'#' * level} {s.title}", ""])
        for sentence in s.sentences:
            out.append("".join(_escape(p) if isinstance(p, str) else fig(p) for p in sentence))
            out.append("")
        for caption, _media, _data in s.images:
            out.extend([f"*Figure: {caption} (in the HTML and PDF editions).*", ""])
        for t in s.tables:
            q = f"[named query {t.query}]({query_base}/api/queries/{quote(t.query)})"
            if not t.rows:
                out.extend([f"**{t.title}:** {t.empty} ({q})", ""])
                continue
            out.extend([f"**{t.title}** ({q})", ""])
            out.append("| " + " | ".join(t.columns) + " |")
            out.append("|" + "---|" * len(t.columns))
            for row in t.rows:
                cells = [
                    "" if c is None else _escape(c) if isinstance(c, str) else fig(c)
                    for c in row.cells
                ]
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
            out.append("")
        for sub in s.subsections:
            section(sub, level + 1)

    for s in report.sections:
        section(s, 2)
    out.extend(["## Sources", ""])
    for n, ev in notes:
        if ev.submission:
            where = f"accepted submission {ev.source_label}"
            if ev.who:
                where += f" by {report.labels.get(ev.who, ev.who)}"
            where += f", received {(ev.received or '')[:10]}"
        else:
            where = ev.source_label + (
                f", from character {ev.start}" if ev.start is not None else ""
            )
        out.append(f'[^{n}]: "{_escape(ev.quote)}" ({where}; <{ev.passage}>)')
    data = json.dumps(report.data, ensure_ascii=False, sort_keys=True).replace("--", "\\u002d-")
    out.extend(["", f"{MARK}{data} -->", ""])
    return "\n".join(out)


def _escape(text: str) -> str:
    """Markdown's special characters at the start of words kept as text."""
    for ch in ("\\", "*", "_", "[", "]", "<", ">", "`"):
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", " ")
