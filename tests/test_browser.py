"""The query UI in headless Chromium (Debian's package, driven by Playwright's Python API).

Opens ``/``, runs an example query, sees the table with labels, follows a link to a resource
page, downloads a result; saves screenshots under build/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import paths
from tests.browser import ARGS, chromium

SHOTS = paths.BUILD_DIR / "screenshots"


@pytest.fixture(scope="module")
def page(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    exe = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        context.close()
        browser.close()


def test_run_an_example_and_follow_a_link(page: object, live_server: str, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server}/query")
    expect(page.locator(".yasqe")).to_be_visible(timeout=15_000)
    page.select_option("#examples", "area_leads")
    cell = page.locator(".yasr table a", has_text="Mercury Policy Project").first
    expect(cell).to_be_visible(timeout=15_000)
    expect(page.locator(".yasr table tbody tr")).to_have_count(11)
    page.screenshot(path=str(SHOTS / "query-ui.png"), full_page=True)
    assert cell.get_attribute("href") == "/id/org/mpp"

    with page.expect_download(timeout=15_000) as info:
        page.locator(".yasr .yasr_downloadIcon").first.click()
    target = tmp_path / "result.csv"
    info.value.save_as(target)
    text = target.read_text()
    assert "area" in text.splitlines()[0] and "org/mpp" in text

    cell.dispatch_event("click")  # a click on the link itself (YASR's ellipsis box covers it)
    expect(page.locator("h1")).to_have_text("Mercury Policy Project", timeout=10_000)
    quote = page.locator("blockquote", has_text="2011 from the Mercury Policy Project")
    expect(quote).to_be_visible()
    page.screenshot(path=str(SHOTS / "resource-page.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]


def test_an_example_chosen_before_the_catalogue_arrives_still_runs(
    page: object, live_server: str
) -> None:
    """The catalogue of named queries is held back until after the choice (a slow start-up)."""
    from playwright.sync_api import Page, Route, expect

    assert isinstance(page, Page)
    held: list[Route] = []
    page.route("**/api/queries", lambda route: held.append(route))
    try:
        page.goto(f"{live_server}/query")
        expect(page.locator(".yasqe")).to_be_visible(timeout=15_000)
        page.select_option("#examples", "membership_table")
        assert len(held) == 1  # the catalogue is still on its way
        held[0].continue_()
        expect(page.locator(".yasr table tbody tr")).to_have_count(2, timeout=15_000)
        expect(page.locator(".yasqe")).to_contain_text("?governments")
    finally:
        page.unroute("**/api/queries")


def test_shareable_link_reopens_the_query(page: object, live_server: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{live_server}/?example=membership_table")
    expect(page.locator(".yasr table tbody tr")).to_have_count(2, timeout=15_000)
    page.click("#share")
    page.wait_for_url(lambda url: "query=" in url, timeout=10_000)
    link = page.url
    assert "query=" in link
    page.goto(link)
    expect(page.locator(".yasqe")).to_contain_text("?governments", timeout=15_000)


COAL = "https://w3id.org/mercury-kg/id/area/coal"
IEA = "https://w3id.org/mercury-kg/id/org/iea-ccc"


def _shown(page: object) -> list[str]:
    return page.evaluate("cy.nodes().not('.hidden').map((n) => n.id())")  # type: ignore[attr-defined, no-any-return]


def test_network_filter_search_export_and_click_through(
    page: object, live_server: str, tmp_path: Path
) -> None:
    import networkx as nx
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server}/network")
    page.locator("body[data-network-ready]").wait_for(state="attached", timeout=15_000)
    everything = _shown(page)
    assert len(everything) > 100
    colours = "new Set(cy.nodes().map((n) => n.style('background-color'))).size"
    by_kind = page.evaluate(colours)
    page.select_option("#net-colour", "community")
    assert page.evaluate(colours) > by_kind == 7
    page.select_option("#net-colour", "kind")
    assert page.evaluate(colours) == by_kind

    page.select_option("#net-area", COAL)
    coal = _shown(page)
    assert COAL in coal and IEA in coal and len(coal) < len(everything)
    assert "https://w3id.org/mercury-kg/id/area/waste" not in coal
    expect(page.locator("#net-status")).to_contain_text(f"{len(coal)} nodes")

    page.fill("#net-search", "Clean Coal Centre")
    page.click("#net-search-form button")
    expect(page.locator("#net-search-status")).to_have_text("Found.")
    expect(page.locator("#net-info")).to_contain_text("International Energy Agency")
    page.wait_for_timeout(500)  # the zoom animation
    page.screenshot(path=str(SHOTS / "network.png"), full_page=True)

    with page.expect_download(timeout=15_000) as info:
        page.click("[data-export=gexf]")
    target = tmp_path / "view.gexf"
    info.value.save_as(target)
    assert set(nx.read_gexf(target).nodes) == set(coal)

    x, y = page.evaluate(
        """(iri) => {
             const p = cy.getElementById(iri).renderedPosition();
             const box = cy.container().getBoundingClientRect();
             return [box.left + p.x, box.top + p.y];
           }""",
        IEA,
    )
    page.mouse.click(x, y)
    expect(page.locator("h1")).to_have_text(
        "International Energy Agency (IEA) Clean Coal Centre", timeout=10_000
    )
    assert page.url.endswith("/id/org/iea-ccc")
    assert page.errors == []  # type: ignore[attr-defined]


def test_resource_page_shows_its_neighbourhood(page: object, live_server: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{live_server}/id/area/coal")
    section = page.locator("#neighbourhood[data-ready=true]")
    expect(section).to_be_visible(timeout=15_000)
    expect(section.locator("canvas").first).to_be_visible()
    section.screenshot(path=str(SHOTS / "resource-neighbourhood.png"))
    page.click("#neighbourhood-open")
    page.locator("body[data-network-ready]").wait_for(state="attached", timeout=15_000)
    assert COAL in _shown(page) and len(_shown(page)) < 40

    page.goto(f"{live_server}/id/flow/norway-kyrgyz-2011")  # a fact, not a node: its RDF links
    expect(page.locator("#neighbourhood[data-ready=true]")).to_be_visible(timeout=15_000)
    expect(page.locator("#neighbourhood-open")).to_be_hidden()


def test_query_results_open_as_a_network(page: object, live_server: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{live_server}/?example=donors_areas_countries")
    expect(page.locator(".yasr table tbody tr").first).to_be_visible(timeout=15_000)
    page.click("#as-network")
    page.wait_for_url("**/network?source=results", timeout=10_000)
    page.locator("body[data-network-ready]").wait_for(state="attached", timeout=15_000)
    shown = _shown(page)
    assert "https://w3id.org/mercury-kg/id/org/us-dos" in shown and COAL in shown
    assert len(shown) == 11  # 6 funders, 5 areas
    links = "cy.edges().map((e) => [e.source().id(), e.target().id(), e.data('weight')])"
    weights = {(s, t): w for s, t, w in page.evaluate(links)}
    assert weights["https://w3id.org/mercury-kg/id/org/us-dos", COAL] == 7  # one row per country
    assert page.locator("#net-view").input_value() == "results"
    expect(page.locator("#net-status")).to_contain_text("Which donors fund which areas")
    page.screenshot(path=str(SHOTS / "results-network.png"), full_page=True)
    assert page.errors == []  # type: ignore[attr-defined]


def test_api_docs_work_offline(page: object, live_server: str) -> None:
    """Swagger UI comes from npm: every request the page makes goes to this service."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    hosts: list[str] = []
    page.on("request", lambda r: hosts.append(r.url.split("/")[2]))
    page.goto(f"{live_server}/docs")
    SHOTS.mkdir(parents=True, exist_ok=True)
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("mercury-kg", timeout=15000)
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "api-docs.png"))
    assert hosts and set(hosts) == {live_server.removeprefix("http://")}


