"""Namespaces and the one prefix map shared by the build, the shapes, the queries and the exports.

Every prefix the project uses is declared here once (see the Turtle and SPARQL sources, which may
rely on this map). Standards: https://www.w3.org/TR/rdf11-concepts/#section-IRIs
"""

from __future__ import annotations

import re

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, TIME, VOID, XSD

GMP = Namespace("https://w3id.org/mercury-kg/def#")
"""The project vocabulary (ontology/gmp.ttl)."""
GMPD = Namespace("https://w3id.org/mercury-kg/id/")
"""The project data: every entity, passage and time node of the graph."""
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
FRAPO = Namespace("http://purl.org/cerif/frapo/")
FABIO = Namespace("http://purl.org/spar/fabio/")
DOCO = Namespace("http://purl.org/spar/doco/")
"""DoCO, the Document Components Ontology: the report's sections, paragraphs and tables."""
EULANG = Namespace("http://publications.europa.eu/resource/authority/language/")
EUCOUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
GEONAMES = Namespace("https://sws.geonames.org/")
FREQ = Namespace("http://purl.org/cld/freq/")
"""DCMI Collection Description Frequency Vocabulary: DCAT's values for dct:accrualPeriodicity."""

DATA_KINDS: dict[str, str] = {
    "area": "area",
    "organisation": "org",
    "membership": "membership",
    "project": "project",
    "activity": "activity",
    "event": "event",
    "flow": "flow",
    "doc": "doc",
    "place": "place",
    "region": "region",
    "highlight": "highlight",
    "improvement": "improvement",
    "action": "action",
    "gap": "gap",
    "need": "need",
    "plan": "plan",
    "target": "target",
    "technology": "technology",
    "mechanism": "mechanism",
    "language": "language",
    "obs": "obs",
    "passage": "passage",
    "report": "report",
    "post": "post",
    "series": "series",
    "software": "software",
    "video": "video",
    "category": "category",
    "scheme": "scheme",
    "dataset": "dataset",
    "graph": "graph",
    "period": "period",
    "section": "section",
    "table": "table",
    "when": "time",
}
"""Short data prefix -> the kind's path under ``gmpd:``: ``area:coal`` is ``gmpd:`` + ``area/coal``.

A prefixed name's local part may not hold ``/``, so ``gmpd:area/coal`` is not SPARQL or Turtle;
one prefix per kind makes every entity writable as ``kind:name``. The prefix is the path segment
except where that would shadow a standard prefix: ``org/`` is ``organisation:`` (``org:`` is
W3C ORG) and ``time/`` is ``when:`` (``time:`` is OWL-Time).
"""

PREFIXES: dict[str, Namespace] = {
    "gmp": GMP,
    "gmpd": GMPD,
    **{prefix: Namespace(f"{GMPD}{segment}/") for prefix, segment in DATA_KINDS.items()},
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "dct": Namespace(str(DCTERMS)),
    "org": Namespace(str(ORG)),
    "prov": Namespace(str(PROV)),
    "time": Namespace(str(TIME)),
    "schema": SCHEMA,
    "oa": OA,
    "qb": Namespace(str(QB)),
    "dcat": Namespace(str(DCAT)),
    "void": Namespace(str(VOID)),
    "wd": WD,
    "qudt": QUDT,
    "unit": UNIT,
    "sdmx-attribute": SDMX_ATTRIBUTE,
    "sh": SH,
    "spdx": SPDX,
    "frapo": FRAPO,
    "fabio": FABIO,
    "doco": DOCO,
    "eulang": EULANG,
    "eucountry": EUCOUNTRY,
    "geonames": GEONAMES,
    "freq": FREQ,
    "vann": Namespace("http://purl.org/vocab/vann/"),
}
"""Prefix -> namespace, in the order exports declare them."""


_PN_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
"""A local name that needs no escapes (SPARQL 1.1 PN_LOCAL, ASCII subset)."""


def shorten(iri: str) -> str:
    """The IRI as ``prefix:local`` with the longest matching namespace, else the IRI unchanged.

    Only local names that are valid without escapes are shortened.

    >>> shorten("https://w3id.org/mercury-kg/id/area/coal")
    'area:coal'
    >>> shorten("https://w3id.org/mercury-kg/id/flow/a/amount")
    'https://w3id.org/mercury-kg/id/flow/a/amount'
    >>> shorten("http://www.wikidata.org/entity/Q813")
    'wd:Q813'
    """
    best = ""
    prefix = ""
    for name, ns in PREFIXES.items():
        if iri.startswith(str(ns)) and len(str(ns)) > len(best):
            best, prefix = str(ns), name
    local = iri[len(best) :]
    if best and (local == "" or _PN_LOCAL.fullmatch(local)):
        return f"{prefix}:{local}"
    return iri


def curie_to_iri(curie: str) -> str | None:
    """Expand ``prefix:local`` with the shared map, or return None for an unknown prefix.

    >>> curie_to_iri("wd:Q813")
    'http://www.wikidata.org/entity/Q813'
    >>> curie_to_iri("nope:x") is None
    True
    """
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        return None
    return str(PREFIXES[prefix]) + local
