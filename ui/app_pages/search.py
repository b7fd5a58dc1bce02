"""Search results: what the text of the page link (``?q=…``) names, grouped by kind.

The hits, their groups and the suggestions come whole from the library
(:func:`pipeline_atlas.explore.search.results`); each hit is a link to the view it opens.
"""

from __future__ import annotations

import streamlit as st

from pipeline_atlas.explore import search
from pipeline_atlas.i18n import t
from ui import state

lang = state.language()

st.title(t("ui.search.title", lang))
text = state.param("q")

if not text or not text.strip():
    st.info(t("ui.search.empty", lang))
    st.stop()

found = state.cached(search.results, text, lang=lang)

if not found.groups:
    st.warning(t("ui.search.no_results", lang, text=text))
    if found.suggestions:
        st.write(t("ui.search.suggestions", lang))
        for suggestion in found.suggestions:
            st.page_link(
                state.PAGE_FILES[state.SEARCH],
                label=suggestion,
                query_params={"q": suggestion, "lang": lang},
            )
    st.caption(t("ui.search.try", lang))
    st.stop()

st.write(t("ui.search.results_for", lang, count=found.count, text=text))
for group in found.groups:
    st.header(group.title)
    for hit in group.hits:
        st.page_link(
            state.PAGE_FILES[hit.page],
            label=hit.label,
            query_params={**dict(hit.params), "lang": lang},
        )
        st.caption(search.caption(hit, lang=lang))
