"""The ``mercury-kg`` command line, run in-process through ``service.cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from graph import paths
from graph.compile.build import Build
from service.cli.main import main


def test_validate_the_curated_graph(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "conforms" in capsys.readouterr().out


def test_validate_names_a_broken_fact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited = tmp_path / "leadership.yaml"
    text = (paths.DATA_DIR / "leadership.yaml").read_text()
    edited.write_text(text.replace("organization: area/chlor-alkali", "organization: gmp"))
    assert main(["validate", str(edited)]) == 1
    out = capsys.readouterr().out
    assert "leadership.yaml:" in out
    assert (
        'membership/chlor-alkali-usepa "USEPA leads the mercury cell chlor-alkali production area"'
        in out
    )
    assert "must be of a partnership area" in out
    assert "area/chlor-alkali" in out and "no current lead" in out


def test_validate_a_data_error_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edited = tmp_path / "targets.yaml"
    edited.write_text(
        (paths.DATA_DIR / "targets.yaml").read_text().replace("by the year 2017", "by 2017")
    )
    assert main(["validate", str(edited)]) == 1
    assert "targets.yaml:" in capsys.readouterr().err


def test_validate_parse_error_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    assert main(["validate", str(bad)]) == 2
    assert "bad.ttl" in capsys.readouterr().err


def test_validate_an_rdf_file_on_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    base = Path(__file__).parent / "shapes" / "valid" / "base.ttl"
    assert main(["validate", str(base)]) == 0


def test_validate_usage_errors_exit_2(tmp_path: Path) -> None:
    assert main(["validate", str(tmp_path / "missing.yaml")]) == 2
    other = tmp_path / "notes.txt"
    other.write_text("x")
    assert main(["validate", str(other)]) == 2
    with pytest.raises(SystemExit) as info:
        main(["export", "--format", "pdf"])
    assert info.value.code == 2


@pytest.mark.parametrize(
    ("fmt", "parser", "quads"),
    [
        ("nt", "nt", False),
        ("ttl", "turtle", False),
        ("xml", "xml", False),
        ("trig", "trig", True),
        ("nq", "nquads", True),
        ("jsonld", "json-ld", True),
    ],
)
def test_export_prints_the_whole_graph(
    build: Build,
    graph: Graph,
    fmt: str,
    parser: str,
    quads: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["export", "--format", fmt]) == 0
    text = capsys.readouterr().out
    if quads:
        ds = Dataset()
        ds.parse(data=text, format=parser)
        assert len(ds) == len(build.dataset)
    else:
        assert len(Graph().parse(data=text, format=parser)) == len(graph)


def test_export_to_a_file(tmp_path: Path, graph: Graph) -> None:
    out = tmp_path / "kg.nt"
    assert main(["export", "--format", "nt", "-o", str(out)]) == 0
    assert len(Graph().parse(out, format="nt")) == len(graph)
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"


def test_stats_counts_classes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["classes"]["gmp:PartnershipArea"] == 8
    assert stats["classes"]["schema:Country"] == 32


def test_build_writes_dumps_index_and_docs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--out", str(tmp_path)]) == 0
    names = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert names == {
        "mercury-kg.trig",
        "mercury-kg.nq",
        "sources.json",
        "stats.json",
        "docs/ontology.html",
    }
    index = json.loads((tmp_path / "sources.json").read_text())
    entry = index["https://w3id.org/mercury-kg/id/area/cement"]
    assert entry["file"] == "graph/data/areas.yaml" and entry["line"] > 1
    html = (tmp_path / "docs" / "ontology.html").read_text()
    assert "partnership area" in html and "funding flow" in html
    assert "<script src=" not in html and 'stylesheet" href="http' not in html


def test_serve_starts_the_web_service(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    exe = Path(sys.executable).with_name("mercury-kg")
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port)], stderr=subprocess.PIPE)
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    assert json.loads(r.read())["status"] == "ok"
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("mercury-kg serve did not answer")
    finally:
        proc.terminate()
        proc.wait(10)


def test_query_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    assert "donors_areas_countries" in out and "-p date=<date>" in out


def test_query_table_shows_labels(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "area_leads"]) == 0
    out = capsys.readouterr().out
    assert "Mercury Policy Project" in out and "https://w3id.org/mercury-kg/id/org/mpp" not in out
    assert "(11 rows)" in out


def test_query_with_parameter_in_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["query", "leads_on_date", "-p", "date=2012-01-01"]
    assert main([*args, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["head"]["vars"] == ["area", "lead", "role", "basis", "why"]
    assert len(doc["results"]["bindings"]) == 10
    assert main([*args, "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("area,lead,role,basis,why\r\n")
    assert main([*args, "--format", "tsv"]) == 0
    assert capsys.readouterr().out.startswith("?area\t?lead\t?role\t?basis\t?why\n")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["query", "nope"], 2, "no query named 'nope'"),
        (["query", "leads_on_date"], 2, "needs parameter 'date' (e.g. 2011-01-01): give -p date="),
        (["query", "leads_on_date", "-p", "date=yesterday"], 2, "is not a valid date"),
        (["query", "leads_on_date", "-p", "date"], 2, "name=value"),
        (["sparql", "SELECT ?x WHERE { ?x ?y }"], 1, "error:"),
        (["sparql"], 2, "give a query or -f FILE"),
        (["query", "targets", "--endpoint", "ftp://example.org/sparql"], 1, "http(s) URL"),
    ],
)
def test_query_errors(
    args: list[str], code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == code
    assert message in capsys.readouterr().err


def test_sparql_inline_and_from_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "PREFIX gmp: <https://w3id.org/mercury-kg/def#> "
        "SELECT (COUNT(*) AS ?n) WHERE { ?a a gmp:PartnershipArea }"
    )
    assert main(["sparql", text, "--format", "csv"]) == 0
    assert capsys.readouterr().out == "n\r\n8\r\n"
    f = tmp_path / "q.rq"
    f.write_text(text)
    assert main(["sparql", "-f", str(f), "--format", "tsv"]) == 0
    assert "8" in capsys.readouterr().out


def test_a_closed_pipe_ends_the_output_quietly() -> None:
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("mercury-kg")
    proc = subprocess.Popen(
        [str(exe), "export", "--format", "nt"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"<")
    proc.stdout.close()  # as `| head -1` does
    assert proc.wait(60) == 0
    assert b"Traceback" not in proc.stderr.read()


def test_version_syntax_errors_and_a_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 29: --version; a SPARQL syntax error in one line, exit 1; a busy port, exit 2."""
    import socket
    import subprocess
    import sys
    from importlib.metadata import version

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"mercury-kg {version('mercury-kg')}"
    assert main(["sparql", "SELECT ?x WHERE { ?x ?y }"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: query syntax error at line 1, column 26: expected")
    assert err.count("\n") == 1
    exe = Path(sys.executable).with_name("mercury-kg")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done_ = subprocess.run(
            [str(exe), "serve", "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert done_.returncode == 2
    assert "in use" in done_.stderr and "serving" not in done_.stderr


def test_a_syntax_error_names_what_was_expected_without_the_grammar(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["sparql", "SELECT ?x WHERE { ?x ?y ?z "]) == 1
    err = capsys.readouterr().err
    assert err == (
        'error: query syntax error at line 1, column 28: expected ",", ".", ";", "{", "{|", "}",'
        ' "~", a name\n'
    )
