"""Accepting re-gates only when the published graph moved since the submission was gated."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.compile.build import Build
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from graph.contrib.ledger import Ledger
from tests.cycle import NEXT

EXAMPLE = (Path(__file__).parent.parent / "examples" / "contribution.yaml").read_text()
ORG = "https://w3id.org/mercury-kg/id/org/"


def _body(i: int) -> bytes:
    return (
        EXAMPLE.replace("flow/norway-asgm-2013", f"flow/regate-{i}")
        .replace("title: Norway's", f"title: ({i}) Norway's")
        .replace("label: Norway grant", f"label: ({i}) Norway grant")
        .encode()
    )


def test_accept_regates_only_after_the_graph_moved(
    build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = DataDir(tmp_path / "data")
    conn = data.connect()
    partner = accounts.add(conn, ORG + "gov-norway", "partner")[0]
    reviewer = accounts.add(conn, ORG + "unep", "secretariat")[0]
    conn.close()
    ledger = Ledger(data, build)
    ledger.open_period(reviewer, NEXT)
    gates: list[str] = []
    gate = ledger._gate
    monkeypatch.setattr(
        ledger, "_gate", lambda p, c, n, exclude: gates.append(exclude) or gate(p, c, n, exclude)
    )
    try:
        one, _ = ledger.submit(partner, "application/yaml", _body(1))
        two, _ = ledger.submit(partner, "application/yaml", _body(2))
        assert gates == [one.id, two.id] and one.report["gated_at"] == 1  # 1: the period
        ledger.accept(one.id, reviewer)  # gated on revision 1, still current: not again
        assert gates == [one.id, two.id]
        different = {("flow/regate-2", "flow/regate-1"): False}  # alike, said to be different
        ledger.accept(two.id, reviewer, different)  # revision 2 now: gated again on it
        assert gates == [one.id, two.id, two.id]
        assert ledger.revision() == 3
    finally:
        ledger.close()
