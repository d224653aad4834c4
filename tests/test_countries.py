"""Country identifiers checked against an independent ISO 3166 table (pycountry)."""

from __future__ import annotations

import pycountry
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from graph.namespaces import EUCOUNTRY, GEONAMES, GMP, SCHEMA


def _countries(graph: Graph) -> list[URIRef]:
    return sorted(c for c in graph.subjects(RDF.type, SCHEMA.Country) if isinstance(c, URIRef))


def test_codes_match_iso_3166(graph: Graph) -> None:
    wrong = []
    for c in _countries(graph):
        a2 = str(graph.value(c, GMP.iso3166Alpha2))
        entry = pycountry.countries.get(alpha_2=a2)
        if entry is None:
            wrong.append(f"{c}: no ISO country {a2}")
            continue
        found = (str(graph.value(c, GMP.iso3166Alpha3)), str(graph.value(c, GMP.m49)))
        if found != (entry.alpha_3, entry.numeric):
            wrong.append(f"{c} ({a2}): {found} != {(entry.alpha_3, entry.numeric)}")
        label = next(str(n) for n in graph.objects(c, SKOS.prefLabel) if n.language == "en")  # type: ignore[attr-defined]
        names = {entry.name, getattr(entry, "common_name", ""), getattr(entry, "official_name", "")}
        if not any(label in n or n.startswith(label) for n in names if n):
            wrong.append(f"{c}: label {label!r} is not ISO's {names}")
    assert not wrong, "\n".join(wrong)


def test_outside_identifiers_are_consistent(graph: Graph) -> None:
    for c in _countries(graph):
        matches = {str(m) for m in graph.objects(c, SKOS.exactMatch)}
        a3 = str(graph.value(c, GMP.iso3166Alpha3))
        assert str(EUCOUNTRY[a3]) in matches, f"{c}: EU authority IRI for {a3} missing"
        assert any(m.startswith(str(GEONAMES)) for m in matches), f"{c}: no GeoNames IRI"


@pytest.mark.parametrize(
    ("qid", "alpha2"),
    [("Q35", "DK"), ("Q145", "GB"), ("Q30", "US"), ("Q813", "KG"), ("Q924", "TZ"), ("Q20", "NO")],
)
def test_wikidata_entities_of_easily_confused_countries(
    graph: Graph, qid: str, alpha2: str
) -> None:
    node = URIRef(f"http://www.wikidata.org/entity/{qid}")
    assert str(graph.value(node, GMP.iso3166Alpha2)) == alpha2
