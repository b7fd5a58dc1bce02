"""The explorer on a remote store: PIPELINE_ATLAS_ENDPOINT points it at a real Oxigraph server
(issue 6: "runs every command and the explorer against a remote SPARQL 1.1 store")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pipeline_atlas.atlas import ENV_ENDPOINT

APP = Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py"

pytestmark = pytest.mark.integration


@pytest.fixture
def on_endpoint(oxigraph_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    st.cache_resource.clear()  # the explorer's one Atlas is cached per process
    st.cache_data.clear()
    monkeypatch.setenv(ENV_ENDPOINT, oxigraph_endpoint)
    yield oxigraph_endpoint
    st.cache_resource.clear()
    st.cache_data.clear()


def city_page(city: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    if city is not None:
        at.query_params["place"] = city
    at.switch_page("app_pages/place.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_city_page_answers_from_the_remote_store(on_endpoint: str) -> None:
    at = city_page("oakland")
    assert not at.error, [e.value for e in at.error]
    headers = [h.value for h in at.header]
    assert headers[0] == "Oakland, Alameda County: a plan for organizers"
    assert headers[1:3] == [
        "Stage 1: Police Stop",
        "Stage 2: Police Arrest & Local Police Department Lockup",
    ]
    text = "\n".join(m.value for m in at.markdown)
    assert "Oakland City Council" in text
    assert "Alameda County Board of Supervisors" in text


def test_the_explorer_reads_the_endpoint_it_is_given(
    on_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the same page on an endpoint where nothing listens: the page says the graph cannot answer
    closed = on_endpoint.replace("/query", "/no-such-endpoint")
    monkeypatch.setenv(ENV_ENDPOINT, closed)
    at = city_page()
    messages = [e.value for e in at.error]
    assert len(messages) == 1
    assert closed in messages[0]


def test_the_sources_page_on_a_remote_store_says_the_graph_cannot_be_downloaded(
    on_endpoint: str,
) -> None:
    at = AppTest.from_file(APP, default_timeout=300)
    at.switch_page("app_pages/sources.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    notes = [i.value for i in at.info]
    assert any(
        n.startswith("The whole graph cannot be downloaded from here: the store (") for n in notes
    ), notes
    assert not at.get("download_button")
