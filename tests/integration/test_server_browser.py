"""The query page in a real browser (Debian's Chromium, driven by Playwright): YASGUI loads from
the server only, shows the competency questions as tabs, and runs one against /sparql
(issue 8, point 1)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_server_uvicorn import Server

from pipeline_atlas import Atlas

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

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve-browser")
    store = folder / "store"
    Atlas.build(store_dir=store, reason=False).close()
    started = Server(["serve", "--store", str(store), "--workers", "1"], folder / "log").start()
    yield started
    started.stop()


def test_the_query_page_runs_an_example_and_contacts_no_other_host(server: Server) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}")
    hosts: set[str] = set()
    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
            page.on(
                "console",
                lambda message: problems.append(message.text) if message.type == "error" else None,
            )
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on(
                "response",
                lambda response: (
                    problems.append(f"{response.status} {response.url}")
                    if response.status >= 400
                    else None
                ),
            )
            page.goto(f"{server.base}/query")
            page.wait_for_selector(".yasqe .CodeMirror", timeout=60_000)
            tabs = page.locator(".tabPanel, [role=tab]")
            assert tabs.count() >= 10
            assert "cq-001" in page.content()
            page.locator(".yasqe_queryButton").first.click()
            page.wait_for_selector(
                ".yasr .dataTable tbody tr, .yasr table tbody tr", timeout=60_000
            )
            assert page.locator(".yasr table tbody tr").count() >= 4
        finally:
            browser.close()
    assert hosts == {f"127.0.0.1:{server.port}"}
    assert not problems, problems
