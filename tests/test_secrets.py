"""No secret in any log, the same work for unknown and known accounts, guesses limited per account.

Issue 23, item 3: a token sent where it does not belong (a query string) is refused and never
written to the access log; a token naming an unknown account costs the same scrypt as a wrong
secret for a known one; wrong tokens are limited per account id, whichever client sends them.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.compile.build import Build
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from service.server.app import create_app
from service.server.logs import Redact, redact
from service.server.settings import Settings
from tests.liveserver import server

ORG = "https://w3id.org/mercury-kg/id/org/"


def _accounts(data: Path) -> dict[str, str]:
    conn = DataDir(data).connect()
    try:
        return {
            "partner": accounts.add(conn, ORG + "gov-norway", "partner")[1],
            "secretariat": accounts.add(conn, ORG + "unep", "secretariat")[1],
        }
    finally:
        conn.close()


def test_no_token_reaches_the_server_log(tmp_path: Path) -> None:
    data = tmp_path / "data"
    tokens = _accounts(data)
    secret = tokens["partner"].split("_", 2)[2]
    log = tmp_path / "server.log"
    env = {"MERCURY_KG_DATA_DIR": str(data), "MERCURY_KG_WORKERS": "1"}
    with server(env, log_level="info", output=log) as (base, _):
        asked = [
            f"/api/submissions?access_token={tokens['partner']}",
            f"/sparql?query=ASK%7B%7D&token={tokens['partner']}",
            f"/api/submissions?api_key={secret}",
            f"/id/area/coal?x=1&password={secret}",
            f"/{tokens['partner']}",
        ]
        for path in asked:
            try:
                urllib.request.urlopen(base + path, timeout=10)  # noqa: S310 - loopback
            except urllib.error.HTTPError as exc:
                assert exc.code in (400, 401, 404, 405), (path, exc.code)
        request = urllib.request.Request(  # noqa: S310
            f"{base}/api/submissions", headers={"Authorization": f"Bearer {tokens['partner']}"}
        )
        with urllib.request.urlopen(request, timeout=10) as r:  # noqa: S310
            assert r.status == 200
    text = log.read_text()
    assert "GET /api/submissions?access_token=[redacted]" in text  # the request was logged
    assert secret not in text
    assert tokens["secretariat"].split("_", 2)[2] not in text


def test_the_filter_redacts_messages_and_arguments() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s"',
        ("1.2.3.4", "GET", "/x?token=abc"),
        None,
    )
    Redact().filter(record)
    assert record.getMessage() == '1.2.3.4 - "GET /x?token=[redacted]"'
    assert redact("?session=s3cr3t&csrf=c5rf&q=1") == "?session=[redacted]&csrf=[redacted]&q=1"
    assert redact("?monkey=1&keyword=2") == "?monkey=1&keyword=2"


def test_an_unknown_account_costs_the_same_scrypt_as_a_wrong_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = DataDir(tmp_path / "data").connect()
    account, token = accounts.add(conn, ORG + "gov-norway", "partner")
    accounts._dummy_hash()  # made once per process, before any token is checked
    hashed: list[str] = []
    real = accounts.hash_secret
    monkeypatch.setattr(accounts, "hash_secret", lambda s, salt: hashed.append(s) or real(s, salt))
    secret = token.split("_", 2)[2]
    unknown = f"mkg_{'0' * 12}_{secret}"
    assert accounts.authenticate(conn, unknown) is None
    wrong = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert accounts.authenticate(conn, wrong) is None
    accounts.revoke(conn, account.id)
    assert accounts.authenticate(conn, token) is None
    assert len(hashed) == 3  # unknown, wrong and revoked: one scrypt each
    conn.close()


@pytest.fixture
def guarded(build: Build, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    data = tmp_path / "data"
    tokens = _accounts(data)
    settings = Settings(
        workers=1,
        data_dir=str(data),
        upload_burst=100_000,
        guess_burst=3,
        guesses_per_minute=0.5,
        client_header="X-Forwarded-For",
    )
    with TestClient(create_app(settings, build)) as client:
        yield client, tokens


def test_wrong_tokens_are_limited_per_account_whichever_client_sends_them(
    guarded: tuple[TestClient, dict[str, str]],
) -> None:
    client, tokens = guarded
    partner = tokens["partner"]
    wrong = partner[:-4] + ("AAAA" if not partner.endswith("AAAA") else "BBBB")
    for n in range(3):  # three addresses, one wrong guess each
        r = client.get(
            "/api/submissions",
            headers={"Authorization": f"Bearer {wrong}", "X-Forwarded-For": f"10.0.0.{n}"},
        )
        assert r.status_code == 401, r.text
    r = client.get(
        "/api/submissions",
        headers={"Authorization": f"Bearer {partner}", "X-Forwarded-For": "10.0.0.9"},
    )
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1  # even the right one waits
    assert "too many wrong tokens" in r.json()["error"]
    other = client.get(
        "/api/submissions",
        headers={"Authorization": f"Bearer {tokens['secretariat']}", "X-Forwarded-For": "10.0.0.9"},
    )
    assert other.status_code == 200  # another account is not held up
    r = client.post("/signin", data={"token": partner}, headers={"X-Forwarded-For": "10.0.0.7"})
    assert r.status_code == 429  # the sign-in page counts the same guesses
