"""Which countries and regions lie in which UN M49 regions, from country_converter's table.

The report places a few countries in its regions itself ("East Africa (Kenya, Tanzania, and
Uganda)"); those statements stay in the places graph. Where a region of the report is a UN M49
region (https://unstats.un.org/unsd/methodology/m49/), the curated record gives its M49 code
(``gmp:m49``) and the M49 groups it is made of, by the names country_converter's table uses
(``gmp:m49Group``: a ``UNregion`` such as "Eastern Africa" or a ``continent`` such as "Africa").
This module derives, in a named graph of its own (leaving out what the places graph states):

- ``country schema:containedInPlace region`` for every curated country whose row of the table
  falls in one of the region's groups (countries are matched by ISO 3166-1 alpha-3);
- ``region schema:containedInPlace region`` where the table puts every country of the first in
  the second (Eastern Africa in Africa).

Each country's M49 code in the table must equal the curated ``gmp:m49``; a difference stops the
build, naming the country. The table is read from the installed package's data file
(``country_data.tsv``) with the standard library: country_converter's own loader needs pandas,
which the build does not import.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.metadata import distribution, version
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from rdflib.term import Node

from graph.compile.triples import Triples
from graph.namespaces import GMP, SCHEMA

PACKAGE = URIRef(f"https://pypi.org/project/country-converter/{version('country_converter')}/")
"""The release the M49 membership comes from."""

GROUP_COLUMNS = ("UNregion", "continent")
"""The table's columns whose values a ``gmp:m49Group`` may name."""


class RegionDataError(ValueError):
    """The curated M49 data of ``node`` disagree with the package's table."""

    def __init__(self, node: Node, message: str) -> None:
        self.node = node
        super().__init__(message)


@cache
def _table() -> tuple[dict[str, str], ...]:
    path = Path(str(distribution("country_converter").locate_file("country_converter")))
    with (path / "country_data.tsv").open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f, delimiter="\t"))


def m49_rows() -> dict[str, dict[str, str]]:
    """The table's current (not obsolete) countries by ISO 3166-1 alpha-3."""
    return {row["ISO3"]: row for row in _table() if row["ISO3"] and not row.get("obsolete")}


def _groups_of(row: Mapping[str, str]) -> set[str]:
    return {row[column] for column in GROUP_COLUMNS if row.get(column)}


def containment(graphs: Mapping[str, Iterable[tuple[Node, Node, Node]]]) -> Triples:
    """``schema:containedInPlace`` links derived from M49 membership for the curated places.

    Raises:
        RegionDataError: a curated country is not in the table, its M49 code differs, or a
            region names a group the table does not have.
    """
    stated: set[tuple[Node, Node, Node]] = set()
    alpha3: dict[Node, str] = {}
    m49: dict[Node, str] = {}
    groups: dict[Node, set[str]] = {}
    for triples in graphs.values():
        for s, p, o in triples:
            if p == SCHEMA.containedInPlace:
                stated.add((s, p, o))
            elif p == GMP.iso3166Alpha3:
                alpha3[s] = str(o)
            elif p == GMP.m49:
                m49[s] = str(o)
            elif p == GMP.m49Group:
                groups.setdefault(s, set()).add(str(o))
    rows = m49_rows()
    known = set().union(*(_groups_of(row) for row in rows.values()))
    for region, names in sorted(groups.items(), key=lambda item: str(item[0])):
        unknown = sorted(names - known)
        if unknown:
            raise RegionDataError(
                region,
                f"'m49_groups' {unknown} is not a UNregion or continent of "
                f"country_converter {version('country_converter')}",
            )
    out = Triples()
    for country, code in sorted(alpha3.items(), key=lambda item: str(item[0])):
        row = rows.get(code)
        if row is None:
            raise RegionDataError(country, f"alpha-3 {code} is not in country_converter's table")
        if country in m49 and int(row["UNcode"]) != int(m49[country]):
            raise RegionDataError(
                country, f"M49 {m49[country]}, but country_converter has {row['UNcode']}"
            )
        for region, names in sorted(groups.items(), key=lambda item: str(item[0])):
            if _groups_of(row) & names and (country, SCHEMA.containedInPlace, region) not in stated:
                out.add(country, SCHEMA.containedInPlace, region)
    members = {
        region: {code for code, row in rows.items() if _groups_of(row) & names}
        for region, names in groups.items()
    }
    for inner, inner_members in sorted(members.items(), key=lambda item: str(item[0])):
        for outer, outer_members in sorted(members.items(), key=lambda item: str(item[0])):
            link = (inner, SCHEMA.containedInPlace, outer)
            if inner != outer and inner_members < outer_members and link not in stated:
                out.add(*link)
    return out


def describe(out: Triples, graph: URIRef) -> None:
    """Say where the containment graph comes from."""
    out.add(graph, RDF.type, PROV.Entity)
    out.add(
        graph,
        RDFS.label,
        Literal(
            "Countries and regions within the report's UN M49 regions"
            " (M49 membership from country_converter's table)",
            lang="en",
        ),
    )
    out.add(graph, PROV.wasDerivedFrom, PACKAGE)
    out.add(graph, DCTERMS.source, PACKAGE)
    out.add(graph, DCTERMS.source, Literal("graph/data/places.yaml"))
