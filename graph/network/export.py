"""Write networks out: GEXF, GraphML, Cytoscape.js JSON, node-link JSON, CSV, PNG and SVG.

GEXF 1.2 carries the viz module's colours and sizes for Gephi (https://gexf.net/); GraphML follows
http://graphml.graphdrawing.org/; Cytoscape.js JSON is the ``elements`` format of
https://js.cytoscape.org/#notation/elements-json; node-link JSON is networkx's; CSV is a node list,
a blank line, then an edge list. Figures are drawn with matplotlib: a force layout (or layers for
the donors view), colour by kind with a legend, size by a metric, labels for the largest nodes.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from typing import Any

import networkx as nx

from graph.network.style import colour

TEXT_FORMATS = ("gexf", "graphml", "cyjs", "json", "csv")
FIGURE_FORMATS = ("png", "svg")
FORMATS = TEXT_FORMATS + FIGURE_FORMATS
MEDIA_TYPES = {
    "gexf": "application/gexf+xml",
    "graphml": "application/graphml+xml",
    "cyjs": "application/json",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "png": "image/png",
    "svg": "image/svg+xml",
}
PIXELS = 700.0
"""Layout units (about -1 to 1) to Cytoscape.js pixels."""


def export(g: nx.Graph | nx.MultiDiGraph, fmt: str, title: str = "", size_by: str = "") -> bytes:
    """The network in a format other tools open (one of ``FORMATS``)."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}; one of {', '.join(FORMATS)}")
    if fmt in FIGURE_FORMATS:
        from graph.network.figure import draw  # matplotlib only when a figure is asked for

        return draw(g, fmt, title=title, size_by=size_by or "degree")
    if fmt == "gexf":
        return _gexf(g, size_by or "degree")
    if fmt == "graphml":
        buf = io.BytesIO()
        nx.write_graphml(g, buf)
        return buf.getvalue()
    if fmt == "cyjs":
        return json.dumps(cyjs(g), indent=1).encode()
    if fmt == "json":
        return json.dumps(nx.node_link_data(g, edges="edges"), indent=1).encode()
    return _csv(g).encode()


def cyjs(
    g: nx.Graph | nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]] | None = None,
    link: Callable[[str], str | None] | None = None,
) -> dict[str, Any]:
    """Cytoscape.js elements JSON (as networkx's ``cytoscape_graph`` reads it back).

    Nodes carry their data, ``value`` (the IRI) and ``name`` (the label), and a ``position`` in
    pixels when ``positions`` are given, an ``href`` when ``link`` gives one; edges have ids.
    """
    nodes = []
    for n, d in g.nodes(data=True):
        data = {**d, "id": n, "value": n, "name": d.get("label", n)}
        if link is not None and (target := link(n)) is not None:
            data["href"] = target
        item: dict[str, Any] = {"data": data}
        if positions is not None and n in positions:
            x, y = positions[n]
            item["position"] = {"x": round(x * PIXELS, 1), "y": round(-y * PIXELS, 1)}
        nodes.append(item)
    edges = []
    multi = g.is_multigraph()
    triples = (
        g.edges(keys=True, data=True)
        if multi
        else ((u, v, None, d) for u, v, d in g.edges(data=True))
    )
    for i, (u, v, key, d) in enumerate(triples):
        data = {**d, "id": f"e{i}", "source": u, "target": v}
        if multi:
            data["key"] = key
        edges.append({"data": data})
    return {
        "data": dict(g.graph),
        "directed": g.is_directed(),
        "multigraph": multi,
        "elements": {"nodes": nodes, "edges": edges},
    }


def _gexf(g: nx.Graph | nx.MultiDiGraph, size_by: str) -> bytes:
    h = g.copy()
    top = max((float(d.get(size_by, 0)) for _, d in h.nodes(data=True)), default=0.0) or 1.0
    for _, d in h.nodes(data=True):
        rgb = colour(d.get("kind")).lstrip("#")
        d["viz"] = {
            "color": {"r": int(rgb[0:2], 16), "g": int(rgb[2:4], 16), "b": int(rgb[4:6], 16)},
            "size": round(4.0 + 20.0 * math.sqrt(float(d.get(size_by, 0)) / top), 3),
        }
    buf = io.BytesIO()
    nx.write_gexf(h, buf)
    return buf.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: object) -> object:
    """A text cell a spreadsheet will not run as a formula; numbers stay numbers.

    ``'`` goes before a cell that starts with ``= + - @``, tab or CR (OWASP,
    https://owasp.org/www-community/attacks/CSV_Injection).
    """
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def _csv(g: nx.Graph | nx.MultiDiGraph) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def row(cells: list[object]) -> None:
        writer.writerow([spreadsheet_safe(c) for c in cells])

    fields = sorted({k for _, d in g.nodes(data=True) for k in d})
    row(["id", *fields])
    for n, d in g.nodes(data=True):
        row([n, *(d.get(f, "") for f in fields)])
    edge_fields = sorted({k for _, _, d in g.edges(data=True) for k in d})
    writer.writerow([])
    row(["source", "target", *edge_fields])
    for u, v, d in g.edges(data=True):
        row([u, v, *(d.get(f, "") for f in edge_fields)])
    return out.getvalue()
