"""A whole reporting cycle over HTTP (issue 24): the next report made with this system alone.

The secretariat opens July 2012 - June 2014; partners send each kind of fact for it (funding, a
receipt through UNEP, an activity, an event, a document, a new organisation, a Table 2 highlight,
a knowledge gap, the partner count at the period's end); the secretariat accepts them; the
report of the period has each in its section, captions name the period, every link is public.
Then July 2014 - June 2016: nothing of it is bound to the second period.
"""

from __future__ import annotations

import re
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

ORG = "https://w3id.org/mercury-kg/id/org/"
PUBLIC = "https://gmp.example.org"
SECOND, THIRD = "2012-07/2014-06", "2014-07/2016-06"


def _submission(period: str, text: str, records: list[str], title: str) -> bytes:
    start, end = period.split("/")
    lines = "".join(f"- {r}\n" for r in records)
    return (
        f"period: {{from: {start}, to: {end}}}\ntitle: '{title}'\ntext: '{text}'\nrecords:\n{lines}"
    ).encode()


NORWAY_WORDS = (
    "In March 2013 the Government of Norway granted 500,000 US$ to the artisanal and small-scale "
    "gold mining partnership area. In May 2013 Norway and the Peruvian Association of Artisanal"
    " Miners held a "
    "national workshop on mercury in gold mining in Peru. In October 2013 the area met in Lima. "
    "In September 2013 the guidance on formalization was published. As of 30 June 2014 there "
    "were 140 official partners. Releases from artisanal refining are not yet known."
)
NORWAY = [
    "{id: flow/cycle-norway-asgm, type: FundingFlow, label: Norway grant to the ASGM area 2013,"
    " funder: org/gov-norway, item: area/asgm, transaction: gmp:tt-granted, when: 2013-03,"
    " amount: {value: 500000, currency: USD, approx: exact, verbatim: '500,000 US$'},"
    " source: 'the Government of Norway granted 500,000 US$'}",
    "{id: org/cycle-peruvian-miners, type: Organization, label: Peruvian Association of"
    " Artisanal Miners, org_type: gmp:pt-ngo,"
    " source: 'the Peruvian Association of Artisanal Miners'}",
    "{id: activity/cycle-peru-workshop, type: Activity, label: National workshop on mercury in"
    " gold mining in Peru, area: area/asgm, places: wd:Q419, implementer: org/gov-norway,"
    " partner: org/cycle-peruvian-miners, status: gmp:status-completed, when: 2013-05,"
    " source: 'In May 2013 Norway and the Peruvian Association of Artisanal Miners held a"
    " national workshop on mercury in gold mining in Peru.'}",
    "{id: event/cycle-lima-meeting, type: Event, label: ASGM partnership area meeting in Lima,"
    " area: area/asgm, places: wd:Q419, status: gmp:status-completed, when: 2013-10,"
    " source: 'In October 2013 the area met in Lima.'}",
    "{id: doc/cycle-formalization-guidance, type: Guidance, label: Guidance on formalization,"
    " area: area/asgm, issued: 2013-09, status: gmp:status-completed,"
    " source: 'In September 2013 the guidance on formalization was published.'}",
    "{id: highlight/cycle-asgm-1, type: Highlight, label: Peru workshop held, area: area/asgm,"
    " ordinal: 'i', highlights: activity/cycle-peru-workshop,"
    " source: 'held a national workshop on mercury in gold mining in Peru'}",
    "{id: gap/cycle-refining, type: KnowledgeGap, label: Releases from artisanal refining,"
    " source: 'Releases from artisanal refining are not yet known.'}",
    "{id: obs/cycle-partners-2014-06-30-total, type: PartnerCount, label: 'All official partners,"
    " 30 June 2014', dataset: dataset/partners, date: '2014-06-30', partner_type: gmp:pt-total,"
    " count: 140, source: 'As of 30 June 2014 there were 140 official partners.'}",
]
UNEP_WORDS = (
    "In April 2013 UNEP received 200,000 US$ from the Government of Japan for the secretariat."
)
UNEP = [
    "{id: flow/cycle-unep-receipt, type: FundingFlow, label: Japan funds received by UNEP 2013,"
    " funder: org/gov-japan, recipient: org/unep, item: gmp, transaction: gmp:tt-received,"
    " when: 2013-04, amount: {value: 200000, currency: USD, approx: exact,"
    " verbatim: '200,000 US$'}, source: 'UNEP received 200,000 US$ from the Government of Japan'}",
]


@pytest.fixture(scope="module")
def service(
    build: Build, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, dict[str, str], Path]]:
    data = tmp_path_factory.mktemp("cycle") / "data"
    conn = DataDir(data).connect()
    tokens = {
        "norway": accounts.add(conn, ORG + "gov-norway", "partner", "Norway desk")[1],
        "unep": accounts.add(conn, ORG + "unep", "partner", "UNEP chemicals branch")[1],
        "secretariat": accounts.add(conn, ORG + "unep", "secretariat", "GMP secretariat")[1],
    }
    conn.close()
    settings = Settings(
        workers=1, data_dir=str(data), upload_burst=100_000, burst=100_000, public_url=PUBLIC
    )
    with TestClient(create_app(settings, build)) as c:
        yield c, tokens, data.parent


