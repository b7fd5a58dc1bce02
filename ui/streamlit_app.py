"""Pipeline Atlas explorer: the entrypoint for ``streamlit run ui/streamlit_app.py``.

It sets up the page, draws what every page shares (the search box and the language switch at the
top, the print and phone styles) and routes to the page chosen. The page's state lives in its link
(``?place=…&lang=es``); see ``ui.state``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Streamlit puts this script's folder on sys.path, not the repository's: add the repository so that
# the `ui` package (and the shared `ui.state`) can be imported from here and from the pages.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from pipeline_atlas.i18n import t  # noqa: E402
from ui import state  # noqa: E402
from ui.search_box import search_box  # noqa: E402
from ui.style import STYLE  # noqa: E402

PAGES = Path(__file__).resolve().parent / "app_pages"

lang = state.language()

st.set_page_config(
    page_title=t("ui.nav.page_title", lang),
    layout="centered",
    # "auto": open on a wide screen, closed on a phone, where it would cover the page.
    initial_sidebar_state="auto",
    menu_items={"About": t("ui.nav.about", lang)},
)
st.html(STYLE)

pages = [
    st.Page(
        PAGES / "pipeline.py",
        title=t("ui.nav.pipeline", lang),
        url_path=state.PIPELINE,
        default=True,
    ),
    st.Page(PAGES / "place.py", title=t("ui.nav.place", lang), url_path=state.PLACE),
    st.Page(PAGES / "matrix.py", title=t("ui.nav.matrix", lang), url_path=state.MATRIX),
    st.Page(PAGES / "graph.py", title=t("ui.nav.graph", lang), url_path=state.GRAPH),
    st.Page(PAGES / "sparql.py", title=t("ui.nav.sparql", lang), url_path=state.SPARQL),
    st.Page(PAGES / "sources.py", title=t("ui.nav.sources", lang), url_path=state.SOURCES),
    st.Page(PAGES / "glossary.py", title=t("ui.nav.glossary", lang), url_path=state.GLOSSARY),
    st.Page(PAGES / "history.py", title=t("ui.nav.history", lang), url_path=state.HISTORY),
    st.Page(
        PAGES / "search.py",
        title=t("ui.nav.search", lang),
        url_path=state.SEARCH,
        visibility="hidden",
    ),
]
page = st.navigation(pages)

# What every page shares, above the page itself: the search box and the language switch (not in the
# sidebar, which starts closed on a phone).
search_column, language_column = st.columns([3, 1], vertical_alignment="bottom")
with search_column:
    search_box()
with language_column:
    st.session_state.setdefault(state.LANGUAGE_KEY, lang)
    st.segmented_control(
        t("ui.nav.language", lang),
        options=list(state.LANGUAGES),
        format_func=state.LANGUAGES.__getitem__,
        key=state.LANGUAGE_KEY,
        required=True,
    )
state.keep_language_in_link()

page.run()
