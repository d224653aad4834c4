"""Standard names of countries and languages in the six UN languages, from pycountry.

pycountry ships ISO 3166-1 (countries) and ISO 639-3 (languages) with the Debian iso-codes
translations; the names become language-tagged ``skos:prefLabel`` and ``rdfs:label``
(https://www.w3.org/TR/skos-reference/#labels: one preferred label per language) on the
entities the curated data already holds, keyed by their ISO code. The curated English label,
the report's own word, stays the English label; nothing else about an entity is added here.
The names live in their own named graph, described with the package and version they come from.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Mapping
from importlib.metadata import version

import pycountry
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from graph.compile.triples import Triples
from graph.namespaces import GMP, SCHEMA

UN_LANGUAGES: dict[str, str] = {"ar": "ar", "zh": "zh_CN", "fr": "fr", "ru": "ru", "es": "es"}
"""The UN languages other than English: our language tag -> the iso-codes locale.

Chinese names come from the ``zh_CN`` catalogue (Simplified Chinese, the UN's script)."""

PACKAGE = URIRef(f"https://pypi.org/project/pycountry/{version('pycountry')}/")
"""The release the names come from (a stable identifier of the package that ships them)."""


def _catalogue(domain: str, locale: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale])


def standard_names(graphs: Mapping[str, Iterable[tuple[Node, Node, Node]]]) -> Triples:
    """Names in ``UN_LANGUAGES`` for the compiled graphs' countries and languages.

    Countries are found by ``gmp:iso3166Alpha2``, languages as ``dct:LinguisticSystem`` with a
    ``schema:identifier``.
    """
    countries: dict[Node, str] = {}
    codes: dict[Node, str] = {}
    languages: set[Node] = set()
    for triples in graphs.values():
        for s, p, o in triples:
            if p == GMP.iso3166Alpha2:
                countries[s] = str(o)
            elif p == SCHEMA.identifier:
                codes[s] = str(o)
            elif p == RDF.type and o == DCTERMS.LinguisticSystem:
                languages.add(s)
    out = Triples()
    for tag, locale in UN_LANGUAGES.items():
        country_names = _catalogue("iso3166-1", locale)
        for node, alpha2 in sorted(countries.items(), key=lambda item: str(item[0])):
            country = pycountry.countries.get(alpha_2=alpha2)
            if country is not None:
                name = getattr(country, "common_name", None) or country.name
                _label(out, node, country_names.gettext(name), tag)
        language_names = _catalogue("iso639-3", locale)
        for node in sorted(languages, key=str):
            language = pycountry.languages.get(alpha_2=codes.get(node, ""))
            if language is not None:
                _label(out, node, language_names.gettext(language.name), tag)
    return out


def _label(out: Triples, node: Node, name: str, tag: str) -> None:
    out.add(node, SKOS.prefLabel, Literal(name, lang=tag))
    out.add(node, RDFS.label, Literal(name, lang=tag))


def describe(out: Triples, graph: URIRef) -> None:
    """Say where the names graph comes from."""
    out.add(graph, RDF.type, PROV.Entity)
    out.add(
        graph,
        RDFS.label,
        Literal(
            "Country and language names in Arabic, Chinese, French, Russian and Spanish"
            " (ISO 3166-1, ISO 639-3, Debian iso-codes translations, via pycountry)",
            lang="en",
        ),
    )
    out.add(graph, PROV.wasDerivedFrom, PACKAGE)
    out.add(graph, DCTERMS.source, PACKAGE)
