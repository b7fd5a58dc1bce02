"""Virtuoso, the production store (issue 8, point 4): a real Virtuoso (Debian
``virtuoso-opensource``) on 127.0.0.1, started once per session by tests/virtuoso_server.py with
its own ini and database in a temporary folder, the graph pushed into it through
``/sparql-graph-crud-auth`` with HTTP digest authentication.

Every competency question, with its example parameters, gives the same rows of RDF terms there
as on the embedded store; the city plans of a sample of places give the same Markdown in English
and in Spanish; the explorer's city page and the SPARQL endpoint (``create_app``) answer from it.
The exact-answer tests of the catalogue (tests/test_cq*.py, the plan tests…) also run on Virtuoso
through the ``atlas`` fixture of tests/conftest.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import streamlit as st
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from pipeline_atlas.atlas import ENV_ENDPOINT, ENV_UNION, Atlas
from pipeline_atlas.catalogue import CatalogueQuery
from pipeline_atlas.paths import ENV_ROOT, ProjectPaths
from pipeline_atlas.plan import city_plan, places
from pipeline_atlas.results import QueryResult
from pipeline_atlas.store.embedded import EmbeddedStore
from pipeline_atlas.store.remote import RemoteStore
from virtuoso_server import VIRTUOSO_PASSWORD, VIRTUOSO_USER, VirtuosoServer

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "ui" / "streamlit_app.py"
CLI = Path(sys.executable).with_name("pipeline-atlas")

PLACES = [
    "oakland",
    "los-angeles",
    "san-francisco",
    "fresno",
    "los-angeles-county-unincorporated",
]

# Virtuoso 7.2 (Debian bookworm: 7.2.5.1) evaluates some SPARQL differently from the SPARQL 1.1
# semantics that the embedded store and Oxigraph follow (a FILTER inside an OPTIONAL does not see
# the variables bound outside it; BIND(EXISTS {...}) acts as a filter; GROUP_CONCAT over no value
# gives "" and drops the common language tag; a constant true or false comes back as 1 or 0; an
# OPTIONAL and a FILTER relating a place to its county miss the county). The catalogue queries
# are written in forms both evaluate alike, so every competency question and city plan must be
# the same here: see README.md, "Production stores".


@pytest.fixture(scope="module")
def embedded(reasoned_graphs: dict[str, list[ox.Quad]]) -> Iterator[Atlas]:
    """The embedded store (in memory) holding exactly the graphs pushed to Virtuoso, the
    reasoner's output included."""
    store = EmbeddedStore()
    store.replace_graphs(reasoned_graphs)
    built = Atlas(store)
    yield built
    built.close()


@pytest.fixture(scope="module")
def virtuoso(virtuoso_endpoint: str) -> Iterator[Atlas]:
    """The same graph on the session's Virtuoso, naming the project's graphs
    (``union_default_graph=False``: Virtuoso's default graph holds its system graphs too)."""
    opened = Atlas.open_endpoint(virtuoso_endpoint, union_default_graph=False)
    yield opened
    opened.close()


def competency_questions() -> list[CatalogueQuery]:
    with Atlas.build(reason=False) as atlas:
        return [q for q in atlas.catalogue() if q.id.startswith("cq-")]


CQS = competency_questions()


def example_params(query: CatalogueQuery) -> dict[str, str]:
    return {p.name: p.example for p in query.params if p.example is not None}


def concatenated(query: CatalogueQuery) -> set[str]:
    """The columns that ``query`` makes with ``GROUP_CONCAT(...; separator="; ")``."""
    text = re.sub(r"#[^\n]*", "", query.body)  # comments out (and the rest of a line with an IRI#)
    return set(re.findall(r"GROUP_CONCAT\b.*?\bAS\s+\?(\w+)", text, flags=re.DOTALL))


def in_order(term: object) -> object:
    """A ``GROUP_CONCAT`` literal with its parts sorted (same language tag): SPARQL leaves the
    order within a group to the store, so two stores may join the same values in another order
    (the city plans sort them too)."""
    if not isinstance(term, ox.Literal):
        return term
    parts = "; ".join(sorted(term.value.split("; ")))
    if term.language:
        return ox.Literal(parts, language=term.language)
    return ox.Literal(parts, datatype=term.datatype)


def sorted_rows(result: QueryResult, unordered: set[str] = set()) -> list[tuple[str, ...]]:  # noqa: B006
    """The rows as sorted tuples of terms in N-Triples form (``None`` as the empty string), the
    parts of the ``unordered`` columns sorted."""
    names = list(result.variables)
    return sorted(
        tuple(
            "" if (t := row.get(n)) is None else str(in_order(t) if n in unordered else t)
            for n in names
        )
        for row in result.terms
    )


def test_the_pushed_graph_is_the_same_graph(
    virtuoso: Atlas, reasoned_graphs: dict[str, list[ox.Quad]]
) -> None:
    # Virtuoso holds the project's named graphs and nothing else under pag: (its own system
    # graphs stay out of the atlas's answers), each with as many triples as was pushed.
    assert virtuoso.store.named_graphs() == sorted(reasoned_graphs)
    counts = virtuoso.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    pushed = {g: len(set(triples)) for g, triples in reasoned_graphs.items()}
    held = {str(row["g"]): row["n"] for row in counts.rows if str(row["g"]) in pushed}
    assert held == pushed


