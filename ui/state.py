"""Shared state of the explorer: the one cached Atlas and the reader's language.

This module holds the only caching in the UI. Pages ask it for rows of catalogue queries; they never
build or hold the graph themselves.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from pipeline_atlas import Atlas
from pipeline_atlas import plan as _plan
from pipeline_atlas.plan import CityPlan, Place

LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_KEY = "lang"


@st.cache_resource(show_spinner="Building the knowledge graph…")
def atlas() -> Atlas:
    """The project's knowledge graph, opened once per server process and shared by every session.

    `make run` builds the persistent store first and the explorer opens it; without one (or when a
    source file is newer than it) the graph is built in memory, so answers are never stale.
    """
    return Atlas.open_default(rebuild_stale=True)


def language() -> str:
    """The language the reader chose in the sidebar (``en`` or ``es``)."""
    value = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def rows(query_id: str, **params: str) -> list[dict[str, Any]]:
    """The rows of catalogue query ``query_id``, with labels in the reader's language."""
    result = atlas().query(query_id, params={"lang": language(), **params})
    return list(result.rows)


@st.cache_data(show_spinner=False, max_entries=4)
def places(lang: str) -> list[Place]:
    """Every city and town with its county, labels in ``lang``, for the city picker.

    Cached per language: the list is the same for every reader and every rerun.
    """
    return _plan.places(atlas(), lang=lang)


@st.cache_data(show_spinner=False, max_entries=256)
def city_plan(city: str, lang: str) -> CityPlan:
    """The plan for one city (a slug such as ``oakland``) in ``lang``, cached per (city, lang).

    A plan takes a few catalogue queries (about 0.2 s); the page reruns on every click, so each
    answer is kept. Errors (an unknown city) are raised, never cached.
    """
    return _plan.city_plan(atlas(), city, lang=lang)
