"""Typed errors: one line a person can act on, with file:line:column where there is one."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from pipeline_atlas.errors import (
    AtlasError,
    CatalogueError,
    ParameterError,
    QueryLimitError,
    QueryNotFoundError,
    ReasonerError,
    SparqlSyntaxError,
    TurtleSyntaxError,
    ValidationError,
    sparql_error_from,
    turtle_error_from,
)


def pyoxigraph_turtle_error(text: str) -> SyntaxError:
    with pytest.raises(SyntaxError) as info:
        list(ox.parse(text, format=ox.RdfFormat.TURTLE))
    return info.value


def pyoxigraph_sparql_error(text: str) -> SyntaxError:
    with pytest.raises(SyntaxError) as info:
        ox.Store().query(text)
    return info.value


@pytest.mark.parametrize(
    "cls",
    [
        TurtleSyntaxError,
        SparqlSyntaxError,
        CatalogueError,
        QueryNotFoundError,
        ParameterError,
        QueryLimitError,
        ReasonerError,
        ValidationError,
    ],
)
def test_every_error_is_an_atlas_error(cls: type[Exception]) -> None:
    assert issubclass(cls, AtlasError)


def test_message_is_one_line() -> None:
    assert str(AtlasError("first\nsecond   third")) == "first second third"


def test_turtle_error_from_pyoxigraph_end_of_file() -> None:
    exc = pyoxigraph_turtle_error('<http://a> <http://b> "x .\n\n')
    error = turtle_error_from(exc, file="graph_data/seed/x.ttl")
    assert (error.file, error.line, error.column) == ("graph_data/seed/x.ttl", 1, 23)
    assert str(error) == "graph_data/seed/x.ttl:1:23: Turtle syntax error: unexpected end of file"


def test_turtle_error_from_pyoxigraph_undeclared_prefix() -> None:
    exc = pyoxigraph_turtle_error("@prefix a: <http://a/> .\n a:x a:y b:z .\n")
    error = turtle_error_from(exc, file="o.ttl")
    assert str(error) == "o.ttl:2:10: Turtle syntax error: the prefix b: has not been declared"


def test_turtle_error_position_read_from_message_when_attributes_are_missing() -> None:
    exc = SyntaxError("Parser error at line 7 column 3: Unexpected end")
    assert str(turtle_error_from(exc, file="a.nt", syntax="N-Triples")) == (
        "a.nt:7:3: N-Triples syntax error: unexpected end"
    )


def test_sparql_error_from_pyoxigraph_adds_the_line_offset() -> None:
    exc = pyoxigraph_sparql_error("SELECT ?x WHERE {\n ?x ?y \n}")
    error = sparql_error_from(exc, source="queries/cq/q.rq", line_offset=4)
    assert (error.source, error.line, error.column) == ("queries/cq/q.rq", 7, 2)
    assert str(error).startswith("queries/cq/q.rq:7:2: SPARQL syntax error: expected ")


def test_sparql_error_without_a_position_keeps_the_message() -> None:
    error = sparql_error_from(SyntaxError("Something odd"), source="<query>")
    assert str(error) == "<query>: SPARQL syntax error: something odd"


def test_query_not_found_suggests_close_ids() -> None:
    error = QueryNotFoundError.lookup(
        "cq-001-stages-in-ordr", ["cq-001-stages-in-order", "cq-002-stage-label", "other"]
    )
    assert error.candidates == ["cq-001-stages-in-order"]
    assert str(error) == (
        "no query named 'cq-001-stages-in-ordr'; did you mean cq-001-stages-in-order?"
    )


def test_query_not_found_without_suggestions_says_what_is_wrong() -> None:
    # the library says what is wrong; advice about commands is the CLI's (issue 6)
    error = QueryNotFoundError.lookup("zzz", ["cq-001-stages-in-order"])
    assert error.candidates == []
    assert str(error) == "no query named 'zzz' in the catalogue"


def test_ambiguous_prefix_lists_the_candidates() -> None:
    error = QueryNotFoundError("cq", candidates=["cq-001-a", "cq-002-b"], ambiguous=True)
    assert str(error) == "'cq' matches 2 queries: cq-001-a, cq-002-b; give more of the id"


def test_parameter_error_names_query_and_parameter() -> None:
    error = ParameterError("parameter 'n' expects an integer, got 'x'", query="cq-3", param="n")
    assert (error.query, error.param) == ("cq-3", "n")
    assert str(error) == "query cq-3: parameter 'n' expects an integer, got 'x'"


def test_query_limit_error() -> None:
    assert str(QueryLimitError("cq-1", 10)) == (
        "cq-1: more than 10 result rows; add a LIMIT to the query or raise max_rows"
    )


def test_validation_error_keeps_its_report() -> None:
    report = {"conforms": False}
    assert ValidationError("2 violations", report=report).report is report
