"""Nothing accepted is lost under kill -9, and concurrent submitters each get accepted once."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from graph.compile.build import Build
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from service.server.app import create_app
from service.server.settings import Settings
from tests.crashloop import TEMPLATE, run
from tests.cycle import open_period

KILLS = int(os.environ.get("MERCURY_KG_TEST_KILLS", "50"))


def test_nothing_accepted_is_lost_under_kill_9(tmp_path: Path) -> None:
    """The real server, SIGKILLed at random moments while it submits and accepts."""
    tally = run(tmp_path / "data", kills=KILLS, max_delay=3.0)
    assert tally.kills == KILLS
    assert tally.problems == []
    assert tally.accepted_200, "no accept completed between kills: the test proved nothing"


def test_eight_concurrent_submitters_are_each_accepted_once(build: Build, tmp_path: Path) -> None:
    data = tmp_path / "data"
    conn = DataDir(data).connect()
    partner = accounts.add(conn, "https://w3id.org/mercury-kg/id/org/gov-norway", "partner")[1]
    secretariat = accounts.add(conn, "https://w3id.org/mercury-kg/id/org/unep", "secretariat")[1]
    conn.close()
    open_period(data, build)
    settings = Settings(workers=1, data_dir=str(data), upload_burst=100_000)
    with TestClient(create_app(settings, build)) as client:

        def one(n: int) -> tuple[int, int]:
            body = (
                TEMPLATE.replace("flow/norway-asgm-2013", f"flow/concurrent-{n}")
                .replace("value: 300000", f"value: {100000 * (n + 1)}")
                .replace("area, March 2013", f"area, March 2013 (client {n})")
            )
            r = client.post(
                "/api/submissions",
                content=body.encode(),
                headers={"Authorization": f"Bearer {partner}", "Content-Type": "application/yaml"},
            )
            assert r.status_code == 201, r.text
            sid = r.json()["id"]
            auth = {"Authorization": f"Bearer {secretariat}"}
            first = client.post(f"/api/submissions/{sid}/accept", headers=auth).status_code
            again = client.post(f"/api/submissions/{sid}/accept", headers=auth).status_code
            return first, again

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(one, range(8)))
        assert results == [(200, 409)] * 8
        r = client.get(
            "/sparql",
            params={
                "query": "SELECT (COUNT(?f) AS ?n) WHERE { ?f a gmp:FundingFlow "
                'FILTER STRSTARTS(STR(?f), "https://w3id.org/mercury-kg/id/flow/concurrent-") }'
            },
            headers={"Accept": "application/json"},
        )
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "8"
        # the snapshot made step by step equals the published graph composed in full
        from service.server.state import snapshot

        kg = client.app.state.kg  # type: ignore[attr-defined]
        assert kg.current.revision == 9  # the period, then 8 accepts
        full = snapshot(settings, kg.ledger.published().build, 9)
        assert sorted(kg.current.nquads.splitlines()) == sorted(full.nquads.splitlines())
        stepwise = kg.ledger.published()  # advanced in place accept by accept
        stepwise_abox = set(stepwise.abox())
    # the merged graph is still valid, and the view advanced step by step is the composed one
    from graph.check.validate import validate
    from graph.contrib.ledger import Ledger

    ledger = Ledger(DataDir(data), build)
    published = ledger.published()
    assert published.revision == 9
    assert set(published.abox()) == stepwise_abox
    assert validate(published.abox(), build.ontology()) == []
    ledger.close()
