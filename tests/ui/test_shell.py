"""What every page of the explorer shares (issue 9): the search box and the language switch at the
top, the language kept in the page link, glossary terms linked where they appear, and the print and
phone styles inlined (nothing loaded from outside)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import uitools

ROOT = Path(__file__).resolve().parents[2]
# Not imported: under pytest, `ui` would be this folder (tests/ui), and the app's own `ui` package
# must stay unimported until the app runs.
PAGE_FILES = {
    name: f"app_pages/{name}.py"
    for name in (
        "pipeline", "place", "matrix", "graph", "sparql", "sources", "glossary", "history", "search"
    )
}  # fmt: skip
STYLE = (ROOT / "ui" / "style.py").read_text(encoding="utf-8")


def open_app(page: str | None = None, **params: str) -> AppTest:
    return uitools.open_app(PAGE_FILES[page] if page else None, **params)


def param(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    if isinstance(value, list):
        return value[0] if value else None
    return value


@pytest.mark.parametrize("page", sorted(PAGE_FILES))
def test_every_page_has_the_search_box_and_the_language_switch(page: str) -> None:
    at = open_app(page)
    assert at.text_input(key="search-box").value == ""
    assert at.button_group(key="lang").value == "en"
    assert param(at, "lang") == "en"


def test_the_language_comes_from_the_link_and_stays_in_it() -> None:
    at = open_app("pipeline", lang="es")
    assert at.button_group(key="lang").value == "es"
    assert at.title[0].value.startswith("La cadena")
    at.run()  # a rerun (as a reload) keeps it
    assert at.title[0].value.startswith("La cadena")
    at.button_group(key="lang").set_value("en").run()
    assert param(at, "lang") == "en"
    assert at.title[0].value.startswith("The Arrest-to-Deportation")


def test_a_language_the_explorer_lacks_falls_back_to_english() -> None:
    at = open_app("pipeline", lang="fr")
    assert at.button_group(key="lang").value == "en"
    assert param(at, "lang") == "en"


def test_glossary_terms_are_linked_on_a_node_page() -> None:
    at = open_app("graph", node="id/instrument/trust-act", lang="es")
    text = "\n".join(m.value for m in at.markdown)
    assert "(glossary?term=ice&lang=es)" in text


def test_the_styles_hide_the_chrome_when_printing_and_load_nothing() -> None:
    assert "@media print" in STYLE
    assert '[data-testid="stSidebar"]' in STYLE
    assert "break-before: page" in STYLE
    assert "http" not in STYLE and "@import" not in STYLE and "url(" not in STYLE
    assert sorted(PAGE_FILES) == sorted(
        p.stem for p in (ROOT / "ui" / "app_pages").glob("[a-z]*.py")
    )


def test_a_community_opens_its_county_area_and_the_place_page_says_so() -> None:
    at = open_app(
        "place", place="los-angeles-county-unincorporated", **{"from": "east-los-angeles"}
    )
    notes = [i.value for i in at.info]
    assert notes[0] == (
        "East Los Angeles is not a city: it is in Los Angeles County's unincorporated area, "
        "governed by the county's Board of Supervisors."
    )
    spanish = open_app(
        "place",
        place="los-angeles-county-unincorporated",
        lang="es",
        **{"from": "east-los-angeles"},
    )
    assert spanish.info[0].value.startswith("Este de Los Ángeles no es una ciudad")
