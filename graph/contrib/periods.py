"""Reporting periods are data: which the graph holds, which is open, which one a submission is on.

A reporting period (``gmp:ReportingPeriod``) is one cycle of the Partnership's reporting: the
seed report's is a curated record (``graph/data/report.yaml``); the
secretariat opens the next ones (``mercury-kg periods open``, the periods page), each published
as its own attributed statement. Its interval is its ``time:hasTime`` at month precision
(OWL-Time, https://www.w3.org/TR/owl-time/), and periods never overlap. The **open** period is
the one that starts last: a submission that names no period reports on it; one that names a
period must lie within one the graph holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS, TIME
from rdflib.term import Node

from graph.compile.timevalues import Precise
from graph.contrib.intake import shape
from graph.namespaces import GMP, GMPD


class PeriodError(ValueError):
    """A period that cannot be used (the message says why and names the periods held)."""


@dataclass(frozen=True)
class Period:
    """One reporting period: its node, its first and last months, its label."""

    iri: URIRef
    start: Precise
    end: Precise
    label: str

    @property
    def first(self) -> date:
        """The first day it covers."""
        return self.start.earliest()

    @property
    def last(self) -> date:
        """The last day it covers."""
        return self.end.latest()

    @property
    def span(self) -> str:
        """``2012-07/2014-06`` (ISO 8601 interval at the precision given)."""
        return f"{self.start.text}/{self.end.text}"

    def as_json(self, current: Period | None, base: str = "") -> dict[str, Any]:
        """Its id, IRI, label, first and last day, span, whether it is open, its report's URL."""
        return {
            "id": str(self.iri).removeprefix(str(GMPD)),
            "iri": str(self.iri),
            "label": self.label,
            "start": self.first.isoformat(),
            "end": self.last.isoformat(),
            "span": self.span,
            "open": current is not None and self.iri == current.iri,
            "report": f"{base}/report?period={self.span}",
        }

    def holds(self, first: date, last: date) -> bool:
        """Whether the days ``first`` to ``last`` lie within this period."""
        return self.first <= first and last <= self.last

    def overlaps(self, first: date, last: date) -> bool:
        """Whether any day of ``first`` to ``last`` lies within this period."""
        return first <= self.last and self.first <= last


def period_id(start: Precise, end: Precise) -> str:
    """The record id of a period: ``period/2012-07--2014-06``."""
    return f"period/{start.text}--{end.text}"


def period_label(start: Precise, end: Precise) -> str:
    """How the report names a period: ``July 2012 - June 2014``.

    >>> period_label(Precise.parse("2012-07"), Precise.parse("2014-06"))
    'July 2012 - June 2014'
    """
    return f"{start.label()} - {end.label()}"


def _bound(graph: Graph, interval: Node | None, edge: URIRef) -> Precise | None:
    instant = graph.value(interval, edge) if interval is not None else None
    for prop in (TIME.inXSDgYearMonth, TIME.inXSDDate, TIME.inXSDgYear):
        value = graph.value(instant, prop) if instant is not None else None
        if value is not None:
            return Precise.parse(str(value))
    return None


def held(graph: Graph) -> list[Period]:
    """The reporting periods a graph holds, the earliest first."""
    found = []
    for node in set(graph.subjects(RDF.type, GMP.ReportingPeriod)):
        interval = graph.value(node, TIME.hasTime)
        start = _bound(graph, interval, TIME.hasBeginning)
        end = _bound(graph, interval, TIME.hasEnd)
        if not isinstance(node, URIRef) or start is None or end is None:
            continue
        label = graph.value(node, SKOS.prefLabel)
        found.append(Period(node, start, end, str(label) if label else period_label(start, end)))
    return sorted(found, key=lambda p: (p.first, p.last))


def open_period(periods: list[Period]) -> Period | None:
    """The period a submission reports on when it names none: the one that starts last."""
    return periods[-1] if periods else None


def covering(periods: list[Period], first: date, last: date) -> Period:
    """The period that holds the days ``first`` to ``last``.

    Raises:
        PeriodError: no period holds them all (naming the periods there are).
    """
    for period in periods:
        if period.holds(first, last):
            return period
    there = "; ".join(f"{p.label} ({p.span})" for p in periods) or "none"
    raise PeriodError(
        f"{first.isoformat()} to {last.isoformat()} lies within no reporting period the "
        f"secretariat has opened (they are: {there})"
    )


def new_period(periods: list[Period], start: Precise, end: Precise) -> URIRef:
    """The node of a period that may be opened.

    Raises:
        PeriodError: it ends before it starts, is not in whole months, or overlaps one held.
    """
    if start.month is None or end.month is None or start.day is not None or end.day is not None:
        raise PeriodError("a reporting period runs from a month to a month: START/END as YYYY-MM")
    if end.latest() < start.earliest():
        raise PeriodError(f"the period {start.text}/{end.text} ends before it starts")
    for period in periods:
        if period.overlaps(start.earliest(), end.latest()):
            raise PeriodError(
                f"{start.text}/{end.text} overlaps the reporting period {period.label} "
                f"({period.span}); periods do not overlap"
            )
    return GMPD[period_id(start, end)]


def chosen(periods: list[Period], named: object) -> Period:
    """The period a submission is on: the one holding the period it names, else the open one.

    ``named`` is a mapping with ``from`` and ``to`` (YAML, JSON), the node of a period (RDF), or
    None.

    Raises:
        PeriodError: it names a period no reporting period holds, or no period is open.
    """
    if isinstance(named, URIRef):
        for period in periods:
            if period.iri == named:
                return period
        raise PeriodError(f"{named} is not a reporting period the graph holds")
    if isinstance(named, dict) and named.get("from") is not None and named.get("to") is not None:
        try:
            first = Precise.parse(named["from"]).earliest()
            last = Precise.parse(named["to"]).latest()
        except ValueError as exc:
            raise PeriodError(str(exc)) from exc
        return covering(periods, first, last)
    current = open_period(periods)
    if current is None:
        raise PeriodError("no reporting period is open: the secretariat opens one first")
    return current


def months(span: str) -> tuple[Precise, Precise]:
    """``2012-07/2014-06`` as its first and last month.

    Raises:
        PeriodError: not START/END.
    """
    start, sep, end = span.partition("/")
    try:
        if not sep:
            raise ValueError("give START/END, e.g. 2012-07/2014-06")
        return Precise.parse(start.strip()), Precise.parse(end.strip())
    except ValueError as exc:
        raise PeriodError(f"period {span!r}: {exc}") from exc


def opening(span: str, label: str) -> tuple[dict[str, Any], URIRef]:
    """The statement that opens a period, as a submission document, and the period's node."""
    start, end = months(span)
    name = " ".join(label.split()) or period_label(start, end)
    text = (
        f"The secretariat opened the reporting period {name}, from {start.label()} to "
        f"{end.label()}."
    )
    record = {
        "id": period_id(start, end),
        "type": "ReportingPeriod",
        "label": name,
        "when": {"from": start.text, "to": end.text},
        "source": text,
    }
    doc = shape({"title": f"Reporting period {name}", "text": text, "records": [record]})
    return doc, GMPD[period_id(start, end)]
