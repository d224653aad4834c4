"""Bearer tokens checked once with scrypt per process, and still refused at once when revoked."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.contrib import accounts
from graph.contrib.datadir import DataDir

ORG = "https://w3id.org/mercury-kg/id/org/gov-norway"


def test_a_known_token_skips_scrypt_but_a_revoked_or_wrong_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = DataDir(tmp_path / "data")
    conn = data.connect()
    account, token = accounts.add(conn, ORG, "partner")
    verified = accounts.Verified()
    hashed: list[str] = []
    real = accounts.hash_secret
    monkeypatch.setattr(accounts, "hash_secret", lambda s, salt: hashed.append(s) or real(s, salt))
    assert accounts.authenticate(conn, token, verified) == account
    assert accounts.authenticate(conn, token, verified) == account
    assert len(hashed) == 1  # the second check needed no scrypt
    wrong = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert accounts.authenticate(conn, wrong, verified) is None
    assert len(hashed) == 2  # an unknown secret for a known account is checked in full
    other = data.connect()  # what `mercury-kg accounts revoke` does, from another process
    accounts.revoke(other, account.id)
    other.close()
    assert accounts.authenticate(conn, token, verified) is None
    conn.close()
