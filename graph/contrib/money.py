"""Money counted once: whether two reports of funding may be the same money, across currencies.

One grant is often reported twice: by its donor ("we granted USD 500,000 to UNEP") and by its
recipient ("we received EUR 380,000 from Norway"). OCHA's Financial Tracking Service reconciles
such reports so each contribution counts once; IATI lets a funder's outgoing and a recipient's
incoming transaction name each other. Here two funding flows *may* be the same money when

- they share a funder, or the funder of one is the recipient or channel of the other (the money
  passed on: donor, channel, recipient),
- they share a recipient or channel, a funded item, or the partnership area of their items,
- their dates overlap (an unstated date may overlap anything),
- their countries overlap (when both name countries), and
- their amounts are within ``TOLERANCE`` once converted at the European Central Bank's reference
  rate of the flow's date (``graph.rates``, shipped offline), the rate and its date stated in
  the warning. Amounts in a currency the ECB has no rate for cannot be compared: such a pair
  is asked about on the other grounds alone.

A pair already linked (``gmp:sameMoneyAs`` or ``gmp:differentMoneyFrom``) is decided and not
asked again. Deciding is someone's statement: a partner's record (``same_money_as``) or the
reviewer who accepts (a ``gmp:MoneyDecision``, ``graph.contrib.workflow``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, TIME, XSD
from rdflib.term import Node

from graph.namespaces import GMP, GMPD, SCHEMA
from graph.rates import Rates

TOLERANCE = Decimal("0.05")
"""How far apart two amounts may be (a share of the larger) and still be the same money."""


def short(iri: Node) -> str:
    """A node of ours without the data namespace."""
    return str(iri).removeprefix(str(GMPD))


@dataclass(frozen=True)
class Flow:
    """The parts of a funding flow that tell whether two reports are of the same money."""

    iri: Node
    label: str
    funder: frozenset[Node]
    receiver: frozenset[Node]
    """Its recipients and channels."""
    places: frozenset[Node]
    """The places it or its funded items are for (``dct:spatial``)."""
    item: frozenset[Node]
    area: frozenset[Node]
    """The partnership areas of its funded items (an area funded directly is its own)."""
    amount: Decimal | None
    currency: str | None
    earliest: date | None
    latest: date | None
    decided: frozenset[Node]
    """Flows it is stated to be the same money as, or different money from."""
    money: Node | None = None
    """The first flow (by IRI) of those its graph states to be the same money as it."""

    @property
    def group(self) -> Node:
        """What it is counted as: its money, else itself."""
        return self.money if self.money is not None else self.iri


def _first(graph: Graph, context: Graph | None, s: Node, p: Node) -> list[Node]:
    found = list(graph.objects(s, p))
    if not found and context is not None:
        found = list(context.objects(s, p))
    return found


def moneys(graph: Graph) -> dict[Node, Node]:
    """Each flow linked by ``gmp:sameMoneyAs`` (either way, through others) to its first by IRI."""
    parent: dict[Node, Node] = {}

    def root(n: Node) -> Node:
        while parent.get(n, n) != n:
            n = parent[n]
        return n

    for a, b in graph.subject_objects(GMP.sameMoneyAs):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb, key=str)] = min(ra, rb, key=str)
    return {n: root(n) for n in {*parent, *parent.values()}}


def flows(graph: Graph, context: Graph | None = None) -> list[Flow]:
    """The funding flows of a graph (``context``, the published graph, for the items' areas)."""
    out = []
    same = moneys(graph)
    for flow in set(graph.subjects(RDF.type, GMP.FundingFlow)):
        value: Decimal | None = None
        currency = None
        for amount in graph.objects(flow, SCHEMA.amount):
            v, c = graph.value(amount, SCHEMA.value), graph.value(amount, SCHEMA.currency)
            if isinstance(v, Literal):
                value = Decimal(str(v))
            currency = str(c) if c is not None else None
        earliest = latest = None
        for t in graph.objects(flow, TIME.hasTime):
            e, la = graph.value(t, GMP.earliest), graph.value(t, GMP.latest)
            earliest = e.toPython() if isinstance(e, Literal) else None
            latest = la.toPython() if isinstance(la, Literal) else None
        items = frozenset(graph.objects(flow, SCHEMA.fundedItem))
        areas: set[Node] = set()
        places = set(graph.objects(flow, DCTERMS.spatial))
        for item in items:
            places.update(_first(graph, context, item, DCTERMS.spatial))
            if GMP.PartnershipArea in _first(graph, context, item, RDF.type):
                areas.add(item)
            areas.update(_first(graph, context, item, GMP.partnershipArea))
        out.append(
            Flow(
                flow,
                str(graph.value(flow, RDFS.label) or ""),
                frozenset(graph.objects(flow, SCHEMA.funder)),
                frozenset(graph.objects(flow, GMP.recipient))
                | frozenset(graph.objects(flow, GMP.channel)),
                frozenset(places),
                items,
                frozenset(areas),
                value,
                currency,
                earliest if isinstance(earliest, date) else None,
                latest if isinstance(latest, date) else None,
                frozenset(graph.objects(flow, GMP.sameMoneyAs))
                | frozenset(graph.objects(flow, GMP.differentMoneyFrom)),
                same.get(flow, flow),
            )
        )
    return sorted(out, key=lambda f: str(f.iri))


def _words(flow: Flow) -> str:
    amount = f"{flow.currency} {flow.amount:,f}" if flow.amount is not None else "no amount"
    named = f"“{flow.label}”, " if flow.label else ""
    return f"{short(flow.iri)} ({named}{amount})"


def matching(a: Flow, b: Flow) -> str | None:
    """Why ``a`` and ``b`` may be the same money, or None when they cannot be."""
    if a.iri in b.decided or b.iri in a.decided:
        return None
    if a.funder & b.funder:
        shared = ["same funder"]
    elif a.funder & b.receiver or b.funder & a.receiver:
        shared = ["money passed on (the funder of one is the recipient of the other)"]
    else:
        return None
    shared += [
        f"same {what}"
        for what, x, y in (
            ("recipient", a.receiver, b.receiver),
            ("funded item", a.item, b.item),
            ("partnership area", a.area, b.area),
        )
        if x & y
    ]
    if len(shared) == 1:
        return None
    if (a.earliest and b.latest and a.earliest > b.latest) or (
        b.earliest and a.latest and b.earliest > a.latest
    ):
        return None
    if a.places and b.places and not a.places & b.places:
        return None
    if a.amount is None or b.amount is None or not a.currency or not b.currency:
        return None
    x, y, conversion = a.amount, b.amount, ""
    if a.currency != b.currency:
        try:
            converted = Rates.convert(b.amount, b.currency, a.currency, b.earliest or a.earliest)
        except ValueError as exc:  # the reviewer compares what no rate converts
            return (
                f"{', '.join(shared)}, dates that overlap; the amounts cannot be compared ({exc})"
            )
        y = converted.amount
        conversion = f"; {b.currency} {b.amount:,f} is {a.currency} {y:,f} at {converted.words()}"
    larger = max(abs(x), abs(y))
    if larger and abs(x - y) / larger > TOLERANCE:
        return None
    return f"{', '.join(shared)}, dates that overlap, amounts within {TOLERANCE:.0%}{conversion}"


class Parties:
    """Flows by the organisations they name, to compare a flow only with those that may match.

    ``matching`` needs a shared funder, or the funder of one being the recipient of the other.
    """

    def __init__(self, others: list[Flow]) -> None:
        self.others = others
        self.funded: dict[Node, list[int]] = {}
        self.received: dict[Node, list[int]] = {}
        self.decided: dict[Node, set[Node]] = {}
        """For a flow, the money groups that a decision about it sets aside."""
        self.group: dict[Node, Node] = {}
        self.amounts: dict[str, list[tuple[Decimal, int]]] = {}
        """Each currency's flows by amount (one outside the tolerance cannot match)."""
        for n, o in enumerate(others):
            self.group[o.iri] = o.group
            if o.amount is not None and o.currency:
                self.amounts.setdefault(o.currency, []).append((o.amount, n))
            for who in o.funder:
                self.funded.setdefault(who, []).append(n)
            for who in o.receiver:
                self.received.setdefault(who, []).append(n)
            for iri in o.decided:
                self.decided.setdefault(iri, set()).add(o.group)
        self.sort()

    def sort(self) -> None:
        """Order each currency's amounts (done once, after the flows are in)."""
        for ranked in self.amounts.values():
            ranked.sort()

    def candidates(self, flow: Flow) -> list[tuple[Flow, str]]:
        """The flows ``flow`` may be the same money as, and why: one per money.

        Reports already stated to be the same money are one question (the first that matches),
        and a money any of whose reports is decided about ``flow`` is not asked again. Only the
        flows that share a party with it, and in its currency an amount within the tolerance,
        are compared.
        """
        near: set[int] = set()
        for who in flow.funder:
            near.update(self.funded.get(who, ()))
            near.update(self.received.get(who, ()))
        for who in flow.receiver:
            near.update(self.funded.get(who, ()))
        if flow.amount is not None and flow.currency in self.amounts:
            ranked = self.amounts[flow.currency]
            low = bisect.bisect_left(ranked, (abs(flow.amount) * (1 - TOLERANCE), -1))
            high = bisect.bisect_right(ranked, (abs(flow.amount) / (1 - TOLERANCE), len(ranked)))
            near = {n for n in near if self.others[n].currency != flow.currency} | (
                near & {n for _a, n in ranked[low:high]}
            )
        decided = {flow.group, *self.decided.get(flow.iri, ())}
        decided |= {self.group[i] for i in flow.decided if i in self.group}
        out = []
        for n in sorted(near):
            other = self.others[n]
            if other.iri == flow.iri or other.group in decided:
                continue
            why = matching(flow, other)
            if why is not None:
                decided.add(other.group)
                out.append((other, why))
        return out


def double_reporting(
    new: Graph, sources: list[tuple[str, list[Flow]]], context: Graph | None = None
) -> list[dict[str, Any]]:
    """Warnings for each new flow that may be money already reported elsewhere."""
    warnings = []
    indexed = [(name, Parties(others)) for name, others in sources]
    for flow in flows(new, context):
        for name, parties in indexed:
            for other, why in parties.candidates(flow):
                warnings.append(
                    {
                        "kind": "double-reporting",
                        "flow": short(flow.iri),
                        "other": short(other.iri),
                        "source": name,
                        "message": (
                            f"{_words(flow)} may report the same money as {_words(other)} "
                            f"({name}): {why}. Say which when accepting: the same money "
                            "(counted once) or different money (both counted)."
                        ),
                    }
                )
    return warnings


def open_questions(sub: Graph, published: Graph) -> list[tuple[str, str, str]]:
    """What a reviewer must decide to accept a submission.

    The pairs (a submission's flow, a published flow, why they may match) that may be the same
    money and that nothing decides yet.
    """
    known = Parties(flows(published))
    out = []
    for flow in flows(sub, published):
        for other, why in known.candidates(flow):
            out.append(
                (
                    short(flow.iri),
                    short(other.iri),
                    f"{_words(flow)} and {_words(other)}: {why}",
                )
            )
    return sorted(out)


def decision_triples(
    node: URIRef, reviewer: URIRef, at: str, decisions: dict[tuple[str, str], bool]
) -> list[tuple[Node, Node, Node]]:
    """The triples a reviewer's decisions add: the links, and a ``gmp:MoneyDecision`` each."""
    out: list[tuple[Node, Node, Node]] = []
    for n, ((a, b), same) in enumerate(sorted(decisions.items()), start=1):
        flow, other = GMPD[a], GMPD[b]
        decision = URIRef(f"{node}/money-decision-{n}")
        out += [
            (flow, GMP.sameMoneyAs if same else GMP.differentMoneyFrom, other),
            (decision, RDF.type, GMP.MoneyDecision),
            (decision, RDF.type, PROV.Entity),
            (decision, RDF.subject, flow),
            (decision, RDF.predicate, GMP.sameMoneyAs if same else GMP.differentMoneyFrom),
            (decision, RDF.object, other),
            (decision, PROV.wasAttributedTo, reviewer),
            (decision, PROV.generatedAtTime, Literal(at, datatype=XSD.dateTime)),
            (
                decision,
                RDFS.label,
                Literal(
                    f"{a} and {b}: {'the same money' if same else 'different money'}", lang="en"
                ),
            ),
        ]
    return out


def decisions_in(graph: Graph) -> dict[tuple[str, str], bool]:
    """The reviewer's decisions a published submission's graph holds (its money decisions)."""
    out = {}
    for node in graph.subjects(RDF.type, GMP.MoneyDecision):
        a, p, b = (graph.value(node, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if a is not None and b is not None:
            out[(short(a), short(b))] = p == GMP.sameMoneyAs
    return out


def decisions_of(fields: dict[str, str]) -> dict[tuple[str, str], bool]:
    """A reviewer's decisions from the fields of a form or JSON body.

    ``money:FLOW:OTHER`` fields whose value is ``same`` (True) or ``different`` (False); other
    fields are not decisions.

    Raises:
        ValueError: a ``money:`` field of another shape or value.
    """
    decided = {}
    for key, value in fields.items():
        if not key.startswith("money:"):
            continue
        _, first, second = [*key.split(":", 2), "", ""][:3]
        if not first or not second or value not in ("same", "different"):
            raise ValueError(f'{key!r:.80}: write "money:FLOW:OTHER": "same" or "different"')
        decided[(first, second)] = value == "same"
    return decided


def undecided(
    questions: list[tuple[str, str, str]], decided: dict[tuple[str, str], bool]
) -> str | None:
    """Why these decisions do not let the submission be accepted, or None when they do."""
    asked = {frozenset(q[:2]) for q in questions}
    stray = [pair for pair in decided if frozenset(pair) not in asked]
    if stray:
        return f"nothing asks whether {' and '.join(stray[0])} are the same money"
    missing = [(a, b) for a, b, _ in questions if (a, b) not in decided and (b, a) not in decided]
    if missing:
        pairs = "; ".join(f"{a} and {b}" for a, b in missing)
        return (
            f"decide first whether these are the same money: {pairs} (accept with "
            f'"money:{missing[0][0]}:{missing[0][1]}": "same" or "different")'
        )
    return None
