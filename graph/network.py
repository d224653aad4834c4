"""Project the knowledge graph onto networks (networkx) and compute their metrics.

Nodes are organisations, partnership areas, projects, activities, events, countries and funding
mechanisms; edges are typed (lead, co-lead, co-chair, funds, implements, coordinates, partners
with, supports, organised, in area, located in) and carry the IRI of the fact they come from, an
amount and day bounds where the report gives them. Views: the whole network, donors -> areas ->
countries, an as-of date, the neighbourhood of a resource, and organisation co-involvement; metrics
become node data. ``graph.netexport`` writes the views out. NetworkX:
https://networkx.org/documentation/stable/reference/algorithms/centrality.html
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import URIRef

from graph import paths
from graph.catalog import parse_file
from graph.engine import Engine
from graph.namespaces import GMPD

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


def neighbourhood(g: nx.MultiDiGraph, focus: str, depth: int) -> nx.MultiDiGraph:
    """The nodes within ``depth`` links of ``focus`` (either direction) and the links among them."""
    if focus not in g:
        raise KeyError(f"{focus.removeprefix(str(GMPD))} is not a node of the network")
    reach = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), focus, depth)
    return g.subgraph(reach).copy()


def co_involvement(g: nx.MultiDiGraph) -> nx.Graph:
    """Organisations linked when they share an area or a piece of work; weight = how many."""
    shared: dict[str, set[str]] = {}
    for u, v in g.edges():
        if g.nodes[u].get("kind") == "organisation" and g.nodes[v].get("kind") != "organisation":
            shared.setdefault(u, set()).add(v)
    h = nx.Graph()
    orgs = sorted(shared)
    for org in orgs:
        h.add_node(org, **g.nodes[org])
    for i, a in enumerate(orgs):
        for b in orgs[i + 1 :]:
            common = shared[a] & shared[b]
            if common:
                h.add_edge(a, b, weight=len(common), relation="co-involved")
    return h


def add_metrics(g: nx.Graph | nx.MultiDiGraph, samples: int = 200) -> None:
    """Degree, weighted degree, betweenness (sampled on large graphs) and community as node data."""
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes)
    for u, v, d in g.edges(data=True):
        w = simple.get_edge_data(u, v, {"weight": 0.0})["weight"] + float(d.get("weight", 1.0))
        simple.add_edge(u, v, weight=w)
    k = None if simple.number_of_nodes() <= 2000 else min(samples, simple.number_of_nodes())
    between = nx.betweenness_centrality(simple, k=k, seed=7)
    communities = nx.community.greedy_modularity_communities(simple, weight="weight")
    community = {n: i for i, members in enumerate(communities) for n in members}
    for n in g.nodes:
        g.nodes[n]["degree"] = simple.degree(n)
        g.nodes[n]["weighted_degree"] = float(simple.degree(n, weight="weight"))
        g.nodes[n]["betweenness"] = round(between.get(n, 0.0), 6)
        g.nodes[n]["community"] = community.get(n, -1)


def bridges(g: nx.MultiDiGraph) -> list[tuple[str, int]]:
    """Organisations linked to more than one partnership area (directly or through work)."""
    areas: dict[str, set[str]] = {}
    for u, v in g.edges():
        if g.nodes[u].get("kind") != "organisation":
            continue
        if g.nodes[v].get("kind") == "area":
            areas.setdefault(u, set()).add(v)
        for _, w, e in g.out_edges(v, data=True):
            if e.get("relation") == "in area":
                areas.setdefault(u, set()).add(w)
    return sorted(
        ((o, len(a)) for o, a in areas.items() if len(a) > 1), key=lambda x: (-x[1], x[0])
    )


def relation_counts(g: nx.Graph | nx.MultiDiGraph) -> Counter[str]:
    """Edges per relation."""
    return Counter(d.get("relation", "") for _, _, d in g.edges(data=True))
