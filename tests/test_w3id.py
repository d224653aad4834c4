"""The w3id.org redirects (docs/w3id/.htaccess) lead to routes the service answers (issue 29)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from graph import paths
from graph.compile.build import Build
from service.server.app import create_app
from service.server.settings import Settings

HTACCESS = paths.ROOT / "docs" / "w3id" / ".htaccess"
EXAMPLES = {"^id/(.+)$": "area/asgm", "^dataset\\.(ttl|nt|nq|trig|jsonld)$": "ttl"}


@pytest.fixture(scope="module")
def client(build: Build) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(workers=1), build)) as c:
        yield c


def test_every_redirect_lands_on_a_route(client: TestClient) -> None:
    rules = re.findall(
        r"^RewriteRule (\S+) TARGET(\S*) \[R=(30[23]),L\]$", HTACCESS.read_text(), re.M
    )
    assert len(rules) >= 6
    for pattern, target, _status in rules:
        path = target.replace("$1", EXAMPLES.get(pattern, ""))
        for accept in ("text/html", "text/turtle"):
            r = client.get(path or "/", headers={"Accept": accept}, follow_redirects=True)
            assert r.status_code == 200, (pattern, path, accept, r.status_code)
