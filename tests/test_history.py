"""History (issue 24): every revision stays queryable, nothing is deleted.

A retraction leaves a tombstone (410) and a public record of who, when and why; the report's
comparison names retractions as such.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.compile.build import Build
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from service.server.app import create_app
from service.server.settings import Settings
from tests.cycle import open_period

ORG = "https://w3id.org/mercury-kg/id/org/"
ROOT = Path(__file__).parent.parent
EXAMPLE = (ROOT / "examples" / "contribution.yaml").read_bytes()
FLOW = "https://w3id.org/mercury-kg/id/flow/norway-asgm-2013"
ASK = f"ASK {{ <{FLOW}> ?p ?o }}"


@pytest.fixture(scope="module")
def cycle(
    build: Build, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, dict[str, str], str, Path]]:
    """Revision 1 opens 2012-2014, 2 accepts the example, 3 retracts it."""
    data = tmp_path_factory.mktemp("history") / "data"
    conn = DataDir(data).connect()
    tokens = {
        "partner": accounts.add(conn, ORG + "gov-norway", "partner", "Norway desk")[1],
        "secretariat": accounts.add(conn, ORG + "unep", "secretariat", "GMP secretariat")[1],
    }
    conn.close()
    open_period(data, build)
    settings = Settings(workers=1, data_dir=str(data), upload_burst=100_000, burst=100_000)
    with TestClient(create_app(settings, build)) as c:
        auth = {"Authorization": f"Bearer {tokens['partner']}", "Content-Type": "application/yaml"}
        sid = c.post("/api/submissions", content=EXAMPLE, headers=auth).json()["id"]
        secretariat = {"Authorization": f"Bearer {tokens['secretariat']}"}
        assert c.post(f"/api/submissions/{sid}/accept", headers=secretariat).status_code == 200
        report_before = c.get("/report", params={"period": "2012-07/2014-06", "format": "md"})
        (data.parent / "before.md").write_text(report_before.text)
        retracted = c.post(
            f"/api/submissions/{sid}/retract",
            json={"reason": "the grant was reported twice"},
            headers=secretariat,
        )
        assert retracted.status_code == 200, retracted.text
        yield c, tokens, sid, data


def _ask(c: TestClient, revision: int | None) -> tuple[int, object]:
    params: dict[str, object] = {"query": ASK}
    if revision is not None:
        params["revision"] = revision
    r = c.get("/sparql", params=params, headers={"Accept": "application/json"})
    return r.status_code, r.json().get("boolean", r.json().get("error"))


def test_every_revision_stays_queryable(
    cycle: tuple[TestClient, dict[str, str], str, Path],
) -> None:
    c, _, _, _ = cycle
    assert _ask(c, None) == (200, False)  # retracted at revision 3
    assert _ask(c, 3) == (200, False)
    assert _ask(c, 2) == (200, True)  # accepted at revision 2
    assert _ask(c, 1) == (200, False)
    assert _ask(c, 0) == (200, False)
    r = c.get("/sparql", params={"query": ASK, "revision": 2})
    assert r.headers["X-Revision"] == "2"


def test_a_revision_that_does_not_exist_is_404_never_the_current_one(
    cycle: tuple[TestClient, dict[str, str], str, Path],
) -> None:
    c, _, _, _ = cycle
    status, error = _ask(c, 9)
    assert status == 404 and "revision 9 does not exist" in str(error)
    named = c.get("/api/queries/funding_by_funder", params={"revision": 9})
    assert named.status_code == 404
    bad = c.get("/api/queries/funding_by_funder", params={"revision": "two"})
    assert bad.status_code == 400


def test_named_queries_answer_at_a_revision(
    cycle: tuple[TestClient, dict[str, str], str, Path],
) -> None:
    c, _, _, _ = cycle

    def flows(revision: int) -> set[str]:
        r = c.get(
            "/api/queries/funding_flows",
            params={"revision": revision, "labels": "false"},
            headers={"Accept": "application/json"},
        )
        assert r.status_code == 200, r.text
        return {b["flow"]["value"] for b in r.json()["results"]["bindings"]}

    assert FLOW in flows(2) and FLOW not in flows(3) and FLOW not in flows(1)


def test_a_retracted_resource_is_410_gone_with_when_why_and_its_submission(
    cycle: tuple[TestClient, dict[str, str], str, Path],
) -> None:
    c, _, sid, _ = cycle
    r = c.get("/id/flow/norway-asgm-2013", headers={"Accept": "text/turtle"})
    assert r.status_code == 410 and r.headers["content-type"] == "application/json"
    gone = r.json()
    assert gone["reason"] == "the grant was reported twice" and gone["submission"] == sid
    assert gone["by"] == "GMP secretariat" and gone["history"] == f"/api/submissions/{sid}/history"
    page = c.get("/id/flow/norway-asgm-2013/amount", headers={"Accept": "text/html"})
    assert page.status_code == 410 and "the grant was reported twice" in page.text
    assert f'href="/api/submissions/{sid}/history"' in page.text
    assert c.get("/id/flow/never-was", headers={"Accept": "text/html"}).status_code == 404


def test_anyone_reads_the_history_of_a_published_or_retracted_submission(
    cycle: tuple[TestClient, dict[str, str], str, Path],
) -> None:
    c, tokens, sid, _ = cycle
    r = c.get(f"/api/submissions/{sid}/history")  # no token
    assert r.status_code == 200
    record = r.json()
    assert record["state"] == "retracted" and record["organisation"] == "org/gov-norway"
    assert record["retracted"]["reason"] == "the grant was reported twice"
    assert record["accepted_by"] == "GMP secretariat"
    assert [e["action"] for e in record["events"]] == ["submitted", "accepted", "retracted"]
    assert record["events"][0]["by"] == "Norway desk"
    auth = {"Authorization": f"Bearer {tokens['partner']}", "Content-Type": "application/yaml"}
    pending = c.post(
        "/api/submissions",
        content=EXAMPLE.replace(b"flow/norway-asgm-2013", b"flow/norway-asgm-2013b").replace(
            b"title: Norway's", b"title: (b) Norway's"
        ),
        headers=auth,
    )
    assert pending.status_code == 201, pending.text
    hidden = c.get(f"/api/submissions/{pending.json()['id']}/history")
    assert hidden.status_code == 404  # pending: between its sender and the secretariat


def test_report_compare_names_retractions(
    cycle: tuple[TestClient, dict[str, str], str, Path],
) -> None:
    _, _, sid, data = cycle
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.cli.main",
            "report",
            "--period",
            "2012-07/2014-06",
            "--data-dir",
            str(data),
            "--compare",
            str(data.parent / "before.md"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    retracted = [line for line in out.stdout.splitlines() if "(retracted on" in line]
    assert retracted and all(sid in line for line in retracted), out.stdout
    assert "the grant was reported twice" in retracted[0]
