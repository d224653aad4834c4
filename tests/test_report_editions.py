"""The report's editions: ``mercury-kg report`` and ``/report``, contributions, comparison, PDF.

A partner's accepted funding appears in the next period's report with who reported it and when;
``/report`` follows the revision (a new ETag and the new content after an accept); an output is
not replaced by an edition that would lose more than a quarter of its items unless forced.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.compile.build import Build
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from graph.report.compare import read_edition
from service.server.app import create_app
from service.server.settings import Settings
from tests.cycle import open_period

EXAMPLE = (Path(__file__).parent.parent / "examples" / "contribution.yaml").read_bytes()
ORG = "https://w3id.org/mercury-kg/id/org/"
NEXT = "2012-07/2014-06"
ROW = "partner-funding/flow/norway-asgm-2013"


def _cli(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MERCURY_KG_DATA_DIR"}
    if data_dir is not None:
        env["MERCURY_KG_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "service.cli.main", "report", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("report") / "data"


@pytest.fixture(scope="module")
def client(build: Build, data_dir: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    conn = DataDir(data_dir).connect()
    tokens = {
        "norway": accounts.add(conn, ORG + "gov-norway", "partner")[1],
        "secretariat": accounts.add(conn, ORG + "unep", "secretariat")[1],
    }
    conn.close()
    open_period(data_dir, build)
    settings = Settings(workers=1, query_timeout=5.0, data_dir=str(data_dir), upload_burst=1000)
    with TestClient(create_app(settings, build)) as c:
        yield c, tokens


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_report_route_formats_etag_and_errors(client: tuple[TestClient, dict[str, str]]) -> None:
    c, _ = client
    r = c.get("/report")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "As of <span" in r.text and 'id="report-data"' in r.text
    assert 'href="/api/queries/partner_counts"' in r.text
    assert 'href="/id/passage/' in r.text  # passages link to their pages here
    again = c.get("/report", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    md = c.get("/report", params={"format": "md", "period": NEXT})
    assert md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith(
        "# Overall progress of the UNEP Global Mercury Partnership from July 2012 to June 2014"
    )
    assert c.get("/report", headers={"Accept": "text/markdown"}).text.startswith("# ")
    for bad in ("2014", "2014-01/2012-01", "next year/later"):
        r = c.get("/report", params={"period": bad})
        assert r.status_code == 400 and "parameter 'period'" in r.json()["error"], bad
    r = c.get("/report", params={"format": "docx"})
    assert r.status_code == 400 and "format" in r.text


def test_an_accepted_contribution_is_in_the_next_report(
    client: tuple[TestClient, dict[str, str]], data_dir: Path, tmp_path: Path
) -> None:
    c, tokens = client
    before = c.get("/report", params={"period": NEXT, "format": "md"})
    assert "No accepted submission reports funding for this period." in before.text
    r = c.post(
        "/api/submissions",
        content=EXAMPLE,
        headers={**_auth(tokens["norway"]), "Content-Type": "application/yaml"},
    )
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    assert (
        c.post(f"/api/submissions/{sid}/accept", headers=_auth(tokens["secretariat"])).status_code
        == 200
    )
    after = c.get("/report", params={"period": NEXT, "format": "md"})
    assert after.headers["etag"] != before.headers["etag"]  # never stale: the revision moved
    data = read_edition_text(after.text, tmp_path)
    assert data["revision"].startswith("2 ")  # 1 opened the period
    figures = data["figures"]
    assert figures[f"{ROW}/donor"] == "Government of Norway"
    assert figures[f"{ROW}/area"] == "Artisanal and small-scale gold mining"
    assert figures[f"{ROW}/amount"] == "$ 300,000"
    assert figures[f"{ROW}/by"].startswith("Government of Norway, received ")
    assert ", accepted " in figures[f"{ROW}/by"]
    assert f"sources/submission/{sid}" in data["items"]
    # the footnote quotes the partner's own words and names the submission
    assert (
        '"In March 2013 the Government of Norway granted 300,000 US$ to the artisanal'
        in after.text.replace("\\", "")
    )
    # the seed period's report is not changed by a submission on a later period
    seed_report = c.get("/report", params={"format": "md", "period": "2010-07/2012-06"})
    seed = read_edition_text(seed_report.text, tmp_path)
    assert not any(k.startswith("partner-funding/") for k in seed["items"])
    # the command line reads the same data directory and compares with revision 0
    out = _cli("--period", NEXT, "--compare", "0", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    assert f"+ item {ROW}: Norway grant to the ASGM partnership area, March 2013" in out.stdout
    assert "revision 0 " in out.stdout.splitlines()[0]


def read_edition_text(text: str, tmp_path: Path) -> dict[str, object]:
    path = tmp_path / "edition.md"
    path.write_text(text)
    return read_edition(path)


def test_the_cli_writes_and_refuses_to_replace_a_fuller_report(tmp_path: Path) -> None:
    out = tmp_path / "progress.html"
    r = _cli("-o", str(out), data_dir=tmp_path / "none")
    assert r.returncode == 0, r.stderr
    first = out.read_bytes()
    assert b'id="report-data"' in first and "items, revision 0" in r.stderr
    r = _cli("--period", NEXT, "-o", str(out), data_dir=tmp_path / "none")
    assert r.returncode == 1
    held = len(read_edition(out)["items"])
    assert f"{out} has {held} items; this edition would drop" in r.stderr and "--force" in r.stderr
    assert out.read_bytes() == first  # nothing written
    r = _cli("--period", NEXT, "-o", str(out), "--force", data_dir=tmp_path / "none")
    assert r.returncode == 0 and out.read_bytes() != first
    r = _cli("--compare", str(out), data_dir=tmp_path / "none")
    assert r.returncode == 0
    (tmp_path / "seed.html").write_bytes(first)
    seed_items = set(read_edition(tmp_path / "seed.html")["items"])
    next_items = set(read_edition(out)["items"])
    added, dropped = len(seed_items - next_items), len(next_items - seed_items)
    assert f"items: {added} added, {dropped} dropped" in r.stdout.splitlines()[2]
    assert "~ figure membership/first/date: 30 June 2012 -> 1 July 2010" in r.stdout
    r = _cli("--period", "2014/2012", data_dir=tmp_path / "none")
    assert r.returncode == 2 and "ends before it starts" in r.stderr
    r = _cli("--compare", "nonsense", data_dir=tmp_path / "none")
    assert r.returncode == 2 and "not a revision number" in r.stderr
    r = _cli("--compare", "3", data_dir=tmp_path / "none")
    assert r.returncode == 1 and "holds no revisions" in r.stderr
    (tmp_path / "other.txt").write_text("not a report")
    r = _cli("--compare", str(tmp_path / "other.txt"), data_dir=tmp_path / "none")
    assert r.returncode == 1 and "holds no report data" in r.stderr


def test_the_pdf_edition_carries_its_data(tmp_path: Path) -> None:
    out = tmp_path / "progress.pdf"
    r = _cli("-o", str(out), data_dir=tmp_path / "none")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF")
    data = read_edition(out)
    assert data["figures"]["membership/last/pt-total"] == "111"
    pages = subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
        capture_output=True,
        check=False,
    )
    assert pages.returncode == 0 and list(tmp_path.glob("page*.png"))
