"""What a generated progress report is made of: sections, sentences, tables and figures.

A ``Figure`` is one thing the report states (a number, a name, a table cell). It carries the named
query that produced it and its ``Evidence``: the passages it rests on, each quoted from the seed
report or from an accepted submission (Web Annotation, https://www.w3.org/TR/annotation-model/;
PROV-O attribution, https://www.w3.org/TR/prov-o/). An unknown figure says so and is never zero.
``Report.data`` is the machine-readable edition embedded in every rendering, which
``graph.report.compare`` reads back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Evidence:
    """A passage a figure rests on, and the work it is quoted from."""

    passage: str
    quote: str
    source: str
    source_label: str
    start: int | None = None
    who: str | None = None
    """For a submission: the organisation it is attributed to."""
    received: str | None = None
    accepted: str | None = None
    period: tuple[str | None, str | None] = (None, None)
    """First and last day of the period the source reports on (ISO dates), where stated."""

    @property
    def submission(self) -> bool:
        """Whether the passage is quoted from an accepted submission."""
        return self.received is not None


@dataclass(frozen=True)
class Figure:
    """One stated thing: its words as printed, the query behind it and its evidence."""

    key: str
    text: str
    query: str
    evidence: tuple[Evidence, ...] = ()
    derived: str = ""
    """How the figure was computed from others (a sum, a difference), if it was."""
    about: str = ""
    """What the figure is, in words (said when it is unknown)."""

    @property
    def unknown(self) -> bool:
        """True when the graph does not hold the figure."""
        return self.text == UNKNOWN


@dataclass
class Row:
    """A table row: one item (an area, a lead, a highlight) and its cells."""

    key: str
    label: str
    cells: list[Figure | str | None]
    """A figure, a plain label (a column heading of the row), or nothing."""


@dataclass
class Table:
    """A table of the report."""

    key: str
    title: str
    columns: tuple[str, ...]
    query: str
    rows: list[Row] = field(default_factory=list)
    empty: str = "None in the graph for this period."


Part = str | Figure
"""A sentence is text and figures in order."""


@dataclass
class Section:
    """A section: sentences, tables, figures (images) and subsections."""

    key: str
    title: str
    sentences: list[list[Part]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    images: list[tuple[str, str, bytes]] = field(default_factory=list)
    """(caption, media type, bytes): the network figures."""
    subsections: list[Section] = field(default_factory=list)


@dataclass
class Report:
    """A generated progress report."""

    title: str
    period: tuple[str, str]
    revision: str
    catalogue: str
    sections: list[Section]
    labels: dict[str, str] = field(default_factory=dict)
    """Labels of the agents named in the evidence (who submitted)."""
    glance: list[tuple[str, Figure]] = field(default_factory=list)
    """Key figures for the title page (the same figures as in the sections)."""

    def figures(self) -> list[Figure]:
        """Every figure of the report, in reading order."""
        out: list[Figure] = []

        def walk(section: Section) -> None:
            for sentence in section.sentences:
                out.extend(p for p in sentence if isinstance(p, Figure))
            for table in section.tables:
                for row in table.rows:
                    out.extend(c for c in row.cells if isinstance(c, Figure))
            for sub in section.subsections:
                walk(sub)

        for section in self.sections:
            walk(section)
        return out

    def unknowns(self) -> list[tuple[str, Figure]]:
        """Every unknown figure, with what it is in words."""
        out: list[tuple[str, Figure]] = []

        def walk(section: Section) -> None:
            for sentence in section.sentences:
                out.extend(
                    (f.about or f.key, f) for f in sentence if isinstance(f, Figure) and f.unknown
                )
            for table in section.tables:
                for row in table.rows:
                    for column, c in zip(table.columns, row.cells, strict=False):
                        if isinstance(c, Figure) and c.unknown:
                            out.append((f"{column.lower()} of {row.label} ({table.title})", c))
            for sub in section.subsections:
                walk(sub)

        for section in self.sections:
            walk(section)
        return out

    def items(self) -> dict[str, str]:
        """Every table row by key, with its label."""
        out: dict[str, str] = {}

        def walk(section: Section) -> None:
            for table in section.tables:
                for row in table.rows:
                    out[f"{table.key}/{row.key}"] = row.label
            for sub in section.subsections:
                walk(sub)

        for section in self.sections:
            walk(section)
        return out

    @property
    def data(self) -> dict[str, Any]:
        """The machine-readable edition: period, revision, every figure and item by key."""
        return {
            "title": self.title,
            "period": list(self.period),
            "revision": self.revision,
            "catalogue": self.catalogue,
            "figures": {f.key: f.text for f in self.figures()},
            "items": self.items(),
        }
