"""Documentation stays in step with the code it describes."""

from __future__ import annotations

import re

import pytest

from graph import paths
from graph.compile.records import RECORD_TYPES

README = (paths.ROOT / "README.md").read_text()


def test_data_readme_names_every_record_type() -> None:
    text = (paths.DATA_DIR / "README.md").read_text()
    missing = [t for t in RECORD_TYPES if f"`{t}`" not in text]
    assert not missing


def test_data_readme_lists_every_data_file() -> None:
    text = (paths.DATA_DIR / "README.md").read_text()
    assert sorted(p.name for p in paths.DATA_DIR.glob("*.yaml")) == sorted(
        set(re.findall(r"`([a-z-]+\.yaml)`", text)) - {"<file>.yaml"}
    )


def test_readme_opens_with_the_two_commands() -> None:
    block = README.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert [line.split("#")[0].strip() for line in block] == ["make serve", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (paths.ROOT / ".ci" / "run").read_text()


def test_every_source_folder_has_a_readme() -> None:
    for folder in (
        "ontology",
        "graph/data",
        "graph/rules",
        "shapes",
        "queries",
        "service",
        "benchmarks",
    ):
        assert (paths.ROOT / folder / "README.md").is_file(), folder


def test_readme_command_examples_name_real_queries() -> None:
    from graph.query.catalog import load_catalog

    names = set(load_catalog())
    used = set(re.findall(r"mercury-kg query ([a-z_]+)", README))
    assert used and used <= names


def test_readme_figures_exist_and_the_makefile_redraws_them() -> None:
    from PIL import Image

    figures = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", README)
    assert "docs/figures/partnership-network.png" in figures
    makefile = (paths.ROOT / "Makefile").read_text()
    assert "docs/figures/report-first-page.png" in figures
    for figure in figures:
        with Image.open(paths.ROOT / figure) as image:
            assert image.format == "PNG"
            if figure.endswith("report-first-page.png"):  # an A4 page from pdftoppm
                assert round(image.size[1] / image.size[0], 2) == 1.41
                assert f"-singlefile build/report/progress-2010-2012.pdf {figure[:-4]}" in makefile
                continue
            assert image.size == (1760, 1100)
        assert f"-o {figure}" in makefile, figure


def test_readme_network_commands_parse() -> None:
    from service.cli.main import _parser

    lines = re.findall(r"^mercury-kg (?:network|report)[^#\n]*", README, flags=re.MULTILINE)
    assert any(line.startswith("mercury-kg report") for line in lines)
    for line in lines:
        _parser().parse_args(line.split("|")[0].split()[1:])  # a usage error exits: fails


def test_predicate_reference_lists_exactly_the_predicates_of_the_data(build: object) -> None:
    """ontology/PREDICATES.md is what the graph holds: no predicate undocumented, none stale."""
    from graph.publish.predicates import predicate_table

    written = (paths.ONTOLOGY_DIR / "PREDICATES.md").read_text(encoding="utf-8")
    assert written == predicate_table(build), (  # type: ignore[arg-type]
        "regenerate: python -m graph.publish.predicates > ontology/PREDICATES.md"
    )
    documented = set(re.findall(r"^\| `([^`]+)` \|", written, flags=re.MULTILINE))
    used = {
        p.n3(build.dataset.namespace_manager)  # type: ignore[attr-defined]
        for p in build.abox().predicates()  # type: ignore[attr-defined]
    }
    assert used == documented


def test_every_figure_the_readme_states_is_the_data_s(
    build: object, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's "What is in it" numbers are exactly those `mercury-kg stats` prints."""
    import json

    from service.cli.main import main

    assert main(["stats"]) == 0
    stats = json.loads(capsys.readouterr().out)
    paragraph = README.split("What is in it", 1)[1].split("\n## ", 1)[0]
    paragraph = re.sub(r"\s+", " ", paragraph)
    missing = [
        f"{count:,} {figure}"
        for figure, count in {**stats["figures"], "quads": stats["quads"]}.items()
        if f"{count:,} {figure}" not in paragraph
    ]
    assert not missing, f"the README does not say: {missing}"
    stated = {int(n.replace(",", "")) for n in re.findall(r"\b\d[\d,]*\b", paragraph)}
    known = {*stats["figures"].values(), stats["quads"], 3166, 49, 2011, 2, 3}  # ISO, M49, tables
    assert stated <= known, f"numbers in the README that stats does not print: {stated - known}"


def test_the_readme_network_figures_are_the_graphs(engine: object) -> None:
    """Issue 29: the README's counts of the network are those of the network it describes."""
    from graph.network.project import project

    found = re.search(r"queries/network/\*\.rq`\): (\d+) nodes\n.*? and (\d+)\ntyped links", README)
    assert found is not None, "the README no longer states the network's size"
    g = project(engine)  # type: ignore[arg-type]
    assert (int(found.group(1)), int(found.group(2))) == (g.number_of_nodes(), g.number_of_edges())
    areas = re.search(r"the (\d+) areas", README)
    assert areas is not None and int(areas.group(1)) == sum(
        1 for _n, d in g.nodes(data=True) if d.get("kind") == "area"
    )
