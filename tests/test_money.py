"""Money counted once (issue 26): one grant reported by donor, channel and recipient.

Norway grants USD 500,000 to UNEP for ASGM national action plans in Peru and Burkina Faso; UNEP
reports receiving EUR 380,000 from Norway (the same money at the ECB rate of March 2013); the
Artisanal Gold Council reports receiving USD 480,000 of it from UNEP. Each later report is flagged
on submit with the rate and its date, is accepted only with a decision, and the 2012-2014 report
shows the grant once, with every reporter, "across" both countries, and totals. A different grant
of the same size is not merged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, TIME

from graph.compile.build import Build
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from graph.contrib.money import Flow, decisions_of, flows, matching, undecided
from graph.namespaces import GMP, GMPD, SCHEMA
from graph.query.catalog import load_catalog
from graph.query.engine import EmbeddedEngine
from graph.rates import Rates
from graph.report.compare import read_edition
from service.server.app import create_app
from service.server.settings import Settings
from tests.cycle import ORG, open_period

PERIOD = "2012-07/2014-06"
CATALOG = load_catalog()
FIXTURE = Path(__file__).parent / "queries" / "money.ttl"


def _submission(text: str, *records: str) -> bytes:
    lines = "".join(f"- {r}\n" for r in records)
    return (
        f"period: {{from: 2012-07, to: 2014-06}}\ntitle: 'Funding'\ntext: '{text}'\n"
        f"records:\n{lines}"
    ).encode()


def _flow(
    fid: str,
    source: str,
    *,
    funder: str,
    amount: str,
    currency: str,
    when: str = "2013-03",
    recipient: str = "org/unep",
    transaction: str = "gmp:tt-received",
    places: str = "",
    extra: str = "",
) -> str:
    return (
        f"{{id: flow/{fid}, type: FundingFlow, label: '{fid}', funder: {funder},"
        f" recipient: {recipient}, item: area/asgm, transaction: {transaction}, when: {when},"
        f"{' places: ' + places + ',' if places else ''}"
        f" amount: {{value: {amount}, currency: {currency}, approx: exact,"
        f" verbatim: '{currency} {amount}'}}, source: '{source}'{extra}}}"
    )


NORWAY_TEXT = (
    "In March 2013 Norway granted USD 500000 to UNEP for ASGM national action plans in Peru and"
    " Burkina Faso."
)
NORWAY = _flow(
    "t26-norway-nap",
    "Norway granted USD 500000 to UNEP",
    funder="org/gov-norway",
    amount="500000",
    currency="USD",
    transaction="gmp:tt-granted",
    places="[wd:Q419, wd:Q965]",
)
BURKINA_FASO = (
    "{id: wd:Q965, type: Country, label: Burkina Faso, alpha2: BF, alpha3: BFA, m49: '854',"
    " source: 'Burkina Faso'}"
)
UNEP_TEXT = "In March 2013 UNEP received EUR 380000 from Norway for national action plans."
UNEP = _flow(
    "t26-unep-receipt",
    "UNEP received EUR 380000 from Norway",
    funder="org/gov-norway",
    amount="380000",
    currency="EUR",
)
AGC_TEXT = "In March 2013 the Council received USD 480000 from UNEP for the plan in Peru."
AGC = _flow(
    "t26-agc-receipt",
    "the Council received USD 480000 from UNEP",
    funder="org/unep",
    recipient="org/agc",
    amount="480000",
    currency="USD",
    places="[wd:Q419]",
)
MONGOLIA_TEXT = "In June 2013 Norway granted USD 500000 to UNEP for ASGM in Mongolia."
MONGOLIA = _flow(
    "t26-norway-mongolia",
    "Norway granted USD 500000 to UNEP for ASGM in Mongolia",
    funder="org/gov-norway",
    amount="500000",
    currency="USD",
    when="2013-06",
    transaction="gmp:tt-granted",
    places="[wd:Q711]",
)
SECOND_TEXT = "In March 2013 Norway also granted USD 500000 to UNEP for ASGM outreach."
SECOND = _flow(
    "t26-norway-outreach",
    "Norway also granted USD 500000 to UNEP for ASGM outreach",
    funder="org/gov-norway",
    amount="500000",
    currency="USD",
    transaction="gmp:tt-granted",
)


@pytest.fixture(scope="module")
def service(
    build: Build, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, dict[str, str], Path]]:
    data = tmp_path_factory.mktemp("money") / "data"
    conn = DataDir(data).connect()
    tokens = {
        "norway": accounts.add(conn, ORG + "gov-norway", "partner", "Norway desk")[1],
        "unep": accounts.add(conn, ORG + "unep", "partner", "UNEP chemicals branch")[1],
        "agc": accounts.add(conn, ORG + "agc", "partner", "AGC finance")[1],
        "secretariat": accounts.add(conn, ORG + "unep", "secretariat", "GMP secretariat")[1],
    }
    conn.close()
    open_period(data, build, PERIOD)
    settings = Settings(workers=1, data_dir=str(data), upload_burst=100_000, burst=100_000)
    with TestClient(create_app(settings, build)) as c:
        yield c, tokens, data.parent


def _auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def _submit(c: TestClient, token: str, body: bytes) -> dict[str, Any]:
    r = c.post(
        "/api/submissions", content=body, headers=_auth(token, **{"Content-Type": "text/yaml"})
    )
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def _accept(
    c: TestClient, tokens: dict[str, str], sid: str, decisions: dict[str, str] | None = None
) -> tuple[int, str]:
    r = c.post(
        f"/api/submissions/{sid}/accept",
        json=decisions,
        headers=_auth(tokens["secretariat"]),
    )
    return r.status_code, r.text


def test_the_grant_reported_three_times_is_counted_once(
    service: tuple[TestClient, dict[str, str], Path],
) -> None:
    c, tokens, folder = service
    first = _submit(c, tokens["norway"], _submission(NORWAY_TEXT, NORWAY, BURKINA_FASO))
    assert first["warnings"] == []
    assert _accept(c, tokens, str(first["id"]))[0] == 200

    # UNEP's receipt in EUR: flagged on submit, with the rate and its date
    unep = _submit(c, tokens["unep"], _submission(UNEP_TEXT, UNEP))
    (warning,) = unep["warnings"]
    assert warning["kind"] == "double-reporting"
    assert (warning["flow"], warning["other"]) == ("flow/t26-unep-receipt", "flow/t26-norway-nap")
    assert "1 EUR = 1.3000 USD (ECB reference rate of 2013-03-01)" in warning["message"]
    sid = str(unep["id"])

    # the reviewer sees the question; accepting without a decision is refused, naming the pair
    review = c.get(f"/api/submissions/{sid}", headers=_auth(tokens["secretariat"])).json()
    assert [(q["flow"], q["other"]) for q in review["money"]] == [
        ("flow/t26-unep-receipt", "flow/t26-norway-nap")
    ]
    status, text = _accept(c, tokens, sid)
    assert status == 409 and "flow/t26-unep-receipt and flow/t26-norway-nap" in text
    status, text = _accept(c, tokens, sid, {"money:flow/t26-unep-receipt:flow/x": "same"})
    assert status == 409 and "nothing asks whether" in text
    status, text = _accept(c, tokens, sid, {"money:flow/t26-unep-receipt": "same"})
    assert status == 400 and "money:FLOW:OTHER" in text
    status, text = _accept(
        c, tokens, sid, {"money:flow/t26-unep-receipt:flow/t26-norway-nap": "maybe"}
    )
    assert status == 400
    status, _ = _accept(c, tokens, sid, {"money:flow/t26-unep-receipt:flow/t26-norway-nap": "same"})
    assert status == 200

    # the recipient's report (three-way): the money passed on through UNEP
    agc = _submit(c, tokens["agc"], _submission(AGC_TEXT, AGC))
    pairs = sorted((w["flow"], w["other"]) for w in agc["warnings"])
    assert pairs == [("flow/t26-agc-receipt", "flow/t26-norway-nap")]  # one question per money
    decided = {f"money:{a}:{b}": "same" for a, b in pairs}
    assert _accept(c, tokens, str(agc["id"]), decided)[0] == 200

    # a different grant of the same size, to another country: not even asked about
    mongolia = _submit(c, tokens["norway"], _submission(MONGOLIA_TEXT, MONGOLIA))
    assert mongolia["warnings"] == []
    assert _accept(c, tokens, str(mongolia["id"]))[0] == 200
    # the same size, same dates and no country: asked, and decided to be different money
    second = _submit(c, tokens["norway"], _submission(SECOND_TEXT, SECOND))
    assert [w["other"] for w in second["warnings"]] == ["flow/t26-agc-receipt"]
    review = c.get(f"/api/submissions/{second['id']}", headers=_auth(tokens["secretariat"])).json()
    different = {f"money:{q['flow']}:{q['other']}": "different" for q in review["money"]}
    assert _accept(c, tokens, str(second["id"]), different)[0] == 200

    # the named queries count each sum once
    rows = c.get("/api/queries/money_reports", params={"format": "json"}).json()
    money = {
        b["flow"]["value"].removeprefix(str(GMPD)): b["money"]["value"].removeprefix(str(GMPD))
        for b in rows["results"]["bindings"]
    }
    merged = {money[f"flow/t26-{x}"] for x in ("norway-nap", "unep-receipt", "agc-receipt")}
    assert merged == {"flow/t26-agc-receipt"}  # the furthest stage, the first of equals
    assert money["flow/t26-norway-mongolia"] == "flow/t26-norway-mongolia"
    assert money["flow/t26-norway-outreach"] == "flow/t26-norway-outreach"
    decisions = c.get("/api/queries/money_decisions", params={"format": "json"}).json()
    by = {
        (b["flow"]["value"], b["link"]["value"], b["other"]["value"]): b.get("decided_by")
        for b in decisions["results"]["bindings"]
    }
    assert all(by.values()), by  # every pair decided by the reviewer who accepted
    assert len(by) == 3

    # the report of July 2012 - June 2014
    r = c.get("/report", params={"period": PERIOD, "format": "html"})
    assert r.status_code == 200
    path = folder / "money-report.html"
    path.write_text(r.text)
    data = read_edition(path)
    figures: dict[str, str] = data["figures"]
    items: dict[str, str] = data["items"]
    rows_of = [k for k in items if k.startswith("partner-funding/")]
    assert sorted(rows_of) == [
        "partner-funding/flow/t26-agc-receipt",
        "partner-funding/flow/t26-norway-mongolia",
        "partner-funding/flow/t26-norway-outreach",
    ]
    one = "partner-funding/flow/t26-agc-receipt"
    assert figures[f"{one}/donor"] == "Government of Norway"  # not UNEP, which passed it on
    assert figures[f"{one}/country"] == "across Burkina Faso and Peru"
    assert figures[f"{one}/amount"].startswith("$ 480,000; also reported as")
    assert "380,000 EUR (received)" in figures[f"{one}/amount"]
    by_text = figures[f"{one}/by"]
    assert by_text.startswith("Government of Norway, received") and "; and by " in by_text
    assert "United Nations Environment Programme" in by_text and "Artisanal Gold" in by_text
    assert figures[f"{one}/stage"] == "disbursement"
    totals = {k: v for k, v in figures.items() if k.startswith("partner-funding-totals/")}
    assert totals == {
        "partner-funding-totals/stage-disbursement/USD/total": "$ 480,000",
        "partner-funding-totals/stage-disbursement/USD/sums": "1",
        "partner-funding-totals/stage-commitment/USD/total": "$ 1 million",
        "partner-funding-totals/stage-commitment/USD/sums": "2",
    }
    twice = sorted(k for k in items if k.startswith("reported-twice/"))
    assert len(twice) == 3
    assert "Reported twice and how it was resolved" in r.text
    assert "the same money, counted once" in r.text and "different money, both counted" in r.text
    # the funds through UNEP list the grant once too (Norway's grant and UNEP's receipt)
    funds = sorted(k for k in items if k.startswith("funds/flow/t26-"))
    assert funds == [
        "funds/flow/t26-norway-mongolia",
        "funds/flow/t26-norway-nap",
        "funds/flow/t26-norway-outreach",
    ]


def test_a_record_that_says_same_money_as_is_the_decision(
    service: tuple[TestClient, dict[str, str], Path],
) -> None:
    c, tokens, _ = service
    text = "In July 2013 Norway granted USD 200000 to UNEP for ASGM in Peru."
    grant = _flow(
        "t26-norway-peru-2",
        "Norway granted USD 200000 to UNEP",
        funder="org/gov-norway",
        amount="200000",
        currency="USD",
        when="2013-07",
        transaction="gmp:tt-granted",
        places="[wd:Q419]",
    )
    assert (
        _accept(c, tokens, str(_submit(c, tokens["norway"], _submission(text, grant))["id"]))[0]
        == 200
    )
    text = "In July 2013 UNEP received USD 200000 from Norway, the grant Norway reported."
    receipt = _flow(
        "t26-unep-peru-2",
        "UNEP received USD 200000 from Norway",
        funder="org/gov-norway",
        amount="200000",
        currency="USD",
        when="2013-07",
        extra=", same_money_as: flow/t26-norway-peru-2",
    )
    sub = _submit(c, tokens["unep"], _submission(text, receipt))
    assert sub["warnings"] == []
    assert _accept(c, tokens, str(sub["id"]))[0] == 200
    rows = c.get("/api/queries/money_decisions", params={"format": "json"}).json()
    stated = [
        b
        for b in rows["results"]["bindings"]
        if b["flow"]["value"].endswith("flow/t26-unep-peru-2")
    ]
    assert len(stated) == 1 and "decision" not in stated[0]  # the partner's own statement


def test_exported_decisions_rebuild_the_same_graph(
    build: Build, service: tuple[TestClient, dict[str, str], Path]
) -> None:
    """``submissions export`` keeps the reviewer's decisions; ``build`` publishes them again."""
    import subprocess
    import sys

    from graph.contrib.folder import with_folder
    from graph.contrib.ledger import Ledger
    from graph.contrib.submission import graph_iri

    folder = service[2]
    data = folder / "data"
    out = folder / "contributions"
    cli = [sys.executable, "-m", "service.cli.main", "submissions", "export", str(out)]
    subprocess.run([*cli, "--data-dir", str(data)], check=True, capture_output=True)
    texts = [p.read_text() for p in sorted(out.glob("*.yaml"))]
    assert any("money_decisions:" in t and "decision: same" in t for t in texts)
    rebuilt = with_folder(build, out)
    ledger = Ledger(DataDir(data), build)
    try:
        for sub in ledger.listing():
            if sub.state == "accepted":
                mine = set(ledger.published().build.dataset.graph(graph_iri(sub.id)))
                assert set(rebuilt.dataset.graph(graph_iri(sub.id))) == mine, sub.id
    finally:
        ledger.close()


