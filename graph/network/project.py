"""Project the knowledge graph onto networks (networkx) and compute their metrics.

Nodes are organisations, partnership areas, projects, activities, events, countries and funding
mechanisms; edges are typed (lead, co-lead, co-chair, funds, implements, coordinates, partners
with, supports, organised, in area, located in) and carry the IRI of the fact they come from, an
amount and day bounds where the report gives them. Views: the whole network, donors -> areas ->
countries, an as-of date, the neighbourhood of a resource, and organisation co-involvement; metrics
become node data. ``graph.network.export`` writes the views out. NetworkX:
https://networkx.org/documentation/stable/reference/algorithms/centrality.html
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import URIRef

from graph import paths
from graph.namespaces import shorten
from graph.network.betweenness import betweenness
from graph.query.catalog import parse_file
from graph.query.engine import Engine

NETWORK_QUERIES = paths.QUERIES_DIR / "network"
KINDS = (
    "organisation",
    "area",
    "project",
    "activity",
    "event",
    "country",
    "funding mechanism",
)
VIEWS = ("full", "donors", "coinvolvement")
METRICS = ("degree", "weighted_degree", "betweenness")


def _text(path: Path) -> str:
    return parse_file(path).text


def _s(cell: object) -> str | None:
    """A cell's lexical form or IRI (pyoxigraph or rdflib term), None when unbound."""
    return None if cell is None else str(getattr(cell, "value", cell))


def project(engine: Engine) -> nx.MultiDiGraph:
    """The whole partnership network: typed nodes, typed edges that name their fact."""
    g = nx.MultiDiGraph()
    nodes = engine.select(_text(NETWORK_QUERIES / "nodes.rq")).cells
    for node, kind, label in sorted((_s(n), _s(k), _s(lb)) for n, k, lb in nodes):
        g.add_node(node, kind=kind, label=label)
    edges = [
        tuple(_s(c) for c in row)
        for row in engine.select(_text(NETWORK_QUERIES / "edges.rq")).cells
    ]
    edges.sort(key=lambda e: tuple(c or "" for c in e))  # the same order in every process
    for source, relation, target, fact, amount, start, end in edges:
        if source not in g or target not in g:
            continue
        attrs: dict[str, Any] = {"relation": relation, "fact": fact}
        if amount is not None:
            attrs["amount"] = float(amount)
        if start is not None:
            attrs["start"] = start
        if end is not None:
            attrs["end"] = end
        g.add_edge(source, target, key=f"{relation}|{fact}", **attrs)
    return g


def donors(engine: Engine) -> nx.DiGraph:
    """Donors -> areas -> countries, from the named query ``donors_areas_countries``.

    A donor links to an area when it funds the area or work in it; the area links to each country
    that funded work targets. ``weight`` counts distinct funding flows; ``facts`` lists their IRIs
    (space-separated, so that every export format can carry them). Amounts stay on the flows.
    """
    result = engine.select(_text(paths.QUERIES_DIR / "donors_areas_countries.rq"))
    col = {v: i for i, v in enumerate(result.variables)}
    flows: dict[tuple[str, str, str], set[str]] = {}
    for row in result.cells:
        funder, area, flow = (_s(row[col[k]]) for k in ("funder", "area", "flow"))
        country = _s(row[col["country"]])
        if funder is None or area is None or flow is None:  # the query's WHERE binds them
            continue
        flows.setdefault((funder, "funds work in", area), set()).add(flow)
        if country is not None:
            flows.setdefault((area, "funded work in", country), set()).add(flow)
    g = nx.DiGraph()
    ends = {n for s, _, t in flows for n in (s, t)}
    labels = engine.labels([URIRef(n) for n in ends])
    kinds = {s: "organisation" for s, r, _ in flows if r == "funds work in"}
    kinds |= {t: "area" for _, r, t in flows if r == "funds work in"}
    kinds |= {t: "country" for _, r, t in flows if r == "funded work in"}
    layer = {"organisation": 0, "area": 1, "country": 2}
    for n in sorted(ends):
        g.add_node(n, kind=kinds[n], label=labels.get(URIRef(n), n), layer=layer[kinds[n]])
    for (s, rel, t), facts in sorted(flows.items()):
        g.add_edge(s, t, relation=rel, weight=len(facts), facts=" ".join(sorted(facts)))
    return g