def _auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def _send_and_accept(c: TestClient, tokens: dict[str, str], who: str, body: bytes) -> str:
    r = c.post(
        "/api/submissions",
        content=body,
        headers=_auth(tokens[who], **{"Content-Type": "text/yaml"}),
    )
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    done = c.post(f"/api/submissions/{sid}/accept", headers=_auth(tokens["secretariat"]))
    assert done.status_code == 200, done.text
    return str(sid)


def _report(c: TestClient, period: str, folder: Path) -> tuple[str, dict[str, object]]:
    r = c.get("/report", params={"period": period, "format": "html"})
    assert r.status_code == 200, r.text
    path = folder / f"report-{period.replace('/', '--')}.html"
    path.write_text(r.text)
    return r.text, read_edition(path)


def test_a_whole_2012_2014_cycle_then_a_2014_2016_one(
    service: tuple[TestClient, dict[str, str], Path],
) -> None:
    c, tokens, folder = service
    opened = c.post("/api/periods", json={"period": SECOND}, headers=_auth(tokens["secretariat"]))
    assert opened.status_code == 201, opened.text
    _send_and_accept(c, tokens, "norway", _submission(SECOND, NORWAY_WORDS, NORWAY, "Norway 2013"))
    _send_and_accept(c, tokens, "unep", _submission(SECOND, UNEP_WORDS, UNEP, "UNEP receipts"))

    page, data = _report(c, SECOND, folder)
    figures: dict[str, str] = data["figures"]  # type: ignore[assignment]
    items: dict[str, str] = data["items"]  # type: ignore[assignment]
    expected_items = {
        "work/area/asgm/activity/cycle-peru-workshop": "activity in its area's section",
        "work/area/asgm/event/cycle-lima-meeting": "event",
        "work/area/asgm/doc/cycle-formalization-guidance": "document",
        "table-2/highlight/cycle-asgm-1": "Table 2 highlight",
        "knowledge-gaps/gap/cycle-refining": "gap",
        "new-organisations/org/cycle-peruvian-miners": "new partner",
        "funds/flow/cycle-unep-receipt": "funds provided through UNEP",
        "partner-funding/flow/cycle-norway-asgm": "partner funding",
    }
    missing = {k: v for k, v in expected_items.items() if k not in items}
    assert not missing, f"not in the report: {missing}"
    assert figures["work/area/asgm/activity/cycle-peru-workshop/where"] == "Peru"
    assert figures["membership/last/pt-total"] == "140"
    assert figures["membership/last/pt-ngo"] == "unknown"  # a total alone: the types unknown
    assert figures["membership/first/pt-total"] == "111"  # the count of 30 June 2012
    assert figures["membership/change/pt-total"] == "+29"
    assert figures["since/partners/previous"] == "111" and figures["since/partners/now"] == "140"
    assert "unfunded-areas/area/asgm" not in items  # the period's flow funds it
    assert data["period"] == ["2012-07-01", "2014-06-30"]
    assert "from July 2012 to June 2014" in data["title"]  # type: ignore[operator]

    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page, re.S)
    assert len(captions) == 2 and all("July 2012 - June 2014" in cap for cap in captions)
    assert not any("2010" in cap for cap in captions)
    for bad in ("127.0.0.1", "localhost", "testserver"):
        assert bad not in page, bad
    links = re.findall(r'href="([^"]+)"', page)
    assert links and all(
        link.startswith((PUBLIC, "https://w3id.org/", "http://www.wikidata.org/", "#", "https://"))
        for link in links
    ), [link for link in links if not link.startswith((PUBLIC, "#", "http"))][:5]
    assert any(link.startswith(f"{PUBLIC}/api/queries/") for link in links)
    assert any(link.startswith(f"{PUBLIC}/id/") for link in links)

    # the third period: nothing is bound to the second
    third = c.post("/api/periods", json={"period": THIRD}, headers=_auth(tokens["secretariat"]))
    assert third.status_code == 201, third.text
    words = "In March 2015 we held a regional workshop in Lima on mercury-free gold processing."
    _send_and_accept(
        c,
        tokens,
        "norway",
        _submission(
            THIRD,
            words,
            [
                "{id: activity/cycle-lima-2015, type: Activity, label: Regional workshop in Lima,"
                " area: area/asgm, places: wd:Q419, status: gmp:status-completed, when: 2015-03,"
                f" source: '{words}'}}",
            ],
            "Norway 2015",
        ),
    )
    _, later = _report(c, THIRD, folder)
    later_items: dict[str, str] = later["items"]  # type: ignore[assignment]
    assert "work/area/asgm/activity/cycle-lima-2015" in later_items
    assert "work/area/asgm/activity/cycle-peru-workshop" not in later_items
    assert "table-2/highlight/cycle-asgm-1" not in later_items
    later_figures: dict[str, str] = later["figures"]  # type: ignore[assignment]
    assert later_figures["since/partners/previous"] == "140"
    assert later_figures["membership/first/pt-total"] == "140"
    assert later_figures["membership/last/pt-total"] == "unknown"
    periods = c.get("/api/periods").json()["periods"]
    assert [p["span"] for p in periods if p["open"]] == [THIRD]
