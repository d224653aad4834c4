"""Reporting periods are data (issue 24).

Opened by the secretariat, chosen by submissions, and every date rule held to the period of the
fact's own source, whatever the period.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph import paths
from graph.compile.build import Build
from graph.contrib import accounts
from graph.contrib.accounts import Account, Forbidden
from graph.contrib.datadir import DataDir
from graph.contrib.ledger import GateFailed, Ledger
from graph.contrib.periods import PeriodError
from graph.contrib.submission import SubmissionError, submission_iri
from graph.namespaces import GMP, GMPD
from service.server.app import create_app
from service.server.settings import Settings
from tests.formflow import check_and_send, csrf_of

ORG = "https://w3id.org/mercury-kg/id/org/"
ROOT = Path(__file__).parent.parent


def _activity(period: str | None, when: str, rid: str, status: str = "completed") -> bytes:
    words = f"In {when} we held a national workshop on mercury inventories ({rid})."
    head = (
        f"period: {{from: {period.split('/')[0]}, to: {period.split('/')[1]}}}\n" if period else ""
    )
    return (
        f"{head}text: '{words}'\nrecords:\n"
        f"- {{id: activity/{rid}, type: Activity, label: Workshop {rid}, area: area/asgm, "
        f"implementer: org/gov-norway, status: gmp:status-{status}, when: '{when}', "
        f"source: '{words}'}}\n"
    ).encode()


def _highlight(period: str, when: str, rid: str) -> bytes:
    words = f"Highlight: in {when} the area held workshop {rid}."
    start, end = period.split("/")
    return (
        f"period: {{from: {start}, to: {end}}}\ntext: '{words}'\nrecords:\n"
        f"- {{id: activity/{rid}, type: Activity, label: Workshop {rid}, area: area/asgm, "
        f"status: gmp:status-completed, when: '{when}', source: '{words}'}}\n"
        f"- {{id: highlight/{rid}, type: Highlight, label: Workshop {rid} held, area: area/asgm, "
        f"ordinal: 'i', highlights: activity/{rid}, source: '{words}'}}\n"
    ).encode()


@pytest.fixture
def ledger(build: Build, tmp_path: Path) -> Iterator[tuple[Ledger, Account, Account]]:
    data = DataDir(tmp_path / "data")
    conn = data.connect()
    partner = accounts.add(conn, ORG + "gov-norway", "partner")[0]
    secretariat = accounts.add(conn, ORG + "unep", "secretariat")[0]
    conn.close()
    led = Ledger(data, build)
    try:
        yield led, partner, secretariat
    finally:
        led.close()


def test_the_seed_period_is_data_and_the_open_one(ledger: tuple[Ledger, Account, Account]) -> None:
    led, _, _ = ledger
    periods = led.published().periods()
    assert [(p.span, p.label) for p in periods] == [("2010-07/2012-06", "July 2010 - June 2012")]
    assert periods[0].iri == GMPD["period/2010-07--2012-06"]


def test_only_the_secretariat_opens_periods_and_they_do_not_overlap(
    ledger: tuple[Ledger, Account, Account],
) -> None:
    led, partner, secretariat = ledger
    with pytest.raises(Forbidden):
        led.open_period(partner, "2012-07/2014-06")
    opened = led.open_period(secretariat, "2012-07/2014-06")
    assert opened.state == "accepted" and opened.records == ["period/2012-07--2014-06"]
    assert led.revision() == 1
    for span, words in (
        ("2014-01/2015-06", "overlaps the reporting period July 2012 - June 2014"),
        ("2016-07/2015-06", "ends before it starts"),
        ("2014-07-01/2016-06-30", "from a month to a month"),
        ("2014-07", "START/END"),
    ):
        with pytest.raises(PeriodError, match=words):
            led.open_period(secretariat, span)
    led.open_period(secretariat, "2014-07/2016-06", "July 2014 to June 2016")
    assert [p.label for p in led.published().periods()] == [
        "July 2010 - June 2012",
        "July 2012 - June 2014",
        "July 2014 to June 2016",
    ]


def test_a_submission_reports_on_the_period_it_names_else_the_open_one(
    ledger: tuple[Ledger, Account, Account],
) -> None:
    led, partner, secretariat = ledger
    led.open_period(secretariat, "2012-07/2014-06")
    named, _ = led.submit(partner, "application/yaml", _activity("2012-07/2013-06", "2013-05", "a"))
    unnamed, _ = led.submit(partner, "application/yaml", _activity(None, "2013-05", "b"))
    for sub in (named, unnamed):
        triples = led.get(sub.id).nquads.decode()
        node = submission_iri(sub.id)
        assert f"<{node}> <{GMP.reportingPeriod}> <{GMPD['period/2012-07--2014-06']}>" in triples
    with pytest.raises(SubmissionError, match="lies within no reporting period") as refused:
        led.submit(partner, "application/yaml", _activity("2015-07/2016-06", "2015-09", "c"))
    assert refused.value.problems[0].field == "period"
    assert "July 2012 - June 2014 (2012-07/2014-06)" in str(refused.value)


def test_completed_work_is_held_to_its_own_period_whatever_the_period(
    ledger: tuple[Ledger, Account, Account],
) -> None:
    led, partner, secretariat = ledger
    led.open_period(secretariat, "2012-07/2014-06")
    done, _ = led.submit(partner, "application/yaml", _activity("2012-07/2014-06", "2013-05", "x"))
    assert done.state == "pending"  # a 2013 workshop reported completed in its own period
    with pytest.raises(GateFailed, match="completed") as late:
        led.submit(partner, "application/yaml", _activity("2012-07/2014-06", "2015-03", "y"))
    assert "2015-03" in str(late.value.report.as_json()) or "2015" in str(late.value)
    led.open_period(
        secretariat, "2014-07/2016-06"
    )  # a third period: nothing is bound to the second
    later, _ = led.submit(partner, "application/yaml", _activity("2014-07/2016-06", "2015-03", "y"))
    assert later.state == "pending"
    planned, _ = led.submit(
        partner, "application/yaml", _activity(None, "2017-02", "z", status="planned")
    )
    assert planned.state == "pending"  # a plan after the period is no violation


def test_a_highlight_lies_in_its_own_period(ledger: tuple[Ledger, Account, Account]) -> None:
    led, partner, secretariat = ledger
    led.open_period(secretariat, "2012-07/2014-06")
    led.open_period(secretariat, "2014-07/2016-06")
    ok, _ = led.submit(partner, "application/yaml", _highlight("2012-07/2014-06", "2013-05", "h1"))
    assert ok.state == "pending"
    with pytest.raises(GateFailed, match="highlight"):
        led.submit(partner, "application/yaml", _highlight("2014-07/2016-06", "2013-05", "h2"))
    ok3, _ = led.submit(partner, "application/yaml", _highlight("2014-07/2016-06", "2015-05", "h3"))
    assert ok3.state == "pending"


@pytest.fixture
def client(build: Build, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    data = tmp_path / "data"
    conn = DataDir(data).connect()
    tokens = {
        "partner": accounts.add(conn, ORG + "gov-norway", "partner")[1],
        "secretariat": accounts.add(conn, ORG + "unep", "secretariat")[1],
    }
    conn.close()
    settings = Settings(workers=1, data_dir=str(data), upload_burst=100_000)
    with TestClient(create_app(settings, build)) as c:
        yield c, tokens


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_periods_over_http(client: tuple[TestClient, dict[str, str]]) -> None:
    c, tokens = client
    seed = c.get("/api/periods").json()["periods"]
    assert [(p["span"], p["open"]) for p in seed] == [("2010-07/2012-06", True)]
    body = {"period": "2012-07/2014-06"}
    assert c.post("/api/periods", json=body).status_code == 401
    assert c.post("/api/periods", json=body, headers=_bearer(tokens["partner"])).status_code == 403
    made = c.post("/api/periods", json=body, headers=_bearer(tokens["secretariat"]))
    assert made.status_code == 201, made.text
    assert made.json()["label"] == "July 2012 - June 2014" and made.json()["open"] is True
    again = c.post("/api/periods", json=body, headers=_bearer(tokens["secretariat"]))
    assert again.status_code == 409 and "overlaps" in again.json()["error"]
    bad = c.post("/api/periods", json={"period": "2014"}, headers=_bearer(tokens["secretariat"]))
    assert bad.status_code == 422 and "START/END" in bad.json()["error"]
    listed = c.get("/api/periods").json()["periods"]
    assert [(p["span"], p["open"]) for p in listed] == [
        ("2010-07/2012-06", False),
        ("2012-07/2014-06", True),
    ]
    page = c.get("/id/period/2012-07--2014-06", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "July 2012 - June 2014" in page.text
    assert "July 2012 - June 2014" in c.get("/periods").text


def test_the_periods_page_opens_a_period_for_the_secretariat(
    client: tuple[TestClient, dict[str, str]],
) -> None:
    c, tokens = client
    c.post("/signin", data={"token": tokens["secretariat"]}, follow_redirects=False)
    page = c.get("/periods").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None and "Open the next period" in page
    r = c.post(
        "/periods",
        data={"csrf": csrf.group(1), "start": "2012-07", "end": "2014-06", "label": ""},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert "July 2012 - June 2014" in c.get("/periods").text
    stale = c.post("/periods", data={"csrf": "x", "start": "2014-07", "end": "2016-06"})
    assert stale.status_code == 403


def test_the_contribute_form_asks_for_the_period_defaulting_to_the_open_one(
    client: tuple[TestClient, dict[str, str]],
) -> None:
    c, tokens = client
    c.post(
        "/api/periods", json={"period": "2012-07/2014-06"}, headers=_bearer(tokens["secretariat"])
    )
    c.post("/signin", data={"token": tokens["partner"]}, follow_redirects=False)
    page = c.get("/contribute").text
    options = re.findall(
        r'<select id="f-period" name="period"[^>]*>\s*<option value="([^"]+)"', page
    )
    assert options and options[0] == "2012-07/2014-06"  # the open period comes first
    r = check_and_send(
        c,
        {
            "csrf": csrf_of(page),
            "kind": "activity",
            "period": "2012-07/2014-06",
            "text": "In 2013 we trained miners in Peru.",
            "label": "Training of miners in Peru",
            "work": "activity",
            "area": "Artisanal and small-scale gold mining",
            "status": "completed",
            "start": "2013",
        },
    )
    assert r.status_code == 201, r.text
    sid = re.search(r"/review/([0-9T-]+-[0-9a-f]+)", r.text)
    assert sid is not None
    c.cookies.clear()
    c.post("/signin", data={"token": tokens["secretariat"]}, follow_redirects=False)
    triples = c.get(f"/api/submissions/{sid.group(1)}", headers=_bearer(tokens["secretariat"]))
    assert str(GMPD["period/2012-07--2014-06"]) in triples.json()["triples"]


def test_no_date_of_the_seed_report_is_fixed_in_rules_queries_templates_or_code() -> None:
    """The period is data: 2010-2012 appears only in the curated data and its source."""
    fixed = re.compile(r"2010-07|2012-06|2012-06-30|2010-07-01|July 2010|June 2012|2013-02-15")
    places = [
        *paths.QUERIES_DIR.rglob("*.rq"),
        *(ROOT / "shapes").glob("*.ttl"),
        *(ROOT / "service" / "templates").glob("*.html"),
        *(ROOT / "graph" / "report" / "templates").glob("*.html"),
        *(ROOT / "service").rglob("*.py"),
        *(p for p in (ROOT / "graph").rglob("*.py")),
        *(ROOT / "service" / "static").glob("*.js"),
    ]
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in places
        for n, line in enumerate(p.read_text().splitlines(), start=1)
        if fixed.search(line) and "example" not in line.lower()
    ]
    assert not found, f"dates of the 2010-2012 report outside its data: {found}"


def test_mercury_kg_periods_list(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "service.cli.main", "periods", "list", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip()
        == "2010-07/2012-06\tJuly 2010 - June 2012\tperiod/2010-07--2012-06  (open)"
    )
