"""Pipeline Atlas explorer: the entrypoint for ``streamlit run ui/streamlit_app.py``.

It sets up the page, draws the sidebar that every page shares, and routes to the page chosen.
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

PAGES = Path(__file__).resolve().parent / "app_pages"

lang = state.language()

st.set_page_config(
    page_title=t("ui.nav.page_title", lang),
    layout="centered",
    initial_sidebar_state="expanded",
    menu_items={"About": t("ui.nav.about", lang)},
)

# The shared sidebar: controls that every page reads through `state`.
with st.sidebar:
    st.radio(
        t("ui.nav.language", lang),
        options=list(state.LANGUAGES),
        format_func=state.LANGUAGES.__getitem__,
        key=state.LANGUAGE_KEY,
        horizontal=True,
    )
    # Further shared controls (a jurisdiction filter, for one) go here, read through `state`.

pages = [
    st.Page(
        PAGES / "pipeline.py", title=t("ui.nav.pipeline", lang), url_path="pipeline", default=True
    ),
    st.Page(PAGES / "city.py", title=t("ui.nav.city", lang), url_path="city"),
]
st.navigation(pages).run()
