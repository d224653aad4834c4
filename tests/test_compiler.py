"""Curator mistakes are refused with the file, line and record at fault."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from graph.compile.build import build_dataset, data_files
from graph.compile.yamlsource import DataError, DataParseError

GOOD = (
    "- {id: gap/x, type: KnowledgeGap, label: X,"
    " source: 'Gaps in knowledge have been identified'}\n"
)


def _build_with(tmp_path: Path, body: str, name: str = "extra.yaml") -> None:
    extra = tmp_path / name
    extra.write_text("records:\n" + body, encoding="utf-8")
    build_dataset([*data_files(), extra])


def test_a_good_extra_file_builds(tmp_path: Path) -> None:
    _build_with(tmp_path, GOOD)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (GOOD.replace("KnowledgeGap", "Gap"), "unknown type 'Gap'"),
        (GOOD.replace("label: X", "label: X, colour: red"), "unknown key 'colour'"),
        (
            GOOD.replace("Gaps in knowledge have been identified", "Gaps in knowledge were found"),
            "quote not found verbatim",
        ),
        (GOOD.replace("Gaps in knowledge have been identified", "partnership area"), "occurs"),
        (
            GOOD.replace("label: X,", "label: X, related: org/nobody,"),
            "'org/nobody', which no record",
        ),
        (
            GOOD.replace("label: X,", "label: X, related: gmp:Nothing,"),
            "neither a record nor the ontology",
        ),
        (GOOD.replace("id: gap/x", "id: gap/vcm"), "id already used at"),
        (GOOD.replace("label: X, ", ""), "requires 'label'"),
        (GOOD.replace("label: X,", "label: X, when: 2011-13,"), "'when'"),
        (GOOD.replace("label: X,", "label: X, related: [no prefix:x],"), "must be an id"),
    ],
    ids=[
        "type",
        "key",
        "quote",
        "ambiguous",
        "dangling",
        "unknown-term",
        "duplicate",
        "required",
        "date",
        "bad-ref",
    ],
)
def test_mistakes_name_file_line_and_record(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(DataError, match=message) as info:
        _build_with(tmp_path, body)
    assert info.value.file.endswith("extra.yaml")
    assert info.value.line == 2
    assert "gap/" in info.value.message


def test_money_needs_verbatim_words(tmp_path: Path) -> None:
    body = (
        "- {id: flow/x, type: FundingFlow, label: X, transaction: gmp:tt-granted, item: gmp,\n"
        "   amount: {value: 5, currency: USD, approx: about}, source: 'The balance of about'}\n"
    )
    with pytest.raises(DataError, match=r"'amount\.verbatim'.* is required"):
        _build_with(tmp_path, body)


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    with pytest.raises(DataParseError) as info:
        _build_with(tmp_path, "- id: gap/x\n  type: [KnowledgeGap\n- oops\n")
    # PyYAML reports an unclosed flow sequence where it gives up: the end of the file.
    assert info.value.line == 5
    assert "extra.yaml:5: YAML syntax" in str(info.value)


def test_a_file_without_records_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("nothing: here\n")
    with pytest.raises(DataParseError, match="records"):
        build_dataset([bad])


GOVERNMENT_NAME = re.compile(
    r"^(The )?(Government of|Governments of|Ministry of|(US|United States) .*(Department|Agency)"
    r"|.*\bDepartment of State\b)"
)
"""Names that say an organisation is a state's government or a body of it (graph/data/README.md)."""


def test_the_government_rule_holds_for_every_organisation(graph: Graph) -> None:
    """Named as a government body <=> typed so, and every government body has its country."""
    from rdflib.namespace import ORG, RDF, SKOS

    from graph.namespaces import GMP, SCHEMA

    wrong = []
    for org in set(graph.subjects(RDF.type, ORG.Organization)):
        name = str(graph.value(org, SKOS.prefLabel))
        typed = (org, RDF.type, SCHEMA.GovernmentOrganization) in graph
        if bool(GOVERNMENT_NAME.match(name)) != typed:
            wrong.append(f"{org} {name!r}: typed government {typed}, named so {not typed}")
        if typed and not any(
            (c, RDF.type, SCHEMA.Country) in graph for c in graph.objects(org, GMP.jurisdiction)
        ):
            wrong.append(f"{org} {name!r}: a government body without its country")
    assert not wrong, "\n".join(wrong)
