"""The progress report written from the graph (issue 14).

The seed round-trips: every figure the seed report states (read from the report's own text here,
not copied into the test) equals the generated report's. Every figure links to a passage or an
accepted submission and to the named query that produced it; unknowns are printed as unknown.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import html as lxml_html

from graph.compile.build import Build
from graph.compile.passages import SourceText
from graph.query.catalog import load_catalog
from graph.query.engine import EmbeddedEngine
from graph.report.build import build_report
from graph.report.context import PeriodError, parse_period
from graph.report.model import UNKNOWN, Report
from graph.report.render_html import render_html
from graph.report.render_md import render_md

NEXT = parse_period("2012-07/2014-06")
ANNEX_LEADS = {
    "Artisanal and small-scale gold mining": [
        "United Nations Industrial Development Organization",
        "Natural Resources Defense Council",
    ],
    "Mercury cell chlor-alkali production": ["United States Environmental Protection Agency"],
    "Mercury air transport and fate research": [
        "National Research Council Institute for Atmospheric Pollution Research, Italy"
    ],
    "Mercury in products": ["United States Environmental Protection Agency"],
    "Mercury releases from coal combustion": [
        "International Energy Agency (IEA) Clean Coal Centre"
    ],
    "Mercury waste management": ["Government of Japan"],
    "Mercury supply and storage": ["Spain", "Uruguay"],
    "Mercury releases from the cement industry": ["Cement Sustainability Initiative"],
}
"""The Annex's leads as the seed's cells name them (each is checked to be in the seed's text)."""


@pytest.fixture(scope="module")
def seed_report(engine: EmbeddedEngine) -> Report:
    return build_report(engine, load_catalog(), "test", figures=False)


@pytest.fixture(scope="module")
def next_report(engine: EmbeddedEngine) -> Report:
    return build_report(engine, load_catalog(), "test", NEXT, figures=False)


def _amount(words: str) -> tuple[str, Decimal]:
    """('about', 10500000) from 'about $ 10.5 million' (the seed's or ours)."""
    m = re.fullmatch(r"(about|almost)?\s*\\?\$\s*([\d.,]+)( million)?", words.strip())
    assert m, words
    number = Decimal(m.group(2).replace(",", ""))
    return m.group(1) or "", number * (1_000_000 if m.group(3) else 1)


def test_the_seed_round_trips(seed_report: Report, source: SourceText) -> None:
    text = source.text
    got = seed_report.data["figures"]
    wrong: list[str] = []

    def same(key: str, expected: object) -> None:
        if got.get(key) != expected:
            wrong.append(f"{key}: the report says {got.get(key)!r}, the seed {expected!r}")

    # membership on the first and the last day, by type
    partners = re.findall(
        r"As of (\d+ \w+ \d{4}), there were (\d+) official partners in the Global Mercury "
        r"Partnership, including (\d+) governments, (\d+) intergovernmental organizations, (\d+) "
        r"non-government organizations, and (\d+) others",
        text,
    )
    assert len(partners) == 2
    types = ("pt-total", "pt-government", "pt-igo", "pt-ngo", "pt-other")
    for which, (day, *counts) in zip(("first", "last"), partners, strict=True):
        same(f"membership/{which}/date", day)
        for t, n in zip(types, counts, strict=True):
            same(f"membership/{which}/{t}", n)
    for i, t in enumerate(types):
        same(f"membership/change/{t}", f"{int(partners[1][1 + i]) - int(partners[0][1 + i]):+d}")
    # the funding breakdown, summing to about 10.5 million
    sentence = re.search(
        r"Total financial support for the Partnership had amounted to .*?GEF\.", text
    )
    assert sentence
    seed = re.findall(r"(?:about|almost) \\?\$ ?[\d.]+ million", sentence.group(0))
    flows = [
        "total-through-unep",
        "environment-fund",
        "unearmarked",
        "extra-budgetary",
        "gef-received",
    ]
    assert len(seed) == len(flows)
    for flow, words in zip(flows, seed, strict=True):
        key = f"funds/flow/{flow}/amount"
        if key not in got or _amount(got[key]) != _amount(words):
            wrong.append(f"{key}: the report says {got.get(key)!r}, the seed {words!r}")
    parts = sum(_amount(w)[1] for w in seed[1:])
    assert parts == _amount(seed[0])[1]  # the seed's own parts add up to its total
    total = got.get("funds/flow/total-through-unep/sum", "$ 0")
    if _amount(total) != ("about", parts):
        wrong.append(f"funds/flow/total-through-unep/sum: the report says {total!r}, {parts}")
    for flow, words in (
        ("balance-for-activities", r"balance of (about \\\$ [\d.]+ million)"),
        ("secretariat-costs", r"amount to (about \\\$ [\d.]+ million) per year"),
    ):
        m = re.search(words, text)
        assert m
        key = f"funds/flow/{flow}/amount"
        if _amount(got.get(key, "$ 0").removesuffix(" per year")) != _amount(m.group(1)):
            wrong.append(f"{key}: the report says {got.get(key)!r}, the seed {m.group(1)!r}")
    # the shares of project expenditure, with their words
    for key, pattern in (
        ("shares/area/supply-storage/share", r"UNEP had provided (about 38%) of its total"),
        ("shares/area/coal/share", r"A further (21%) of funding"),
        ("shares/area/asgm/share", r"UNEP had provided (about 10%) of its total"),
        ("shares/category/assessments/share", r"(About a quarter) of total project expenditure"),
    ):
        m = re.search(pattern, text)
        assert m, pattern
        same(key, m.group(1)[:1].lower() + m.group(1)[1:])
    # the eight areas and their leads in the Annex
    annex = text[text.index("Summary of the partnership area leads and objectives") :]
    same("areas/count", "8")
    rows = {label: key for key, label in seed_report.items().items() if key.startswith("annex/")}
    if len(rows) != 8:
        wrong.append(f"annex: {len(rows)} areas, the seed's Annex has 8")
    for area, names in ANNEX_LEADS.items():
        # "Mercury supply and storage" is split over a page break in the seed's Annex
        assert all(w in annex for w in area.split()) and all(n in annex for n in names), area
        key = rows.get(area)
        leads = (got.get(f"{key}/leads") or "").split("; ") if key else []
        if len(leads) != len(names) or not all(any(n in lead for lead in leads) for n in names):
            wrong.append(f"{key or area}/leads: the report says {leads}, the seed {names}")
    assert not wrong, "\n".join(wrong)


def test_every_figure_links_to_its_evidence_and_its_query(seed_report: Report) -> None:
    catalog = load_catalog()
    figures = seed_report.figures()
    assert len(figures) > 400
    unlinked = [f.key for f in figures if not f.unknown and not f.evidence]
    assert unlinked == [], f"{len(unlinked)} figures without a passage: {unlinked[:10]}"
    assert {f.query for f in figures} <= set(catalog)
    page = lxml_html.fromstring(render_html(seed_report, ""))
    spans = page.xpath("//span[contains(@class, 'fig')]")
    assert len(spans) == len(figures) + len(seed_report.glance)
    no_query = [
        s.get("data-key")
        for s in spans
        if not s.xpath("a[@class='q' and starts-with(@href, '/api/queries/')]")
    ]
    no_source = [
        s.get("data-key")
        for s in spans
        if "unknown" not in s.get("class")
        and not s.xpath("a[@class='ev' and starts-with(@href, '#ev-') and @title]")
    ]
    assert (no_query, no_source) == ([], [])
    notes = {li.get("id") for li in page.xpath("//ol[@class='sources']/li")}
    targets = {a.get("href")[1:] for a in page.xpath("//span[contains(@class, 'fig')]/sup/a")}
    assert targets <= notes
    # every footnote quotes the source verbatim (the passage's own characters)
    quote = page.xpath("//ol[@class='sources']/li/span[@class='quote']")[0].text_content()
    assert quote.startswith("“") and quote.endswith("”")


def test_approximations_keep_their_words(seed_report: Report) -> None:
    got = seed_report.data["figures"]
    assert got["funds/flow/extra-budgetary/amount"] == "almost $ 6 million"
    assert got["funds/flow/secretariat-costs/amount"] == "about $ 1 million per year"
    assert got["shares/area/coal/share"] == "21%"  # exact in the seed: "A further 21%"


def test_unknowns_are_printed_as_unknown_never_as_zero(
    seed_report: Report, next_report: Report
) -> None:
    # the seed gives no amount for the voluntary contributions to other staff
    assert seed_report.data["figures"]["funds/flow/secretariat-staff-voluntary/amount"] == UNKNOWN
    got = next_report.data["figures"]
    # the next period opens with the seed's closing count and has no closing count yet
    assert got["membership/first/date"] == "30 June 2012"
    assert got["membership/first/pt-total"] == "111"
    assert got["membership/last/pt-total"] == UNKNOWN
    assert got["membership/change/pt-total"] == UNKNOWN
    text = render_md(next_report)
    assert "the number of official partners is [*unknown*]" in text
    missing = next_report.sections[-1]
    said = "".join(p if isinstance(p, str) else p.text for p in missing.sentences[0])
    assert "the number of official partners as of 30 June 2014" in said
    # nothing from 2010-2012 sources is reported as this period's
    assert not any(k.startswith(("funds/", "shares/", "table-2/")) for k in got)


def test_the_period_is_checked() -> None:
    assert parse_period("2010-07/2012-06")[1].isoformat() == "2012-06-30"
    for bad in ("2012", "2012-13/2014-01", "2014-01/2012-01", "x/y"):
        with pytest.raises(PeriodError):
            parse_period(bad)


def test_the_seed_structure(seed_report: Report) -> None:
    titles = [s.title.split(":")[0] for s in seed_report.sections]
    assert titles == [
        "Introduction",
        "Section I",
        "Section II",
        "Meeting the overall objective of the partnership, next steps",
        "Annex",
        "Funding reported directly by partners",
        "What is missing",
    ]
    assert [s.key for s in seed_report.sections[1].subsections] == [
        "membership",
        "funds",
        "areas",
        "work",
        "highlights",
    ]
    assert len(seed_report.sections[3].subsections) == 8
    assert len(seed_report.sections[1].subsections[3].subsections) == 8  # the work of each area
    items = seed_report.items()
    assert sum(k.startswith("table-2/") for k in items) == 28
    assert sum(k.startswith("work/") for k in items) == 87  # the rows of area_work
    assert sum(k.startswith("single-lead/") for k in items) == 6
    assert sum(k.startswith("unfunded-areas/") for k in items) == 3


def test_build_is_reproducible(build: Build, engine: EmbeddedEngine) -> None:
    one = render_html(build_report(engine, load_catalog(), "r", figures=False))
    two = render_html(build_report(engine, load_catalog(), "r", figures=False))
    assert one == two


def test_markdown_and_html_carry_the_same_data(seed_report: Report, tmp_path: Path) -> None:
    from graph.report.compare import read_edition

    (tmp_path / "r.md").write_text(render_md(seed_report))
    (tmp_path / "r.html").write_text(render_html(seed_report))
    assert read_edition(tmp_path / "r.md") == read_edition(tmp_path / "r.html") == seed_report.data
