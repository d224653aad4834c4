"""How a network looks wherever it is drawn: one colour per node kind (exports, figures, pages).

The palette is matplotlib's "tab10" (https://matplotlib.org/stable/gallery/color/colormap_reference.html),
in the order of ``graph.network.project.KINDS``; anything else is grey.
"""

from __future__ import annotations

from graph.network.project import KINDS

COLOURS = dict(
    zip(
        KINDS,
        ("#1f77b4", "#d62728", "#2ca02c", "#98df8a", "#ff7f0e", "#9467bd", "#8c564b"),
        strict=True,
    )
)
OTHER = "#7f7f7f"


def colour(kind: object) -> str:
    """The colour of a node kind (grey for anything else)."""
    return COLOURS.get(str(kind), OTHER)
