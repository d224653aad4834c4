"""Accounts: who may submit for which organisation, and who reviews.

A partner account acts for one organisation of the graph; an area lead acts for its
organisation too and reviews the submissions about its partnership areas; a secretariat account
reviews everything and manages accounts. An API
token is made once, printed once and stored only as a salted scrypt hash (RFC 7914, Python's
``hashlib.scrypt``); tokens travel as ``Authorization: Bearer`` (RFC 6750). A token reads
``mkg_<account id>_<secret>``: the id finds the row, the secret is checked in constant time.
There are no default accounts and no credential in code.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

ROLES = ("partner", "area-lead", "secretariat")
REVIEWERS = ("area-lead", "secretariat")
TOKEN = re.compile(r"mkg_([0-9a-f]{12})_([A-Za-z0-9_-]{32,64})")
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
"""scrypt cost: about 30 ms a check here. OWASP's N=2^17 is for passwords; a token's secret is
256 random bits, which no cost factor needs to stretch, so a check stays cheap per request."""


class Forbidden(PermissionError):
    """The account may not do this (HTTP 403); the message says why."""


class AccountError(ValueError):
    """A request about accounts that cannot be met (unknown id, bad role)."""


@dataclass(frozen=True)
class Account:
    """An account as stored (without its secret)."""

    id: str
    org: str
    role: str
    name: str
    created: str
    revoked: str | None
    areas: tuple[str, ...] = ()
    """The partnership areas (IRIs) an area lead reviews."""
    email: str = ""
    """Where the outbox sends its notices (empty: the feed only)."""

    @property
    def active(self) -> bool:
        """Not revoked."""
        return self.revoked is None

    @property
    def submits(self) -> bool:
        """Whether it reports for its organisation (partners and area leads)."""
        return self.role in ("partner", "area-lead")

    @property
    def shown(self) -> str:
        """The account as people read it: the name given, else its id."""
        return self.name or f"account {self.id}"

    def reviews(self, areas: set[str] | frozenset[str]) -> bool:
        """Whether it may decide on a submission about ``areas``.

        The secretariat decides on every submission; an area lead on one whose areas are all
        among its own (a submission about no area, or about others' too, is the secretariat's).
        """
        if self.role == "secretariat":
            return True
        return self.role == "area-lead" and bool(areas) and set(areas) <= set(self.areas)


def now() -> str:
    """The current UTC time as an ISO 8601 string with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def hash_secret(secret: str, salt: bytes) -> bytes:
    """The scrypt hash of a token's secret."""
    return hashlib.scrypt(secret.encode("ascii"), salt=salt, maxmem=64 * 1024 * 1024, **SCRYPT)


_DUMMY_SALT = secrets.token_bytes(16)


@functools.cache
def _dummy_hash() -> bytes:
    """The hash a token naming no account (or a revoked one) is checked against.

    Nothing matches it; it is made once per process.
    """
    return hash_secret(secrets.token_urlsafe(32), _DUMMY_SALT)


def account_of_row(row: sqlite3.Row) -> Account:
    """An account from its row."""
    return Account(
        row["id"],
        row["org"],
        row["role"],
        row["name"],
        row["created"],
        row["revoked"],
        tuple(json.loads(row["areas"])),
        row["email"],
    )


EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}\.[A-Za-z]{2,63}")


def add(
    conn: sqlite3.Connection,
    org: str,
    role: str,
    name: str = "",
    areas: tuple[str, ...] = (),
    email: str = "",
) -> tuple[Account, str]:
    """Create an account; return it and its token (the only time the token exists in clear).

    Raises:
        AccountError: an unknown role, an area lead without areas (or areas for another role),
            a name over 200 characters, or an address that is not an e-mail address.
    """
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if role == "area-lead" and not areas:
        raise AccountError("an area lead needs the partnership areas it leads (--area)")
    if role != "area-lead" and areas:
        raise AccountError(f"only area leads have areas; a {role} reviews none of its own")
    if len(name) > 200:
        raise AccountError("a name is at most 200 characters")
    if email and not EMAIL.fullmatch(email):
        raise AccountError(f"{email!r} is not an e-mail address")
    account_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    created = now()
    conn.execute(
        "INSERT INTO accounts (id, org, role, name, salt, hash, created, areas, email)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        (
            account_id,
            org,
            role,
            name,
            salt,
            hash_secret(secret, salt),
            created,
            json.dumps(list(areas)),
            email,
        ),
    )
    account = Account(account_id, org, role, name, created, None, tuple(areas), email)
    return account, f"mkg_{account_id}_{secret}"


