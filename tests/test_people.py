"""Partners report as people (issue 25): roles, forms of every kind, review in words, notices.

Through the real app: an area lead reviews its area only; the secretariat makes accounts in the
browser, for an organisation accepted a moment before; every form is read back before it is
stored; the queue and the review page speak in names; a question and its answer reach the
right feeds; the outbox goes out through an SMTP server; YAML amounts follow the form's rule.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.compile.build import Build
from graph.contrib import accounts, notices
from graph.contrib.datadir import DataDir
from service.server.app import create_app
from service.server.settings import Settings
from tests.cycle import NEXT, ORG, open_period
from tests.formflow import check, check_and_send, csrf_of, submission_id

AREA = "https://w3id.org/mercury-kg/id/area/"
ASGM = "Artisanal and small-scale gold mining"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("people") / "data"


@pytest.fixture(scope="module")
def tokens(data: Path, build: Build) -> dict[str, str]:
    conn = DataDir(data).connect()
    made = {
        "norway": accounts.add(
            conn, ORG + "gov-norway", "partner", "Kari Nordmann", email="kari@example.org"
        )[1],
        "asgm": accounts.add(conn, ORG + "unido", "area-lead", "ASGM lead", (AREA + "asgm",))[1],
        "coal": accounts.add(conn, ORG + "iea-ccc", "area-lead", "Coal lead", (AREA + "coal",))[1],
        "secretariat": accounts.add(conn, ORG + "unep", "secretariat", "GMP secretariat")[1],
    }
    conn.close()
    open_period(data, build)
    return made


@pytest.fixture(scope="module")
def client(build: Build, data: Path, tokens: dict[str, str]) -> Iterator[TestClient]:
    settings = Settings(workers=1, data_dir=str(data), upload_burst=100_000, burst=100_000)
    with TestClient(create_app(settings, build)) as c:
        yield c


def _auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def _sign_in(c: TestClient, token: str) -> str:
    c.cookies.clear()
    r = c.post("/signin", data={"token": token}, follow_redirects=False)
    assert r.status_code == 303
    return csrf_of(c.get("/review").text)


def _yaml(text: str, record: str, extra: str = "") -> bytes:
    return (
        f"period: {{from: 2012-07, to: 2014-06}}\ntitle: 'A test'\n{extra}text: '{text}'\n"
        f"records:\n- {record}\n"
    ).encode()


GRANT = "In April 2013 Norway granted USD 500,000 to the ASGM area."


def _grant(fid: str, value: str, area: str = "area/asgm") -> str:
    return (
        f"{{id: flow/{fid}, type: FundingFlow, label: '{fid}', funder: org/gov-norway,"
        f" item: {area}, transaction: gmp:tt-granted, when: 2013-04,"
        f" amount: {{value: '{value}', currency: USD, approx: exact, verbatim: 'USD 500,000'}},"
        f" source: '{GRANT}'}}"
    )


def _submit(c: TestClient, token: str, body: bytes) -> Any:
    return c.post(
        "/api/submissions", content=body, headers=_auth(token, **{"Content-Type": "text/yaml"})
    )


def test_yaml_amounts_follow_the_rule_and_words_are_compared(
    client: TestClient, tokens: dict[str, str]
) -> None:
    r = _submit(client, tokens["norway"], _yaml(GRANT, _grant("t25-ambiguous", "500.000,00")))
    assert r.status_code == 422, r.text
    problem = r.json()["problems"][0]
    assert (problem["record"], problem["field"]) == ("flow/t25-ambiguous", "amount")
    assert "1.234,56" in problem["message"]
    body = _yaml(GRANT, _grant("t25-de", "500.000,00"), "number_format: de\n")
    r = _submit(client, tokens["norway"], body)
    assert r.status_code == 201, r.text
    assert r.json()["warnings"] == []
    r = _submit(client, tokens["norway"], _yaml(GRANT, _grant("t25-more", "600000")))
    assert r.status_code == 201, r.text
    said = [w for w in r.json()["warnings"] if w["kind"] == "amount-words"]
    assert (
        len(said) == 1
        and "USD 600,000" in said[0]["message"]
        and "“USD 500,000”" in said[0]["message"]
    )
    bad = _grant("t25-xyz", "500000").replace("currency: USD", "currency: XYZ")
    r = _submit(client, tokens["norway"], _yaml(GRANT, bad))
    assert r.status_code == 422 and "ISO 4217" in r.text


def test_an_area_lead_decides_for_its_areas_only(
    client: TestClient, tokens: dict[str, str]
) -> None:
    sid = _submit(client, tokens["norway"], _yaml(GRANT, _grant("t25-lead", "500000"))).json()["id"]
    coal = client.post(f"/api/submissions/{sid}/accept", headers=_auth(tokens["coal"]))
    assert coal.status_code == 403 and "areas you do not lead" in coal.text
    assert client.get(f"/api/submissions/{sid}", headers=_auth(tokens["coal"])).status_code == 404
    listed = client.get("/api/submissions", headers=_auth(tokens["coal"])).json()["submissions"]
    assert sid not in [s["id"] for s in listed]
    # the ASGM lead sees it in words and accepts it
    view = client.get(f"/api/submissions/{sid}", headers=_auth(tokens["asgm"])).json()
    assert view["words"] == GRANT and view["areas"] == [ASGM]
    assert view["submitted_by"] == "Kari Nordmann (Government of Norway)"
    r = client.post(f"/api/submissions/{sid}/accept", headers=_auth(tokens["asgm"]))
    assert r.status_code == 200, r.text
    # the account's name, not its id, labels it in the provenance
    ask = (
        "ASK { ?s prov:wasAttributedTo ?a . ?a rdfs:label 'Kari Nordmann'@en ."
        " ?r prov:wasAssociatedWith ?l . ?l rdfs:label 'ASGM lead'@en }"
    )
    answer = client.get("/sparql", params={"query": ask}, headers={"Accept": "application/json"})
    assert answer.json()["boolean"] is True
    # a submission about another area too is the secretariat's; retracting is too
    both = _grant("t25-both", "500000", "[area/asgm, area/coal]")
    sid = _submit(client, tokens["norway"], _yaml(GRANT, both)).json()["id"]
    r = client.post(f"/api/submissions/{sid}/accept", headers=_auth(tokens["asgm"]))
    assert r.status_code == 403 and "secretariat decides" in r.text
    r = client.post(
        f"/api/submissions/{sid}/retract", json={"reason": "x"}, headers=_auth(tokens["asgm"])
    )
    assert r.status_code == 403
    # an area lead reports for its own organisation as a partner does
    unido = GRANT.replace("Norway", "UNIDO")
    own = _grant("t25-unido", "500000").replace("org/gov-norway", "org/unido")
    r = _submit(client, tokens["asgm"], _yaml(unido, own.replace(GRANT, unido)))
    assert r.status_code == 201, r.text


FORMS: list[tuple[str, dict[str, str], str]] = [
    (
        "activity",
        {
            "text": "From May 2013 Norway trains miners in Peru.",
            "label": "Miners trained",
            "work": "activity",
            "area": ASGM,
            "status": "",
            "start": "May 2013",
            "countries-1": "Peru",
        },
        "Activity “Miners trained” by Government of Norway",
    ),
    (
        "event",
        {
            "text": "On 12 June 2013 about 80 people met in Lima.",
            "label": "Lima workshop",
            "area": ASGM,
            "start": "12 June 2013",
            "countries-1": "Peru",
            "participants": "80",
            "participants_about": "about",
            "organisers-1": "Government of Norway",
        },
        "Event “Lima workshop”, 12 June 2013 in Peru, organised by Government of Norway, about"
        " 80 participants",
    ),
    (
        "document",
        {
            "text": "In May 2013 Norway issued Gold without mercury.",
            "label": "Gold without mercury",
            "doc_type": "Report",
            "issued": "May 2013",
            "languages-1": "French",
            "area": ASGM,
        },
        "A report “Gold without mercury”, issued May 2013, in French",
    ),
    (
        "organisation",
        {
            "text": "The Lomé Goldsmiths joined in 2013.",
            "label": "Lomé Goldsmiths",
            "org_kind": "Organization",
            "partner_type": "ngo",
            "country": "Togo",
        },
        "New organisation “Lomé Goldsmiths”, based in Togo",
    ),
    (
        "highlight",
        {"text": "National plans began.", "label": "National plans began", "area": ASGM},
        "Highlight of Artisanal and small-scale gold mining: “National plans began”",
    ),
    (
        "count",
        {
            "text": "On 30 June 2014 there were 31 government partners.",
            "date": "30 June 2014",
            "partner_type": "government",
            "count": "31",
        },
        "31 (government) on 30 June 2014",
    ),
]


@pytest.mark.parametrize(("kind", "fields", "read"), FORMS, ids=[f[0] for f in FORMS])
def test_every_kind_has_a_form_read_back_before_it_is_sent(
    client: TestClient, tokens: dict[str, str], kind: str, fields: dict[str, str], read: str
) -> None:
    csrf = _sign_in(client, tokens["norway"])
    form = {"csrf": csrf, "kind": kind, "period": NEXT, **fields}
    r = check(client, form)
    assert r.status_code == 200, r.text
    assert read in r.text.replace("&#34;", '"')
    assert "Nothing was stored" not in r.text
    # a send whose fields changed after the read-back is read back again, not stored
    r = client.post(
        "/contribute", data={**form, "action": "send", "checked": "stale", "label": "x"}
    )
    assert r.status_code == 200 and "This is what will be stored" in r.text
    r = check_and_send(client, form)
    assert r.status_code == 201, r.text
    view = client.get(
        f"/api/submissions/{submission_id(r.text)}", headers=_auth(tokens["secretariat"])
    )
    assert view.json()["words"].startswith(fields["text"])


def test_a_form_error_keeps_everything_and_marks_the_field(
    client: TestClient, tokens: dict[str, str]
) -> None:
    csrf = _sign_in(client, tokens["norway"])
    form = {
        "csrf": csrf,
        "kind": "funding",
        "period": NEXT,
        "text": GRANT,
        "label": "Grant",
        "funder": "Government of Norway",
        "area": ASGM,
        "amount": "500.000,00",
        "currency": "XYZ",
        "transaction": "granted",
        "when": "in spring",
        "countries-1": "Atlantis",
    }
    r = check(client, form)
    assert r.status_code == 422
    for name in ("amount", "currency", "when", "countries-1"):
        assert f'id="f-{name}" name="{name}" value="{form[name]}"' in r.text
        assert f'id="e-{name}"' in r.text
    assert "4 fields to correct" in r.text and GRANT in r.text
    r = check(
        client,
        {
            **form,
            "amount": "600,000.00",
            "currency": "USD",
            "when": "April 2013",
            "countries-1": "Burkina Faso",
        },
    )
    assert r.status_code == 200
    assert "USD 600,000.00 granted by Government of Norway to Artisanal" in r.text
    assert "New country: Burkina Faso (ISO 3166 BFA)" in r.text
    assert "Warning: the amount is USD 600,000" in r.text  # the words say 500,000


def test_a_government_partner_must_be_a_government(
    client: TestClient, tokens: dict[str, str]
) -> None:
    csrf = _sign_in(client, tokens["norway"])
    form = {
        "csrf": csrf,
        "kind": "organisation",
        "period": NEXT,
        "text": "The Ministry of Mines of Ghana joined in 2013.",
        "label": "Ministry of Mines, Ghana",
        "org_kind": "Organization",
        "partner_type": "government",
        "country": "Ghana",
    }
    r = check(client, form)
    assert r.status_code == 422
    assert 'id="e-org_kind"' in r.text and "a government partner is a government" in r.text
    r = check(client, {**form, "org_kind": "Government", "country": ""})
    assert r.status_code == 422
    assert 'id="e-country"' in r.text and "a government governs a country" in r.text
    r = check(client, {**form, "org_kind": "Government"})
    assert r.status_code == 200, r.text


def test_the_queue_and_the_page_speak_in_names_and_words(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = _yaml(GRANT, _grant("t25-page", "600000"))
    sid = _submit(client, tokens["norway"], body).json()["id"]
    _sign_in(client, tokens["asgm"])
    queue = client.get("/review").text
    row = queue[queue.index(f"/review/{sid}") :].split("</tr>", 1)[0]
    for words in ("A test", "Government of Norway", "Money", "USD 600,000", ASGM, "Warning"):
        assert words in row, words
    page = client.get(f"/review/{sid}").text
    order = [
        page.index(h)
        for h in (
            "In the partner's words",
            "What it adds",
            "What changes in the report",
            "The RDF it adds",
        )
    ]
    assert order == sorted(order)
    assert "<dt>funder</dt><dd>Government of Norway</dd>" in page
    assert "USD 600,000 (written “USD 500,000”)" in page
    changes = client.get(f"/api/submissions/{sid}", headers=_auth(tokens["asgm"])).json()[
        "report_changes"
    ]
    assert any("Norway" in c["after"] for c in changes), changes
    # a record naming another organisation, not the submitter's, is a claim; a country is none
    other = (
        "{id: activity/t25-unep-claim, type: Activity, label: UNEP trains, area: area/asgm,"
        f" implementer: org/unep, places: [country/tgo], source: '{GRANT}'}}"
    )
    togo = "{id: country/tgo, type: Country, label: Togo, alpha2: TG, alpha3: TGO, m49: '768',"
    togo += f" source: '{GRANT}'}}"
    body = _yaml(GRANT, other) + f"- {togo}\n".encode()
    r = _submit(client, tokens["norway"], body)
    assert r.status_code == 201, r.text
    claims = client.get(f"/api/submissions/{r.json()['id']}", headers=_auth(tokens["asgm"]))
    assert claims.json()["report"]["claims"] == ["activity/t25-unep-claim"]


def test_a_question_and_its_answer_reach_the_feeds_and_the_outbox(
    client: TestClient, tokens: dict[str, str], data: Path
) -> None:
    sid = _submit(client, tokens["norway"], _yaml(GRANT, _grant("t25-ask", "500000"))).json()["id"]
    r = client.post(
        f"/api/submissions/{sid}/ask",
        json={"reason": "Which countries?"},
        headers=_auth(tokens["asgm"]),
    )
    assert r.status_code == 200 and r.json()["state"] == "pending"
    r = client.post(
        f"/api/submissions/{sid}/answer",
        json={"reason": "Peru only."},
        headers=_auth(tokens["coal"]),
    )
    assert r.status_code == 403
    r = client.post(
        f"/api/submissions/{sid}/answer",
        json={"reason": "Peru only."},
        headers=_auth(tokens["norway"]),
    )
    assert r.status_code == 200
    partner = client.get("/feed", headers=_auth(tokens["norway"]))
    assert partner.headers["content-type"].startswith("application/atom+xml")
    assert "has a question from its reviewer" in partner.text and "Which countries?" in partner.text
    lead = client.get("/feed", headers=_auth(tokens["asgm"])).text
    assert "awaits your review" in lead and "has an answer from its partner" in lead
    assert "Peru only." in lead
    coal = client.get("/feed", headers=_auth(tokens["coal"])).text
    assert sid not in coal
    client.cookies.clear()
    assert client.get("/feed").status_code == 401
    # the outbox: only the partner gave an address; an SMTP server takes its notices
    received: list[bytes] = []
    port = _smtp_server(received)
    conn = DataDir(data).connect()
    try:
        sent = notices.send(conn, "127.0.0.1", port, "gmp@example.org", "https://kg.example.org")
        again = notices.send(conn, "127.0.0.1", port, "gmp@example.org", "https://kg.example.org")
    finally:
        conn.close()
    assert sent >= 1 and again == 0
    mail = b"".join(received).decode()
    assert "To: kari@example.org" in mail and "https://kg.example.org/review/" in mail


def _smtp_server(received: list[bytes]) -> int:
    """A minimal SMTP server on loopback that keeps each message's data (RFC 5321's commands)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def serve() -> None:
        conn, _ = server.accept()
        files = conn.makefile("rb")
        conn.sendall(b"220 test\r\n")
        data = False
        for line in files:
            if data:
                if line == b".\r\n":
                    data = False
                    conn.sendall(b"250 ok\r\n")
                else:
                    received.append(line)
                continue
            command = line[:4].upper()
            if command == b"DATA":
                data = True
                conn.sendall(b"354 go\r\n")
            elif command == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                break
            else:
                conn.sendall(b"250 ok\r\n")
        conn.close()
        server.close()

    threading.Thread(target=serve, daemon=True).start()
    return int(server.getsockname()[1])


