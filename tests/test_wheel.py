"""The package as a user installs it (issue 29): a wheel, a fresh venv, any directory.

The wheel is built from the checkout (``pip wheel``, the build backend of ``pyproject.toml``),
installed with its dependencies into a new virtual environment, and ``mercury-kg --version``,
``build``, ``query``, ``report`` and ``serve`` run from an empty directory far from the checkout:
the data, source text, ontology, shapes, queries, templates and web assets come from the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import paths
from tests.liveserver import free_port, wait_until_up


def _run(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MERCURY_KG_", "VIRTUAL_ENV"))}
    done = subprocess.run(
        list(args), cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    assert done.returncode == 0, f"{args}: {done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(the installed ``mercury-kg``, an empty working directory)."""
    root = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip"]
    _run(*pip, "wheel", str(paths.ROOT), "--no-deps", "-q", "-w", str(root / "dist"), cwd=root)
    wheel = next((root / "dist").glob("mercury_kg-*.whl"))
    _run(sys.executable, "-m", "venv", str(root / "venv"), cwd=root)
    _run(str(root / "venv" / "bin" / "pip"), "install", "-q", str(wheel), cwd=root)
    work = root / "somewhere"
    work.mkdir()
    yield root / "venv" / "bin" / "mercury-kg", work


def test_the_installed_wheel_builds_queries_reports_and_serves(
    installed: tuple[Path, Path],
) -> None:
    exe, work = installed
    assert _run(str(exe), "--version", cwd=work).stdout.startswith("mercury-kg ")
    built = _run(str(exe), "build", cwd=work)
    assert "quads from" in built.stdout and (work / "build" / "mercury-kg.trig").is_file()
    leads = _run(str(exe), "query", "area_leads", "--format", "csv", cwd=work).stdout
    assert "https://w3id.org/mercury-kg/id/org/unido" in leads
    report = work / "report.html"
    _run(str(exe), "report", "--period", "2010-07/2012-06", "-o", str(report), cwd=work)
    assert "Overall progress of the UNEP Global Mercury Partnership" in report.read_text()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MERCURY_KG_")}
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, proc, 120)
        for path in ("/query", "/vendor/yasgui/yasgui.min.js", "/static/site.css", "/def"):
            request = urllib.request.Request(base + path, headers={"Accept": "text/html"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 - loopback
                assert r.status == 200, path
    finally:
        proc.terminate()
        proc.wait(20)
    assert (work / "data" / "state.sqlite3").is_file()  # its state where it was run