def test_the_review_page_asks_and_takes_the_decision(
    service: tuple[TestClient, dict[str, str], Path],
) -> None:
    """The secretariat's page shows one question per pair, with the partner's words and names."""
    c, tokens, _ = service
    text = "In August 2013 UNEP received USD 300000 from Norway for ASGM."
    grant = _flow(
        "t26-norway-aug",
        "Norway granted USD 300000",
        funder="org/gov-norway",
        amount="300000",
        currency="USD",
        when="2013-08",
        transaction="gmp:tt-granted",
    )
    body = _submission("In August 2013 Norway granted USD 300000 to UNEP for ASGM.", grant)
    assert _accept(c, tokens, str(_submit(c, tokens["norway"], body)["id"]))[0] == 200
    receipt = _flow(
        "t26-unep-aug",
        "UNEP received USD 300000 from Norway",
        funder="org/gov-norway",
        amount="300000",
        currency="USD",
        when="2013-08",
    )
    sid = str(_submit(c, tokens["unep"], _submission(text, receipt))["id"])
    c.cookies.clear()
    r = c.post("/signin", data={"token": tokens["secretariat"]}, follow_redirects=False)
    assert r.status_code == 303
    page = c.get(f"/review/{sid}")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    name = "money:flow/t26-unep-aug:flow/t26-norway-aug"
    assert page.text.count(f'name="{name}"') == 2 and "Is this the same money?" in page.text
    assert "Norway granted USD 300000" not in page.text or "t26-norway-aug" in page.text
    refused = c.post(f"/review/{sid}/accept", data={"csrf": csrf})
    assert refused.status_code == 409 and "decide first" in refused.text
    bad = c.post(f"/review/{sid}/accept", data={"csrf": csrf, name: "perhaps"})
    assert bad.status_code == 400 and "money:FLOW:OTHER" in bad.text
    done = c.post(
        f"/review/{sid}/accept", data={"csrf": csrf, name: "same"}, follow_redirects=False
    )
    assert done.status_code == 303
    assert "accepted" in c.get(f"/review/{sid}").text
    c.cookies.clear()


