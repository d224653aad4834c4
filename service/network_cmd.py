"""``mercury-kg network``: export a view of the partnership network, or print its metrics."""

from __future__ import annotations

import argparse
import sys

import networkx as nx

from graph import netexport, network
from graph.build import atomic_write, build_dataset
from graph.catalog import Param, ParamError, to_term
from graph.engine import EmbeddedEngine
from graph.namespaces import GMPD


def view(args: argparse.Namespace) -> tuple[nx.Graph, str]:
    """The network the arguments ask for, with metrics, and a title for figures."""
    focus = None
    if args.focus:
        focus = str(to_term(Param("focus", "iri", "area/coal"), args.focus))
    engine = EmbeddedEngine.from_build(build_dataset())
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
    """One line per node, the best bridges first."""
    rows = sorted(g.nodes(data=True), key=lambda n: (-n[1]["betweenness"], n[0]))
    print(
        f"{'node':<58}{'kind':<18}{'degree':>7}{'weighted':>9}{'betweenness':>12}{'community':>10}"
    )
    for n, d in rows:
        name = f"{d.get('label', '')} ({n.removeprefix(str(GMPD))})"[:57]
        print(
            f"{name:<58}{d.get('kind', ''):<18}{d['degree']:>7}{d['weighted_degree']:>9.0f}"
            f"{d['betweenness']:>12.4f}{d['community']:>10}"
        )
