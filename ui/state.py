"""Shared state of the explorer: the one cached Atlas and the reader's language.

This module holds the only caching in the UI. Pages ask it for rows of catalogue queries; they never
build or hold the graph themselves. Pages import it as ``from ui import state``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from pipeline_atlas import Atlas
from pipeline_atlas import plan as _plan
from pipeline_atlas.i18n import t
from pipeline_atlas.plan import CityPlan, Place

# Each language by its own name, the same whatever language the page is in.
LANGUAGES: dict[str, str] = {"en": t("ui.nav.english"), "es": t("ui.nav.spanish")}
DEFAULT_LANGUAGE = "en"
LANGUAGE_KEY = "lang"


def atlas() -> Atlas:
    """The project's knowledge graph, opened once per server process and shared by every session.

    `make run` builds the persistent store first and the explorer opens it; without one (or when a
    source file is newer than it) the graph is built in memory, so answers are never stale. While
    it is being opened, a spinner says so in the reader's language (Streamlit shows it only when
    opening takes more than half a second, so never once the graph is open).
    """
    with st.spinner(t("ui.state.building", language())):
        return _open_atlas()


@st.cache_resource(show_spinner=False)
def _open_atlas() -> Atlas:
    return Atlas.open_default(rebuild_stale=True)


def language() -> str:
    """The language the reader chose in the sidebar (``en`` or ``es``)."""
    value = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def rows(query_id: str, **params: str) -> list[dict[str, Any]]:
    """The rows of catalogue query ``query_id``, with labels in the reader's language."""
    result = atlas().query(query_id, params={"lang": language(), **params})
    return list(result.rows)


def places(lang: str) -> list[Place]:
    """Every city and town with its county, labels in ``lang``, for the city picker.

    Cached per language: the list is the same for every reader and every rerun.
    """
    return _places(lang, atlas())


def city_plan(city: str, lang: str) -> CityPlan:
    """The plan for one city (a slug such as ``oakland``) in ``lang``, cached per (city, lang).

    A plan takes a few catalogue queries (about 0.2 s); the page reruns on every click, so each
    answer is kept. Errors (an unknown city) are raised, never cached.
    """
    return _city_plan(city, lang, atlas())


# The graph is passed in (the spinner stays outside the cached functions) and, being one per
# process, left out of the cache key: Streamlit does not hash a parameter whose name starts with _.


@st.cache_data(show_spinner=False, max_entries=4)
def _places(lang: str, _atlas: Atlas) -> list[Place]:
    return _plan.places(_atlas, lang=lang)


@st.cache_data(show_spinner=False, max_entries=256)
def _city_plan(city: str, lang: str, _atlas: Atlas) -> CityPlan:
    return _plan.city_plan(_atlas, city, lang=lang)
