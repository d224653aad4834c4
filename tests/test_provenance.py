"""Every fact is traceable: each quote occurs verbatim in the report at its recorded position."""

from __future__ import annotations

import hashlib
import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF

from graph import paths
from graph.compile.build import Build
from graph.compile.passages import REPORT_TEXT, SourceText
from graph.compile.rendering import ARTEFACT, report_chars
from graph.namespaces import GMP, GMPD, OA, SPDX


def test_source_text_is_the_shared_report() -> None:
    digest = hashlib.sha256(paths.SOURCE_TEXT.read_bytes()).hexdigest()
    recorded = paths.SOURCE_SHA256.read_text().split()[0]
    assert digest == recorded == "234a12560d490ed999f2347b6b2e3845c0ed89a8d0b138faeddd68cd2f3cf388"


def test_graph_records_checksum_and_length(graph: Graph, source: SourceText) -> None:
    checksum = graph.value(REPORT_TEXT, SPDX.checksum)
    assert str(graph.value(checksum, SPDX.checksumValue)) == source.sha256
    assert int(graph.value(REPORT_TEXT, GMP.textLength)) == len(source.text) == 37826


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _passages(graph: Graph) -> list[URIRef]:
    return sorted(p for p in graph.subjects(RDF.type, GMP.Passage) if isinstance(p, URIRef))


def test_there_are_many_passages(graph: Graph) -> None:
    assert len(_passages(graph)) > 300


def test_every_quote_is_verbatim_at_its_position(graph: Graph, source: SourceText) -> None:
    wrong = []
    for passage in _passages(graph):
        selectors = list(graph.objects(passage, OA.hasSelector))
        exact = next(str(graph.value(s, OA.exact)) for s in selectors if graph.value(s, OA.exact))
        start = next(int(graph.value(s, OA.start)) for s in selectors if graph.value(s, OA.start))
        end = next(int(graph.value(s, OA.end)) for s in selectors if graph.value(s, OA.end))
        prefix = next(str(graph.value(s, OA.prefix)) for s in selectors if graph.value(s, OA.exact))
        suffix = next(str(graph.value(s, OA.suffix)) for s in selectors if graph.value(s, OA.exact))
        if report_chars(source.text[start:end]) != exact:
            wrong.append(f"{passage}: text[{start}:{end}] is not the quote {exact[:50]!r}")
        window = _squash(report_chars(source.text[max(0, start - 200) : end + 200]))
        if _squash(prefix + exact + suffix).strip() not in window:
            wrong.append(f"{passage}: prefix/suffix {prefix!r} {suffix!r} do not surround it")
        if ARTEFACT.search(exact + prefix + suffix):
            wrong.append(f"{passage}: the conversion's markup in {exact[:50]!r}")
        if passage != GMPD[f"passage/{start}-{end}"]:
            wrong.append(f"{passage}: name does not match offsets {start}-{end}")
    assert not wrong, "\n".join(wrong)


def test_every_curated_record_cites_a_passage(build: Build, graph: Graph) -> None:
    uncited = [str(s) for s in build.subjects if graph.value(s, PROV.wasDerivedFrom) is None]
    assert not uncited, f"records without prov:wasDerivedFrom: {uncited}"


@pytest.mark.parametrize(
    ("quote", "at", "message"),
    [
        ("Mercury is harmless", None, "not found verbatim"),
        ("A separate report on activities", None, "occurs 2 times"),
        ("A separate report on activities", 5, "not found at offset 5"),
        ("   ", None, "empty quote"),
    ],
)
def test_locate_refuses_bad_quotes(
    source: SourceText, quote: str, at: int | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        source.locate(quote, at)


def test_locate_picks_an_occurrence_by_offset(source: SourceText) -> None:
    second = source.locate("A separate report on activities", 7150)
    assert (second.start, second.end) == (7150, 7181)


def test_no_literal_holds_the_conversion_s_markup(build: Build) -> None:
    r"""No \$, ** or <p> in any string: the graph carries the report's characters."""
    found = [
        f"{s} {p}: {str(o)[:60]!r}"
        for s, p, o, _ in build.dataset.quads((None, None, None, None))
        if isinstance(o, Literal) and ARTEFACT.search(str(o))
    ]
    assert not found, found[:10]


def test_report_chars_undoes_the_conversion(source: SourceText) -> None:
    assert "\\$" in source.text and "<p>" in source.text  # the stored text is the conversion
    assert report_chars("850,000 US\\$ of <p>co-finance</p>") == "850,000 US$ of co-finance"


def test_verbatim_amounts_occur_in_the_report(graph: Graph, source: SourceText) -> None:
    report = report_chars(source.text)
    missing = [str(v) for v in graph.objects(None, GMP.verbatim) if str(v) not in report]
    assert not missing, f"verbatim words not in the report: {missing}"


def test_no_triple_is_repeated_across_named_graphs(build: Build) -> None:
    """A union default graph (Oxigraph, Virtuoso) would return such a triple once per graph."""
    seen: dict[tuple[object, object, object], object] = {}
    repeated = []
    for s, p, o, g in build.dataset.quads((None, None, None, None)):
        if (s, p, o) in seen and seen[(s, p, o)] != g:
            repeated.append(f"{s} {p} {o} in {seen[(s, p, o)]} and {g}")
        seen[(s, p, o)] = g
    assert not repeated, repeated[:5]