# What may be the same money, without the service


def _one(flow: str, **kw: object) -> Flow:
    base: dict[str, object] = {
        "iri": GMPD[flow],
        "label": flow,
        "funder": frozenset({GMPD["org/gov-norway"]}),
        "receiver": frozenset({GMPD["org/unep"]}),
        "places": frozenset(),
        "item": frozenset({GMPD["area/asgm"]}),
        "area": frozenset({GMPD["area/asgm"]}),
        "amount": Decimal(500000),
        "currency": "USD",
        "earliest": date(2013, 3, 1),
        "latest": date(2013, 3, 31),
        "decided": frozenset(),
    }
    return Flow(**{**base, **kw})  # type: ignore[arg-type]


def test_same_currency_within_the_tolerance_is_flagged_and_beyond_it_not() -> None:
    assert matching(_one("a"), _one("b", amount=Decimal(510000))) is not None
    assert matching(_one("a"), _one("b", amount=Decimal(600000))) is None


def test_other_currencies_are_compared_at_the_rate_of_the_flow_date() -> None:
    why = matching(_one("a"), _one("b", amount=Decimal(380000), currency="EUR"))
    assert why is not None and "ECB reference rate of 2013-03-01" in why
    assert matching(_one("a"), _one("b", amount=Decimal(500000), currency="EUR")) is None
    # the same 380,000 EUR in March 2008 (1 EUR = 1.55 USD) is far from USD 500,000
    old = {"earliest": date(2008, 3, 1), "latest": date(2008, 3, 31)}
    assert (
        matching(_one("a", **old), _one("b", amount=Decimal(380000), currency="EUR", **old)) is None
    )


