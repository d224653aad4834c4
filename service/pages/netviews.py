"""The networks the service serves: each view made once, then kept (the graph is read-only).

A view is the full projection, the donors view or co-involvement, optionally as of a day and around
a focus (``graph.network.project.make_view``), with metrics and layout positions. Ad-hoc networks
(query results opened as a network, the current view exported) are made from posted edges with the
kinds and labels the graph knows.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import networkx as nx
from rdflib import RDF, URIRef

from graph.network import export as netexport
from graph.network import project as network
from graph.network.layout import layout
from graph.network.style import colour
from graph.query.catalog import support
from graph.query.engine import EmbeddedEngine
from service.pages.links import href


@dataclass
class View:
    """One network with its title; positions are computed on first use."""

    graph: nx.Graph
    title: str

    @cached_property
    def positions(self) -> dict[str, tuple[float, float]]:
        """Layout positions (about -1 to 1), made once."""
        return layout(self.graph)

    @cached_property
    def cyjs_json(self) -> bytes:
        """``elements()`` as compact JSON, made once: every /network page load asks for it."""
        return json.dumps(self.elements(), separators=(",", ":")).encode()

    def elements(self) -> dict[str, Any]:
        """Cytoscape.js JSON with positions, local links and what the page needs for controls."""
        doc = netexport.cyjs(self.graph, self.positions, href)
        kinds = sorted({str(d.get("kind")) for _, d in self.graph.nodes(data=True)})
        relations = sorted({str(d.get("relation")) for _, _, d in self.graph.edges(data=True)})
        doc["meta"] = {
            "title": self.title,
            "kinds": [{"kind": k, "colour": colour(k)} for k in kinds],
            "relations": relations,
            "nodes": self.graph.number_of_nodes(),
            "edges": self.graph.number_of_edges(),
        }
        return doc


Key = tuple[str, date | None, str | None, int]


class NetworkViews:
    """Views by (name, day, focus, depth), the most recent ``size`` kept."""

    def __init__(self, engine: EmbeddedEngine, size: int = 64) -> None:
        self.engine = engine
        self.size = size
        self._lock = threading.Lock()
        self._base: nx.MultiDiGraph | None = None
        self._views: OrderedDict[Key, View] = OrderedDict()

    def base(self) -> nx.MultiDiGraph:
        """The full projection without metrics (shared; never modified)."""
        with self._lock:
            if self._base is None:
                self._base = network.project(self.engine)
            return self._base

    def get(
        self, name: str = "full", day: date | None = None, focus: str | None = None, depth: int = 1
    ) -> View:
        """A view; KeyError when ``focus`` is not one of its nodes."""
        key: Key = (name, day, focus, depth)
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key]
        g, title = network.make_view(self.engine, name, day, focus, depth, base=self.base())
        view = View(g, title)
        with self._lock:
            self._views[key] = view
            while len(self._views) > self.size:
                self._views.popitem(last=False)
        return view

    def warm(self) -> None:
        """Make the default view and its layout now, so that the first visitor does not wait."""
        _ = self.get().positions

    def areas(self) -> list[dict[str, str]]:
        """The partnership areas, for the page's area filter."""
        g = self.base()
        areas = [(str(d["label"]), n) for n, d in g.nodes(data=True) if d["kind"] == "area"]
        return [{"id": n, "label": label} for label, n in sorted(areas)]

    def links_of(self, iri: str, cap: int = 200) -> View | None:
        """A resource's direct links in the RDF graph (IRIs only, no types), at most ``cap``.

        For resources that are not nodes of the partnership network (documents, flows, ...).
        """
        node = URIRef(iri)
        out = self.engine.select(support("resource_out").text, {"s": node}).rows
        into = self.engine.select(support("resource_in").text, {"o": node}).rows
        if not out and not into:
            return None
        triples = [(iri, str(p), str(o)) for p, o in out if isinstance(o, URIRef) and p != RDF.type]
        triples += [(str(s), str(p), iri) for s, p in into if isinstance(s, URIRef)]
        triples = triples[:cap]
        names = self.engine.labels([URIRef(p) for _, p, _ in triples] + [node])
        edges = [
            {"source": s, "target": o, "relation": names.get(URIRef(p), p.rsplit("/", 1)[-1])}
            for s, p, o in triples
        ]
        return self.from_edges([iri], edges, f"{names.get(node, iri)}: its links")

    def attributed(
        self, nodes: list[str], edges: list[dict[str, Any]]
    ) -> list[tuple[str, dict[str, Any]]]:
        """Every node of the given nodes and edge ends, with the kind and label the graph knows."""
        known = self.base()
        ends = list(dict.fromkeys([*nodes, *(e[k] for e in edges for k in ("source", "target"))]))
        labels = self.engine.labels([URIRef(n) for n in ends if n not in known])
        return [
            (n, dict(known.nodes[n]))
            if n in known
            else (n, {"kind": "other", "label": labels.get(URIRef(n), n)})
            for n in ends
        ]

    def from_edges(self, nodes: list[str], edges: list[dict[str, Any]], title: str) -> View:
        """A network of the given nodes and edges; kinds and labels as the graph knows them."""
        return network_of(self.attributed(nodes, edges), edges, title)


def network_of(
    nodes: list[tuple[str, dict[str, Any]]], edges: list[dict[str, Any]], title: str
) -> View:
    """A view of attributed nodes and edges, with metrics (runs in a network worker for posts)."""
    g = nx.MultiDiGraph()
    g.add_nodes_from(nodes)
    for e in edges:
        data = {k: v for k, v in e.items() if v is not None and k not in ("source", "target")}
        g.add_edge(e["source"], e["target"], **data)
    network.add_metrics(g)
    return View(g, title)


def render_view(view: View, fmt: str, size_by: str) -> bytes:
    """The view in a network format: Cytoscape.js JSON with positions, a data format or a figure."""
    if fmt == "cyjs":
        return view.cyjs_json
    return netexport.export(view.graph, fmt, title=view.title, size_by=size_by)