def find(conn: sqlite3.Connection, account_id: str) -> Account | None:
    """One account by id (revoked ones too)."""
    row = conn.execute("SELECT * FROM accounts WHERE id = ?", (account_id,)).fetchone()
    return None if row is None else account_of_row(row)


def listing(conn: sqlite3.Connection) -> list[Account]:
    """Every account, oldest first."""
    rows = conn.execute("SELECT * FROM accounts ORDER BY created, id").fetchall()
    return [account_of_row(r) for r in rows]


def revoke(conn: sqlite3.Connection, account_id: str) -> Account:
    """Revoke an account (kept, for the history of what it submitted and reviewed)."""
    cur = conn.execute(
        "UPDATE accounts SET revoked = ? WHERE id = ? AND revoked IS NULL", (now(), account_id)
    )
    row = conn.execute("SELECT * FROM accounts WHERE id = ?", (account_id,)).fetchone()
    if row is None:
        raise AccountError(f"no account {account_id!r}")
    if cur.rowcount == 0:
        raise AccountError(f"account {account_id!r} was already revoked on {row['revoked']}")
    return account_of_row(row)


def count_active(conn: sqlite3.Connection) -> int:
    """How many accounts can act."""
    return int(conn.execute("SELECT COUNT(*) FROM accounts WHERE revoked IS NULL").fetchone()[0])


class Verified:
    """Tokens already checked with scrypt, remembered by a keyed BLAKE2b of the secret.

    The key is random per process and never stored, so what is held proves nothing outside it;
    the account's row is still read at every request, so a revoked account is refused at once.
    """

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)
        self._known: dict[tuple[str, bytes], bytes] = {}

    def digest(self, secret: str) -> bytes:
        """The keyed digest of a secret."""
        return hashlib.blake2b(secret.encode("ascii"), key=self._key, digest_size=32).digest()

    def known(self, row: sqlite3.Row, secret: str) -> bool:
        """Whether this secret was verified for this row (and its stored hash) before."""
        held = self._known.get((row["id"], bytes(row["hash"])))
        return held is not None and hmac.compare_digest(held, self.digest(secret))

    def remember(self, row: sqlite3.Row, secret: str) -> None:
        """Remember a secret scrypt accepted (a few hundred accounts at most)."""
        self._known[(row["id"], bytes(row["hash"]))] = self.digest(secret)


def authenticate(
    conn: sqlite3.Connection, token: str, verified: Verified | None = None
) -> Account | None:
    """The active account a token belongs to, else None (malformed, unknown, wrong or revoked).

    With ``verified``, a token already checked in this process skips scrypt (about 30 ms).
    """
    match = TOKEN.fullmatch(token)
    if match is None:
        return None
    row = conn.execute("SELECT * FROM accounts WHERE id = ?", (match.group(1),)).fetchone()
    secret = match.group(2)
    if row is None or row["revoked"] is not None:
        # the same work as for a known account, so the time taken does not tell ids apart
        hmac.compare_digest(hash_secret(secret, _DUMMY_SALT), _dummy_hash())
        return None
    if verified is not None and verified.known(row, secret):
        return account_of_row(row)
    if not hmac.compare_digest(hash_secret(secret, row["salt"]), row["hash"]):
        return None
    if verified is not None:
        verified.remember(row, secret)
    return account_of_row(row)
