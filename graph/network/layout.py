"""Positions for drawing a network, the same in every process for the same graph.

Force-directed (Fruchterman-Reingold with a fixed seed; a circle beyond 500 nodes, where that
would take seconds) for the largest connected part, smaller
parts and isolated nodes in rows beneath it; columns when every node carries a ``layer`` (donors ->
areas -> countries), ordered by the barycentre heuristic. Used by the static figures and by the
interactive view, which starts from these positions.
https://networkx.org/documentation/stable/reference/generated/networkx.drawing.layout.spring_layout.html
"""

from __future__ import annotations

import math

import networkx as nx


def layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions in about [-1, 1] x [-1.5, 1]: layers as columns, else force-directed."""
    if g.number_of_nodes() and all("layer" in d for _, d in g.nodes(data=True)):
        return _layers(g)
    simple = nx.Graph(g.to_undirected(as_view=True))
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    if not parts:
        return {}
    out: dict[str, tuple[float, float]] = {}
    main = _sorted(simple, parts[0])
    for n, (x, y) in _force(main).items():
        out[n] = (float(x), float(y))
    # smaller components and isolated nodes in rows below the main one, largest first
    x, y, row_height = -1.0, min((p[1] for p in out.values()), default=0.0) - 0.2, 0.0
    for part in parts[1:]:
        radius = 0.04 * math.sqrt(len(part))
        if x + 2 * radius > 1.0:
            x, y, row_height = -1.0, y - row_height - 0.06, 0.0
        for n, (dx, dy) in _force(_sorted(simple, part)).items():
            out[n] = (x + radius + radius * dx, y + radius * dy)
        x += 2 * radius + 0.06
        row_height = max(row_height, 2 * radius)
    return out


FORCE_LIMIT = 500
"""Larger connected parts are drawn on a circle (the force layout is quadratic in nodes)."""


def _force(g: nx.Graph) -> dict[str, tuple[float, float]]:
    n = g.number_of_nodes()
    if n >= FORCE_LIMIT:
        return {k: (float(x), float(y)) for k, (x, y) in nx.circular_layout(g).items()}
    iterations = 400 if n <= 150 else max(60, 400 * 150 // n)
    k = 2.5 / math.sqrt(max(n, 1))
    pos = nx.spring_layout(g, k=k, iterations=iterations, seed=7)
    return {key: (float(x), float(y)) for key, (x, y) in pos.items()}


def _sorted(g: nx.Graph, nodes: set[str]) -> nx.Graph:
    """The subgraph on ``nodes``, nodes and edges sorted: a seeded layout is then reproducible."""
    h = nx.Graph()
    h.add_nodes_from(sorted(nodes))
    h.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in g.subgraph(nodes).edges))
    return h


def _layers(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Columns by ``layer``, the middle one by label.

    The other columns are ordered by the mean row of their neighbours (the barycentre heuristic,
    which keeps crossings few).
    """
    columns: dict[int, list[str]] = {}
    for n, d in g.nodes(data=True):
        columns.setdefault(int(d["layer"]), []).append(n)
    label = {n: str(d.get("label", n)) for n, d in g.nodes(data=True)}
    middle = sorted(columns)[len(columns) // 2]
    row = {n: float(i) for i, n in enumerate(sorted(columns[middle], key=lambda n: label[n]))}
    undirected = g.to_undirected(as_view=True)
    for layer in sorted(columns):
        if layer == middle:
            continue
        mean = {
            n: sum(row.get(m, 0.0) for m in undirected[n]) / max(len(undirected[n]), 1)
            for n in columns[layer]
        }
        for i, n in enumerate(sorted(columns[layer], key=lambda n: (mean[n], label[n]))):
            row[n] = float(i)
    out = {}
    columns_count = max(len(columns) - 1, 1)
    for x, layer in enumerate(sorted(columns)):
        count = len(columns[layer])
        for n in columns[layer]:
            y = 0.0 if count == 1 else 1.0 - 2.0 * row[n] / (count - 1)
            out[n] = (-1.0 + 2.0 * x / columns_count, y * 0.9)
    return out
