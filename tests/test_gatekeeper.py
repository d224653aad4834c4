"""The gate in its own process (service.server.gatekeeper).

The same answers as in the server, caught up after each accept; while the child starts or after
it died, the ledger gates itself; a killed child is replaced.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.compile.build import Build
from graph.contrib import accounts
from graph.contrib.accounts import Account
from graph.contrib.datadir import DataDir
from graph.contrib.ledger import GateFailed, Ledger
from service.server.app import create_app
from service.server.gatekeeper import GateProcess
from service.server.settings import Settings
from tests.cycle import NEXT

EXAMPLE = (Path(__file__).parent.parent / "examples" / "contribution.yaml").read_text()
ORG = "https://w3id.org/mercury-kg/id/org/"


def _body(i: int, misplaced: bool = False) -> bytes:
    """The example as submission ``i``; ``misplaced``: its place is an area (a SHACL violation)."""
    return (
        EXAMPLE.replace("flow/norway-asgm-2013", f"flow/gatekeeper-{i}")
        .replace("title: Norway's", f"title: ({i}) Norway's")
        .replace("label: Norway grant", f"label: ({i}) Norway grant")
        .replace(
            "  when: 2013-03",
            "  when: 2013-03\n  places: area/asgm" if misplaced else "  when: 2013-03",
        )
        .encode()
    )


@pytest.fixture
def ledger(build: Build, tmp_path: Path) -> Iterator[tuple[Ledger, GateProcess, Account, Account]]:
    data = DataDir(tmp_path / "data")
    conn = data.connect()
    partner = accounts.add(conn, ORG + "gov-norway", "partner")[0]
    reviewer = accounts.add(conn, ORG + "unep", "secretariat")[0]
    conn.close()
    ledger = Ledger(data, build)
    ledger.open_period(reviewer, NEXT)
    gate = ledger.gatekeeper = GateProcess(data.path, build)
    try:
        yield ledger, gate, partner, reviewer
    finally:
        gate.close()
        ledger.close()


def test_the_gate_runs_in_its_own_process_and_follows_the_revisions(
    ledger: tuple[Ledger, GateProcess, Account, Account],
) -> None:
    led, gate, partner, reviewer = ledger
    assert gate.wait_ready(60)
    assert gate._process is not None and gate._process.pid != os.getpid()
    one, _ = led.submit(partner, "application/yaml", _body(1))
    assert one.report["gated_at"] == 1 and gate.answered == 1  # revision 1: the period
    led.accept(one.id, reviewer)
    two, _ = led.submit(partner, "application/yaml", _body(2))
    assert two.report["gated_at"] == 2 and gate.answered == 2  # caught up with the accept
    led.accept(two.id, reviewer, {("flow/gatekeeper-2", "flow/gatekeeper-1"): False})
    with pytest.raises(GateFailed) as failed:
        led.submit(partner, "application/yaml", _body(3, misplaced=True))
    assert str(failed.value).startswith("record 'flow/gatekeeper-3', field 'spatial'")
    assert gate.answered == 3
    assert led.revision() == 3 and len(led.pending()) == 0


def test_a_killed_gate_process_is_replaced(
    ledger: tuple[Ledger, GateProcess, Account, Account],
) -> None:
    led, gate, partner, _ = ledger
    assert gate.wait_ready(60)
    assert gate._process is not None and gate._process.pid is not None
    first = gate._process.pid
    os.kill(first, signal.SIGKILL)
    gate._process.join(5)
    sub, report = led.submit(partner, "application/yaml", _body(2))  # gated here meanwhile
    assert report.passed and sub.report["gated_at"] == 1 and gate.answered == 0
    assert gate.wait_ready(60)
    assert gate._process is not None and gate._process.pid not in (None, first)
    led.submit(partner, "application/yaml", _body(3))
    assert gate.answered == 1


def test_without_its_process_the_ledger_gates_itself(
    ledger: tuple[Ledger, GateProcess, Account, Account],
) -> None:
    led, _, partner, _ = ledger

    def gone(nquads: bytes, others: list[tuple[str, bytes]]) -> tuple[int, object]:
        raise OSError("no gate process")

    led.gatekeeper = gone  # type: ignore[assignment]
    with pytest.raises(GateFailed):
        led.submit(partner, "application/yaml", _body(1, misplaced=True))
    sub, report = led.submit(partner, "application/yaml", _body(2))
    assert report.passed and sub.report["gated_at"] == 1


def test_a_service_with_accounts_starts_its_gate_process_before_any_submission(
    build: Build, tmp_path: Path
) -> None:
    settings = Settings(workers=1, data_dir=str(tmp_path / "empty"))
    with TestClient(create_app(settings, build)) as c:
        assert c.app.state.kg.ledger.gatekeeper._process is None  # type: ignore[attr-defined]
    conn = DataDir(tmp_path / "data").connect()
    accounts.add(conn, ORG + "gov-norway", "partner")
    conn.close()
    settings = Settings(workers=1, data_dir=str(tmp_path / "data"))
    with TestClient(create_app(settings, build)) as c:
        gate: GateProcess = c.app.state.kg.ledger.gatekeeper  # type: ignore[attr-defined]
        deadline = time.monotonic() + 30
        while gate._process is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gate._process is not None and gate.answered == 0
        assert gate.wait_ready(60)
