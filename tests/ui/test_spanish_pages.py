"""Issue 7, point 5: the explorer reads in Spanish with no English paragraph left (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from streamlit.testing.v1 import AppTest

from pipeline_atlas.atlas import Atlas
from pipeline_atlas.plan.markdown import md

APP = Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py"
TIMEOUT = 300


def open_page(lang: str, place: str) -> AppTest:
    """The "Your place" page from a page link: ``?place=…&lang=…``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["place"] = place
    at.query_params["lang"] = lang
    at.switch_page("app_pages/place.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.fixture(scope="module")
def english() -> set[str]:
    """The graph's English texts (25 characters or more) that differ from their Spanish."""
    atlas = Atlas.build(reason=False)
    rows = atlas.query(
        "SELECT ?en ?es WHERE { ?s ?p ?en . FILTER(LANG(?en) = 'en') "
        "OPTIONAL { ?s ?p ?es . FILTER(LANG(?es) = 'es') } }",
        max_rows=None,
    ).terms
    texts = set()
    for row in rows:
        en, es = row["en"], row.get("es")
        assert isinstance(en, ox.Literal)
        if len(en.value) >= 25 and (not isinstance(es, ox.Literal) or es.value != en.value):
            texts.add(en.value)
    assert len(texts) > 1000
    return texts


def _shown(at: AppTest) -> str:
    parts = [page_text(at)]
    parts += [e.value for e in at.info] + [e.value for e in at.caption]
    parts += [e.value for e in at.header] + [e.value for e in at.subheader]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("place", ["oakland", "los-angeles-county-unincorporated"])
def test_the_place_page_in_spanish_has_no_english_text(english: set[str], place: str) -> None:
    at = open_page(lang="es", place=place)
    shown = _shown(at)
    assert "Grado de certeza" in shown or "última verificación" in shown
    assert [e for e in english if md(e) in shown or e in shown] == []
    assert "(en inglés)" not in shown


@pytest.fixture(scope="module")
def quotations() -> set[str]:
    """The source document's passages: shown verbatim in English, as the original, beside the
    project's unofficial Spanish translation."""
    rows = (
        Atlas.build(reason=False)
        .query(
            "SELECT ?q WHERE { ?p <https://w3id.org/pipeline-atlas/ont/quotation> ?q }",
            max_rows=None,
        )
        .rows
    )
    return {str(row["q"]) for row in rows}


def test_the_pipeline_page_in_spanish_has_no_english_text(
    english: set[str], quotations: set[str]
) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = "es"
    at.run()
    assert not at.exception
    for n in range(1, 5):
        at.query_params["stage"] = str(n)
        at.run()
        assert not at.exception
        shown = _shown(at) + "\n" + "\n".join(w.value for w in at.warning)
        assert f"Etapa {n}" in shown
        # English allowed only inside a source passage shown as the original
        left = [
            e
            for e in english
            if (md(e) in shown or e in shown) and not any(e in q for q in quotations)
        ]
        assert left == []
        assert "Original (inglés)" in shown
