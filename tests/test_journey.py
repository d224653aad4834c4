"""A reporting cycle in Chromium, as the people of issue 25 live it, never seeing RDF or an id.

From the home page a partner signs in, fills each form (money, an activity, an event, a
document, a new organisation, a highlight, a count of partners), makes a mistake on the amount
(``500.000,00`` with no number format: asked back, everything typed kept), sees each read back
and sends it. The lead of another area cannot decide on the money; the ASGM lead accepts it; the
partner finds the decision in its Atom feed. axe-core checks every new page (WCAG 2.1 A, AA).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph import paths
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from tests.browser import ARGS, axe_violations, chromium
from tests.cycle import ORG, open_period
from tests.liveserver import serving

AREA = "https://w3id.org/mercury-kg/id/area/"
SHOTS = paths.BUILD_DIR / "screenshots"
WORDS = (
    "In March 2013 the Government of Norway granted USD 500,000 to UNEP for national action"
    " plans on artisanal gold mining in Peru and Burkina Faso."
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    data = tmp_path_factory.mktemp("journey") / "data"
    conn = DataDir(data).connect()
    tokens = {
        "partner": accounts.add(conn, ORG + "gov-norway", "partner", "Kari Nordmann")[1],
        "asgm": accounts.add(
            conn, ORG + "unido", "area-lead", "Ludovic Bernaudat", (AREA + "asgm",)
        )[1],
        "coal": accounts.add(conn, ORG + "iea-ccc", "area-lead", "Coal lead", (AREA + "coal",))[1],
        "secretariat": accounts.add(conn, ORG + "unep", "secretariat", "GMP secretariat")[1],
    }
    conn.close()
    open_period(data, None, "2012-07/2014-06")
    env = {"MERCURY_KG_DATA_DIR": str(data), "MERCURY_KG_WORKERS": "1"}
    env |= {"MERCURY_KG_BURST": "100000", "MERCURY_KG_UPLOAD_BURST": "100000"}
    with serving(env) as base:
        yield base, tokens


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    exe = chromium()
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=ARGS, headless=True)
        yield b
        b.close()


def _sign_in(page: Any, base: str, token: str) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Your account's token").fill(token)
    page.get_by_role("button", name="Sign in").click()


def _axe(page: Any, where: str, seen: dict[str, list[str]]) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{len(seen):02d}.png"), full_page=True)
    seen[where] = axe_violations(page)


def _fill(page: Any, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        box = page.locator(f"#f-{name}")
        if box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(value)
        else:
            box.fill(value)


def _check_and_send(page: Any, kind: str, fields: dict[str, str], read: str) -> str:
    from playwright.sync_api import expect

    page.get_by_role("link", name=re.compile(kind)).first.click()
    _fill(page, fields)
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".readback")).to_contain_text(read, timeout=20_000)
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".done")).to_contain_text("Received", timeout=20_000)
    href = page.locator(".done a").first.get_attribute("href")
    return str(href).rsplit("/", 1)[-1]


FORMS = [
    (
        "An activity or project",
        {
            "text": "From May 2013 the Government of Norway trains miners in Peru.",
            "label": "Training of miners in Peru",
            "area": "Artisanal and small-scale gold mining",
            "status": "ongoing",
            "start": "May 2013",
            "countries-1": "Peru",
        },
        "Activity “Training of miners in Peru”",
    ),
    (
        "An event",
        {
            "text": "On 12 June 2013 about 80 people met in Lima for a workshop on gold.",
            "label": "Lima workshop on gold",
            "area": "Artisanal and small-scale gold mining",
            "start": "12 June 2013",
            "countries-1": "Peru",
            "organisers-1": "Government of Norway",
            "participants": "80",
            "participants_about": "about",
        },
        "about 80 participants",
    ),
    (
        "A document",
        {
            "text": "In May 2013 Norway issued Gold without mercury, in English and Spanish.",
            "label": "Gold without mercury",
            "doc_type": "Guidance",
            "issued": "May 2013",
            "languages-1": "English",
            "languages-2": "Spanish",
            "publisher": "Government of Norway",
        },
        "Guidance “Gold without mercury”",
    ),
    (
        "A new partner organisation",
        {
            "text": "The Ouagadougou Miners Union joined the Partnership in 2013.",
            "label": "Ouagadougou Miners Union",
            "org_kind": "Organization",
            "partner_type": "ngo",
            "country": "Burkina Faso",
        },
        "New organisation “Ouagadougou Miners Union”",
    ),
    (
        "A highlight",
        {
            "text": "A highlight: national action plans started in two countries.",
            "label": "National action plans started",
            "area": "Artisanal and small-scale gold mining",
        },
        "Highlight of Artisanal",
    ),
    (
        "A count of partners",
        {
            "text": "On 30 June 2014 there were 30 government partners.",
            "date": "30 June 2014",
            "partner_type": "government",
            "count": "30",
        },
        "30 (government) on 30 June 2014",
    ),
]


def test_a_cycle_in_the_browser(
    site: tuple[str, dict[str, str]], browser: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    base, tokens = site
    seen: dict[str, list[str]] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    _sign_in(page, base, tokens["partner"])
    expect(page).to_have_url(re.compile("/contribute"))
    _axe(page, "contribute (money)", seen)

    # the money, with a mistake first: an amount that reads two ways is asked back
    page.locator("#f-text").fill(WORDS)
    _fill(
        page,
        {
            "label": "Norway grant to UNEP for ASGM plans",
            "recipient": "United Nations Environment Programme",
            "area": "Artisanal and small-scale gold mining",
            "countries-1": "Peru",
            "countries-2": "Burkina Faso",
            "amount": "500.000,00",
            "currency": "US dollar",
            "transaction": "granted",
            "when": "March 2013",
        },
    )
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#e-amount")).to_contain_text("1.234,56", timeout=20_000)
    expect(page.locator("#f-amount")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-label")).to_have_value("Norway grant to UNEP for ASGM plans")
    expect(page.locator("#f-text")).to_have_value(WORDS)  # nothing typed is lost
    _axe(page, "contribute with an error", seen)
    page.locator("#f-number_format").select_option("de")
    page.get_by_role("button", name="Check").click()
    readback = page.locator(".readback")
    expect(readback).to_contain_text(
        "USD 500,000.00 granted by Government of Norway to United Nations Environment Programme",
        timeout=20_000,
    )
    expect(readback).to_contain_text("New country: Burkina Faso")
    _axe(page, "read-back", seen)
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".done")).to_contain_text("Received", timeout=20_000)
    money = str(page.locator(".done a").first.get_attribute("href")).rsplit("/", 1)[-1]

    for kind, fields, read in FORMS:
        _check_and_send(page, kind, {"period": "2012-07/2014-06", **fields}, read)
    page.goto(base + "/review")
    expect(page.locator("table.queue tbody tr")).to_have_count(1 + len(FORMS))
    _axe(page, "partner's queue", seen)
    page.get_by_role("button", name="Sign out").first.click()

    # the lead of another area neither sees nor decides on the money
    _sign_in(page, base, tokens["coal"])
    page.goto(f"{base}/review/{money}")
    expect(page.locator("h1")).to_have_text("No such submission")
    page.goto(base + "/review")
    expect(page.locator("main")).not_to_contain_text("Norway grant to UNEP")
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    refused = page.request.post(f"{base}/review/{money}/accept", form={"csrf": str(csrf)})
    assert refused.status in (403, 404)
    page.get_by_role("button", name="Sign out").first.click()

    # the ASGM lead reads it in words and accepts it
    _sign_in(page, base, tokens["asgm"])
    page.goto(base + "/review")
    row = page.locator("table.queue tr", has_text="Norway grant to UNEP for ASGM plans")
    expect(row).to_contain_text("USD 500,000")
    expect(row).to_contain_text("Artisanal and small-scale gold mining")
    _axe(page, "lead's queue", seen)
    row.get_by_role("link").click()
    expect(page.locator("blockquote.words")).to_have_text(WORDS)
    expect(page.locator("article.card").first).to_contain_text("Burkina Faso")
    expect(page.locator("#changes-h + table")).to_contain_text("Norway")
    _axe(page, "review page", seen)
    page.get_by_role("button", name="Accept and publish").click()
    expect(page.locator("p.state")).to_contain_text("Accepted", timeout=20_000)

    # the secretariat's accounts page
    page.context.clear_cookies()
    _sign_in(page, base, tokens["secretariat"])
    page.goto(base + "/accounts")
    expect(page.locator("table")).to_contain_text("Ludovic Bernaudat")
    _axe(page, "accounts", seen)
    page.goto(base + "/signin")
    _axe(page, "sign-in", seen)

    # the partner hears of the decision
    page.context.clear_cookies()
    feed = page.request.get(
        f"{base}/feed", headers={"Authorization": f"Bearer {tokens['partner']}"}
    )
    assert feed.status == 200 and "application/atom+xml" in feed.headers["content-type"]
    assert "Norway grant to UNEP for ASGM plans” was accepted" in feed.text()

    context.close()
    assert errors == []
    assert {where: v for where, v in seen.items() if v} == {}


def test_axe_finds_what_a_page_lacks(browser: Any) -> None:
    """The accessibility check can fail: a page without a title, labels or alt text does."""
    page = browser.new_page(bypass_csp=True)
    page.set_content('<html><body><input name="amount"><img src="x.png"></body></html>')
    found = " ".join(axe_violations(page))
    page.close()
    assert "label" in found and "image-alt" in found and "document-title" in found
