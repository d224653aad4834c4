"""The data directory: where the write path keeps its state.

``--data-dir``, else ``$MERCURY_KG_DATA_DIR``, else ``./data``. It holds ``state.sqlite3``:
accounts, submissions (the body as sent and the compiled N-Quads), their review states, the
history of every action and the published revision, in SQLite's WAL mode with
``synchronous=FULL`` (https://www.sqlite.org/wal.html): a transaction that returned is on disk.
The published graph is the curated build plus the accepted submissions' N-Quads, loaded into the
in-memory store at start and on every accept, so one SQLite transaction makes an accept atomic.
The directory is created private to its owner (mode 0700; the file 0600).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

ENV = "MERCURY_KG_DATA_DIR"
DEFAULT = Path("data")

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    id       TEXT PRIMARY KEY,
    org      TEXT NOT NULL,
    role     TEXT NOT NULL CHECK (role IN ('partner', 'secretariat')),
    name     TEXT NOT NULL DEFAULT '',
    salt     BLOB NOT NULL,
    hash     BLOB NOT NULL,
    created  TEXT NOT NULL,
    revoked  TEXT
);
CREATE TABLE IF NOT EXISTS submissions (
    id          TEXT PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES accounts(id),
    org         TEXT NOT NULL,
    received    TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    body        BLOB NOT NULL,
    nquads      BLOB NOT NULL,
    records     TEXT NOT NULL,
    report      TEXT NOT NULL,
    state       TEXT NOT NULL
                CHECK (state IN ('pending', 'accepted', 'rejected', 'retracted')),
    reviewer    TEXT REFERENCES accounts(id),
    reviewed    TEXT,
    reason      TEXT,
    revision    INTEGER
);
CREATE INDEX IF NOT EXISTS submissions_state ON submissions(state, received);
CREATE TABLE IF NOT EXISTS events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    submission  TEXT NOT NULL REFERENCES submissions(id),
    at          TEXT NOT NULL,
    account     TEXT NOT NULL,
    action      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS revisions (
    revision    INTEGER PRIMARY KEY,
    submission  TEXT NOT NULL REFERENCES submissions(id),
    action      TEXT NOT NULL CHECK (action IN ('accepted', 'retracted'))
);
CREATE TABLE IF NOT EXISTS sessions (
    id       TEXT PRIMARY KEY,
    account  TEXT NOT NULL REFERENCES accounts(id),
    csrf     TEXT NOT NULL,
    expires  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('revision', '0');
"""
"""The tables; each statement is idempotent, so opening a directory twice changes nothing."""


@dataclass(frozen=True)
class DataDir:
    """A data directory and the files in it."""

    path: Path

    @classmethod
    def resolve(cls, given: Path | str | None = None) -> DataDir:
        """``given``, else the environment variable, else ``./data``."""
        chosen = given or os.environ.get(ENV) or DEFAULT
        return cls(Path(chosen))

    @property
    def state_db(self) -> Path:
        """Accounts and workflow state."""
        return self.path / "state.sqlite3"

    def connect(self) -> sqlite3.Connection:
        """A connection with durable settings, the directory and tables created if missing.

        It may be used from several threads, one at a time (the caller holds a lock).
        """
        self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        conn = sqlite3.connect(
            self.state_db, timeout=10.0, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
        os.chmod(self.state_db, 0o600)
        return conn
