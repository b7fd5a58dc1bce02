"""No query a person writes makes the program contact another host (issue 6, point 8).

pyoxigraph follows ``SERVICE`` with its own HTTP client, written in Rust: a patched Python
``socket`` would never see that request. So the guard here is a real TCP listener on 127.0.0.1
(tests/conftest.py, ``listener``) named as the ``SERVICE`` endpoint of hostile queries: each query
must be refused with an error, and the listener must receive no connection. The positive control
shows that pyoxigraph, called directly outside the library, does reach the listener, so the
guard would catch the Rust client.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from pipeline_atlas import Atlas, AtlasError, ForbiddenQueryError
from pipeline_atlas.build.load import parse_text
from pipeline_atlas.cli import app
from pipeline_atlas.paths import ProjectPaths
from pipeline_atlas.store import EmbeddedStore, SandboxedStore

if TYPE_CHECKING:
    from conftest import Listener

PORT = "PORT"  # replaced by the listener's port in each query

HOSTILE = {
    "select": "SELECT * WHERE { SERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }",
    "lower-case": "select * where { service <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }",
    "mixed-case": "SELECT * WHERE { SeRvIcE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }",
    "comment-before-iri": (
        "SELECT * WHERE {\n  SERVICE # the endpoint:\n  <http://127.0.0.1:PORT/sparql>"
        " { ?s ?p ?o }\n}"
    ),
    "no-space": "SELECT * WHERE{SERVICE<http://127.0.0.1:PORT/sparql>{?s ?p ?o}}",
    "variable-endpoint": (
        "SELECT * WHERE { BIND(<http://127.0.0.1:PORT/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } }"
    ),
    "subquery": (
        "SELECT ?s WHERE { { SELECT ?s WHERE {"
        " SERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } } } }"
    ),
    "filter-exists": (
        "SELECT * WHERE { BIND(1 AS ?x)"
        " FILTER EXISTS { SERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } } }"
    ),
    "optional": (
        "SELECT * WHERE { BIND(1 AS ?x)"
        " OPTIONAL { SERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } } }"
    ),
    "construct": (
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }"
    ),
    "ask": "ASK { SERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }",
    "describe": "DESCRIBE ?s WHERE { SERVICE <http://127.0.0.1:PORT/sparql> { ?s ?p ?o } }",
    "prefixed-iri": (
        "PREFIX remote: <http://127.0.0.1:PORT/>\n"
        "SELECT * WHERE { SERVICE remote:sparql { ?s ?p ?o } }"
    ),
}
"""Queries that would make pyoxigraph contact the listener if they ran."""

UPDATES = {
    "load": "LOAD <http://127.0.0.1:PORT/data.ttl>",
    "load-silent": "LOAD SILENT <http://127.0.0.1:PORT/data.ttl> INTO GRAPH <urn:g>",
}
"""Updates that would fetch from the listener if they ran (an Atlas runs no update)."""

CASES = {**HOSTILE, **UPDATES}


def aimed_at(query: str, listener: Listener) -> str:
    return query.replace(PORT, str(listener.port))


def test_the_listener_catches_pyoxigraphs_own_http_client(listener: Listener) -> None:
    """Positive control: outside the library, pyoxigraph follows SERVICE to the listener."""
    query = aimed_at(HOSTILE["select"], listener)
    with pytest.raises(OSError):  # the listener closes without an answer
        list(ox.Store().query(query))  # type: ignore[arg-type]
    assert listener.wait_for_connection(), "pyoxigraph did not contact the listener"


@pytest.mark.parametrize("name", list(CASES))
def test_atlas_query_refuses_it(name: str, fixture_atlas: Atlas, listener: Listener) -> None:
    with pytest.raises(ForbiddenQueryError, match=r"SERVICE|update"):
        fixture_atlas.query(aimed_at(CASES[name], listener))
    assert listener.connections == []


@pytest.mark.parametrize("name", list(CASES))
def test_the_sandbox_refuses_it_without_a_catalogue(name: str, listener: Listener) -> None:
    """The catalogue-free path: SPARQL text handed straight to the sandbox over a store."""
    store = EmbeddedStore()
    store.replace_graphs(parse_text("<urn:a> <urn:b> <urn:c> .", graph="urn:g"))
    sandbox = SandboxedStore.around(store)
    try:
        with pytest.raises(ForbiddenQueryError):
            sandbox.query(aimed_at(CASES[name], listener))
    finally:
        sandbox.close()
        store.close()
    assert listener.connections == []


@pytest.mark.parametrize("name", ["select", "mixed-case", "silent", "filter-exists", "load"])
def test_the_cli_refuses_it(name: str, fixture_env: ProjectPaths, listener: Listener) -> None:
    result = CliRunner().invoke(app, ["query", aimed_at(CASES[name], listener)])
    assert result.exit_code == 2, result.output
    assert "error:" in result.stderr
    assert "SERVICE" in result.stderr or "update" in result.stderr
    assert listener.connections == []


def test_the_cli_refuses_a_file_that_asks_for_it(
    fixture_env: ProjectPaths, listener: Listener, tmp_path: Path
) -> None:
    file = tmp_path / "remote.rq"
    file.write_text(aimed_at(HOSTILE["comment-before-iri"], listener), encoding="utf-8")
    result = CliRunner().invoke(app, ["query", str(file)])
    assert result.exit_code == 2, result.output
    assert "SERVICE is not allowed" in result.stderr
    assert listener.connections == []


def test_a_catalogue_file_that_asks_for_it_is_refused(
    fixture_project: ProjectPaths, listener: Listener
) -> None:
    """Catalogue queries run outside the sandbox, so a SERVICE call there is refused on load."""
    folder = fixture_project.queries / "cq"
    folder.mkdir(parents=True, exist_ok=True)
    header = "#+ summary: Everything from elsewhere.\n"
    (folder / "cq-999-remote.rq").write_text(
        header + aimed_at(HOSTILE["silent"], listener), encoding="utf-8"
    )
    atlas = Atlas.build(reason=False, paths=fixture_project)
    try:
        with pytest.raises(AtlasError, match="SERVICE"):
            atlas.query("cq-999")
    finally:
        atlas.close()
    assert listener.connections == []


def test_the_endpoint_atlas_refuses_it(listener: Listener) -> None:
    """An Atlas over a remote endpoint refuses it too, before sending anything anywhere (the
    endpoint is the listener itself: a request to it would be counted)."""
    atlas = Atlas.open_endpoint(f"http://127.0.0.1:{listener.port}/query")
    try:
        with pytest.raises(ForbiddenQueryError):
            atlas.query(aimed_at(HOSTILE["select"], listener))
    finally:
        atlas.close()
    assert listener.connections == []
