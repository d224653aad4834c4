"""Start and stop (issue 23, item 4).

A damaged data directory is one line and exit 1; SIGTERM stops the server within 10 s, requests
under way included; a damaged state is restored from a backup.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from tests.liveserver import ROOT, server

ORG = "https://w3id.org/mercury-kg/id/org/"


def _start(data: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run a start-up command over ``data``; it must end by itself."""
    env = {**os.environ, "MERCURY_KG_DATA_DIR": str(data)}
    return subprocess.run(
        [*command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


SERVE = (sys.executable, "-m", "service.server.run", "--port", "1")
CLI = (str(Path(sys.executable).with_name("mercury-kg")), "serve", "--port", "1")


def _damaged(tmp_path: Path, kind: str) -> Path:
    data = tmp_path / "data"
    conn = DataDir(data).connect()
    accounts.add(conn, ORG + "gov-norway", "partner")
    conn.close()
    db = data / "state.sqlite3"
    if kind == "random":
        db.write_bytes(os.urandom(20_000))
    elif kind == "truncated":
        size = db.stat().st_size
        db.write_bytes(db.read_bytes()[: size // 2])
    elif kind == "empty file as directory":
        shutil.rmtree(data)
        data.write_text("")
    return data


@pytest.mark.parametrize("command", [SERVE, CLI], ids=["python -m service.server.run", "serve"])
@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("random", "is not a SQLite database"),
        ("truncated", "is damaged"),
        ("empty file as directory", "is a file, not a directory"),
    ],
)
def test_a_damaged_data_directory_is_one_line_and_exit_1(
    tmp_path: Path, command: tuple[str, ...], kind: str, words: str
) -> None:
    data = _damaged(tmp_path, kind)
    done = _start(data, *command)
    assert done.returncode == 1, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr[-2000:]
    assert lines[0].startswith("error: ") and str(data) in lines[0] and words in lines[0]
    if kind != "empty file as directory":
        assert "mercury-kg restore" in lines[0]
    assert "Traceback" not in done.stderr and "serving" not in done.stderr


def test_an_unwritable_data_directory_is_one_line_and_exit_1(tmp_path: Path) -> None:
    data = tmp_path / "data"
    DataDir(data).connect().close()
    db = data / "state.sqlite3"
    root = os.geteuid() == 0
    # root writes through permissions: make the files immutable instead (ext4's chattr +i)
    lock = ["chattr", "+i", str(db), str(data)] if root else None
    try:
        if lock:
            subprocess.run(lock, check=True)
        else:
            os.chmod(db, 0o400)
            os.chmod(data, 0o500)
        done = _start(data, *SERVE)
    finally:
        if root:
            subprocess.run(["chattr", "-i", str(db), str(data)], check=True)
        else:
            os.chmod(data, 0o700)
    assert done.returncode == 1, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "cannot be opened for writing" in lines[0], done.stderr[-2000:]


def test_restore_replaces_a_damaged_state_and_keeps_it_aside(tmp_path: Path) -> None:
    data = tmp_path / "data"
    conn = DataDir(data).connect()
    account = accounts.add(conn, ORG + "gov-norway", "partner")[0]
    conn.close()
    cli = Path(sys.executable).with_name("mercury-kg")
    backup = tmp_path / "backup"
    made = _start(data, str(cli), "backup", str(backup), "--data-dir", str(data))
    assert made.returncode == 0, made.stderr
    (data / "state.sqlite3").write_bytes(os.urandom(10_000))
    restored = _start(data, str(cli), "restore", str(backup), "--data-dir", str(data))
    assert restored.returncode == 0, restored.stderr
    assert list(data.glob("state.sqlite3.damaged-*"))
    conn = DataDir(data).connect()
    assert [a.id for a in accounts.listing(conn)] == [account.id]
    conn.close()


def test_sigterm_stops_the_server_within_10_seconds_with_requests_under_way(
    tmp_path: Path,
) -> None:
    env = {"MERCURY_KG_DATA_DIR": str(tmp_path / "data"), "MERCURY_KG_WORKERS": "2"}
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with server(env) as (base, proc):
        answers: list[object] = []

        def ask() -> None:
            url = f"{base}/sparql?query={urllib.request.quote(heavy)}"
            try:
                with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 - loopback
                    answers.append(r.status)
            except (urllib.error.URLError, OSError) as exc:
                answers.append(exc)

        threads = [threading.Thread(target=ask) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(1.0)  # both queries are running in their workers
        start = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)
        took = time.monotonic() - start
        for t in threads:
            t.join(30)
    assert took < 10, f"stopped after {took:.1f} s"
    assert len(answers) == 2
