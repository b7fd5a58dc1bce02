"""The search box shown at the top of every page: type a name and press Enter.

Enter opens what the text names when the library finds it exactly (``search.best``: "Fresno"
opens the place page with ``?place=fresno``); otherwise the search page lists the hits
(``?q=…``). An unincorporated community ("East Los Angeles") opens its county's unincorporated
area with ``?from=<community slug>``, and the place page shows ``search.arrival_note`` for it.
The box is emptied once it has been used, so that the next page does not search again.
"""

from __future__ import annotations

import streamlit as st

from pipeline_atlas.explore import search
from pipeline_atlas.i18n import t
from ui import state

KEY = "search-box"
_DESTINATION = "search-box-destination"


def _submitted() -> None:
    """On Enter: choose where to go (followed once the box is drawn) and empty the box."""
    text = str(st.session_state.get(KEY) or "").strip()
    st.session_state[KEY] = ""
    if not text:
        return
    lang = state.language()
    hits = state.cached(search.search, text, lang=lang)
    hit = search.best(hits)
    if hit is not None:
        st.session_state[_DESTINATION] = (hit.page, hit.params)
    else:
        st.session_state[_DESTINATION] = (state.SEARCH, (("q", text),))


def search_box() -> None:
    """Draw the search box; after Enter, open the page chosen (does not return then)."""
    lang = state.language()
    st.text_input(
        t("ui.search.box_label", lang),
        key=KEY,
        type="default",
        placeholder=t("ui.search.placeholder", lang),
        on_change=_submitted,
    )
    destination = st.session_state.pop(_DESTINATION, None)
    if destination is not None:
        page, params = destination
        state.go(page, **dict(params))
