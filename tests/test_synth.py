"""The benchmark's synthetic graphs follow the ontology and pass the shapes and checks."""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph

from graph.check.checks import run_checks
from graph.check.validate import validate
from graph.compile.build import Build

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from synth import SYNTH, synthetic_quads


def test_synthetic_10k_graph_conforms(build: Build) -> None:
    target = len(build.dataset) + 1_000  # the real graph and about a thousand synthetic quads
    quads = list(synthetic_quads(build, target))
    assert target <= len(quads) < target + 100
    assert sum(1 for q in quads if q[3] == SYNTH) > 700
    data = Graph()
    for s, p, o, _ in quads:
        data.add((s, p, o))  # type: ignore[arg-type]
    assert validate(data, build.ontology()) == []
    assert run_checks(data + build.ontology()) == []


def test_generation_is_deterministic(build: Build) -> None:
    assert list(synthetic_quads(build, 9_500)) == list(synthetic_quads(build, 9_500))
