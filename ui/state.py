"""Shared state of the explorer: the one cached Atlas, the reader's language and the page link.

This module holds the only caching in the UI. Pages ask it for rows of catalogue queries or for the
result of a library function (``cached``); they never build or hold the graph themselves. Pages
import it as ``from ui import state``.

Every page state is a link: the language (``lang``), the place (``place``), the stage (``stage``),
the node (``node``), the term (``term``) and the query (``query``) live in the page's query
parameters, so ``?place=oakland&lang=es`` opens the same view for anyone and survives a reload.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from pipeline_atlas import Atlas
from pipeline_atlas import plan as _plan
from pipeline_atlas.explore import glossary as _glossary
from pipeline_atlas.i18n import t
from pipeline_atlas.plan import CityPlan, Place

# Each language by its own name, the same whatever language the page is in.
LANGUAGES: dict[str, str] = {"en": t("ui.nav.english"), "es": t("ui.nav.spanish")}
DEFAULT_LANGUAGE = "en"
LANGUAGE_KEY = "lang"

# The pages, by their URL path (``st.Page(url_path=…)``) and their file under ``ui/app_pages``.
PIPELINE = "pipeline"
PLACE = "place"
MATRIX = "matrix"
GRAPH = "graph"
SPARQL = "sparql"
SOURCES = "sources"
GLOSSARY = "glossary"
HISTORY = "history"
SEARCH = "search"
PAGE_FILES: dict[str, str] = {
    PIPELINE: "app_pages/pipeline.py",
    PLACE: "app_pages/place.py",
    MATRIX: "app_pages/matrix.py",
    GRAPH: "app_pages/graph.py",
    SPARQL: "app_pages/sparql.py",
    SOURCES: "app_pages/sources.py",
    GLOSSARY: "app_pages/glossary.py",
    HISTORY: "app_pages/history.py",
    SEARCH: "app_pages/search.py",
}

# The query parameters that make up a page's state (besides ``lang``).
STATE_PARAMS = ("place", "stage", "node", "expand", "term", "query", "q", "from")


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
    """The reader's language (``en`` or ``es``): the switch's value, first taken from ``?lang=``."""
    if LANGUAGE_KEY not in st.session_state:
        asked = st.query_params.get(LANGUAGE_KEY)
        if asked in LANGUAGES:
            st.session_state[LANGUAGE_KEY] = asked
    value = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def keep_language_in_link() -> None:
    """Write the reader's language into the page link (``?lang=``), so that a reload keeps it."""
    lang = language()
    if st.query_params.get(LANGUAGE_KEY) != lang:
        st.query_params[LANGUAGE_KEY] = lang


def param(name: str) -> str | None:
    """The page link's parameter ``name`` (``place``, ``stage``, ``node``, ``term``, ``query``)."""
    value = st.query_params.get(name)
    return value or None


def set_param(name: str, value: str | None) -> None:
    """Set (or, with ``None``, remove) the page link's parameter ``name``."""
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def link(page: str, **params: str | None) -> str:
    """A relative link to ``page`` (one of the names above) with ``params`` and the language.

    For Markdown links inside the app: ``[Oakland](place?place=oakland&lang=es)``.
    """
    values = {k: v for k, v in params.items() if v is not None}
    values[LANGUAGE_KEY] = language()
    # The default page (the pipeline) lives at the app's root, whatever its url_path says.
    path = "./" if page == PIPELINE else page
    return f"{path}?{urlencode(values, safe='/')}"


def go(page: str, **params: str | None) -> None:
    """Open ``page`` with ``params`` (and the language) in its link; does not return."""
    values = {k: v for k, v in params.items() if v is not None}
    values[LANGUAGE_KEY] = language()
    st.switch_page(PAGE_FILES[page], query_params=values)


def rows(query_id: str, **params: str) -> list[dict[str, Any]]:
    """The rows of catalogue query ``query_id``, with labels in the reader's language."""
    result = atlas().query(query_id, params={"lang": language(), **params})
    return list(result.rows)


def cached(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """``func(atlas, *args, **kwargs)`` for a library function ``func``, cached per arguments.

    ``func`` must be a module-level function of ``pipeline_atlas`` whose result pickles (the
    library's dataclasses do); arguments must be hashable. Errors are raised, never cached.
    """
    name = f"{func.__module__}:{func.__qualname__}"
    return _call(name, args, tuple(sorted(kwargs.items())), atlas())


@st.cache_data(show_spinner=False, max_entries=2048)
def _call(
    name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...], _atlas: Atlas
) -> Any:
    module, _, qualname = name.partition(":")
    if not module.startswith("pipeline_atlas"):
        raise ValueError(f"state.cached runs library functions only, not {name}")
    func: Any = importlib.import_module(module)
    for part in qualname.split("."):
        func = getattr(func, part)
    return func(_atlas, *args, **dict(kwargs))


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


def linked(markdown: str) -> str:
    """``markdown`` with the first mention of each glossary term linked to its glossary entry
    (SB 54, ICE, CDCR, detainer …), in the reader's language."""
    lang = language()
    entries = cached(_glossary.glossary, lang=lang)
    return _glossary.link_terms(markdown, entries, lang=lang, page=GLOSSARY)
