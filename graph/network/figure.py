"""Static figures of a network with matplotlib: PNG for documents, SVG for the web.

Positions from ``graph.network.layout`` (force-directed, reproducible). Colour by node kind with a
legend, area by a metric (square root, so that area reads as the value), labels on the largest
nodes on a white box (text stays text in SVG). SVG output is reproducible (fixed hash salt, no
date). https://matplotlib.org/stable/api/figure_api.html (no pyplot, so no global state)
"""

from __future__ import annotations

import io
import math

import matplotlib as mpl
import networkx as nx
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from graph.network.layout import layout
from graph.network.project import METRICS
from graph.network.style import COLOURS, colour

HALO = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}
"""Behind each label (a box, not a path effect, so that SVG labels stay text)."""
LABELLED = 24
"""How many nodes get a label (the largest by the size metric), besides every partnership area."""


def _label(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def draw(g: nx.Graph, fmt: str, title: str = "", size_by: str = "degree") -> bytes:
    """The network drawn as PNG or SVG bytes."""
    if size_by not in METRICS:
        raise ValueError(f"size by {size_by!r}; one of {', '.join(METRICS)}")
    nodes = list(g.nodes)
    value = {n: float(g.nodes[n].get(size_by, g.degree(n))) for n in nodes}
    top = max(value.values(), default=1.0) or 1.0
    sizes = [60 + 1500 * math.sqrt(value[n] / top) for n in nodes]
    pos = layout(g)
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
        always = [n for n in ranked[LABELLED:] if g.nodes[n].get("kind") == "area"]
        for n in ranked[:LABELLED] + always:
            x, y = pos[n]
            ax.text(
                x, y, _label(str(g.nodes[n].get("label", n))), fontsize=8, ha="center",
                va="center", zorder=5, bbox=HALO, parse_math=False,
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
        ax.set_title(
            title or f"{len(nodes)} nodes, {g.number_of_edges()} links",
            fontsize=13,
            parse_math=False,
        )
        ax.set_axis_off()
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buf.getvalue()