def test_a_currency_without_an_ecb_rate_is_asked_about_not_matched_by_number() -> None:
    assert not Rates.known("PEN")
    why = matching(_one("a"), _one("b", amount=Decimal(500000), currency="PEN"))
    assert why is not None and "cannot be compared" in why and "PEN" in why


def test_what_cannot_be_the_same_money() -> None:
    a = _one("a", places=frozenset({URIRef("http://www.wikidata.org/entity/Q419")}))
    elsewhere = _one("b", places=frozenset({URIRef("http://www.wikidata.org/entity/Q711")}))
    assert matching(a, elsewhere) is None  # other countries
    assert matching(_one("a"), _one("b", funder=frozenset({GMPD["org/gov-japan"]}))) is None
    later = {"earliest": date(2014, 1, 1), "latest": date(2014, 1, 31)}
    assert matching(_one("a"), _one("b", **later)) is None  # dates apart
    nothing_shared: dict[str, object] = {
        "receiver": frozenset(),
        "item": frozenset(),
        "area": frozenset(),
    }
    assert matching(_one("a"), _one("b", **nothing_shared)) is None
    decided = _one("b", decided=frozenset({GMPD["a"]}))
    assert matching(_one("a"), decided) is None  # already decided


def test_flows_read_from_a_graph_and_decisions_from_fields() -> None:
    g = Graph()
    f, t, amount = GMPD["flow/x"], GMPD["flow/x/time"], GMPD["flow/x/amount"]
    g.add((f, RDF.type, GMP.FundingFlow))
    g.add((f, SCHEMA.funder, GMPD["org/gov-norway"]))
    g.add((f, SCHEMA.amount, amount))
    g.add((amount, SCHEMA.value, Literal(Decimal("500000"))))
    g.add((amount, SCHEMA.currency, Literal("USD")))
    g.add((f, TIME.hasTime, t))
    g.add((t, GMP.earliest, Literal(date(2013, 3, 1))))
    (flow,) = flows(g)
    assert (flow.amount, flow.currency, flow.earliest) == (Decimal(500000), "USD", date(2013, 3, 1))
    assert decisions_of({"money:flow/a:flow/b": "same", "other": "x"}) == {
        ("flow/a", "flow/b"): True
    }
    with pytest.raises(ValueError, match="money:FLOW:OTHER"):
        decisions_of({"money:flow/a": "same"})
    questions = [("flow/a", "flow/b", "why")]
    assert undecided(questions, {("flow/b", "flow/a"): False}) is None
    assert "decide first" in (undecided(questions, {}) or "")


