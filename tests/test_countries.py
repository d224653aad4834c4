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


REGION = "https://w3id.org/mercury-kg/id/region/"


def _within(graph: Graph, place: URIRef) -> set[str]:
    return {str(r).removeprefix(REGION) for r in graph.objects(place, SCHEMA.containedInPlace)}


def test_every_country_lies_in_an_m49_region_of_the_report(build: object) -> None:
    """Each country is in a region, stated (graph:places) or derived (graph:regions)."""
    from graph.namespaces import GMPD

    graph = Graph()
    for name in ("graph/regions", "graph/places"):
        for triple in build.dataset.graph(GMPD[name]):  # type: ignore[attr-defined]
            graph.add(triple)
    countries = {c for c in graph.subjects(SCHEMA.containedInPlace, None)}
    assert len([c for c in countries if "wikidata" in str(c)]) == 32
    kenya = URIRef("http://www.wikidata.org/entity/Q114")
    assert _within(graph, kenya) == {"east-africa", "africa"}
    # Mexico: in Latin America as the report says, and in M49 419 (not in Northern America)
    assert _within(graph, URIRef("http://www.wikidata.org/entity/Q96")) == {"lac", "latin-america"}
    assert _within(graph, URIRef("http://www.wikidata.org/entity/Q30")) == {"north-america"}
    assert _within(graph, URIRef(REGION + "east-africa")) == {"africa"}
    assert _within(graph, URIRef(REGION + "southeast-asia")) == {"asia"}
    # Asia Pacific and Latin America have no M49 code: nothing is derived for them.
    derived = build.dataset.graph(GMPD["graph/regions"])  # type: ignore[attr-defined]
    for region in ("asia-pacific", "latin-america"):
        assert not set(derived.subjects(SCHEMA.containedInPlace, URIRef(REGION + region)))
    assert set(derived.subjects(SCHEMA.containedInPlace, URIRef(REGION + "lac")))


def test_the_regions_graph_cites_the_package(graph: Graph) -> None:
    from rdflib.namespace import PROV

    from graph.namespaces import GMPD

    source = str(graph.value(GMPD["graph/regions"], PROV.wasDerivedFrom))
    assert source.startswith("https://pypi.org/project/country-converter/")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("m49: '404'", "m49: '405'", "M49 405, but country_converter has 404"),
        ("m49_groups: [Eastern Africa]", "m49_groups: [East Africa]", "not a UNregion"),
    ],
)
def test_curated_m49_data_must_agree_with_the_package(
    tmp_path: object, old: str, new: str, message: str
) -> None:
    from pathlib import Path

    from graph.compile.build import build_dataset, data_files
    from graph.compile.yamlsource import DataError

    files = []
    for path in data_files():
        if path.name == "places.yaml":
            text = path.read_text(encoding="utf-8")
            assert old in text
            path = Path(str(tmp_path)) / "places.yaml"
            path.write_text(text.replace(old, new), encoding="utf-8")
        files.append(path)
    with pytest.raises(DataError, match=message) as info:
        build_dataset(files)
    assert "places.yaml:" in str(info.value)
