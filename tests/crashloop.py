"""Kill -9 the real server while it accepts submissions; check that nothing accepted is lost.

Used by tests/test_contrib_durability.py and benchmarks/bench_contrib.py. The server runs as a
subprocess (``python -m service.server.run``) in its own process group on a data directory; a
client submits and accepts in a loop while the group is killed with SIGKILL at random moments
and restarted on the same directory. After every restart:

- every accept that returned 200 is published (``/sparql`` sees its funding flow);
- no submission is half-applied: a submission is published exactly when its state is
  ``accepted``, and SQLite's integrity check passes;
- the store opens cleanly (the server starts and answers ``/health``).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from graph import paths
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from tests.cycle import open_period
from tests.liveserver import wait_until_up

ROOT = paths.ROOT
FLOW = "https://w3id.org/mercury-kg/id/flow/"
TEMPLATE = (ROOT / "examples" / "contribution.yaml").read_text(encoding="utf-8")


@dataclass
class Tally:
    """What the loop did and found."""

    kills: int = 0
    submitted: int = 0
    accepted_200: list[str] = field(default_factory=list)
    """Flow ids whose accept returned 200."""
    refused: int = 0
    """Requests cut by a kill (connection errors)."""
    restarts_s: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MERCURY_KG_DATA_DIR": str(data_dir),
        "MERCURY_KG_WORKERS": "1",
        "MERCURY_KG_VALIDATE_WORKERS": "1",
        "MERCURY_KG_NETWORK_WORKERS": "1",
        "MERCURY_KG_UPLOAD_BURST": "100000",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "service.server.run", "--port", str(port), "--log-level", "error"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


def _post(base: str, path: str, token: str, body: bytes = b"", media: str = "") -> tuple[int, dict]:  # type: ignore[type-arg]
    headers = {"Authorization": f"Bearer {token}"}
    if media:
        headers["Content-Type"] = media
    request = urllib.request.Request(base + path, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 - loopback
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _published(base: str) -> set[str]:
    query = f'SELECT ?f WHERE {{ ?f a gmp:FundingFlow FILTER STRSTARTS(STR(?f), "{FLOW}crash-") }}'
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 - loopback
        rows = json.loads(r.read())["results"]["bindings"]
    return {row["f"]["value"].removeprefix(FLOW) for row in rows}


def _db_state(data_dir: Path) -> tuple[str, dict[str, str]]:
    conn = sqlite3.connect(data_dir / "state.sqlite3")
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute("SELECT records, state FROM submissions").fetchall()
    finally:
        conn.close()
    states = {}
    for records, state in rows:
        for rid in json.loads(records):
            if rid.startswith("flow/"):  # the partner's flows (not the period opened first)
                states[rid.removeprefix("flow/")] = state
    return str(ok), states


def run(data_dir: Path, kills: int, seed: int = 1, max_delay: float = 4.0) -> Tally:
    """Submit and accept in a loop; SIGKILL the server ``kills`` times; check after each."""
    rng = random.Random(seed)  # noqa: S311 - kill moments, not secrets
    conn = DataDir(data_dir).connect()
    partner = accounts.add(conn, "https://w3id.org/mercury-kg/id/org/gov-norway", "partner")[1]
    secretariat = accounts.add(conn, "https://w3id.org/mercury-kg/id/org/unep", "secretariat")[1]
    conn.close()
    open_period(data_dir)
    tally = Tally()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    n = 0
    for _round in range(kills + 1):
        started = time.monotonic()
        proc = _start(data_dir, port)
        wait_until_up(base, proc)
        tally.restarts_s.append(time.monotonic() - started)
        _verify(base, data_dir, tally)
        if _round == kills:
            _kill(proc)
            break
        stop = threading.Event()

        def kill(stop: threading.Event = stop, proc: subprocess.Popen[bytes] = proc) -> None:
            stop.set()
            _kill(proc)

        timer = threading.Timer(rng.uniform(0.05, max_delay), kill)
        timer.start()
        while not stop.is_set():
            n += 1
            rid = f"crash-{n}"
            body = (
                TEMPLATE.replace("flow/norway-asgm-2013", f"flow/{rid}")
                .replace("value: 300000", f"value: {100000 + n * 1000}")
                .replace("area, March 2013", f"area, March 2013 (crash test {n})")
            )
            try:
                status, answer = _post(
                    base, "/api/submissions", partner, body.encode(), "application/yaml"
                )
                if status != 201:
                    continue
                tally.submitted += 1
                status, _ = _post(base, f"/api/submissions/{answer['id']}/accept", secretariat)
                if status == 200:
                    tally.accepted_200.append(rid)
            except (OSError, ValueError, http.client.HTTPException):
                # the kill may land while an answer's body is read (IncompleteRead)
                tally.refused += 1
        timer.join()
        tally.kills += 1
    return tally


def _verify(base: str, data_dir: Path, tally: Tally) -> None:
    ok, states = _db_state(data_dir)
    if ok != "ok":
        tally.problems.append(f"integrity check: {ok}")
    published = _published(base)
    lost = [r for r in tally.accepted_200 if r not in published]
    if lost:
        tally.problems.append(f"accepted with 200 but not published: {lost}")
    half = sorted(r for r, s in states.items() if (s == "accepted") != (r in published))
    if half:
        tally.problems.append(f"state and published graph disagree for {half}")