def test_money_queries_on_contributed_funding(build: Build) -> None:
    """Three reports of one grant, a different grant of the same size and a pledge."""
    from rdflib import Dataset

    ds = Dataset()
    ds.addN(build.dataset.quads((None, None, None, None)))  # type: ignore[arg-type]
    ds.graph(URIRef("urn:x-test:money")).parse(FIXTURE)
    engine = EmbeddedEngine.from_dataset(ds)
    totals = {
        (str(r[0]).rsplit("#", 1)[-1], str(r[1])): (
            Decimal(str(r[2])),
            int(str(r[3])),
            int(str(r[4])),
        )
        for r in engine.select(CATALOG["money_totals"].text).rows
    }
    assert totals == {
        ("stage-commitment", "USD"): (Decimal(2_350_000), 3, 0),  # Kyrgyz 0.85 M + 1 M, 0.5 M
        ("stage-disbursement", "USD"): (Decimal(11_145_000), 3, 1),  # 10.5 M + 0.15 M + 0.495 M
        ("stage-pledge", "USD"): (Decimal(1_000_000), 1, 0),
    }
    reports = engine.select(CATALOG["money_reports"].text).rows
    moneys = {str(r[1]).rsplit("/", 1)[-1]: str(r[0]).rsplit("/", 1)[-1] for r in reports}
    assert {moneys[x] for x in ("t-norway-grant", "t-unep-receipt", "t-ministry-receipt")} == {
        "t-ministry-receipt"
    }
    assert moneys["t-norway-second"] == "t-norway-second"
    decisions = engine.select(CATALOG["money_decisions"].text).rows
    assert len(decisions) == 3 and sum(1 for r in decisions if r[3] is not None) == 2
