"""Project the knowledge graph onto networks (networkx), compute metrics, export them.

Nodes are organisations, partnership areas, projects, activities, events, countries and funding
mechanisms; edges are typed (lead, co-lead, co-chair, funds, implements, coordinates, partners
with, supports, organised, in area, located in) and carry the IRI of the fact they come from, an
amount and day bounds where the report gives them. Views: the whole network, an as-of date, the
neighbourhood of a resource, and organisation co-involvement. NetworkX:
https://networkx.org/documentation/stable/reference/readwrite/index.html
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from graph import paths
from graph.catalog import parse_file
from graph.engine import EmbeddedEngine
from graph.namespaces import GMPD

NETWORK_QUERIES = paths.QUERIES_DIR / "network"
FORMATS = ("gexf", "graphml", "cyjs", "json", "csv")
COLOURS = {
    "organisation": "#1f77b4",
    "area": "#d62728",
    "project": "#2ca02c",
    "activity": "#98df8a",
    "event": "#ff7f0e",
    "country": "#9467bd",
    "funding mechanism": "#8c564b",
}


def _text(name: str) -> str:
    return parse_file(Path(NETWORK_QUERIES / f"{name}.rq")).text


def project(engine: EmbeddedEngine) -> nx.MultiDiGraph:
    """The whole partnership network from the embedded store."""
    g = nx.MultiDiGraph()
    for node, kind, label in engine.select(_text("nodes")).rows:
        g.add_node(str(node), kind=str(kind), label=str(label))
    for source, relation, target, fact, amount, start, end in engine.select(_text("edges")).rows:
        s, t = str(source), str(target)
        if s not in g or t not in g:
            continue
        attrs: dict[str, Any] = {"relation": str(relation), "fact": str(fact)}
        if amount is not None:
            attrs["amount"] = float(str(amount))
        if start is not None:
            attrs["start"] = str(start)
        if end is not None:
            attrs["end"] = str(end)
        g.add_edge(s, t, key=f"{relation}|{fact}", **attrs)
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


def export(g: nx.Graph | nx.MultiDiGraph, fmt: str) -> str:
    """The network in a format other tools open.

    GEXF (with viz colours and sizes, for Gephi), GraphML, Cytoscape.js JSON, node-link JSON, or
    CSV (nodes, a blank line, edges).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}; one of {', '.join(FORMATS)}")
    if fmt == "gexf":
        h = g.copy()
        for _, d in h.nodes(data=True):
            colour = COLOURS.get(str(d.get("kind")), "#7f7f7f").lstrip("#")
            d["viz"] = {
                "color": {
                    "r": int(colour[0:2], 16),
                    "g": int(colour[2:4], 16),
                    "b": int(colour[4:6], 16),
                    "a": 1.0,
                },
                "size": 4.0 + 2.0 * float(d.get("degree", 1)),
            }
        buf = io.BytesIO()
        nx.write_gexf(h, buf)
        return buf.getvalue().decode("utf-8")
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(g, buf)
        return buf.getvalue().decode("utf-8")
    if fmt == "cyjs":
        return json.dumps(nx.cytoscape_data(g), indent=1)
    if fmt == "json":
        return json.dumps(nx.node_link_data(g, edges="edges"), indent=1)
    nodes = io.StringIO()
    fields = sorted({k for _, d in g.nodes(data=True) for k in d})
    writer = csv.writer(nodes, lineterminator="\n")
    writer.writerow(["id", *fields])
    for n, d in g.nodes(data=True):
        writer.writerow([n, *(d.get(f, "") for f in fields)])
    edge_fields = sorted({k for _, _, d in g.edges(data=True) for k in d})
    writer.writerow([])
    writer.writerow(["source", "target", *edge_fields])
    for u, v, d in g.edges(data=True):
        writer.writerow([u, v, *(d.get(f, "") for f in edge_fields)])
    return nodes.getvalue()
