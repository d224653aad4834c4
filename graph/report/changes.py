"""What a submission changes in the report, in words: every figure, row and count that moves.

The report of the submission's period is built twice, from the published graph and from the
published graph with the submission, and the two editions are compared
(``graph.report.compare``). Each change is said where a reader finds it: the section, the table
and its row, the column (or what a sentence's figure is about), with the words before and after.
Events, documents, activities and counts show here as much as money does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from graph.oxi import store_from
from graph.query.engine import EmbeddedEngine
from graph.report.compare import compare
from graph.report.model import Figure, Report, Section


@dataclass(frozen=True)
class Change:
    """One change of the report: where, and the words before and after ('' when none)."""

    where: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        """added, removed or changed."""
        return "added" if not self.before else "removed" if not self.after else "changed"


def places(report: Report) -> dict[str, str]:
    """Where each figure and row of a report is, in words, by key."""
    out: dict[str, str] = {}

    def walk(section: Section, trail: str) -> None:
        here = f"{trail} — {section.title}" if trail else section.title
        for sentence in section.sentences:
            for part in sentence:
                if isinstance(part, Figure):
                    out[part.key] = f"{here}: {part.about or 'a figure of the text'}"
        for table in section.tables:
            for row in table.rows:
                out[f"{table.key}/{row.key}"] = f"{here} — {table.title} — new row"
                for column, cell in zip(table.columns, row.cells, strict=False):
                    if isinstance(cell, Figure):
                        out[cell.key] = f"{here} — {table.title} — {row.label} — {column}"
        for sub in section.subsections:
            walk(sub, here)

    for section in report.sections:
        walk(section, "")
    return out


def changes(before: Report, after: Report) -> list[Change]:
    """Every change from ``before`` to ``after``, in reading order of the later report."""
    where = {**places(before), **places(after)}
    c = compare(before.data, after.data)
    keyed = [(k, Change(where.get(k, k), "", v)) for k, v in c.figures_added.items()]
    keyed += [(k, Change(where.get(k, k), a, b)) for k, (a, b) in c.figures_changed.items()]
    keyed += [(k, Change(where.get(k, k), v, "")) for k, v in c.figures_dropped.items()]
    order = {k: i for i, k in enumerate(where)}
    return [ch for _k, ch in sorted(keyed, key=lambda kc: (order.get(kc[0], len(order)), kc[0]))]


def of_addition(
    quads: list[Any],
    additions: list[tuple[Node, Node, Node]],
    graph: URIRef,
    period: tuple[date, date],
) -> list[Change]:
    """The changes to the report of ``period`` that adding ``additions`` (in ``graph``) makes."""
    from graph.query.catalog import load_catalog
    from graph.report.build import build_report

    catalog = load_catalog()
    before = EmbeddedEngine(store_from(quads))
    after = EmbeddedEngine(store_from([*quads, *((s, p, o, graph) for s, p, o in additions)]))
    old = build_report(before, catalog, "published", period, figures=False)
    new = build_report(after, catalog, "with the submission", period, figures=False)
    return changes(old, new)
