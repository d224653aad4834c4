"""The seed report laid out for reading: sections, paragraphs and tables, the cited spans marked.

From the support query ``report_reading`` (the document's parts, DoCO, and the report's passages,
each with its span in the stored text) over the stored text itself. A marked span is the union of
the passages that cover it and links to the first of them; the share of the text that backs
facts is the marked characters of the paragraphs and cells over all their characters. Words are
the report's characters (``graph.compile.rendering.report_chars``), never the conversion's
markup. Web Annotation position selectors: https://www.w3.org/TR/annotation-model/#text-position-selector
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.compile.rendering import report_chars
from graph.namespaces import DOCO, GMP

TEXT_KINDS = (str(DOCO.Paragraph), str(GMP.TableCell))
"""The parts whose text is laid out (sections, tables and rows hold them)."""


@dataclass
class Node:
    """One part of the document, with its children in reading order."""

    iri: str
    kind: str
    start: int
    end: int
    title: str = ""
    text: str = ""
    position: int = 0
    children: list[Node] = field(default_factory=list)
    pieces: list[tuple[str, str | None]] = field(default_factory=list)
    """The text as (words, passage IRI or None): what is cited links to its passage."""

    @property
    def local(self) -> str:
        """The kind's local name: Section, Paragraph, Table, TableRow, TableCell."""
        return self.kind.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass
class Reading:
    """The report for reading: its top-level parts and the share of the text that backs facts."""

    parts: list[Node]
    cited: int
    total: int
    uncited: int
    """Paragraphs and cells no passage touches."""

    @property
    def share(self) -> float:
        """The share of the paragraphs' and cells' characters that passages cite (0 to 1)."""
        return self.cited / self.total if self.total else 0.0


def merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans joined, each keeping the IRI of its first passage.

    >>> merged([(0, 5, "a"), (3, 8, "b"), (10, 12, "c")])
    [(0, 8, 'a'), (10, 12, 'c')]
    """
    out: list[tuple[int, int, str]] = []
    for start, end, iri in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end), out[-1][2])
        else:
            out.append((start, end, iri))
    return out


def _pieces(
    stored: str, start: int, end: int, marks: list[tuple[int, int, str]]
) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    at = start
    for a, b, iri in marks:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        if a > at:
            out.append((report_chars(stored[at:a]), None))
        out.append((report_chars(stored[a:b]), iri))
        at = b
    if at < end:
        out.append((report_chars(stored[at:end]), None))
    return [(words, iri) for words, iri in out if words.strip() or iri]


def read(rows: list[dict[str, str | None]], stored: str) -> Reading:
    """Lay the parts out as a tree and mark the passages in the text of each paragraph and cell."""
    nodes: dict[str, Node] = {}
    parents: dict[str, str] = {}
    spans: list[tuple[int, int, str]] = []
    for row in rows:
        iri, kind = row["node"] or "", row["kind"] or ""
        start, end = int(row["start"] or 0), int(row["end"] or 0)
        if kind == str(GMP.Passage):
            spans.append((start, end, iri))
            continue
        if iri in nodes:
            continue
        nodes[iri] = Node(
            iri,
            kind,
            start,
            end,
            row["title"] or "",
            row["text"] or "",
            int(row["position"] or 0),
        )
        parents[iri] = row["parent"] or ""
    tops: list[Node] = []
    for iri, node in nodes.items():
        parent = nodes.get(parents[iri])
        (parent.children if parent else tops).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: (n.start, n.position))
    tops.sort(key=lambda n: n.start)
    marks = merged(spans)
    cited = total = uncited = 0
    for node in nodes.values():
        if node.kind not in TEXT_KINDS:
            continue
        node.pieces = _pieces(stored, node.start, node.end, marks)
        if node.text and report_chars(stored[node.start : node.end]) != node.text:
            node.pieces = [(node.text, None)]  # a cell the text file breaks over lines
        inside = sum(max(0, min(b, node.end) - max(a, node.start)) for a, b, _ in marks)
        cited += inside
        total += node.end - node.start
        uncited += inside == 0
    return Reading(tops, cited, total, uncited)
