"""Static figures of a network with matplotlib: PNG for documents, SVG for the web.

A force-directed layout (Fruchterman-Reingold, fixed seed, so the same graph gives the same
picture), or columns when nodes carry a ``layer`` (donors -> areas -> countries). Colour by node
kind with a legend, area by a metric (square root, so that area reads as the value), labels on the
largest nodes on a white box. SVG output is reproducible (fixed hash salt, no date).
https://matplotlib.org/stable/api/figure_api.html (no pyplot, so no global state)
"""

from __future__ import annotations

import io
import math

import matplotlib as mpl
import networkx as nx
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from graph.netexport import COLOURS, colour

HALO = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}
"""Behind each label (a box, not a path effect, so that SVG labels stay text)."""
LABELLED = 30
"""How many nodes get a label (the largest by the size metric); all when the graph is smaller."""


def _layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    if g.number_of_nodes() and all("layer" in d for _, d in g.nodes(data=True)):
        return _layers(g)
    simple = nx.Graph(g.to_undirected(as_view=True))
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    if not parts:
        return {}
    out: dict[str, tuple[float, float]] = {}
    main = _sorted(simple, parts[0])
    k = 2.5 / math.sqrt(max(main.number_of_nodes(), 1))
    for n, (x, y) in nx.spring_layout(main, k=k, iterations=400, seed=7).items():
        out[n] = (float(x), float(y))
    # smaller components and isolated nodes in rows below the main one, largest first
    x, y, row_height = -1.0, min((p[1] for p in out.values()), default=0.0) - 0.2, 0.0
    for part in parts[1:]:
        radius = 0.04 * math.sqrt(len(part))
        if x + 2 * radius > 1.0:
            x, y, row_height = -1.0, y - row_height - 0.06, 0.0
        sub = nx.spring_layout(_sorted(simple, part), seed=7, scale=radius, center=(0, 0))
        for n, (dx, dy) in sub.items():
            out[n] = (x + radius + float(dx), y + float(dy))
        x += 2 * radius + 0.06
        row_height = max(row_height, 2 * radius)
    return out


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
    span = max(len(c) for c in columns.values())
    for x, layer in enumerate(sorted(columns)):
        count = len(columns[layer])
        for n in columns[layer]:
            out[n] = (float(x), (span - 1) / 2 - row[n] * (span - 1) / max(count - 1, 1) * 0.9)
    return out


def _label(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def draw(g: nx.Graph, fmt: str, title: str = "", size_by: str = "degree") -> bytes:
    """The network drawn as PNG or SVG bytes."""
    if size_by not in ("degree", "weighted_degree", "betweenness"):
        raise ValueError(f"size by {size_by!r}; one of degree, weighted_degree, betweenness")
    nodes = list(g.nodes)
    value = {n: float(g.nodes[n].get(size_by, g.degree(n))) for n in nodes}
    top = max(value.values(), default=1.0) or 1.0
    sizes = [60 + 1500 * math.sqrt(value[n] / top) for n in nodes]
    pos = _layout(g)
    with mpl.rc_context(
        {"svg.hashsalt": "mercury-kg", "svg.fonttype": "none", "font.family": "DejaVu Sans"}
    ):
        fig = Figure(figsize=(16, 10), dpi=110)
        ax = fig.subplots()
        weights = [float(d.get("weight", 1)) for _, _, d in g.edges(data=True)]
        heaviest = max(weights, default=1.0)
        nx.draw_networkx_edges(
            g,
            pos,
            ax=ax,
            edge_color="#8a8a8a",
            alpha=0.5,
            width=[0.6 + 2.4 * w / heaviest if heaviest > 1 else 0.8 for w in weights],
            arrows=False,
        )
        nx.draw_networkx_nodes(
            g,
            pos,
            ax=ax,
            nodelist=nodes,
            node_size=sizes,
            node_color=[colour(g.nodes[n].get("kind")) for n in nodes],
            edgecolors="white",
            linewidths=0.8,
        )
        ranked = sorted(nodes, key=lambda n: (-value[n], n))
        for n in ranked if len(nodes) <= LABELLED else ranked[:LABELLED]:
            x, y = pos[n]
            ax.text(
                x, y, _label(str(g.nodes[n].get("label", n))), fontsize=8, ha="center",
                va="center", zorder=5, bbox=HALO,
            )  # fmt: skip
        kinds = [k for k in COLOURS if any(d.get("kind") == k for _, d in g.nodes(data=True))]
        ax.legend(
            handles=[Patch(color=COLOURS[k], label=k) for k in kinds],
            title=f"kind (size: {size_by.replace('_', ' ')})",
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            fontsize=9,
            frameon=True,
        )
        ax.set_title(title or f"{len(nodes)} nodes, {g.number_of_edges()} links", fontsize=13)
        ax.set_axis_off()
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buf.getvalue()
