"""Partner input cannot hurt the service (issue 23): hostile bytes on the real server.

Every case of ``tests.hostile`` is sent to a real server (uvicorn, its worker pools and its gate
process) with a partner's token: each is answered 4xx within seconds and says what was wrong,
too large or too deep; ``/health`` answers after each; the process tree stays under 1 GiB
throughout; nothing is stored. ``python -m tests.hostile`` prints the same run as a table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile import GIB, Case, Outcome, Sampler, cases, hostile_server, send, tree_rss

CASES = cases()


@pytest.fixture(scope="module")
def hostile(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, int, dict[str, str], Path]]:
    data = tmp_path_factory.mktemp("hostile") / "data"
    with hostile_server(data) as (base, pid, tokens):
        yield base, pid, tokens, data


@pytest.fixture(scope="module")
def outcomes(hostile: tuple[str, int, dict[str, str], Path]) -> dict[str, tuple[Outcome, int]]:
    """Every case sent once, in order, with the tree's peak memory while it ran."""
    base, pid, tokens, _ = hostile
    found = {}
    for case in CASES:
        with Sampler(pid) as sampler:
            outcome = send(base, case, tokens)
        found[case.name] = (outcome, max(sampler.peak, tree_rss(pid)))
    return found


def test_the_cases_are_many_and_distinct() -> None:
    assert len(CASES) >= 90
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_request_is_a_clear_4xx_and_the_service_stays_up(
    case: Case, outcomes: dict[str, tuple[Outcome, int]]
) -> None:
    outcome, peak = outcomes[case.name]
    assert outcome.status in case.expect, (outcome.status, outcome.body[:400])
    assert outcome.seconds < 15, f"answered after {outcome.seconds:.1f} s"
    assert outcome.health == 200, outcome.health
    assert peak < GIB, f"the process tree reached {peak / 2**20:.0f} MiB"
    assert '"error"' in outcome.body or "<h1>" in outcome.body, outcome.body[:200]
    assert "Traceback" not in outcome.body and 'File "' not in outcome.body
    if case.words:
        assert case.words.lower() in outcome.body.lower(), outcome.body[:400]


def test_nothing_hostile_was_stored(
    hostile: tuple[str, int, dict[str, str], Path], outcomes: dict[str, tuple[Outcome, int]]
) -> None:
    assert outcomes  # every case has been sent
    conn = sqlite3.connect(hostile[3] / "state.sqlite3")
    try:
        rows = conn.execute("SELECT records FROM submissions").fetchall()
        assert [r[0] for r in rows] == ['["period/2012-07--2014-06"]']  # the period opened first
    finally:
        conn.close()


def test_a_good_submission_still_goes_through_after_them(
    hostile: tuple[str, int, dict[str, str], Path], outcomes: dict[str, tuple[Outcome, int]]
) -> None:
    from tests.hostile import EXAMPLE, YAML

    assert outcomes
    base, _, tokens, _ = hostile
    outcome = send(base, Case("the example", EXAMPLE, YAML, expect=(201,)), tokens)
    assert outcome.status == 201, outcome.body[:400]
