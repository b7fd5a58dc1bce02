"""Shared state of the explorer: the one cached Atlas and the reader's language.

This module holds the only caching in the UI. Pages ask it for rows of catalogue queries; they never
build or hold the graph themselves.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from pipeline_atlas import Atlas

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