@pytest.mark.parametrize("query", CQS, ids=[q.id for q in CQS])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_competency_question_answers_the_same_on_virtuoso(
    query: CatalogueQuery,
    lang: str,
    embedded: Atlas,
    virtuoso: Atlas,
) -> None:
    params = example_params(query)
    if any(p.name == "lang" for p in query.params):
        params["lang"] = lang
    elif lang == "es":
        pytest.skip(f"{query.id} has no language")
    expected = embedded.query(query.id, params=params or None)
    answer = virtuoso.query(query.id, params=params or None)
    assert answer.variables == expected.variables
    unordered = concatenated(query)
    assert sorted_rows(answer, unordered) == sorted_rows(expected, unordered)
    assert expected.terms, f"{query.id} answers nothing with its example: a weak comparison"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("place", PLACES)
def test_every_city_plan_is_the_same_on_virtuoso(
    place: str, lang: str, embedded: Atlas, virtuoso: Atlas
) -> None:
    expected = city_plan(embedded, place, lang=lang).to_markdown()
    assert city_plan(virtuoso, place, lang=lang).to_markdown() == expected


# --- the explorer on Virtuoso -------------------------------------------------------------------


@pytest.fixture
def explorer_on_virtuoso(virtuoso_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    st.cache_resource.clear()  # the explorer's one Atlas is cached per process
    st.cache_data.clear()
    monkeypatch.setenv(ENV_ENDPOINT, virtuoso_endpoint)
    monkeypatch.delenv(ENV_UNION, raising=False)
    yield virtuoso_endpoint
    st.cache_resource.clear()
    st.cache_data.clear()


def test_the_explorer_answers_from_virtuoso(explorer_on_virtuoso: str, embedded: Atlas) -> None:
    # The explorer starts on Virtuoso and lists places from it: the places query's answer, the
    # same places in the same order as on the embedded store.
    at = AppTest.from_file(APP, default_timeout=300)
    at.switch_page("app_pages/place.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    options = at.selectbox[0].options
    assert options == [place.display(lang="en") for place in places(embedded, lang="en")]
    assert len(options) == 539  # 482 cities and towns and 57 unincorporated areas


def test_the_explorer_city_page_answers_from_virtuoso(explorer_on_virtuoso: str) -> None:
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["place"] = "oakland"
    at.switch_page("app_pages/place.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    headers = [h.value for h in at.header]
    assert headers[0] == "Oakland, Alameda County: a plan for organizers"
    assert headers[1:3] == [
        "Stage 1: Police Stop",
        "Stage 2: Police Arrest & Local Police Department Lockup",
    ]
    text = "\n".join(m.value for m in at.markdown)
    assert "Oakland City Council" in text
    assert "Alameda County Board of Supervisors" in text


# --- the SPARQL endpoint over Virtuoso ----------------------------------------------------------


def test_the_endpoint_serves_virtuoso(virtuoso: Atlas, embedded: Atlas) -> None:
    from pipeline_atlas.server import ServerSettings, create_app

    query = "cq-002-actions-at-stage"
    params = {"stage": "state-crime-conviction", "lang": "es"}
    with TestClient(create_app(virtuoso, ServerSettings(workers=1))) as client:
        answer = client.get(f"/api/{query}", params=params, headers={"Accept": "text/csv"})
        sparql = client.get(
            "/sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a pa:Stage }"},
            headers={"Accept": "text/csv"},
        )
        refused = client.post("/sparql", data={"update": "DROP ALL"})
    assert answer.status_code == 200, answer.text
    assert answer.text == embedded.query(query, params=params).to("csv")
    assert sparql.status_code == 200, sparql.text
    assert sparql.text.split() == ["n", "4"]
    assert refused.status_code == 403
    assert virtuoso.store.named_graphs()  # the store is left as it was


# --- the console script: push with digest authentication ----------------------------------------


def test_cli_push_to_virtuoso_with_digest_authentication(
    tmp_path_factory: pytest.TempPathFactory,
    project_with_reasoner_cache: ProjectPaths,  # the session's reasoner answer: no second Java run
) -> None:
    assert CLI.is_file(), f"no console script at {CLI}: pip install -e '.[dev]'"
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso-cli")).start()
    try:
        env = {k: v for k, v in os.environ.items() if k not in (ENV_ENDPOINT, ENV_UNION)}
        env[ENV_ROOT] = str(project_with_reasoner_cache.root)
        env["NO_PROXY"] = "127.0.0.1"
        base = [str(CLI), "--endpoint", server.query_url]

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [*base, *args], capture_output=True, text=True, env=env, timeout=300, check=False
            )

        wrong = run("push", "--user", VIRTUOSO_USER, "--password", "not-the-password")
        assert wrong.returncode != 0
        assert "Traceback" not in wrong.stderr
        assert "401" in wrong.stderr and server.graph_store_url in wrong.stderr

        pushed = run("push", "--user", VIRTUOSO_USER, "--password", VIRTUOSO_PASSWORD)
        assert pushed.returncode == 0, pushed.stderr
        assert server.graph_store_url in pushed.stdout
        answer = run("query", "cq-001", "--format", "csv")
        assert answer.returncode == 0, answer.stderr
        assert answer.stdout.splitlines()[0].startswith("stage,")
        assert len(answer.stdout.splitlines()) == 5  # a header and the four stages
        assert RemoteStore(server.query_url).named_graphs()
    finally:
        server.stop()
