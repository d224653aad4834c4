"""Dates at the precision the report gives, as OWL-Time instants and intervals.

"November 2011" stays a month: ``time:inXSDgYearMonth "2011-11"``, never padded to a day. Because
SPARQL 1.1 defines no ordering for xsd:gYear / xsd:gYearMonth, every time node also carries derived
xsd:date bounds ``gmp:earliest`` / ``gmp:latest`` for portable filtering and sorting.
OWL-Time: https://www.w3.org/TR/owl-time/#time:inXSDgYearMonth
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, TIME, XSD

from graph.compile.triples import Triples
from graph.namespaces import GMP, GMPD

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_MONTHS = list(calendar.month_name)


@dataclass(frozen=True)
class Precise:
    """A date as given: a year, a year and month, or a day."""

    text: str
    year: int
    month: int | None
    day: int | None

    @classmethod
    def parse(cls, value: object) -> Precise:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        >>> Precise.parse("2011-11").earliest(), Precise.parse("2011-11").latest()
        (datetime.date(2011, 11, 1), datetime.date(2011, 11, 30))

        Raises:
            ValueError: for anything else, or an impossible date.
        """
        text = str(value)
        match = _PATTERN.match(text)
        if not match:
            raise ValueError(f"date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None  # noqa: S101 - the pattern requires it
        result = cls(text, year, month, day)
        result.earliest()  # raises ValueError for 2011-13 or 2011-02-30
        return result

    def earliest(self) -> date:
        """First day the value can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """Last day the value can mean."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def literal(self) -> Literal:
        """The value as an XSD literal of its own precision."""
        if self.day is not None:
            return Literal(self.text, datatype=XSD.date)
        if self.month is not None:
            return Literal(self.text, datatype=XSD.gYearMonth)
        return Literal(self.text, datatype=XSD.gYear)

    def position_property(self) -> URIRef:
        """The OWL-Time property that holds a position of this precision."""
        if self.day is not None:
            return TIME.inXSDDate
        if self.month is not None:
            return TIME.inXSDgYearMonth
        return TIME.inXSDgYear

    def label(self) -> str:
        """Human-readable: '7 December 2010', 'November 2011', '2011'."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{_MONTHS[self.month]} {self.year}"
        return f"{self.day} {_MONTHS[self.month]} {self.year}"


def instant(out: Triples, value: object) -> URIRef:
    """Add (once) and return the shared instant node for a date, e.g. ``when:2011-11``."""
    when = Precise.parse(value)
    node = GMPD[f"time/{when.text}"]
    out.add(node, RDF.type, TIME.Instant)
    out.add(node, RDFS.label, Literal(when.label(), lang="en"))
    out.add(node, when.position_property(), when.literal())
    out.add(node, GMP.earliest, Literal(when.earliest()))
    out.add(node, GMP.latest, Literal(when.latest()))
    return node


def interval(out: Triples, begin: object | None, end: object | None) -> URIRef:
    """Add and return an interval node; an unstated end stays unstated (an open interval)."""
    if begin is None and end is None:
        raise ValueError("an interval needs 'from', 'to' or both")
    b = Precise.parse(begin) if begin is not None else None
    e = Precise.parse(end) if end is not None else None
    node = GMPD[f"time/{b.text if b else ''}--{e.text if e else ''}"]
    out.add(node, RDF.type, TIME.Interval)
    parts = [f"from {b.label()}" if b else "", f"until {e.label()}" if e else ""]
    out.add(node, RDFS.label, Literal(" ".join(p for p in parts if p), lang="en"))
    if b is not None:
        out.add(node, TIME.hasBeginning, instant(out, begin))
        out.add(node, GMP.earliest, Literal(b.earliest()))
    if e is not None:
        out.add(node, TIME.hasEnd, instant(out, end))
        out.add(node, GMP.latest, Literal(e.latest()))
    return node


def time_value(out: Triples, value: object) -> URIRef:
    """A date string becomes an instant; a mapping with ``from``/``to`` an interval."""
    if isinstance(value, dict):
        unknown = set(value) - {"from", "to"}
        if unknown:
            raise ValueError(f"an interval takes only 'from' and 'to', not {sorted(unknown)}")
        return interval(out, value.get("from"), value.get("to"))
    return instant(out, value)
