"""Describe the dataset (VoID, DCAT) and the SPARQL endpoint (SPARQL 1.1 Service Description).

VoID: https://www.w3.org/TR/void/ ; DCAT 3: https://www.w3.org/TR/vocab-dcat-3/ ;
Service Description: https://www.w3.org/TR/sparql11-service-description/
"""

from __future__ import annotations

from collections import Counter

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, TIME, VOID, XSD

from graph.compile.passages import REPORT
from graph.namespaces import GMP, GMPD, PREFIXES, SH, WD

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
DATASET = GMPD["dataset"]
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DUMPS = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "trig": "application/trig",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}


def _graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    g.bind("sd", SD)
    return g


def _coverage(dataset: Dataset) -> tuple[Literal, Literal] | None:
    """The first and last day of the reporting periods the dataset holds (its temporal coverage)."""
    starts: list[str] = []
    ends: list[str] = []
    for period, _p, _o, _g in dataset.quads((None, RDF.type, GMP.ReportingPeriod, None)):
        for _s, _p2, interval, _g2 in dataset.quads((period, TIME.hasTime, None, None)):
            starts += [str(o) for *_a, o, _c in dataset.quads((interval, GMP.earliest, None, None))]
            ends += [str(o) for *_a, o, _c in dataset.quads((interval, GMP.latest, None, None))]
    if not starts or not ends:
        return None
    return Literal(min(starts), datatype=XSD.date), Literal(max(ends), datatype=XSD.date)


def describe_dataset(
    dataset: Dataset, base: str, revision: int = 0, modified: str | None = None
) -> Graph:
    """VoID + DCAT description: size, classes, vocabularies, links to Wikidata, dumps, endpoint.

    ``revision`` counts the accepted and retracted contributions published so far (DCAT 3
    ``dcat:version``); ``modified`` is when the last of them was (``dct:modified``).
    """
    g = _graph()
    triples = sum(1 for _ in dataset.quads((None, None, None, None)))
    classes: Counter[URIRef] = Counter()
    subjects: set[object] = set()
    wikidata_links = 0
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        subjects.add(s)
        if p == RDF.type and isinstance(o, URIRef):
            classes[o] += 1
        if isinstance(o, URIRef) and str(o).startswith(str(WD)) and p != RDF.type:
            wikidata_links += 1
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.title, Literal("UNEP Global Mercury Partnership knowledge graph", lang="en")))
    g.add(
        (
            d,
            DCTERMS.description,
            Literal(
                "Every fact of the UNEP Global Mercury Partnership's progress reports and of its "
                "partners' accepted contributions, each citing the verbatim passage it comes "
                "from.",
                lang="en",
            ),
        )
    )
    g.add((d, DCTERMS.license, LICENSE))
    g.add((d, DCTERMS.source, REPORT))
    covered = _coverage(dataset)
    if covered is not None:
        temporal = BNode()
        g.add((d, DCTERMS.temporal, temporal))
        g.add((temporal, RDF.type, DCTERMS.PeriodOfTime))
        g.add((temporal, DCAT.startDate, covered[0]))
        g.add((temporal, DCAT.endDate, covered[1]))
    g.add((d, URIRef(f"{DCAT}version"), Literal(str(revision))))  # DCAT 3
    if modified:
        g.add((d, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    g.add((d, VOID.triples, Literal(triples)))
    g.add((d, VOID.distinctSubjects, Literal(len(subjects))))
    g.add((d, VOID.uriSpace, Literal(str(GMPD))))
    g.add((d, VOID.sparqlEndpoint, URIRef(f"{base}/sparql")))
    g.add((d, VOID.exampleResource, GMPD["area/coal"]))
    for prefix in ("org", "prov", "time", "skos", "dct", "schema", "qb", "oa", "gmp"):
        g.add((d, VOID.vocabulary, URIRef(str(PREFIXES[prefix]))))
    for cls, n in sorted(classes.items()):
        part = BNode()
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(n)))
    links = GMPD["dataset/links/wikidata"]
    g.add((d, VOID.subset, links))
    g.add((links, RDF.type, VOID.Linkset))
    g.add((links, VOID.subjectsTarget, d))
    g.add((links, VOID.objectsTarget, URIRef("http://www.wikidata.org/")))
    g.add((links, VOID.triples, Literal(wikidata_links)))
    for ext, media in DUMPS.items():
        dist = URIRef(f"{base}/dataset.{ext}")
        g.add((d, VOID.dataDump, dist))
        g.add((d, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, dist))
        g.add(
            (dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}"))
        )
    service = URIRef(f"{base}/sparql")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.servesDataset, d))
    g.add((service, RDFS.label, Literal("SPARQL 1.1 endpoint (read-only)", lang="en")))
    return g


def sd(local: str) -> URIRef:
    """A term of the Service Description vocabulary."""
    return URIRef(SD + local)


def describe_service(dataset: Dataset, base: str) -> Graph:
    """The SPARQL 1.1 Service Description of ``/sparql`` (no federation is advertised).

    The predeclared prefixes are listed as SHACL prefix declarations (``sh:declare``,
    https://www.w3.org/TR/shacl/#sparql-prefixes), the vocabulary that has one for them.
    """
    g = _graph()
    s = URIRef(f"{base}/sparql")
    g.add((s, RDF.type, sd("Service")))
    g.add((s, sd("endpoint"), s))
    g.add((s, sd("supportedLanguage"), sd("SPARQL11Query")))
    g.add((s, sd("feature"), sd("UnionDefaultGraph")))
    for prefix, ns in PREFIXES.items():  # predeclared in every query (SHACL prefix declarations)
        declared = BNode()
        g.add((s, SH.declare, declared))
        g.add((declared, SH.prefix, Literal(prefix)))
        g.add((declared, SH.namespace, Literal(str(ns), datatype=XSD.anyURI)))
    for fmt in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
        "TriG",
        "N-Quads",
    ):
        g.add((s, sd("resultFormat"), URIRef(FORMATS + fmt)))
    default = BNode()
    g.add((s, sd("defaultDataset"), default))
    g.add((default, RDF.type, sd("Dataset")))
    g.add((default, DCTERMS.source, DATASET))
    union = BNode()
    g.add((default, sd("defaultGraph"), union))
    g.add((union, RDF.type, sd("Graph")))
    g.add((union, VOID.triples, Literal(sum(len(c) for c in dataset.graphs()))))
    for ctx in sorted(dataset.graphs(), key=lambda c: str(c.identifier)):
        if not len(ctx):
            continue
        named, graph = BNode(), BNode()
        g.add((default, sd("namedGraph"), named))
        g.add((named, RDF.type, sd("NamedGraph")))
        g.add((named, sd("name"), ctx.identifier))
        g.add((named, sd("graph"), graph))
        g.add((graph, RDF.type, sd("Graph")))
        g.add((graph, VOID.triples, Literal(len(ctx))))
    return g
