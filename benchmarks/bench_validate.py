"""Build + SHACL validation of the real graph: our path against plain ``pyshacl.validate``.

Usage: ``.venv/bin/python benchmarks/bench_validate.py [--repeat N]``. Prints medians in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.check.validate import load_shapes, validate, validate_plain
from graph.compile.build import build_dataset

T = TypeVar("T")


def timed(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times = []
    for _ in range(max(repeat, 1) - 1):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    result = fn()
    times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    """Run and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs of our path (default 5)")
    parser.add_argument("--repeat-plain", type=int, default=2, help="runs of plain pyshacl")
    args = parser.parse_args()

    t_build, build = timed(build_dataset, args.repeat)
    data, ontology, shapes = build.abox(), build.ontology(), load_shapes()
    t_ours, ours = timed(lambda: validate(data, ontology, shapes), args.repeat)
    t_plain, plain = timed(lambda: validate_plain(data, ontology, shapes), args.repeat_plain)
    same = {(v.component, v.focus) for v in ours} == {(v.component, v.focus) for v in plain}

    print(
        f"graph: {len(build.dataset)} quads, data graph {len(data)} triples, "
        f"{len(list(shapes.subjects()))} shape subjects"
    )
    print(f"{'step':<52}{'median s':>10}")
    print(f"{'build (YAML -> dataset, passages, derived)':<52}{t_build:>10.3f}")
    print(f"{'validate: ours (core in pySHACL + SPARQL on Oxigraph)':<52}{t_ours:>10.3f}")
    print(f"{'build + validate: ours':<52}{t_build + t_ours:>10.3f}")
    print(f"{'validate: plain pyshacl.validate (baseline)':<52}{t_plain:>10.3f}")
    print(
        f"speed-up of validation: {t_plain / t_ours:.1f}x; "
        f"same violations: {same} ({len(ours)} found)"
    )


if __name__ == "__main__":
    main()
