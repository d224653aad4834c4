"""Headless Chromium for the page tests, and axe-core to check pages against WCAG 2.1 A and AA.

Chromium is Debian's package, driven by Playwright's Python API; axe-core is an npm dependency
of service/ui, installed by make setup.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

from graph import paths

AXE = paths.ROOT / "service" / "ui" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium() -> str:
    """The system Chromium; a failure under CI, a skip elsewhere, when it is missing."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium missing under CI; make test installs it")
        pytest.skip("chromium not installed (make test installs it)")
    return exe


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in result["violations"]
    ]
