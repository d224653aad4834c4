"""The report's words come from the wording templates (issue 29): change one, the report says it.

A sentence reworded in a copy of a template (``MERCURY_KG_REPORT_WORDING``) is in the report the
CLI writes, its figures still linked; a typing mistake or a missing block is refused with the
file, block and values named; every template has the one shape; ``docs/report-wording.md`` names
every block of every file and the values each may use.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.query.catalog import load_catalog
from graph.query.engine import EmbeddedEngine
from graph.report import say
from graph.report.build import build_report
from graph.report.compare import read_edition
from graph.report.model import Figure
from graph.report.render_html import render_html

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "report-wording.md"
NAMES = re.compile(r"^(title|(heading|sentence|table|columns|empty|cell|glance|caption)_[a-z_]+)$")
NEXT = (date(2012, 7, 1), date(2014, 6, 30))


def _cli(*args: str, wording: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != say.OVERRIDE}
    if wording is not None:
        env[say.OVERRIDE] = str(wording)
    return subprocess.run(
        [sys.executable, "-m", "service.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=ROOT,
        check=False,
    )


def _reworded(folder: Path, section: str, old: str, new: str) -> Path:
    folder.mkdir(exist_ok=True)
    text = (say.SHIPPED / f"{section}.j2").read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {section}.j2"
    (folder / f"{section}.j2").write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_a_reworded_sentence_is_in_the_report_with_its_figures(tmp_path: Path) -> None:
    wording = _reworded(
        tmp_path / "wording",
        "membership",
        "there were {{ total }} official partners in the Global Mercury Partnership",
        "the Partnership counted {{ total }} partners,\n  newly worded",
    )
    out = tmp_path / "report.html"
    done = _cli("report", "--data-dir", str(tmp_path / "none"), "-o", str(out), wording=wording)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    total = read_edition(out)["figures"]["membership/first/pt-total"]
    # the figure is still a link to its passage (and its notes), where the new words put it
    assert re.search(
        r"the Partnership counted <span class=\"fig\"[^>]*><a class=\"ev\" href=\"#ev-\d+\""
        rf"[^>]*>{total}</a>.{{0,400}}?</span> partners, newly worded, including",
        page,
        re.S,
    )
    # the other sections keep the shipped words
    assert "Overview of the partnership areas" in page


def test_a_reworded_title_and_table_in_the_markdown_edition(tmp_path: Path) -> None:
    wording = _reworded(tmp_path / "w", "section-2", "Table 3: Efforts", "Table 3: What we did")
    done = _cli("report", "--format", "md", "--data-dir", str(tmp_path / "n"), wording=wording)
    assert done.returncode == 0, done.stderr
    assert "Table 3: What we did to improve effectiveness" in done.stdout
    assert "Table 3: Efforts" not in done.stdout


def test_a_value_that_is_not_there_is_named_with_file_block_and_values(tmp_path: Path) -> None:
    wording = _reworded(tmp_path / "w", "membership", "{{ total }} official", "{{ totl }} official")
    done = _cli("report", "--format", "md", "--data-dir", str(tmp_path / "n"), wording=wording)
    assert done.returncode == 1
    assert str(wording / "membership.j2") in done.stderr
    assert "'sentence_counted'" in done.stderr and "'totl' is undefined" in done.stderr
    assert "date, governments, igos, ngos, others, total" in done.stderr
    assert "Traceback" not in done.stderr


def test_validate_refuses_a_broken_file_and_a_missing_block(tmp_path: Path) -> None:
    folder = tmp_path / "w"
    folder.mkdir()
    (folder / "annex.j2").write_text("{% block title %}Annex {{ x }{% endblock %}\n")
    (folder / "areas.j2").write_text("{% block title %}Areas{% endblock %}\n")
    done = _cli("validate", wording=folder)
    assert done.returncode == 1
    assert f"{folder / 'annex.j2'}, line 1" in done.stdout
    assert f"{folder / 'areas.j2'} has no block 'sentence_plans'" in done.stdout


def test_serve_refuses_unusable_wording_before_serving(tmp_path: Path) -> None:
    folder = _reworded(tmp_path / "w", "work", "{% block title %}", "{% block titel %}")
    done = _cli("serve", "--port", "0", "--data-dir", str(tmp_path / "d"), wording=folder)
    assert done.returncode == 1
    assert "has no block 'title'" in done.stderr
    assert "serving" not in done.stdout + done.stderr


def test_every_template_has_the_one_shape() -> None:
    files = sorted(say.SHIPPED.glob("*.j2"))
    assert len(files) >= 13
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("{#-"), f"{path.name}: opens with a comment saying what it is"
        found = say.blocks(path)
        assert "title" in found, path.name
        bad = [b for b in found if not NAMES.match(b)]
        assert not bad, f"{path.name}: block names outside the convention: {bad}"
        outside = re.sub(r"\{#.*?#\}|\{% block (\w+) %\}.*?\{% endblock %\}", "", text, flags=re.S)
        assert not outside.strip(), f"{path.name}: words outside a block: {outside.strip()[:80]}"
    assert not say.check()


@pytest.fixture(scope="module")
def given(engine: EmbeddedEngine) -> Iterator[dict[tuple[str, str], set[str]]]:
    """The values the report gives each block it renders, for both periods."""
    seen: dict[tuple[str, str], set[str]] = {}
    real = say.parts

    def spy(section: str, block: str, **values: Any) -> Any:
        seen.setdefault((section, block), set()).update(values)
        return real(section, block, **values)

    mp = pytest.MonkeyPatch()
    mp.setattr(say, "parts", spy)
    try:
        for period in (None, NEXT):
            build_report(engine, load_catalog(), "t", period, figures=True)
        yield seen
    finally:
        mp.undo()


def _documented() -> dict[str, dict[str, set[str]]]:
    out: dict[str, dict[str, set[str]]] = {}
    current: dict[str, set[str]] | None = None
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^### `([\w-]+)\.j2`$", line):
            current = out.setdefault(m.group(1), {})
        elif current is not None and (m := re.match(r"^\| `(\w+)` \|[^|]*\|(.*)\|$", line)):
            current[m.group(1)] = set(re.findall(r"`(\w+)`", m.group(2)))
    return out


def test_the_docs_name_every_block_and_the_values_it_may_use(
    given: dict[tuple[str, str], set[str]],
) -> None:
    documented = _documented()
    shipped = {p.stem: say.blocks(p) for p in say.SHIPPED.glob("*.j2")}
    assert set(documented) == set(shipped)
    for section, blocks in shipped.items():
        assert set(documented[section]) == set(blocks), section
        for block, (_line, used) in blocks.items():
            values = documented[section][block]
            assert used <= values, f"{section}.j2 {block}: uses {used - values}, not documented"
            if (section, block) in given:
                assert values == given[(section, block)], f"{section}.j2 {block}"
    assert len(given) > 60  # most blocks are rendered by the two periods' reports


def test_figures_keep_their_place_in_a_sentence() -> None:
    fig = Figure("k", "42", "q")
    assert say.parts("work", "sentence_count", count=fig) == [
        "The sources of the period report ",
        fig,
        " projects, activities, events and documents of the partnership areas.",
    ]


def test_the_html_page_prints_the_reworded_heading(
    engine: EmbeddedEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _reworded(tmp_path / "w", "annex", "Annex: Summary", "Annex A: Summary")
    monkeypatch.setenv(say.OVERRIDE, str(folder))
    page = render_html(build_report(engine, load_catalog(), "t", figures=False))
    assert "Annex A: Summary of the partnership area leads and objectives" in page
