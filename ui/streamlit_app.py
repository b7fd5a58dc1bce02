"""Pipeline Atlas explorer: the entrypoint for ``streamlit run ui/streamlit_app.py``.

It sets up the page, draws the sidebar that every page shares, and routes to the page chosen.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import state

PAGES = Path(__file__).resolve().parent / "app_pages"

NAV_TITLES = {
    "en": "The pipeline, stage by stage",
    "es": "La cadena, etapa por etapa",
}
CITY_TITLES = {"en": "Your city", "es": "Tu ciudad"}

st.set_page_config(
    page_title="Pipeline Atlas",
    layout="centered",
    initial_sidebar_state="expanded",
    menu_items={"About": "Pipeline Atlas: California's Arrest-to-Deportation Pipeline."},
)

# The shared sidebar: controls that every page reads through `state`.
with st.sidebar:
    st.radio(
        "Language · Idioma",
        options=list(state.LANGUAGES),
        format_func=state.LANGUAGES.__getitem__,
        key=state.LANGUAGE_KEY,
        horizontal=True,
    )
    # Further shared controls (a jurisdiction filter, for one) go here, read through `state`.

lang = state.language()
pages = [
    st.Page(PAGES / "pipeline.py", title=NAV_TITLES[lang], url_path="pipeline", default=True),
    st.Page(PAGES / "city.py", title=CITY_TITLES[lang], url_path="city"),
]
st.navigation(pages).run()
