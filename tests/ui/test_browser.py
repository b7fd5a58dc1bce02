"""The explorer end to end (issue 9): `streamlit run` on a free loopback port, driven by Debian's
Chromium through Playwright, as an organizer would use it.

Search and Enter for each of the eight county seats that used to open the wrong city; every page;
the Fresno plan downloaded as a PDF and read back; an example query; the switch to Spanish and a
reload that keeps it; a phone-sized window (sidebar closed, nothing scrolls sideways). Screenshots
go to build/screenshots/. Every request the browser makes must go to the local server.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pipeline_atlas.i18n import t
from processes import free_port

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT = 60_000  # ms: the first run builds the graph in memory on a 2-core machine

pytestmark = [pytest.mark.browser, pytest.mark.integration]  # Chromium and a Streamlit server


@pytest.fixture(scope="module")
def explorer() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "ui/streamlit_app.py",
            "--server.address=127.0.0.1", f"--server.port={port}",
            "--server.headless=true", "--browser.gatherUsageStats=false",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with opener.open(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"streamlit did not become healthy: {err[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@dataclass
class Browser:
    """Chromium on the explorer and the hosts it sent requests to."""

    browser: Any
    hosts: set[str] = field(default_factory=set)

    def page(self, **options: Any) -> Any:
        context = self.browser.new_context(accept_downloads=True, **options)
        page = context.new_page()
        page.on("request", lambda request: self.hosts.add(request.url.split("/")[2]))
        return page


@pytest.fixture
def chromium(explorer: str) -> Iterator[Browser]:
    """Chromium; afterwards, check that it asked nothing of another host."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        seen = Browser(p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS))
        try:
            yield seen
        finally:
            seen.browser.close()
    assert seen.hosts == {explorer.removeprefix("http://")}


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def no_exception(page: Any) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.inner_text("body")[:2000]


def search(page: Any, text: str) -> None:
    box = page.locator(".st-key-search-box input")
    box.wait_for(timeout=WAIT)
    box.fill(text)
    box.press("Enter")


# The county seats that once opened the wrong city (issue 9): (typed, slug, city label).
COUNTY_SEATS = [
    ("Fresno", "fresno", "Fresno"),
    ("Los Angeles", "los-angeles", "Los Angeles"),
    ("San Diego", "san-diego", "San Diego"),
    ("Sacramento", "sacramento", "Sacramento"),
    ("Riverside", "riverside", "Riverside"),
    ("San Bernardino", "san-bernardino", "San Bernardino"),
    ("Santa Clara", "santa-clara", "Santa Clara"),
    ("Ventura", "ventura", "Ventura"),
]


def test_search_and_enter_opens_each_county_seat(explorer: str, chromium: Browser) -> None:
    page = chromium.page()
    page.goto(explorer)
    page.get_by_role("heading", level=1).first.wait_for(timeout=WAIT)
    for typed, slug, label in COUNTY_SEATS:
        search(page, typed)
        page.wait_for_url(re.compile(rf"/place\?.*place={re.escape(slug)}(&|$)"), timeout=WAIT)
        # the plan's own heading: "Fresno, Fresno County: a plan for organizers"
        plan_title = re.compile(rf"^{re.escape(label)}\b.*: a plan for organizers$")
        page.get_by_role("heading", level=2, name=plan_title).wait_for(timeout=WAIT)
        no_exception(page)
        assert page.locator(".st-key-search-box input").input_value() == ""
    shot(page, "search-ventura")


PAGES = [
    ("pipeline", "", "ui.pipeline.title"),
    ("place", "?place=fresno", None),
    ("matrix", "", None),
    ("graph", "?node=id/instrument/california-values-act", None),
    ("sparql", "?query=cq-001-stages-in-order", None),
    ("sources", "", None),
    ("glossary", "?term=sb-54", None),
    ("history", "", None),
    ("search", "?q=board", None),
]


