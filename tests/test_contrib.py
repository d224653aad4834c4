"""The write path through the real app: accounts, submissions, the gate, review, publishing."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.compile.build import Build
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from graph.contrib.periods import held
from service.server.app import create_app
from service.server.settings import Settings
from tests.cycle import NEXT, open_period
from tests.formflow import check_and_send, csrf_of, submission_id

EXAMPLE = (Path(__file__).parent.parent / "examples" / "contribution.yaml").read_bytes()
YAML = {"Content-Type": "application/yaml"}
ORG = "https://w3id.org/mercury-kg/id/org/"
FLOW = "https://w3id.org/mercury-kg/id/flow/norway-asgm-2013"
ASK = f"ASK {{ <{FLOW}> ?p ?o }}"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("contrib") / "data"


@pytest.fixture(scope="module")
def tokens(data_dir: Path, build: Build) -> dict[str, str]:
    conn = DataDir(data_dir).connect()
    made = {
        "norway": accounts.add(conn, ORG + "gov-norway", "partner", "Norway desk")[1],
        "unep-partner": accounts.add(conn, ORG + "unep", "partner")[1],
        "secretariat": accounts.add(conn, ORG + "unep", "secretariat")[1],
    }
    conn.close()
    open_period(data_dir, build)
    return made


@pytest.fixture(scope="module")
def client(build: Build, data_dir: Path, tokens: dict[str, str]) -> Iterator[TestClient]:
    settings = Settings(workers=2, query_timeout=5.0, data_dir=str(data_dir), upload_burst=100_000)
    with TestClient(create_app(settings, build)) as c:
        yield c


def _auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def _sparql_ask(client: TestClient, query: str) -> bool:
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    return bool(r.json()["boolean"])


def _stored(data_dir: Path) -> int:
    conn = DataDir(data_dir).connect()
    try:
        return int(conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0])
    finally:
        conn.close()


def test_without_accounts_the_write_routes_say_how_to_make_one(
    build: Build, tmp_path: Path
) -> None:
    settings = Settings(workers=1, data_dir=str(tmp_path / "empty"))
    with TestClient(create_app(settings, build)) as c:
        r = c.post("/api/submissions", content=EXAMPLE, headers=YAML)
    assert r.status_code == 403
    assert "mercury-kg accounts add" in r.json()["error"]


def test_no_token_or_a_wrong_one_is_401(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.post("/api/submissions", content=EXAMPLE, headers=YAML)
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    forged = tokens["norway"][:-4] + "AAAA"
    r = client.post("/api/submissions", content=EXAMPLE, headers=_auth(forged, **YAML))
    assert r.status_code == 401
    assert "unknown" in r.json()["error"]


def test_a_partner_submitting_for_another_organisation_is_403(
    client: TestClient, tokens: dict[str, str], data_dir: Path
) -> None:
    before = _stored(data_dir)
    r = client.post(
        "/api/submissions", content=EXAMPLE, headers=_auth(tokens["unep-partner"], **YAML)
    )
    assert r.status_code == 403, r.text
    assert "acts for org/unep, not for org/gov-norway" in r.json()["error"]
    assert _stored(data_dir) == before


@pytest.mark.parametrize(
    ("old", "new", "record", "field", "words"),
    [
        (b"records:", b"records: [", "", "", "YAML syntax"),
        (
            b"  label: Norway",
            b"  colour: red\n  label: Norway",
            "flow/norway-asgm-2013",
            "colour",
            "unknown key",
        ),
        (
            b"item: area/asgm",
            b"item: area/nowhere",
            "flow/norway-asgm-2013",
            "item",
            "no record defines",
        ),
        (
            b"granted 300,000 US$ to the artisanal and small-scale'",
            b"granted 300,000 dollars'",
            "flow/norway-asgm-2013",
            "source",
            "not found verbatim",
        ),
        (
            b"value: 300000",
            b"value: lots",
            "flow/norway-asgm-2013",
            "amount",
            "is not a number",
        ),
        (
            b"id: flow/norway-asgm-2013",
            b"id: flow/norway-kyrgyz-2011",
            "flow/norway-kyrgyz-2011",
            "id",
            "already published",
        ),
    ],
    ids=["yaml", "unknown-key", "dangling", "quote", "type", "published-id"],
)
def test_a_bad_submission_is_422_naming_record_and_field_and_nothing_is_stored(
    client: TestClient,
    tokens: dict[str, str],
    data_dir: Path,
    old: bytes,
    new: bytes,
    record: str,
    field: str,
    words: str,
) -> None:
    assert old in EXAMPLE
    before = _stored(data_dir)
    body = EXAMPLE.replace(old, new)
    r = client.post("/api/submissions", content=body, headers=_auth(tokens["norway"], **YAML))
    assert r.status_code == 422, r.text
    problem = r.json()["problems"][0]
    assert (problem["record"], problem["field"]) == (record, field)
    assert words in problem["message"]
    assert _stored(data_dir) == before


def _refused(client: TestClient, token: str, data_dir: Path, line: bytes) -> dict[str, Any]:
    """The example submission with ``line`` added to its record: refused, nothing stored."""
    before = _stored(data_dir)
    body = EXAMPLE.replace(b"  when: 2013-03", b"  when: 2013-03\n  " + line)
    r = client.post("/api/submissions", content=body, headers=_auth(token, **YAML))
    assert r.status_code == 422, r.text
    assert _stored(data_dir) == before
    return r.json()  # type: ignore[no-any-return]


def test_a_shape_violation_is_422_with_the_shacl_results(
    client: TestClient, tokens: dict[str, str], data_dir: Path
) -> None:
    doc = _refused(client, tokens["norway"], data_dir, b"places: area/asgm")
    result = doc["shacl"][0]
    assert result["focusNode"] == "flow/norway-asgm-2013"
    assert "spatial" in result["path"] and "Place" in result["message"]
    assert doc["error"].startswith("record 'flow/norway-asgm-2013', field 'spatial'")


def test_an_unsupported_content_type_is_415(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.post(
        "/api/submissions",
        content=EXAMPLE,
        headers=_auth(tokens["norway"], **{"Content-Type": "text/plain"}),
    )
    assert r.status_code == 415


def test_submit_review_accept_retract(
    client: TestClient, tokens: dict[str, str], data_dir: Path
) -> None:
    etag = client.get("/dataset").headers["etag"]
    r = client.post("/api/submissions", content=EXAMPLE, headers=_auth(tokens["norway"], **YAML))
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    assert r.json()["state"] == "pending" and r.headers["location"] == f"/api/submissions/{sid}"
    # pending: invisible to anonymous readers and to /sparql
    assert not _sparql_ask(client, ASK)
    assert (
        client.get("/id/flow/norway-asgm-2013", headers={"Accept": "text/turtle"}).status_code
        == 404
    )
    # the reviewer's view: triples, report, figures before/after
    view = client.get(f"/api/submissions/{sid}", headers=_auth(tokens["secretariat"])).json()
    assert FLOW in view["triples"]
    changed = {f["query"] for f in view["figures"] if f["added"] or f["removed"]}
    assert {"donors_areas_countries", "funding_by_funder"} <= changed
    # only the secretariat accepts
    r = client.post(f"/api/submissions/{sid}/accept", headers=_auth(tokens["norway"]))
    assert r.status_code == 403
    r = client.post(f"/api/submissions/{sid}/accept", headers=_auth(tokens["secretariat"]))
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "accepted"
    # published: visible, attributed, a new ETag
    assert _sparql_ask(client, ASK)
    who = f"""ASK {{ <{FLOW}> prov:wasAttributedTo <{ORG}gov-norway> ;
                     prov:wasDerivedFrom/prov:wasQuotedFrom ?sub .
               ?sub prov:wasAttributedTo <{ORG}gov-norway> ; prov:generatedAtTime ?when .
               ?review prov:used ?sub ; prov:wasAssociatedWith ?reviewer ; prov:endedAtTime ?t }}"""
    assert _sparql_ask(client, who)
    assert client.get("/dataset").headers["etag"] != etag
    page = client.get("/id/flow/norway-asgm-2013", headers={"Accept": "text/html"}).text
    assert "Contributed by a partner" in page and "Government of Norway" in page
    assert "In March 2013 the Government of Norway granted 300,000 US$" in page
    # accepting twice is a conflict
    r = client.post(f"/api/submissions/{sid}/accept", headers=_auth(tokens["secretariat"]))
    assert r.status_code == 409
    # retract: gone from the published graph, still in the history
    r = client.post(
        f"/api/submissions/{sid}/retract",
        content=json.dumps({"reason": "example only"}),
        headers=_auth(tokens["secretariat"], **{"Content-Type": "application/json"}),
    )
    assert r.status_code == 200, r.text
    assert not _sparql_ask(client, ASK)
    view = client.get(f"/api/submissions/{sid}", headers=_auth(tokens["norway"])).json()
    assert view["state"] == "retracted"
    assert [e["action"] for e in view["history"]] == ["submitted", "accepted", "retracted"]


def test_reject_needs_a_reason_and_partners_see_only_their_own(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = EXAMPLE.replace(b"norway-asgm-2013", b"norway-asgm-2013-r")
    sid = client.post(
        "/api/submissions", content=body, headers=_auth(tokens["norway"], **YAML)
    ).json()["id"]
    assert (
        client.get(f"/api/submissions/{sid}", headers=_auth(tokens["unep-partner"])).status_code
        == 404
    )
    mine = client.get("/api/submissions", headers=_auth(tokens["unep-partner"])).json()
    assert sid not in {s["id"] for s in mine["submissions"]}
    r = client.post(f"/api/submissions/{sid}/reject", headers=_auth(tokens["secretariat"]))
    assert r.status_code == 422
    r = client.post(
        f"/api/submissions/{sid}/reject",
        content=json.dumps({"reason": "duplicate of the March grant"}),
        headers=_auth(tokens["secretariat"], **{"Content-Type": "application/json"}),
    )
    assert r.status_code == 200 and r.json()["state"] == "rejected"


def test_double_reporting_is_flagged_to_the_reviewer(
    client: TestClient, tokens: dict[str, str]
) -> None:
    first = EXAMPLE.replace(b"norway-asgm-2013", b"norway-asgm-2013-a")
    second = EXAMPLE.replace(b"norway-asgm-2013", b"norway-asgm-2013-b").replace(
        b"value: 300000", b"value: 310000"
    )
    client.post("/api/submissions", content=first, headers=_auth(tokens["norway"], **YAML))
    r = client.post("/api/submissions", content=second, headers=_auth(tokens["norway"], **YAML))
    assert r.status_code == 201, r.text
    warning = r.json()["warnings"][0]
    assert warning["kind"] == "double-reporting"
    assert (warning["flow"], warning["other"]) == (
        "flow/norway-asgm-2013-b",
        "flow/norway-asgm-2013-a",
    )


def test_accounts_cli_prints_the_token_last_and_stores_only_a_hash(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "service.cli.main", "accounts", "--data-dir", str(tmp_path)]
    out = subprocess.run(
        [*run, "add", "--org", "org/gov-norway", "--role", "partner"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    token = out.strip().splitlines()[-1]
    found = accounts.TOKEN.fullmatch(token)
    assert found is not None
    raw = (tmp_path / "state.sqlite3").read_bytes()
    assert found.group(2).encode() not in raw  # the secret whole (it may hold an underscore)
    bad = subprocess.run(
        [*run, "add", "--org", "org/nobody", "--role", "partner"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "not an organisation of the graph" in bad.stderr
    listed = subprocess.run([*run, "list"], capture_output=True, text=True, check=True).stdout
    account_id = listed.split("\t", 1)[0]
    assert token not in listed
    revoke = subprocess.run([*run, "revoke", account_id], capture_output=True, text=True)
    assert revoke.returncode == 0
    again = subprocess.run([*run, "revoke", account_id], capture_output=True, text=True)
    assert again.returncode == 1 and "already revoked" in again.stderr
    conn = DataDir(tmp_path).connect()
    assert accounts.authenticate(conn, token) is None
    conn.close()


def _readme_block(starts: str) -> str:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for block in readme.split("```sh\n")[1:]:
        text = block.split("```", 1)[0]
        if text.startswith(starts):
            return text
    raise AssertionError(f"no sh block of the README starts with {starts!r}")


def test_the_readme_curl_example_and_mercury_kg_submit_work_as_pasted(tmp_path: Path) -> None:
    """The README's curl command posts examples/contribution.yaml to a real server."""
    from tests.liveserver import serving

    data = tmp_path / "data"
    conn = DataDir(data).connect()
    token = accounts.add(conn, ORG + "gov-norway", "partner")[1]
    conn.close()
    open_period(data)
    curl = _readme_block("curl -sS -X POST http://127.0.0.1:8000/api/submissions")
    root = Path(__file__).parent.parent
    env = {"MERCURY_KG_DATA_DIR": str(data), "MERCURY_KG_WORKERS": "1"}
    with serving(env) as base:
        command = curl.replace("http://127.0.0.1:8000", base)
        out = subprocess.run(
            ["bash", "-c", command],
            cwd=root,
            env={"MERCURY_KG_TOKEN": token, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        )
        answer = json.loads(out.stdout)
        assert answer["state"] == "pending" and answer["records"] == ["flow/norway-asgm-2013"]
        second = tmp_path / "second.yaml"
        second.write_bytes(
            EXAMPLE.replace(b"norway-asgm-2013", b"norway-asgm-2013-cli").replace(
                b"area, March 2013", b"area, March 2013 (CLI)"
            )
        )
        cli = [sys.executable, "-m", "service.cli.main", "submit", str(second), "--endpoint", base]
        run = subprocess.run(
            cli, env={**_env(), "MERCURY_KG_TOKEN": token}, capture_output=True, text=True
        )
        assert run.returncode == 0 and run.stdout.startswith("submission "), run.stderr
        assert "may report the same money" in run.stderr  # the warning reaches the partner
        bad = tmp_path / "bad.yaml"
        bad.write_bytes(EXAMPLE.replace(b"item: area/asgm", b"item: area/nowhere"))
        run = subprocess.run(
            [*cli[:4], str(bad), *cli[5:]],
            env={**_env(), "MERCURY_KG_TOKEN": token},
            capture_output=True,
            text=True,
        )
        assert run.returncode == 1
        assert "record flow/norway-asgm-2013, field item" in run.stderr


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


def test_backup_and_restore(tmp_path: Path) -> None:
    data = tmp_path / "data"
    conn = DataDir(data).connect()
    accounts.add(conn, ORG + "unep", "secretariat")
    conn.close()
    cli = [sys.executable, "-m", "service.cli.main"]
    ok = subprocess.run(
        [*cli, "backup", str(tmp_path / "b1"), "--data-dir", str(data)],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    again = subprocess.run(
        [*cli, "backup", str(tmp_path / "b1"), "--data-dir", str(data)],
        capture_output=True,
        text=True,
    )
    assert again.returncode == 2 and "exists" in again.stderr
    fresh = tmp_path / "fresh"
    restored = subprocess.run(
        [*cli, "restore", str(tmp_path / "b1"), "--data-dir", str(fresh)],
        capture_output=True,
        text=True,
    )
    assert restored.returncode == 0, restored.stderr
    conn = DataDir(fresh).connect()
    assert accounts.count_active(conn) == 1
    conn.close()
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "state.sqlite3").write_bytes(b"not a database")
    broken = subprocess.run(
        [*cli, "restore", str(tmp_path / "junk"), "--data-dir", str(fresh)],
        capture_output=True,
        text=True,
    )
    assert broken.returncode == 1


def test_exported_contributions_rebuild_the_published_graph(build: Build, tmp_path: Path) -> None:
    """``submissions export`` writes files that ``build`` compiles into the same named graph."""
    from rdflib import URIRef

    from graph.contrib.folder import with_folder
    from graph.contrib.ledger import Ledger
    from graph.contrib.submission import graph_iri

    data = tmp_path / "data"
    ledger = Ledger(DataDir(data), build)
    partner = accounts.add(ledger.conn, ORG + "gov-norway", "partner")[0]
    reviewer = accounts.add(ledger.conn, ORG + "unep", "secretariat")[0]
    ledger.open_period(reviewer, NEXT)
    sub, _ = ledger.submit(partner, "application/yaml", EXAMPLE)
    ledger.accept(sub.id, reviewer)
    published = ledger.published().build.dataset.graph(graph_iri(sub.id))
    ledger.close()
    folder = tmp_path / "contributions"
    cli = [sys.executable, "-m", "service.cli.main", "submissions", "export", str(folder)]
    out = subprocess.run(
        [*cli, "--data-dir", str(data)], capture_output=True, text=True, check=True
    )
    written = out.stdout.split()
    assert len(written) == 2 and str(folder / f"{sub.id}.yaml") in written  # and the period
    dump = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.cli.main",
            "export",
            "--format",
            "nq",
            "--data-dir",
            str(data),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"<{FLOW}>" in dump and f"<{graph_iri(sub.id)}>" in dump
    rebuilt_build = with_folder(build, folder)
    rebuilt = rebuilt_build.dataset.graph(graph_iri(sub.id))
    assert set(rebuilt) == set(published) and len(published) > 50
    assert [p.span for p in held(rebuilt_build.abox())] == ["2010-07/2012-06", NEXT]
    assert (
        URIRef(FLOW),
        URIRef("http://www.w3.org/ns/prov#wasAttributedTo"),
        URIRef(ORG + "gov-norway"),
    ) in rebuilt


def test_the_pages_sign_in_contribute_and_review_with_csrf(
    client: TestClient, tokens: dict[str, str]
) -> None:
    """The forms: session cookie flags, CSRF on every POST, the gate, review and accept."""
    import re

    assert client.get("/contribute", follow_redirects=False).status_code == 303
    r = client.post("/signin", data={"token": "mkg_000000000000_" + "x" * 43})
    assert r.status_code == 401
    r = client.post("/signin", data={"token": tokens["norway"]}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/contribute"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = client.get("/contribute").text
    csrf = csrf_of(page)
    form = {
        "kind": "funding",
        "period": NEXT,
        "text": "In May 2013 the Government of Norway granted 120,000 USD to the waste area.",
        "label": "Norway grant to the waste area, May 2013",
        "funder": "Government of Norway",
        "area": "Mercury waste management",
        "transaction": "granted",
        "amount": "120,000.00",
        "currency": "USD",
        "when": "May 2013",
    }
    assert client.post("/contribute", data=form).status_code == 403  # no CSRF token
    r = client.post("/contribute", data={**form, "csrf": csrf, "amount": "lots"})
    assert r.status_code == 422 and "is not a number" in r.text
    assert 'value="Norway grant to the waste area, May 2013"' in r.text  # kept as typed
    r = check_and_send(client, {**form, "csrf": csrf})
    assert r.status_code == 201, r.text
    sid = submission_id(r.text)
    # the partner cannot accept, even with its own CSRF token
    assert client.post(f"/review/{sid}/accept", data={"csrf": csrf}).status_code == 403
    client.cookies.clear()
    r = client.post("/signin", data={"token": tokens["secretariat"]}, follow_redirects=False)
    assert r.headers["location"] == "/review"
    queue = client.get("/review").text
    assert sid in queue
    page = client.get(f"/review/{sid}").text
    assert "What changes in the report" in page and "USD 120,000" in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert client.post(f"/review/{sid}/accept", data={"csrf": "forged"}).status_code == 403
    r = client.post(f"/review/{sid}/accept", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert "accepted" in client.get(f"/review/{sid}").text
    assert _sparql_ask(
        client,
        'ASK { ?f a gmp:FundingFlow ; skos:prefLabel "Norway grant to the waste area, May 2013"@en'
        " }",
    )
    client.post("/signout", data={"csrf": csrf})
    assert client.get("/review", follow_redirects=False).status_code == 303
    client.cookies.clear()


EXTEND = b"""organisation: org/gov-norway
text: |
  Norway also works with UNEP on the next phase of the Kyrgyz project.
records:
- extends: project/kyrgyz-mining-phase-out-next-phase
  partner: org/unep
  source: 'Norway also works with UNEP on the next phase of the Kyrgyz project.'
"""


KYRGYZ = "project/kyrgyz-mining-phase-out"


@pytest.mark.parametrize(
    ("target", "statement", "status", "words"),
    [
        (f"{KYRGYZ}-next-phase", "partner: org/unep", 201, ""),
        (f"{KYRGYZ}-next-phase", "status: gmp:status-ongoing", 201, ""),
        (KYRGYZ, "status: gmp:status-completed", 422, "already states 'status'"),
        ("project/nowhere", "partner: org/unep", 422, "does not publish"),
        (KYRGYZ, "label: A new name", 422, "already states 'label'"),
        (KYRGYZ, "colour: red", 422, "unknown key 'colour'"),
    ],
    ids=[
        "adds-a-partner",
        "adds-a-missing-status",
        "replaces-a-status",
        "unknown-node",
        "label",
        "key",
    ],
)
def test_a_submission_may_add_statements_to_a_published_node_but_never_replace_one(
    client: TestClient, tokens: dict[str, str], target: str, statement: str, status: int, words: str
) -> None:
    body = EXTEND.replace(b"project/kyrgyz-mining-phase-out-next-phase", target.encode()).replace(
        b"partner: org/unep", statement.encode()
    )
    r = client.post("/api/submissions", content=body, headers=_auth(tokens["norway"], **YAML))
    assert r.status_code == status, r.text
    if words:
        assert words in r.json()["problems"][0]["message"]


TURTLE = b"""@prefix gmp: <https://w3id.org/mercury-kg/def#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix flow: <https://w3id.org/mercury-kg/id/flow/> .
@prefix organisation: <https://w3id.org/mercury-kg/id/org/> .
@prefix area: <https://w3id.org/mercury-kg/id/area/> .
[] a gmp:Submission ; schema:text "In June 2013 Norway granted 90,000 USD to the products area." .
flow:norway-products-ttl a gmp:FundingFlow ;
    skos:prefLabel "Norway grant to the products area, June 2013"@en ;
    schema:funder organisation:gov-norway ; schema:fundedItem area:products ;
    gmp:transactionType gmp:tt-granted ;
    schema:amount <https://w3id.org/mercury-kg/id/flow/norway-products-ttl/amount> ;
    prov:wasDerivedFrom [ oa:exact "Norway granted 90,000 USD to the products area" ] .
<https://w3id.org/mercury-kg/id/flow/norway-products-ttl/amount> a schema:MonetaryAmount ;
    schema:value "90000"^^xsd:decimal ; schema:currency "USD" ;
    gmp:approximation gmp:approx-exact ; gmp:verbatim "90,000 USD" .
"""


@pytest.mark.parametrize(
    ("old", "new", "status", "words"),
    [
        (b"", b"", 201, ""),
        (b'to the products area" ]', b'to the waste area" ]', 422, "not found verbatim"),
        (b"schema:funder", b"schema:sponsor", 422, "not a predicate of the record format"),
        (b"area:products ;", b"area:nowhere ;", 422, "which no record defines"),
        (b"flow:norway-products-ttl a", b"flow:norway-kyrgyz-2011 a", 422, "not yet published"),
        (b"[] a gmp:Submission", b"[] a gmp:Nothing", 422, "gmp:Submission"),
        (b"@prefix gmp:", b"@prefix gmp", 422, "does not parse"),
        (b'June 2013"@en', b'June 2013"@es', 422, "needs an English label"),
    ],
    ids=[
        "valid",
        "quote",
        "predicate",
        "dangling",
        "published-id",
        "no-submission-node",
        "syntax",
        "no-english-label",
    ],
)
def test_a_turtle_submission_in_the_ontologys_terms(
    client: TestClient, tokens: dict[str, str], old: bytes, new: bytes, status: int, words: str
) -> None:
    body = TURTLE.replace(old, new) if old else TURTLE
    headers = _auth(tokens["norway"], **{"Content-Type": "text/turtle"})
    r = client.post("/api/submissions", content=body, headers=headers)
    assert r.status_code == status, r.text
    if words:
        assert words in r.text
    else:
        assert r.json()["records"] == ["flow/norway-products-ttl"]
        view = client.get(
            f"/api/submissions/{r.json()['id']}", headers=_auth(tokens["secretariat"])
        )
        assert "passage/" in view.json()["triples"]


def test_an_accepted_turtle_submission_is_published_and_exported_as_its_graph(
    build: Build, tmp_path: Path
) -> None:
    from graph.contrib.folder import export_accepted, with_folder
    from graph.contrib.ledger import Ledger
    from graph.contrib.submission import graph_iri

    ledger = Ledger(DataDir(tmp_path / "data"), build)
    partner = accounts.add(ledger.conn, ORG + "gov-norway", "partner")[0]
    reviewer = accounts.add(ledger.conn, ORG + "unep", "secretariat")[0]
    ledger.open_period(reviewer, NEXT)
    sub, _ = ledger.submit(partner, "text/turtle", TURTLE)
    ledger.accept(sub.id, reviewer)
    published = set(ledger.published().build.dataset.graph(graph_iri(sub.id)))
    written = export_accepted(ledger.conn, tmp_path / "contributions")
    ledger.close()
    assert [p.name for p in written][-1] == f"{sub.id}.nq"  # after the period opened first
    rebuilt = set(with_folder(build, tmp_path / "contributions").dataset.graph(graph_iri(sub.id)))
    assert rebuilt == published and len(published) > 30


def test_a_thing_of_two_kinds_is_422_naming_it(
    client: TestClient, tokens: dict[str, str], data_dir: Path
) -> None:
    """gmps:OneKind on the gate's fast path: a funding flow that is also an activity is refused."""
    doc = _refused(client, tokens["norway"], data_dir, b"also: gmp:Activity")
    assert [x["focusNode"] for x in doc["shacl"]] == ["flow/norway-asgm-2013"], doc["shacl"]
    assert "One kind per thing" in doc["shacl"][0]["message"]
    assert "flow/norway-asgm-2013" in doc["error"]
