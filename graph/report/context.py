"""What every part of the report reads from: the named queries, the evidence and the period.

The evidence of all facts is read once (``queries/support/evidence.rq``). A fact belongs to the
report of a period when a source it rests on reports on a period overlapping it: the seed report
on its own, a submission on the ``period`` its submitter stated, else on the reporting period it
is on (``graph.contrib.periods``). Periods are ISO 8601 intervals of dates at the precision
given, as in OWL-Time (https://www.w3.org/TR/owl-time/): ``2012-07/2014-06`` is 1 July 2012 to
30 June 2014.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from graph.compile.timevalues import Precise
from graph.query.catalog import NamedQuery, bind, support
from graph.query.engine import EmbeddedEngine
from graph.query.results import Parts
from graph.report.model import UNKNOWN, Evidence, Figure

Row = dict[str, Parts | None]


class PeriodError(ValueError):
    """A period that is not START/END in ISO 8601 dates (the message says which part)."""


def parse_period(text: str) -> tuple[date, date]:
    """``START/END`` (years, months or days) as the first and last day it covers.

    >>> parse_period("2012-07/2014-06")
    (datetime.date(2012, 7, 1), datetime.date(2014, 6, 30))
    """
    start, sep, end = text.partition("/")
    if not sep:
        raise PeriodError(f"period {text!r}: give START/END, e.g. 2012-07/2014-06")
    try:
        first, last = Precise.parse(start.strip()).earliest(), Precise.parse(end.strip()).latest()
    except ValueError as exc:
        raise PeriodError(f"period {text!r}: {exc}") from exc
    if last < first:
        raise PeriodError(f"period {text!r}: it ends before it starts")
    return first, last


def catalogue_version(catalog: dict[str, NamedQuery]) -> str:
    """The package version and a digest of every named query's text."""
    digest = hashlib.sha256()
    for name in sorted(catalog):
        digest.update(name.encode() + b"\0" + catalog[name].text.encode() + b"\0")
    return f"{version('mercury-kg')}+{digest.hexdigest()[:12]}"


@dataclass
class Context:
    """One revision's engine and catalogue, the period, and the evidence of every fact."""

    engine: EmbeddedEngine
    catalog: dict[str, NamedQuery]
    period: tuple[date, date]
    evidence: dict[str, list[Evidence]]
    """Every fact's passages (``load_evidence``)."""
    _labels: dict[str, str] = field(default_factory=dict)

    def run(self, name: str, **params: str) -> list[Row]:
        """Rows of a named query, each a mapping of column to term parts."""
        query = self.catalog[name]
        bindings: dict[str, Node] = bind(query, params) if params else {}
        result = self.engine.select(query.text, bindings)
        return [dict(zip(result.variables, row, strict=True)) for row in result.parts()]

    def label(self, iri: str | None) -> str:
        """The preferred English label of an IRI (the IRI itself when it has none)."""
        if iri is None:
            return UNKNOWN
        if iri not in self._labels:
            found = self.engine.labels([URIRef(iri)])
            self._labels[iri] = found.get(URIRef(iri), iri)
        return self._labels[iri]

    def of(self, *facts: str | None) -> tuple[Evidence, ...]:
        """The evidence of the facts, in source order, each passage once."""
        seen: dict[str, Evidence] = {}
        for fact in facts:
            for ev in self.evidence.get(fact or "", []):
                seen.setdefault(ev.passage, ev)
        return tuple(sorted(seen.values(), key=lambda e: (e.source, e.start or 0)))

    def in_period(self, *facts: str | None) -> bool:
        """Whether a source of any of the facts reports on a period overlapping the report's."""
        first, last = self.period
        for ev in self.of(*facts):
            start, end = ev.period
            if (start is None or date.fromisoformat(start) <= last) and (
                end is None or date.fromisoformat(end) >= first
            ):
                return True
        return False

    def figure(
        self,
        key: str,
        text: str | None,
        query: str,
        facts: Iterable[str | None] = (),
        derived: str = "",
        about: str = "",
    ) -> Figure:
        """A figure with the evidence of its facts; no text means unknown."""
        return Figure(
            key,
            UNKNOWN if text in (None, "") else str(text),
            query,
            self.of(*facts),
            derived,
            about,
        )

    def name(self, key: str, iri: str | None, query: str, *facts: str | None) -> Figure:
        """A figure naming a resource by its label, resting on the resource's own evidence."""
        return self.figure(key, self.label(iri), query, (iri, *facts))


@dataclass(frozen=True)
class Held:
    """A reporting period the graph holds: its node, label, first and last day."""

    iri: str
    label: str
    first: date
    last: date


def held_periods(engine: EmbeddedEngine) -> list[Held]:
    """The reporting periods of the graph, the earliest first (``queries/support/periods.rq``)."""
    result = engine.select(support("periods").text)
    return [
        Held(
            str(p),
            str(label) if label else f"{f} to {t}",
            date.fromisoformat(str(f)),
            date.fromisoformat(str(t)),
        )
        for p, label, f, t in result.rows
    ]


def default_period(engine: EmbeddedEngine) -> tuple[date, date]:
    """The open reporting period: the one that starts last."""
    periods = held_periods(engine)
    if not periods:
        raise PeriodError("the graph holds no reporting period; give --period")
    return periods[-1].first, periods[-1].last


def load_evidence(engine: EmbeddedEngine) -> dict[str, list[Evidence]]:
    """Every fact's passages (``queries/support/evidence.rq``), by fact IRI."""
    result = engine.select(support("evidence").text)
    out: dict[str, list[Evidence]] = defaultdict(list)
    for row in result.records():
        r: dict[str, Any] = row  # the columns the query always binds are there
        received = r["received"]
        period = (r["from"], r["to"])
        if received and period == (None, None):
            period = (received[:10], received[:10])
        ev = Evidence(
            passage=r["passage"],
            quote=r["quote"],
            source=r["source"],
            source_label=r["source_label"] or r["source"],
            start=int(r["start"]) if r["start"] is not None else None,
            who=r["who"],
            received=received,
            accepted=r["accepted"],
            period=period,
        )
        if all(e.passage != ev.passage for e in out[r["fact"]]):
            out[r["fact"]].append(ev)
    return dict(out)


def value(row: Row, column: str) -> str | None:
    """A cell's lexical value (None when unbound)."""
    p = row.get(column)
    return None if p is None else p.value
