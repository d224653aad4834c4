"""Who decides on a submission: the partnership areas it is about, and who leads them.

An area lead reviews the submissions about its own partnership areas (W3C ORG's
``org:OrganizationalCollaboration`` units of the Partnership, https://www.w3.org/TR/vocab-org/);
the secretariat reviews every submission. A submission is about the areas its records name
(``gmp:partnershipArea``, a funded item, a recipient, a related thing or a highlight that is an
area) and the areas of the projects, activities and events they name, one step away in the
published graph.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import ORG, RDF
from rdflib.term import Node

from graph.contrib.accounts import Account
from graph.namespaces import GMP, GMPD

AREA = GMP.PartnershipArea


def areas_of(submission: Graph, published: Graph) -> frozenset[str]:
    """The partnership areas (IRIs) a submission's triples are about."""
    found: set[str] = set()
    records = {s for s in submission.subjects() if isinstance(s, URIRef)}

    def is_area(node: URIRef) -> bool:
        return (node, RDF.type, AREA) in published or (node, RDF.type, AREA) in submission

    for s, _p, o in submission:
        if s not in records or not isinstance(o, URIRef) or (o in records and not is_area(o)):
            continue
        if is_area(o):
            found.add(str(o))
            continue
        for area in published.objects(o, GMP.partnershipArea):
            if isinstance(area, URIRef):
                found.add(str(area))
    for s in records:
        for area in submission.objects(s, GMP.partnershipArea):
            found.add(str(area))
    return frozenset(found)


def deciders(account: Account, areas: frozenset[str]) -> str:
    """Why ``account`` may not decide on a submission about ``areas`` ('' when it may)."""
    if account.reviews(areas):
        return ""
    if account.role == "area-lead":
        if not areas:
            return "this submission is about no partnership area: the secretariat decides on it"
        return "this submission is also about areas you do not lead: the secretariat decides on it"
    return "only the secretariat or the lead of the submission's areas accepts or rejects it"


def sees(account: Account, org: str, areas: frozenset[str]) -> bool:
    """Whether ``account`` may read a pending submission of ``org`` about ``areas``.

    The secretariat reads every one; an organisation its own; an area lead those about any of
    its areas too.
    """
    if account.role == "secretariat" or org == account.org:
        return True
    return account.role == "area-lead" and bool(areas & set(account.areas))


def claims(records: list[str], graph: Graph, org: str, published: Graph) -> list[str]:
    """Records that name other organisations and not the submitter's: its claims about them.

    A record naming no organisation at all (a country, a document's language) claims nothing
    about anyone. Organisations are those typed so in the submission or the published graph.
    """
    mine = URIRef(org)

    def organisation(node: Node) -> bool:
        kind = (node, RDF.type, ORG.Organization)
        return kind in published or kind in graph

    out = []
    for rid in records:
        named = {o for o in graph.objects(GMPD[rid], None) if organisation(o)}
        if named and mine not in named:
            out.append(rid)
    return out
