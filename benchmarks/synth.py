"""Synthetic partnership graphs that follow the ontology and pass the shapes, at any size.

The real graph is the seed (so every named query's example parameters exist); on top of it, each
synthetic "unit" adds an organisation, a project in a partnership area with 1-5 countries, a
funder and an implementer, a funding flow with an amount, and every few units a partner
membership and an event - about 40 triples a unit, each fact citing a real passage.
Usage: ``python benchmarks/synth.py 100000 > synth.nq``.
"""

from __future__ import annotations

import calendar
import random
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, TIME, XSD
from rdflib.term import Node

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.compile.build import Build, build_dataset
from graph.namespaces import GMP, GMPD, SCHEMA

Quad = tuple[Node, Node, Node, URIRef]
SYNTH = GMPD["graph/synthetic"]
AREAS = [
    "asgm",
    "chlor-alkali",
    "air-transport",
    "products",
    "coal",
    "waste",
    "supply-storage",
    "cement",
]
# countries of the real graph (Norway, Japan, Kyrgyzstan, South Africa): a government's jurisdiction
COUNTRIES = [URIRef(f"http://www.wikidata.org/entity/{q}") for q in ("Q20", "Q17", "Q813", "Q258")]
STATUSES = ["planned", "in-preparation", "ongoing", "completed"]
TRANSACTIONS = ["granted", "contributed", "approved", "received", "funded"]
APPROX = ["exact", "about", "almost"]


def synthetic_quads(base: Build, target: int, seed: int = 7) -> Iterator[Quad]:
    """The base dataset's quads, then synthetic units until about ``target`` quads in all."""
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    count = 0
    for s, p, o, g in base.dataset.quads((None, None, None, None)):
        count += 1
        yield (s, p, o, g)  # type: ignore[misc]
    typed = base.dataset.quads((None, RDF.type, None, None))
    by_type: dict[object, set[URIRef]] = {}
    for s, _, o, _ in typed:
        by_type.setdefault(o, set()).add(s)  # type: ignore[arg-type]
    countries = sorted(by_type[SCHEMA.Country])
    passages = sorted(by_type[GMP.Passage])
    unit = 0
    times: set[URIRef] = set()
    while count < target:
        for quad in _unit(unit, rnd, countries, passages, times):
            count += 1
            yield quad
        unit += 1