def test_the_secretariat_makes_and_revokes_accounts_in_the_browser(
    client: TestClient, tokens: dict[str, str]
) -> None:
    # a new organisation, accepted through a submission, can be given an account at once
    csrf = _sign_in(client, tokens["norway"])
    form = {
        "csrf": csrf,
        "kind": "organisation",
        "period": NEXT,
        "text": "Mali Gold joined.",
        "label": "Mali Gold",
        "org_kind": "Organization",
        "country": "Mali",
    }
    sid = submission_id(check_and_send(client, form).text)
    assert client.post("/accounts", data={"csrf": csrf}).status_code == 403  # not the secretariat
    csrf = _sign_in(client, tokens["secretariat"])
    page = client.get(f"/review/{sid}").text
    r = client.post(f"/review/{sid}/accept", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 303
    r = client.post(
        "/accounts", data={"csrf": csrf, "name": "Awa", "org": "Nowhere Inc", "role": "partner"}
    )
    assert r.status_code == 422 and "not an organisation of the graph" in r.text
    r = client.post(
        "/accounts", data={"csrf": csrf, "name": "Awa", "org": "Mali Gold", "role": "area-lead"}
    )
    assert r.status_code == 422 and "needs the partnership areas" in r.text
    r = client.post(
        "/accounts",
        data={"csrf": csrf, "name": "Awa Traoré", "org": "mali gold", "role": "partner"},
    )
    assert r.status_code == 201, r.text
    token = r.text.split('<code class="token">', 1)[1].split("<", 1)[0]
    assert accounts.TOKEN.fullmatch(token)
    assert "Awa Traoré" in client.get("/accounts").text
    assert client.get("/feed", headers=_auth(token)).status_code == 200
    made = next(a for a in _listing(client) if a.name == "Awa Traoré")
    client.cookies.clear()
    assert client.get("/feed", headers=_auth(token)).status_code == 200
    csrf = _sign_in(client, tokens["secretariat"])
    r = client.post(f"/accounts/{made.id}/revoke", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/feed", headers=_auth(token)).status_code == 401
    r = client.post(f"/accounts/{made.id}/revoke", data={"csrf": csrf})
    assert r.status_code == 409
    for path in ("/accounts", f"/accounts/{made.id}/revoke"):  # a stale form changes nothing
        r = client.post(path, data={"csrf": "stale", "name": "X", "org": "UNEP", "role": "partner"})
        assert r.status_code == 403 and "The form is stale" in r.text


def _listing(client: TestClient) -> list[accounts.Account]:
    state = client.app.state.kg  # type: ignore[attr-defined]
    return list(state.ledger.read(accounts.listing))


def test_accounts_add_an_area_lead_from_the_command_line(tmp_path: Path, build: Build) -> None:
    data = tmp_path / "data"
    run = [sys.executable, "-m", "service.cli.main", "accounts", "--data-dir", str(data), "add"]
    ok = subprocess.run(
        [*run, "--org", "org/unido", "--role", "area-lead", "--area", "area/asgm", "--name", "L"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert "leading area/asgm" in ok.stdout and accounts.TOKEN.fullmatch(ok.stdout.split()[-1])
    bad = subprocess.run(
        [*run, "--org", "org/unido", "--role", "area-lead"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2 and "--area" in bad.stderr
    wrong = subprocess.run(
        [*run, "--org", "org/unido", "--role", "area-lead", "--area", "org/unep"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert wrong.returncode == 2 and "not a partnership area" in wrong.stderr


def test_a_data_directory_from_before_area_leads_is_upgraded(tmp_path: Path) -> None:
    data = tmp_path / "old"
    data.mkdir()
    conn = sqlite3.connect(data / "state.sqlite3")
    conn.executescript(
        "CREATE TABLE accounts (id TEXT PRIMARY KEY, org TEXT NOT NULL, role TEXT NOT NULL"
        " CHECK (role IN ('partner', 'secretariat')), name TEXT NOT NULL DEFAULT '',"
        " salt BLOB NOT NULL, hash BLOB NOT NULL, created TEXT NOT NULL, revoked TEXT);"
        "INSERT INTO accounts VALUES ('aaaaaaaaaaaa', 'o', 'partner', 'Old', x'00', x'00',"
        " '2024-01-01T00:00:00Z', NULL);"
    )
    conn.close()
    conn = DataDir(data).connect()
    try:
        old = accounts.find(conn, "aaaaaaaaaaaa")
        assert old is not None and old.name == "Old" and old.areas == ()
        lead, _ = accounts.add(conn, "o", "area-lead", "New", (AREA + "asgm",))
        assert accounts.find(conn, lead.id) == lead
    finally:
        conn.close()


def test_a_resource_page_says_amounts_in_words(client: TestClient) -> None:
    page = client.get("/id/flow/environment-fund", headers={"Accept": "text/html"}).text
    assert "about $ 1.5 million" in page
    event = client.get("/id/event/asgm-global-forum-2010", headers={"Accept": "text/html"}).text
    assert "about 100 participants (as written: “Some 100 participants”)" in event
