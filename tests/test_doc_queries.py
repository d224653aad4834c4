"""Every SPARQL block of the docs runs as pasted against /sparql and returns what it says.

A block's first line is ``# expect: N rows``, ``# expect: at least N rows`` or ``# expect: the
rows of NAME`` (as many rows as the named query NAME with its examples, and the same values in
the columns both have); ``N rows with "words"`` also wants a value holding the words. Blocks
are found in every Markdown file of the repository.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from graph import paths
from graph.compile.build import Build
from graph.query.catalog import bind, load_catalog
from graph.query.engine import EmbeddedEngine
from service.server.app import create_app
from service.server.settings import Settings

SKIP = {"node_modules", "build", ".venv", ".git", "mercury_kg.egg-info"}


def _blocks() -> list[tuple[str, str]]:
    found = []
    for md in sorted(paths.ROOT.rglob("*.md")):
        if SKIP & set(md.relative_to(paths.ROOT).parts):
            continue
        text = md.read_text(encoding="utf-8")
        for i, block in enumerate(re.findall(r"^```sparql\n(.*?)^```", text, re.S | re.M)):
            found.append((f"{md.relative_to(paths.ROOT)}#{i + 1}", block))
    return found


BLOCKS = _blocks()


def test_the_docs_have_sparql_blocks() -> None:
    assert len([b for b in BLOCKS if b[0].startswith("README.md")]) >= 5


@pytest.fixture(scope="module")
def client(build: Build) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(workers=2), build)) as c:
        yield c


def _column(doc: dict, name: str) -> Counter[str]:  # type: ignore[type-arg]
    return Counter(b.get(name, {}).get("value", "") for b in doc["results"]["bindings"])


@pytest.mark.parametrize(("where", "block"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_block_runs_as_pasted(
    where: str, block: str, client: TestClient, engine: EmbeddedEngine
) -> None:
    expect = re.match(r"# expect: (.+)\n", block)
    assert expect, f"{where}: the first line must say '# expect: ...'"
    r = client.post(
        "/sparql",
        content=block.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    assert r.status_code == 200, f"{where}: {r.text}"
    doc = r.json()
    rows = len(doc["results"]["bindings"])
    said = expect.group(1).strip()
    if m := re.fullmatch(r'(.+?) with "(.+)"', said):
        said, wanted = m.group(1), m.group(2)
        values = [v["value"] for b in doc["results"]["bindings"] for v in b.values()]
        assert any(wanted in v for v in values), f"{where}: no value holds {wanted!r}"
    if m := re.fullmatch(r"(\d+) rows?", said):
        assert rows == int(m.group(1)), where
    elif m := re.fullmatch(r"at least (\d+) rows?", said):
        assert rows >= int(m.group(1)), where
    elif m := re.fullmatch(r"the rows of (\w+)", said):
        query = load_catalog()[m.group(1)]
        named = engine.select(query.text, bind(query, query.example_values()))
        assert rows == len(named.rows), f"{where}: {rows} rows, {m.group(1)} has {len(named.rows)}"
        shared = set(doc["head"]["vars"]) & set(named.variables)
        assert shared, where
        for name in shared:
            i = named.variables.index(name)
            theirs = Counter("" if row[i] is None else str(row[i]) for row in named.rows)
            assert _column(doc, name) == theirs, f"{where}: column {name} differs"
    else:
        pytest.fail(f"{where}: cannot read '# expect: {said}'")


def test_a_failed_block_would_be_caught(client: TestClient) -> None:
    """The check can fail: a prefixed name with '/' is refused with the name to write instead."""
    r = client.post(
        "/sparql",
        content=b"SELECT ?p WHERE { gmpd:area/coal ?p ?o }",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 400
    assert "write area:coal or <https://w3id.org/mercury-kg/id/area/coal>" in r.json()["error"]


def _patterns() -> list[tuple[str, str]]:
    """The README's "You want | Pattern" rows: what is wanted and the first pattern given."""
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| You want | Pattern |") :].split("\n\n", 1)[0]
    rows = []
    for line in table.splitlines()[2:]:
        wanted, pattern = line.strip("|").split(" | ", 1)
        code = re.search(r"`([^`]+)`", pattern)
        assert code, line
        rows.append((wanted.strip(), code.group(1).replace("\\|", "|")))
    return rows


PATTERNS = _patterns()


def test_the_readme_names_every_pattern() -> None:
    wanted = {w for w, _ in PATTERNS}
    assert {"when", "who funds what", "how much", "where", "the source of any fact"} <= wanted


@pytest.mark.parametrize(("wanted", "pattern"), PATTERNS, ids=[w for w, _ in PATTERNS])
def test_every_pattern_of_the_readme_runs_as_pasted(
    wanted: str, pattern: str, client: TestClient
) -> None:
    query = f"SELECT * WHERE {{ {pattern} }} LIMIT 3"
    r = client.post(
        "/sparql",
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    assert r.status_code == 200, f"{wanted}: {r.text}"
    assert r.json()["results"]["bindings"], f"{wanted}: the pattern finds nothing"


def test_the_readme_counts_the_named_queries() -> None:
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"`mercury-kg query --list` shows the (\d+) named queries", text)
    assert said and int(said.group(1)) == len(load_catalog())


def test_the_organisations_pattern_finds_what_the_named_query_lists(
    client: TestClient, engine: EmbeddedEngine
) -> None:
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"\(the (\d+) of the named query `organisations`", text)
    pattern = dict(PATTERNS)[next(w for w, _ in PATTERNS if w.startswith("the organisations"))]
    r = client.post(
        "/sparql",
        content=f"SELECT DISTINCT ?org WHERE {{ {pattern} }}".encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    found = {b["org"]["value"] for b in r.json()["results"]["bindings"]}
    query = load_catalog()["organisations"]
    listed = {str(row[0]) for row in engine.select(query.text).rows}
    assert said and int(said.group(1)) == len(found) and found == listed


def test_what_the_eu_funds_includes_what_its_commission_funds(client: TestClient) -> None:
    """The European Commission is a body of the European Union: one pattern finds both's items."""
    pattern = dict(PATTERNS)["what an organisation funds, with its bodies"]
    r = client.post(
        "/sparql",
        content=f"SELECT DISTINCT ?item WHERE {{ {pattern} }}".encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    found = {b["item"]["value"].rsplit("/id/", 1)[1] for b in r.json()["results"]["bindings"]}
    assert found == {"activity/coal-iea-work", "project/gmos", "project/coal-demo-south-africa"}