def _unit(
    i: int, rnd: random.Random, countries: list[URIRef], passages: list[URIRef], times: set[URIRef]
) -> Iterator[Quad]:
    org, project, flow = GMPD[f"synth/org/{i}"], GMPD[f"synth/project/{i}"], GMPD[f"synth/flow/{i}"]
    amount = URIRef(f"{flow}/amount")
    year = rnd.randint(2009, 2012)
    month = rnd.randint(1, 12)
    when = GMPD[f"synth/time/{year}-{month:02d}"]
    cite = rnd.choice(passages)
    area = GMPD[f"area/{rnd.choice(AREAS)}"]
    funder = GMPD[f"synth/org/{rnd.randrange(i + 1)}"]

    def t(s: URIRef, p: URIRef, o: Node) -> Quad:
        return (s, p, o, SYNTH)

    yield t(org, RDF.type, ORG.Organization)
    yield t(org, RDF.type, SCHEMA.Organization)
    yield t(org, SKOS.prefLabel, Literal(f"Synthetic organisation {i}", lang="en"))
    yield t(org, RDFS.label, Literal(f"Synthetic organisation {i}", lang="en"))
    kind = rnd.choice(["pt-government", "pt-igo", "pt-ngo", "pt-other"])
    yield t(org, GMP.organisationType, GMP[kind])
    if kind == "pt-government":  # a government partner is a government (gmps:GovernmentsTyped)
        yield t(org, RDF.type, SCHEMA.GovernmentOrganization)
        yield t(org, GMP.jurisdiction, COUNTRIES[i % len(COUNTRIES)])  # gmps:GovernmentShape
    yield t(org, PROV.wasDerivedFrom, cite)
    yield t(project, RDF.type, GMP.Project)
    yield t(project, RDF.type, ORG.OrganizationalCollaboration)
    yield t(project, RDF.type, ORG.Organization)
    yield t(project, SKOS.prefLabel, Literal(f"Synthetic project {i}", lang="en"))
    yield t(project, RDFS.label, Literal(f"Synthetic project {i}", lang="en"))
    yield t(project, GMP.partnershipArea, area)
    yield t(project, GMP.status, GMP[f"status-{rnd.choice(STATUSES[2:])}"])
    yield t(project, SCHEMA.funder, funder)
    yield t(project, GMP.implementer, org)
    yield t(project, TIME.hasTime, when)
    yield t(project, PROV.wasDerivedFrom, cite)
    for c in rnd.sample(countries, rnd.randint(1, 5)):
        yield t(project, DCTERMS.spatial, c)
    yield t(flow, RDF.type, GMP.FundingFlow)
    yield t(flow, SKOS.prefLabel, Literal(f"Synthetic funding flow {i}", lang="en"))
    yield t(flow, RDFS.label, Literal(f"Synthetic funding flow {i}", lang="en"))
    yield t(flow, SCHEMA.funder, funder)
    yield t(flow, SCHEMA.fundedItem, project)
    yield t(flow, GMP.transactionType, GMP[f"tt-{rnd.choice(TRANSACTIONS)}"])
    yield t(flow, DCTERMS.spatial, rnd.choice(countries))
    yield t(flow, TIME.hasTime, when)
    yield t(flow, PROV.wasDerivedFrom, cite)
    approx = rnd.choice(APPROX)
    value = Literal(Decimal(rnd.randrange(10, 5000) * 1000), datatype=XSD.decimal)
    yield t(flow, SCHEMA.amount, amount)
    yield t(amount, RDF.type, SCHEMA.MonetaryAmount)
    yield t(amount, SCHEMA.value, value)
    yield t(amount, SCHEMA.currency, Literal("USD"))
    yield t(amount, GMP.approximation, GMP[f"approx-{approx}"])
    if approx == "almost":
        yield t(amount, SCHEMA.maxValue, value)
    yield t(amount, GMP.verbatim, Literal(f"{approx} {value}"))
    if when not in times:
        times.add(when)
        yield t(when, RDF.type, TIME.Instant)
        yield t(when, RDFS.label, Literal(f"{year}-{month:02d}", lang="en"))
        yield t(when, TIME.inXSDgYearMonth, Literal(f"{year}-{month:02d}", datatype=XSD.gYearMonth))
        yield t(when, GMP.earliest, Literal(f"{year}-{month:02d}-01", datatype=XSD.date))
        last = calendar.monthrange(year, month)[1]
        yield t(when, GMP.latest, Literal(f"{year}-{month:02d}-{last}", datatype=XSD.date))
    if i % 10 == 0:
        m = GMPD[f"synth/membership/{i}"]
        yield t(m, RDF.type, ORG.Membership)
        yield t(m, SKOS.prefLabel, Literal(f"Synthetic partner {i}", lang="en"))
        yield t(m, RDFS.label, Literal(f"Synthetic partner {i}", lang="en"))
        yield t(m, ORG.member, org)
        yield t(m, ORG.organization, GMPD["gmp"])
        yield t(m, ORG.role, GMP.Partner)
        yield t(m, PROV.wasDerivedFrom, cite)
    if i % 5 == 0:
        e = GMPD[f"synth/event/{i}"]
        yield t(e, RDF.type, SCHEMA.Event)
        yield t(e, SKOS.prefLabel, Literal(f"Synthetic event {i}", lang="en"))
        yield t(e, RDFS.label, Literal(f"Synthetic event {i}", lang="en"))
        yield t(e, GMP.partnershipArea, area)
        yield t(e, SCHEMA.organizer, org)
        yield t(e, TIME.hasTime, when)
        yield t(e, GMP.status, GMP[f"status-{rnd.choice(STATUSES)}"])
        yield t(e, DCTERMS.spatial, rnd.choice(countries))
        yield t(e, PROV.wasDerivedFrom, cite)


def main() -> None:
    """Write N-Quads of a synthetic graph of about argv[1] quads to stdout."""
    import pyoxigraph as ox

    from graph.oxi import store_from

    target = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    store = store_from(synthetic_quads(build_dataset(), target))
    sys.stdout.buffer.write(store.dump(format=ox.RdfFormat.N_QUADS) or b"")


if __name__ == "__main__":
    main()
