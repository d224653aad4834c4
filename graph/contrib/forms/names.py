"""Names, not ids: the organisations, areas, countries and languages a form's fields name.

A partner types a name; the directory finds the node of the published graph it names (its
preferred or alternative label, any case). A country the graph does not hold yet is any ISO 3166
country by its name (pycountry's tables, https://github.com/pycountry/pycountry): the form adds
it as a Country record, its codes filled from ISO 3166-1 and its UN M49 code (the ISO numeric
code, which M49 uses for countries), its id ``country/<alpha-3>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pycountry
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SKOS

from graph.namespaces import GMP, GMPD, SCHEMA, shorten


class UnknownName(ValueError):
    """A name the directory does not find (the message says what to do)."""


@dataclass
class Directory:
    """Names of the published graph, by kind: ``{lower-case name: id}`` and the names shown."""

    names: dict[str, dict[str, str]] = field(default_factory=dict)
    shown: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    """Every id's preferred label."""
    alpha2: dict[str, str] = field(default_factory=dict)
    """Countries of the graph by ISO 3166-1 alpha-2 code."""
    highlights: dict[str, int] = field(default_factory=dict)
    """How many highlights each area has (a new one takes the next ordinal)."""

    def find(self, kind: str, name: str, what: str) -> str:
        """The id of the ``kind`` named ``name``.

        Raises:
            UnknownName: no such name (``what`` words the kind).
        """
        found = self.names.get(kind, {}).get(" ".join(name.split()).casefold())
        if found is None:
            raise UnknownName(f"“{name}” is not {what} of the graph; choose one from the list")
        return found

    def country(self, name: str) -> tuple[str, dict[str, Any] | None]:
        """A country's id, and its Country record when the graph does not hold it yet.

        Raises:
            UnknownName: not a country of the graph nor of ISO 3166.
        """
        known = self.names.get("country", {}).get(" ".join(name.split()).casefold())
        if known is not None:
            return known, None
        try:
            iso = pycountry.countries.lookup(name.strip())
        except LookupError:
            raise UnknownName(f"“{name}” is not a country name we know (ISO 3166)") from None
        if iso.alpha_2 in self.alpha2:
            return self.alpha2[iso.alpha_2], None
        label = getattr(iso, "common_name", None) or iso.name
        record = {
            "id": f"country/{iso.alpha_3.lower()}",
            "type": "Country",
            "label": label,
            "alpha2": iso.alpha_2,
            "alpha3": iso.alpha_3,
            "m49": iso.numeric,
        }
        return record["id"], record


KINDS = {
    "org": (ORG.Organization, (GMP.PartnershipArea, ORG.OrganizationalCollaboration)),
    "area": (GMP.PartnershipArea, ()),
    "country": (SCHEMA.Country, ()),
    "language": (DCTERMS.LinguisticSystem, ()),
    "project": (GMP.Project, ()),
}
"""Kind of name: (class, classes left out)."""


def directory(abox: Graph) -> Directory:
    """The names of the published graph's organisations, areas, countries and languages."""
    out = Directory()
    for kind, (cls, without) in KINDS.items():
        names: dict[str, str] = {}
        shown: list[str] = []
        for node in set(abox.subjects(RDF.type, cls)):
            if not isinstance(node, URIRef) or any((node, RDF.type, w) in abox for w in without):
                continue
            rid = _id(node)
            pref = [str(x) for x in abox.objects(node, SKOS.prefLabel) if _english(x)]
            if not pref:
                continue
            out.labels[rid] = pref[0]
            shown.append(pref[0])
            for label in (*pref, *(str(x) for x in abox.objects(node, SKOS.altLabel))):
                names.setdefault(" ".join(label.split()).casefold(), rid)
            if kind == "country":
                for code in abox.objects(node, GMP.iso3166Alpha2):
                    out.alpha2[str(code)] = rid
        out.names[kind] = names
        out.shown[kind] = sorted(set(shown), key=str.casefold)
    for node in abox.subjects(RDF.type, GMP.Highlight):
        for area in abox.objects(node, GMP.partnershipArea):
            key = _id(area) if isinstance(area, URIRef) else ""
            out.highlights[key] = out.highlights.get(key, 0) + 1
    graph_countries = {n.casefold() for n in out.shown["country"]}
    iso = [getattr(c, "common_name", None) or c.name for c in pycountry.countries]
    out.shown["country"] = sorted(
        {*out.shown["country"], *(n for n in iso if n.casefold() not in graph_countries)},
        key=str.casefold,
    )
    return out


def _english(label: object) -> bool:
    return isinstance(label, Literal) and (label.language or "en").startswith("en")


def _id(node: URIRef) -> str:
    """A record id (``org/unep``) or a CURIE (``wd:Q419``) for a node."""
    text = str(node)
    if text.startswith(str(GMPD)):
        return text.removeprefix(str(GMPD))
    return shorten(text)
