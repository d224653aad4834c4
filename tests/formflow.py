"""The contribute form as a browser uses it: check (read back), then send what was read back."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response


def csrf_of(page: str) -> str:
    """The CSRF token of a page's forms."""
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


def check(client: TestClient, form: dict[str, str]) -> Response:
    """Press "Check"."""
    return client.post("/contribute", data={**form, "action": "check"})


def check_and_send(client: TestClient, form: dict[str, str]) -> Response:
    """Press "Check", then "Send for review" on the read-back page (the check must pass)."""
    r = check(client, form)
    assert r.status_code == 200, r.text
    checked = re.search(r'name="checked" value="([^"]+)"', r.text)
    assert checked is not None, "no read-back"
    return client.post("/contribute", data={**form, "action": "send", "checked": checked.group(1)})


def submission_id(page: str) -> str:
    """The id of the submission a receipt names."""
    found = re.search(r'/review/([0-9T]+-[0-9a-f]+)"', page)
    assert found is not None, "no receipt"
    return found.group(1)
