"""The explorer in a real browser: `streamlit run` on a free loopback port, driven by Debian's
Chromium through Playwright. The page shows the graph's stages and loads nothing from another
host."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
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

pytestmark = [pytest.mark.browser, pytest.mark.integration]  # Chromium and a Streamlit server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def explorer() -> Iterator[str]:
    port = _free_port()
    streamlit = Path(sys.executable).with_name("streamlit")
    proc = subprocess.Popen(
        [
            str(streamlit),
            "run",
            "ui/streamlit_app.py",
            "--server.address=127.0.0.1",
            f"--server.port={port}",
            "--server.headless=true",
            "--browser.gatherUsageStats=false",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"streamlit did not become healthy: {err[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@dataclass
class Visit:
    """A Chromium page on the explorer and the hosts it sent requests to."""

    page: Any
    hosts: set[str] = field(default_factory=set)


@pytest.fixture
def visit(explorer: str) -> Iterator[Visit]:
    """Chromium on one page; afterwards, check that it asked nothing of another host."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            seen = Visit(browser.new_page())
            seen.page.on("request", lambda request: seen.hosts.add(request.url.split("/")[2]))
            yield seen
        finally:
            browser.close()
    assert seen.hosts == {explorer.removeprefix("http://")}


def test_page_shows_the_stages_and_stays_on_this_machine(explorer: str, visit: Visit) -> None:
    page = visit.page
    page.goto(explorer)
    page.get_by_role("heading", name="Stage 4: Federal Crime Conviction").wait_for(timeout=60_000)
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert [h for h in headings if h.startswith("Stage")] == [
        "Stage 1: Police Stop",
        "Stage 2: Police Arrest & Local Police Department Lockup",
        "Stage 3: State Crime Conviction",
        "Stage 4: Federal Crime Conviction",
    ]
    body = page.inner_text("body")
    assert "County board of supervisors" in body
    assert "Push legislators to pass legislation prohibiting CDCR" in body

    page.get_by_text("Español").click()
    page.get_by_role("heading", name="Etapa 1: Parada policial").wait_for(timeout=30_000)
    # Streamlit replaces the page element by element: wait for the Spanish body text
    page.get_by_text("Junta de Supervisores del Condado").first.wait_for(timeout=30_000)
    page.get_by_text("Condena por un delito federal").first.wait_for(timeout=30_000)


def test_city_page_shows_the_plan_for_the_city_picked(explorer: str, visit: Visit) -> None:
    page = visit.page
    page.goto(f"{explorer}/city")
    page.get_by_role("heading", name="Your city").wait_for(timeout=60_000)
    page.get_by_text("Choose one of California's 482 cities").wait_for(timeout=30_000)

    page.get_by_role("combobox").click()
    page.keyboard.type("Oakland")
    page.get_by_role("option", name="Oakland, Alameda County").click()

    page.get_by_text("Oakland City Council").first.wait_for(timeout=60_000)
    page.get_by_role("heading", name="Stage 1: Police Stop").wait_for(timeout=30_000)
    # Streamlit draws the page element by element: wait for each part, not for the body.
    page.get_by_text("Alameda County Board of Supervisors").first.wait_for(timeout=30_000)
    page.get_by_text("Police: Oakland Police Department").wait_for(timeout=30_000)  # issue 7
    download = page.get_by_role("button", name="Download the plan (Markdown)")
    download.wait_for(timeout=30_000)
    assert download.count() == 1
