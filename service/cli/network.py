"""``mercury-kg network``: export a view of the partnership network, or print its metrics."""

from __future__ import annotations

import argparse
import sys

import networkx as nx

from graph.compile.build import atomic_write, build_dataset
from graph.namespaces import shorten
from graph.network import export as netexport
from graph.network import project as network
from graph.query.catalog import Param, ParamError, to_term
from graph.query.engine import EmbeddedEngine


def view(args: argparse.Namespace) -> tuple[nx.Graph, str]:
    """The network the arguments ask for, with metrics, and a title for figures."""
    focus = None
    if args.focus:
        focus = str(to_term(Param("focus", "iri", "area/coal"), args.focus))
    engine = EmbeddedEngine.from_dataset(build_dataset().dataset)
    return network.make_view(engine, args.view, args.as_of, focus, args.depth)


def run_network(args: argparse.Namespace) -> int:
    """Build the view the arguments ask for; print metrics or write the export."""
    try:
        g, title = view(args)
    except (ParamError, KeyError, ValueError) as exc:
        print(f"error: {str(exc).strip(chr(39))}", file=sys.stderr)
        return 2
    if args.metrics:
        print_metrics(g)
        return 0
    if args.format in netexport.FIGURE_FORMATS and args.output is None and sys.stdout.isatty():
        print(f"error: a {args.format} figure needs -o FILE (or a pipe)", file=sys.stderr)
        return 2
    data = netexport.export(g, args.format, title=title, size_by=args.size_by)
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        atomic_write(args.output, data)
    return 0


def print_metrics(g: nx.Graph) -> None:
    """One line per node, the best bridges first.

    ``areas``: how many partnership areas an organisation is linked to (more than one: it
    bridges areas).
    """
    rows = sorted(g.nodes(data=True), key=lambda n: (-n[1]["betweenness"], n[0]))
    print(
        f"{'id':<36}{'label':<42}{'kind':<18}{'degree':>7}{'weighted':>9}{'betweenness':>12}"
        f"{'community':>10}{'areas':>6}"
    )
    for n, d in rows:
        short = shorten(n)
        label = str(d.get("label", ""))
        label = label if len(label) <= 40 else label[:39] + "…"
        print(
            f"{short[:35]:<36}{label:<42}{d.get('kind', ''):<18}{d['degree']:>7}"
            f"{d['weighted_degree']:>9.0f}{d['betweenness']:>12.4f}{d['community']:>10}"
            f"{d.get('areas', ''):>6}"
        )
