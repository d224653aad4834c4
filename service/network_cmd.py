"""``mercury-kg network``: export the partnership network, or print its metrics."""

from __future__ import annotations

import argparse
import sys

from graph import network
from graph.build import atomic_write, build_dataset
from graph.catalog import Param, ParamError, to_term
from graph.engine import EmbeddedEngine
from graph.namespaces import GMPD


def run_network(args: argparse.Namespace) -> int:
    """Build the view the arguments ask for; print metrics or write the export."""
    g = network.project(EmbeddedEngine.from_build(build_dataset()))
    if args.as_of:
        g = network.as_of(g, args.as_of)
    if args.focus:
        try:
            focus = str(to_term(Param("focus", "iri", "area/coal"), args.focus))
            g = network.neighbourhood(g, focus, args.depth)
        except (ParamError, KeyError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    view = network.co_involvement(g) if args.view == "coinvolvement" else g
    network.add_metrics(view)
    if args.metrics:
        rows = sorted(view.nodes(data=True), key=lambda n: (-n[1]["betweenness"], n[0]))
        print(
            f"{'node':<58}{'kind':<18}{'degree':>7}{'weighted':>9}{'betweenness':>12}{'community':>10}"
        )
        for n, d in rows:
            name = f"{d.get('label', '')} ({n.removeprefix(str(GMPD))})"[:57]
            print(
                f"{name:<58}{d.get('kind', ''):<18}{d['degree']:>7}{d['weighted_degree']:>9.0f}"
                f"{d['betweenness']:>12.4f}{d['community']:>10}"
            )
        return 0
    text = network.export(view, args.format)
    if args.output is None:
        sys.stdout.write(text)
    else:
        atomic_write(args.output, text)
    return 0