def as_of(g: nx.MultiDiGraph, day: date) -> nx.MultiDiGraph:
    """Only the edges that may hold on the day (an unstated start or end does not exclude)."""
    text = day.isoformat()
    h = g.copy()
    drop = [
        (u, v, k)
        for u, v, k, d in g.edges(keys=True, data=True)
        if ("start" in d and d["start"] > text) or ("end" in d and d["end"] < text)
    ]
    h.remove_edges_from(drop)
    return h


def of_facts(g: nx.Graph, keep: Callable[[str], bool]) -> nx.Graph:
    """Only the links whose facts ``keep`` accepts (a report's period), with their nodes.

    The metrics are computed again; a donors link keeps the flows accepted, its weight their
    number.
    """
    h = g.copy()
    for u, v, *rest in list(
        h.edges(keys=True, data=True) if h.is_multigraph() else h.edges(data=True)
    ):
        data = rest[-1]
        if "fact" in data:
            if not keep(data["fact"]):
                h.remove_edge(u, v, *rest[:-1])
            continue
        facts = [f for f in str(data.get("facts", "")).split() if keep(f)]
        if not facts:
            h.remove_edge(u, v, *rest[:-1])
        else:
            data["facts"], data["weight"] = " ".join(facts), len(facts)
    h.remove_nodes_from([n for n in list(h) if h.degree(n) == 0])
    add_metrics(h)
    return h


def neighbourhood(g: nx.MultiDiGraph, focus: str, depth: int) -> nx.MultiDiGraph:
    """The nodes within ``depth`` links of ``focus`` (either direction) and the links among them."""
    if focus not in g:
        raise KeyError(f"{shorten(focus)} is not a node of the network")
    reach = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), focus, depth)
    return g.subgraph(reach).copy()


def co_involvement(g: nx.MultiDiGraph) -> nx.Graph:
    """Organisations linked when they share an area or a piece of work; weight = how many.

    Built from each shared item's organisations (an inverted index), so the cost follows the
    pairs that exist, not all pairs of organisations.
    """
    members: dict[str, set[str]] = {}
    for u, v in g.edges():
        if g.nodes[u].get("kind") == "organisation" and g.nodes[v].get("kind") != "organisation":
            members.setdefault(v, set()).add(u)
    h = nx.Graph()
    for org in sorted({o for orgs in members.values() for o in orgs}):
        h.add_node(org, **g.nodes[org])
    weight: Counter[tuple[str, str]] = Counter()
    for orgs in members.values():
        ranked = sorted(orgs)
        for i, a in enumerate(ranked):
            for b in ranked[i + 1 :]:
                weight[a, b] += 1
    for (a, b), w in sorted(weight.items()):
        h.add_edge(a, b, weight=w, relation="co-involved")
    return h


EXACT_BETWEENNESS = 1000
"""Up to this many nodes betweenness is exact; above, estimated from ``samples`` sources."""


