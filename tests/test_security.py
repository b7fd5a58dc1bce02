"""A user's query never makes the program contact another host, and never changes the graph."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from pipeline_atlas import Atlas, AtlasError, ForbiddenQueryError


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.build(reason=False)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Record (and refuse) any attempt to open a socket or resolve a name from Python."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network use in a test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield attempts


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "PREFIX x: <http://e.org/>\nSELECT * WHERE {\n  ?s ?p ?o .\n"
        "  SERVICE ?endpoint { ?s ?p ?o }\n}",
    ],
)
def test_service_is_refused_before_anything_is_contacted(
    atlas: Atlas, query: str, no_network: list[object]
) -> None:
    with pytest.raises(ForbiddenQueryError, match="SERVICE is not allowed"):
        atlas.query(query)
    assert no_network == []


def test_the_word_service_in_data_or_names_is_fine(atlas: Atlas) -> None:
    rows = atlas.query(
        'SELECT ?service WHERE { BIND("SERVICE" AS ?service) FILTER(?service != <urn:SERVICE>) }'
    ).rows
    assert rows == [{"service": "SERVICE"}]


@pytest.mark.parametrize(
    "update",
    [
        "DROP ALL",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "LOAD <http://example.org/data.ttl>",
    ],
)
def test_updates_are_not_queries(atlas: Atlas, update: str, no_network: list[object]) -> None:
    before = atlas.stats().triples
    with pytest.raises(AtlasError):
        atlas.query(update)
    assert atlas.stats().triples == before
    assert no_network == []


def test_parameter_text_cannot_change_the_query(atlas: Atlas) -> None:
    hostile = 'en" ) } } DROP ALL ; SELECT * WHERE { ?s ?p ?o'
    assert atlas.query("cq-001", params={"lang": hostile}).rows == []
    assert len(atlas.query("cq-001").rows) == 4