@pytest.mark.parametrize(("name", "query", "title_key"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_opens_without_error(
    explorer: str, chromium: Browser, name: str, query: str, title_key: str | None
) -> None:
    page = chromium.page()
    page.goto(f"{explorer}/{name}{query}")
    heading = page.get_by_role("heading", level=1).first
    heading.wait_for(timeout=WAIT)
    if title_key:
        page.get_by_role("heading", level=1, name=t(title_key)).wait_for(timeout=WAIT)
    page.wait_for_timeout(1500)  # let the script finish drawing
    no_exception(page)
    # headings in order: one h1 first, and no level skipped on the way down (h2 → h4)
    levels = page.evaluate(
        "[...document.querySelectorAll('[data-testid=stMain] h1, [data-testid=stMain] h2,"
        " [data-testid=stMain] h3, [data-testid=stMain] h4')].map(h => +h.tagName[1])"
    )
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    shot(page, f"page-{name}")


def test_fresno_plan_downloads_as_a_pdf_with_the_plan_in_it(
    explorer: str, chromium: Browser, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    page = chromium.page()
    page.goto(f"{explorer}/place?place=fresno")
    button = page.get_by_role("button", name=t("ui.place.download_pdf"))
    button.wait_for(timeout=WAIT)
    with page.expect_download(timeout=WAIT) as download:
        button.click()
    path = tmp_path / "plan.pdf"
    download.value.save_as(path)
    assert download.value.suggested_filename == "pipeline-plan-fresno-en.pdf"
    text = "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)
    assert "Fresno County Board of Supervisors" in text
    assert "Fresno City Council" in text
    shot(page, "place-fresno")


def test_an_example_query_runs_and_shows_a_table(explorer: str, chromium: Browser) -> None:
    page = chromium.page()
    page.goto(f"{explorer}/sparql?query=cq-001-stages-in-order")
    # a query opened from a link runs at once: the table (drawn on a canvas) and its row count
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=WAIT)
    page.get_by_text("4 row(s).").wait_for(timeout=WAIT)
    assert "stage-order" not in page.url  # the link carries the catalogue id, nothing else
    assert "query=cq-001-stages-in-order" in page.url
    no_exception(page)
    shot(page, "sparql-cq-001")


def test_switch_to_spanish_and_reload_keeps_it(explorer: str, chromium: Browser) -> None:
    page = chromium.page()
    page.goto(f"{explorer}/place?place=fresno")
    page.get_by_role("heading", level=1).first.wait_for(timeout=WAIT)
    page.get_by_text("Español", exact=True).click()
    page.wait_for_url(re.compile(r"lang=es"), timeout=WAIT)
    page.get_by_text("Junta de Supervisores del Condado de Fresno").first.wait_for(timeout=WAIT)
    page.reload()
    page.get_by_text("Junta de Supervisores del Condado de Fresno").first.wait_for(timeout=WAIT)
    assert "place=fresno" in page.url
    no_exception(page)
    shot(page, "place-fresno-es")


def test_on_a_phone_the_sidebar_is_closed_and_nothing_scrolls_sideways(
    explorer: str, chromium: Browser
) -> None:
    page = chromium.page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    for name, query in [("place", "?place=fresno&lang=es"), ("pipeline", ""), ("matrix", "")]:
        page.goto(f"{explorer}/{name}{query}")
        page.get_by_role("heading", level=1).first.wait_for(timeout=WAIT)
        page.wait_for_timeout(1500)
        sidebar = page.locator("[data-testid='stSidebar']")
        assert sidebar.get_attribute("data-collapsed") == "true", f"{name}: the sidebar is open"
        box = sidebar.bounding_box()
        assert box is None or box["x"] + box["width"] <= 0, f"{name}: the sidebar covers {box}"
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"{name}: the page is {wide} px wider than the screen"
        no_exception(page)
        shot(page, f"phone-{name}")


def test_the_pipeline_figure_links_each_stage_to_its_page(explorer: str, chromium: Browser) -> None:
    page = chromium.page()
    page.goto(f"{explorer}/?lang=es")
    links = page.locator(".pa-figure svg a")
    links.first.wait_for(timeout=WAIT)
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        f"./?stage={n}&lang=es" for n in (1, 2, 3, 4)
    ]
    links.nth(1).click()
    page.wait_for_url(re.compile(r"stage=2"), timeout=WAIT)
    page.get_by_role(
        "heading",
        level=2,
        name="Etapa 2: Arresto policial y celda de detención de la policía local",
    ).wait_for(timeout=WAIT)
    no_exception(page)
    shot(page, "pipeline-stage-2-es")


def test_the_place_page_draws_the_county_map(explorer: str, chromium: Browser) -> None:
    page = chromium.page()
    page.goto(f"{explorer}/place?place=fresno")
    county = page.locator(".pa-figure svg[role='img']")
    county.first.wait_for(timeout=WAIT)
    assert "Fresno County" in (county.first.get_attribute("aria-label") or "")


def test_clicking_a_node_in_the_graph_expands_it(explorer: str, chromium: Browser) -> None:
    page = chromium.page(viewport={"width": 1280, "height": 900})
    page.goto(f"{explorer}/graph?node=id/instrument/california-values-act")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.wait_for(timeout=WAIT)
    chart.scroll_into_view_if_needed()
    page.locator("[data-testid='stVegaLiteChart'] .mark-symbol path").first.wait_for(timeout=WAIT)
    area = chart.bounding_box()
    assert area is not None
    points = page.locator("[data-testid='stVegaLiteChart'] .mark-symbol path")
    boxes = [points.nth(i).bounding_box() for i in range(points.count())]
    # the nodes (the legend's symbols sit below the plot): the topmost is the first neighbour
    nodes = [b for b in boxes if b and area["y"] <= b["y"] <= area["y"] + area["height"] - 120]
    top = min(nodes, key=lambda b: b["y"])
    page.mouse.click(top["x"] + top["width"] / 2, top["y"] + top["height"] / 2)
    page.wait_for_url(re.compile(r"expand=id%2Finstrument%2Ftrust-act"), timeout=WAIT)
    no_exception(page)
    shot(page, "graph-expanded")


def test_the_place_page_prints_without_the_sidebar_and_controls(
    explorer: str, chromium: Browser
) -> None:
    page = chromium.page(viewport={"width": 1280, "height": 900})
    page.goto(f"{explorer}/place?place=fresno")
    page.get_by_role("heading", level=2, name=re.compile("^Fresno, Fresno County")).wait_for(
        timeout=WAIT
    )
    page.locator(".stDownloadButton").first.wait_for(timeout=WAIT)
    assert page.locator("[data-testid='stSidebar']").is_visible()
    from playwright.sync_api import expect

    page.emulate_media(media="print")
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    expect(page.locator(".st-key-search-box")).to_be_hidden()
    expect(page.locator(".stDownloadButton").first).to_be_hidden()
    title = page.get_by_role("heading", level=2, name=re.compile("^Fresno, Fresno County"))
    expect(title).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SCREENSHOTS / "place-fresno-printed.pdf"))