def test_a_newcomers_first_hour(page: object, live_server: str) -> None:
    """A newcomer's path through the service, with screenshots.

    Home page, search "Kyrgyz", the project's page, a named question as a table, the editor
    opened from it, the default query run: rows with labels, and no request leaves the service.
    """
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    hosts: list[str] = []
    page.on("request", lambda r: hosts.append(r.url.split("/")[2]))
    page.goto(f"{live_server}/")
    expect(page.locator("h1")).to_contain_text("Global Mercury Partnership")
    expect(page.locator("table.areas tbody tr")).to_have_count(8)
    page.screenshot(path=str(SHOTS / "newcomer-1-home.png"), full_page=True)

    page.fill("header form.search input[name=q]", "Kyrgyz")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Kyrgyz")
    page.screenshot(path=str(SHOTS / "newcomer-2-search.png"), full_page=True)
    project = page.locator("ul.hits a", has_text="Kyrgyz Republic Mercury Mining Phase Out Project")
    expect(project.first).to_have_attribute("href", "/id/project/kyrgyz-mining-phase-out")
    project.first.click()
    page.wait_for_url("**/id/project/kyrgyz-mining-phase-out")
    expect(page.locator("h1")).to_contain_text("Kyrgyz Republic Mercury Mining Phase Out Project")
    page.screenshot(path=str(SHOTS / "newcomer-3-project.png"), full_page=True)

    page.goto(f"{live_server}/")
    page.click("text=Leads of every partnership area, with role and dates")
    page.wait_for_url("**/api/queries/area_leads?*format=html*")
    expect(page.locator(".results table")).to_contain_text(
        "United States Environmental Protection Agency"
    )
    page.screenshot(path=str(SHOTS / "newcomer-4-question.png"), full_page=True)
    page.click("text=open in the query editor")
    page.wait_for_url("**/query?example=area_leads")
    lead = page.locator(".yasr table a", has_text="Mercury Policy Project").first
    expect(lead).to_be_visible(timeout=15_000)

    page.goto(f"{live_server}/query")
    expect(page.locator(".yasqe")).to_contain_text(
        "Who leads each partnership area", timeout=15_000
    )
    page.click(".yasqe_queryButton")
    rows = page.locator(".yasr table tbody tr")
    expect(rows).to_have_count(11, timeout=15_000)
    expect(page.locator(".yasr table")).to_contain_text("Mercury releases from coal combustion")
    page.screenshot(path=str(SHOTS / "newcomer-5-default-query.png"), full_page=True)
    assert set(hosts) == {live_server.removeprefix("http://")}
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_report_prints_without_overflowing_tables(
    page: object, live_server: str, tmp_path: Path
) -> None:
    """``/report`` in print media on A4: no table is wider than the page, and it prints to PDF."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    hosts: list[str] = []
    page.on("request", lambda r: hosts.append(r.url.split("/")[2]))
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    page.goto(f"{live_server}/report", timeout=60_000)
    expect(page.locator("#annex table tbody tr")).to_have_count(8)
    figure = page.locator("span.fig a.ev").first
    assert figure.get_attribute("title")  # the quote, on hover
    wide = page.evaluate(
        """() => [...document.querySelectorAll('table')]
             .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1
                  || [...t.querySelectorAll('td')].some(c => c.scrollWidth > c.clientWidth + 1))
             .map(t => t.id)"""
    )
    assert wide == []
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
    (tmp_path / "report.pdf").write_bytes(pdf)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.emulate_media(media="screen")
    page.screenshot(path=str(SHOTS / "report.png"))
    assert set(hosts) == {live_server.removeprefix("http://")}


def test_the_editor_knows_the_predeclared_prefixes(page: object, live_server: str) -> None:
    """Issue 29: ``gmp:`` needs no PREFIX line in the editor, as on the endpoint; ``zzz:`` does."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{live_server}/query")
    expect(page.locator(".yasqe")).to_be_visible(timeout=15_000)
    check = (
        "(q) => { const cm = document.querySelector('.yasqe .CodeMirror').CodeMirror;"
        " cm.setValue(q); return cm.getStateAfter(cm.lineCount() - 1, true).OK; }"
    )
    assert page.evaluate(check, "SELECT ?a WHERE { ?a a gmp:PartnershipArea ; skos:prefLabel ?l }")
    assert not page.evaluate(check, "SELECT ?a WHERE { ?a a zzz:Thing }")


@pytest.mark.parametrize("path", ["/dataset", "/shapes", "/def", "/id/area/asgm", "/periods"])
def test_pages_fit_a_1280_pixel_window(page: object, live_server: str, path: str) -> None:
    """Issue 29: no page is wider than a 1280 px window (``/dataset`` was 1572 px)."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.set_viewport_size({"width": 1280, "height": 900})
    try:
        page.goto(f"{live_server}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.set_viewport_size({"width": 1400, "height": 1000})
    assert width <= 1280, f"{path} is {width} px wide"
