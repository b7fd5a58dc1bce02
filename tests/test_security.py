"""A user's query never changes the graph, and cannot change a catalogue query through a parameter.

That it never makes the program contact another host is tests/test_no_outbound.py (a real
listener, so that pyoxigraph's own HTTP client would be caught too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pipeline_atlas import Atlas, AtlasError

if TYPE_CHECKING:
    from conftest import Listener


# `atlas` (tests/conftest.py) is the real graph on the embedded store and on an Oxigraph server.
# SERVICE (and LOAD) with a real listener that must receive nothing: tests/test_no_outbound.py.


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
        "LOAD <http://127.0.0.1:PORT/data.ttl>",
    ],
)
def test_updates_are_not_queries(atlas: Atlas, update: str, listener: Listener) -> None:
    before = atlas.stats().triples
    with pytest.raises(AtlasError):
        atlas.query(update.replace("PORT", str(listener.port)))
    assert atlas.stats().triples == before
    assert listener.connections == []


def test_parameter_text_cannot_change_the_query(atlas: Atlas) -> None:
    hostile = 'en" ) } } DROP ALL ; SELECT * WHERE { ?s ?p ?o'
    assert atlas.query("cq-001", params={"lang": hostile}).rows == []
    assert len(atlas.query("cq-001").rows) == 4