def add_metrics(g: nx.Graph | nx.MultiDiGraph, samples: int = 200) -> None:
    """Degree, weighted degree, betweenness and community (Louvain, seeded) as node data.

    Betweenness (``graph.network.betweenness``, networkx's values, faster) is exact up to
    ``EXACT_BETWEENNESS`` nodes and estimated from ``samples`` seeded sources above (Brandes and
    Pich's estimator); links are counted undirected and unweighted for it.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    for u, v, d in g.edges(data=True):
        w = simple.get_edge_data(u, v, {"weight": 0.0})["weight"] + float(d.get("weight", 1.0))
        simple.add_edge(u, v, weight=w)
    n = simple.number_of_nodes()
    k = None if n <= EXACT_BETWEENNESS else min(samples, n)
    between = betweenness(simple, k=k, seed=7)
    if simple.size(weight="weight") > 1e-100:
        communities = nx.community.louvain_communities(simple, weight="weight", seed=7)
    else:  # no (or only weightless) links: modularity is undefined, each node is its own
        communities = [{node} for node in simple]
    ranked = sorted(communities, key=lambda c: (-len(c), min(c)))
    community = {node: i for i, members in enumerate(ranked) for node in members}
    for node in g.nodes:
        g.nodes[node]["degree"] = simple.degree(node)
        g.nodes[node]["weighted_degree"] = float(simple.degree(node, weight="weight"))
        g.nodes[node]["betweenness"] = round(between.get(node, 0.0), 6)
        g.nodes[node]["community"] = community.get(node, -1)


def areas_reached(g: nx.MultiDiGraph) -> dict[str, int]:
    """How many partnership areas each organisation is linked to, directly or through work."""
    areas: dict[str, set[str]] = {}
    for u, v in g.edges():
        if g.nodes[u].get("kind") != "organisation":
            continue
        if g.nodes[v].get("kind") == "area":
            areas.setdefault(u, set()).add(v)
        for _, w, e in g.out_edges(v, data=True):
            if e.get("relation") == "in area":
                areas.setdefault(u, set()).add(w)
    return {o: len(a) for o, a in areas.items()}


def bridges(g: nx.MultiDiGraph) -> list[tuple[str, int]]:
    """Organisations linked to more than one partnership area, the most areas first."""
    reached = areas_reached(g)
    return sorted(((o, n) for o, n in reached.items() if n > 1), key=lambda x: (-x[1], x[0]))


def relation_counts(g: nx.Graph | nx.MultiDiGraph) -> Counter[str]:
    """Edges per relation."""
    return Counter(d.get("relation", "") for _, _, d in g.edges(data=True))


TITLES = {
    "full": "UNEP Global Mercury Partnership",
    "donors": "Donors -> partnership areas -> countries",
    "coinvolvement": "Organisations sharing an area or a piece of work",
}
"""Titles of the views; a figure of one period adds the period's name (``graph.report``)."""


def make_view(
    engine: Engine,
    name: str = "full",
    day: date | None = None,
    focus: str | None = None,
    depth: int = 1,
    base: nx.MultiDiGraph | None = None,
) -> tuple[nx.Graph, str]:
    """A named view (one of ``VIEWS``), optionally as of a day and around a focus, with metrics.

    ``base`` is the full projection when the caller already holds it. Returns the network and a
    title for figures. Raises KeyError when ``focus`` is not a node of the view, ValueError for
    an unknown view or a day with the donors view (whose links aggregate dated flows).
    """
    if name not in VIEWS:
        raise ValueError(f"view {name!r}; one of {', '.join(VIEWS)}")
    if name == "donors" and day is not None:
        raise ValueError("as of a day applies to the full and coinvolvement views, not donors")
    title = TITLES[name]
    g: nx.Graph
    if name == "donors":
        g = donors(engine)
    else:
        g = base if base is not None else project(engine)
        if day is not None:
            g = as_of(g, day)
            title += f", as of {day.isoformat()}"
    if focus is not None:
        g = neighbourhood(g, focus, depth)
        label = g.nodes[focus].get("label", focus)
        title = f"{label}: links within {depth} step{'s' * (depth > 1)}"
    reached = areas_reached(g) if name != "donors" else {}
    if name == "coinvolvement":
        g = co_involvement(g)
    elif base is not None and g is base:
        g = base.copy()  # metrics are written onto the nodes; the caller's graph stays as it was
    for node, count in reached.items():
        if node in g:
            g.nodes[node]["areas"] = count
    add_metrics(g)
    return g, title
