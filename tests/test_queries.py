"""The catalogue: headers, lookup, parameter binding, syntax errors, result formats."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from pipeline_atlas.atlas import Atlas
from pipeline_atlas.catalogue import Param, load_catalogue, load_query_file, parse_query_text
from pipeline_atlas.errors import (
    CatalogueError,
    ForbiddenQueryError,
    FormatError,
    ParameterError,
    QueryNotFoundError,
    SparqlSyntaxError,
)
from pipeline_atlas.paths import ProjectPaths
from pipeline_atlas.results import QueryResult

STAGE = "https://w3id.org/pipeline-atlas/id/stage/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def write_query(paths: ProjectPaths, name: str, text: str) -> Path:
    path = paths.queries / "cq" / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


# --- the catalogue -------------------------------------------------------------------------


def test_catalogue_is_sorted_with_groups_kinds_and_headers(fixture_atlas: Atlas) -> None:
    catalogue = fixture_atlas.catalogue()
    assert [(q.id, q.group, q.kind) for q in catalogue] == [
        ("cq-001-stages-in-order", "cq", "select"),
        ("cq-002-stage-label", "cq", "select"),
        ("cq-003-stages-from", "cq", "select"),
        ("cq-004-is-stage", "cq", "ask"),
        ("cq-005-labels-graph", "cq", "construct"),
        ("cq-006-search", "cq", "select"),
        ("label-missing-violation", "qc", "select"),
    ]
    first = catalogue[0]
    assert first.summary == "The stages, in order."
    assert first.question == "In what order does a person move through the stages?"
    assert first.tags == ("stage",)
    assert first.source == "queries/cq/cq-001-stages-in-order.rq"
    assert first.params == (
        Param(
            name="lang",
            type="string",
            required=False,
            default="en",
            description="Language of the labels.",
            example="es",
        ),
    )
    assert first.body.startswith("PREFIX pa:")


def test_lookup_by_full_id_and_unique_prefix(fixture_atlas: Atlas) -> None:
    assert fixture_atlas.get_query("cq-002-stage-label").id == "cq-002-stage-label"
    assert fixture_atlas.get_query("cq-002").id == "cq-002-stage-label"
    assert fixture_atlas.get_query("label-missing").id == "label-missing-violation"


def test_ambiguous_prefix_lists_candidates(fixture_atlas: Atlas) -> None:
    with pytest.raises(QueryNotFoundError) as info:
        fixture_atlas.get_query("cq-00")
    assert info.value.ambiguous
    assert info.value.candidates[:2] == ["cq-001-stages-in-order", "cq-002-stage-label"]


def test_unknown_query_suggests_close_names(fixture_atlas: Atlas) -> None:
    with pytest.raises(QueryNotFoundError) as info:
        fixture_atlas.query("cq-001-stages-in-ordr")
    assert str(info.value) == (
        "no query named 'cq-001-stages-in-ordr'; did you mean cq-001-stages-in-order?"
    )


def test_unknown_query_matched_by_a_word_of_its_slug(fixture_atlas: Atlas) -> None:
    with pytest.raises(QueryNotFoundError) as info:
        fixture_atlas.query("search")
    assert info.value.candidates == ["cq-006-search"]


def test_duplicate_ids_are_an_error(fixture_project: ProjectPaths) -> None:
    (fixture_project.queries / "qc" / "cq-006-search.rq").write_text("ASK {}", encoding="utf-8")
    with pytest.raises(CatalogueError, match="query id 'cq-006-search' is also"):
        load_catalogue(fixture_project.queries)


def test_sparql_syntax_error_lines_are_the_files_lines(fixture_project: ProjectPaths) -> None:
    write_query(
        fixture_project,
        "cq-099-broken",
        "#+ summary: Broken.\n"
        "#+ params:\n"
        "#+   x: {type: string}\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "\n"
        "SELECT ?x WHERE {\n"
        "  ?s rdfs:label ?x .\n"
        "  BIND(1 AS ?y AS ?z)\n"
        "}\n",
    )
    with pytest.raises(SparqlSyntaxError) as info:
        load_catalogue(fixture_project.queries, root=fixture_project.root)
    error = info.value
    assert (error.source, error.line, error.column) == ("queries/cq/cq-099-broken.rq", 8, 16)
    assert str(error) == 'queries/cq/cq-099-broken.rq:8:16: SPARQL syntax error: expected ")"'


def test_undeclared_prefix_is_a_syntax_error_in_catalogue_queries(tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("#+ summary: x\nSELECT ?s WHERE {\n  ?s a pa:Stage }\n", encoding="utf-8")
    with pytest.raises(SparqlSyntaxError) as info:
        load_query_file(path, root=tmp_path)
    assert str(info.value) == (
        "q.rq:3:16: SPARQL syntax error: the prefix pa: is not declared (add a PREFIX line)"
    )


def test_bad_yaml_header_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as info:
        parse_query_text(
            "#+ summary: ok\n#+ tags: [a, b\n#+ params: {}\nASK {}\n", id="q", source="q.rq"
        )
    assert info.value.file == "q.rq"
    assert info.value.line in (2, 3)
    assert str(info.value).startswith(f"q.rq:{info.value.line}: bad #+ header: ")


def test_prose_with_colons_is_read_as_text() -> None:
    query = parse_query_text(
        "#+ summary: Terms (pa: classes) without a label.\n"
        "#+ tags: [qc]\n"
        "#+ params:\n"
        "#+   x: {type: string}\n"
        "#+   y:\n"
        "#+     type: string\n"
        "#+     description: Note: any text.\n"
        "SELECT ?x ?y WHERE { ?s ?p ?x }\n",
        id="q",
    )
    assert query.summary == "Terms (pa: classes) without a label."
    assert query.tags == ("qc",)
    assert [(p.name, p.description) for p in query.params] == [("x", ""), ("y", "Note: any text.")]


def test_colon_in_other_values_gets_a_hint() -> None:
    with pytest.raises(CatalogueError) as info:
        parse_query_text("#+ tags: a: b\nASK {}\n", id="q", source="q.rq")
    assert str(info.value) == (
        "q.rq:1: bad #+ header: mapping values are not allowed here "
        "(quote a value that contains ': ')"
    )


def test_unknown_parameter_type_is_a_catalogue_error() -> None:
    with pytest.raises(CatalogueError) as info:
        parse_query_text(
            "#+ params:\n#+   n: {type: number}\nSELECT ?n WHERE { ?s ?p ?n }\n",
            id="q",
            source="q.rq",
        )
    assert str(info.value) == (
        "q.rq:2: parameter 'n' has unknown type 'number'; use iri, string, integer, boolean"
    )


def test_parameter_without_a_where_group_cannot_bind() -> None:
    with pytest.raises(ParameterError, match="parameter 'x' cannot be bound"):
        parse_query_text(
            "#+ params:\n#+   x: {type: string}\nDESCRIBE <https://e.org/a>\n",
            id="q",
            source="q.rq",
        )


# --- parameters ------------------------------------------------------------------------------


def test_unknown_parameter(fixture_atlas: Atlas) -> None:
    with pytest.raises(ParameterError) as info:
        fixture_atlas.query("cq-002", params={"stag": "arrest"})
    assert (info.value.query, info.value.param) == ("cq-002-stage-label", "stag")
    assert str(info.value) == (
        "query cq-002-stage-label: no parameter 'stag' (did you mean 'stage'?); it takes stage"
    )


def test_parameter_for_a_query_without_parameters(fixture_atlas: Atlas) -> None:
    with pytest.raises(ParameterError) as info:
        fixture_atlas.query("cq-005", params={"x": "1"})
    assert str(info.value) == (
        "query cq-005-labels-graph: no parameter 'x'; this query takes no parameters"
    )


def test_missing_required_parameter(fixture_atlas: Atlas) -> None:
    with pytest.raises(ParameterError) as info:
        fixture_atlas.query("cq-002")
    assert str(info.value) == (
        "query cq-002-stage-label: parameter 'stage' is required: an IRI (full, <IRI>, "
        "prefixed such as stage:police-stop, or a slug), e.g. police-stop"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "two"}, "parameter 'from' expects an integer, got 'two'"),
        ({"from": True}, "parameter 'from' expects an integer, got True"),
        ({"from": "1", "last": "maybe"}, "parameter 'last' expects a boolean (true or false)"),
    ],
)
def test_ill_typed_parameters(
    fixture_atlas: Atlas, params: dict[str, object], message: str
) -> None:
    with pytest.raises(ParameterError) as info:
        fixture_atlas.query("cq-003", params=params)
    assert str(info.value).startswith(f"query cq-003-stages-from: {message}")
    assert info.value.param in params


@pytest.mark.parametrize(
    "value",
    [
        "arrest",
        "stage:arrest",
        f"{STAGE}arrest",
        f"<{STAGE}arrest>",
        ox.NamedNode(f"{STAGE}arrest"),
    ],
)
def test_iri_parameter_forms(fixture_atlas: Atlas, value: object) -> None:
    result = fixture_atlas.query("cq-002", params={"stage": value})
    assert result.rows == [{"stage": f"{STAGE}arrest", "label": "Arrest"}]


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        ("nope:arrest", "unknown prefix 'nope'"),
        ("two words", "Invalid IRI code point ' '"),
        ("stage:x> } ; DROP ALL ; <y", "Invalid IRI code point '>'"),
        (3, ""),
    ],
)
def test_bad_iri_parameters(fixture_atlas: Atlas, value: object, detail: str) -> None:
    with pytest.raises(ParameterError) as info:
        fixture_atlas.query("cq-002", params={"stage": value})
    assert str(info.value).startswith("query cq-002-stage-label: parameter 'stage' expects an IRI")
    assert detail in str(info.value)


def test_iri_parameter_without_base_rejects_bare_slugs(fixture_atlas: Atlas) -> None:
    with pytest.raises(ParameterError, match="this parameter has no base for bare names"):
        fixture_atlas.query("cq-004", params={"thing": "arrest"})


def test_ask_with_prefixed_iri(fixture_atlas: Atlas) -> None:
    assert fixture_atlas.query("cq-004", params={"thing": "stage:arrest"}).boolean is True
    assert fixture_atlas.query("cq-004", params={"thing": "body:city-council"}).boolean is False


def test_default_and_non_projected_parameters(fixture_atlas: Atlas) -> None:
    english = fixture_atlas.query("cq-001")
    spanish = fixture_atlas.query("cq-001", params={"lang": "es"})
    assert [r["label"] for r in english.rows] == ["Police stop", "Arrest"]
    assert [r["label"] for r in spanish.rows] == ["Parada policial", "Arresto"]


def test_integer_and_boolean_parameters(fixture_atlas: Atlas) -> None:
    def stages(**params: object) -> list[object]:
        return [r["stage"] for r in fixture_atlas.query("cq-003", params=params).rows]

    assert stages(**{"from": "1"}) == [f"{STAGE}police-stop", f"{STAGE}arrest"]
    assert stages(**{"from": 2}) == [f"{STAGE}arrest"]
    assert stages(**{"from": "+1", "last": "true"}) == [f"{STAGE}arrest"]
    assert stages(**{"from": 1, "last": False}) == [f"{STAGE}police-stop", f"{STAGE}arrest"]
    assert stages(**{"from": 1, "last": None}) == [f"{STAGE}police-stop", f"{STAGE}arrest"]


def test_injection_attempt_is_bound_as_a_literal(fixture_atlas: Atlas) -> None:
    before = fixture_atlas.stats()
    attack = '" } ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> } #'
    result = fixture_atlas.query("cq-006", params={"text": attack})
    assert result.rows == []
    assert fixture_atlas.stats() == before
    assert fixture_atlas.query("cq-006", params={"text": "STOP"}).rows == [
        {"thing": f"{STAGE}police-stop", "label": "Police stop"}
    ]


def test_injection_text_matches_itself_as_data(fixture_project: ProjectPaths) -> None:
    attack = '" } ; DROP ALL ; #'
    (fixture_project.graph_data / "seed" / "odd.ttl").write_text(
        "<https://e.org/odd> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"odd \\" } ; DROP ALL ; #" .',
        encoding="utf-8",
    )
    atlas = Atlas.build(reason=False, paths=fixture_project)
    assert atlas.query("cq-006", params={"text": attack}).rows == [
        {"thing": "https://e.org/odd", "label": 'odd " } ; DROP ALL ; #'}
    ]


def test_raw_sparql_may_use_the_prefix_table(fixture_atlas: Atlas) -> None:
    result = fixture_atlas.query("SELECT ?b WHERE { ?b a pa:PublicBody }")
    assert result.rows == [{"b": "https://w3id.org/pipeline-atlas/id/body/city-council"}]


def test_raw_sparql_takes_no_parameters(fixture_atlas: Atlas) -> None:
    with pytest.raises(ParameterError, match="this query takes no parameters"):
        fixture_atlas.query("SELECT ?s WHERE { ?s ?p ?o }", params={"s": "x"})


def test_raw_sparql_syntax_error(fixture_atlas: Atlas) -> None:
    with pytest.raises(SparqlSyntaxError) as info:
        fixture_atlas.query("SELECT ?s WHERE {\n  ?s ?p\n}")
    assert (info.value.source, info.value.line) == ("<query>", 3)


def test_updates_are_not_queries(fixture_atlas: Atlas) -> None:
    with pytest.raises(ForbiddenQueryError, match=r"^<query>:1:1: DROP is an update"):
        fixture_atlas.query("DROP ALL")
    with pytest.raises(ForbiddenQueryError, match=r"^<query>:1:1: INSERT is an update"):
        fixture_atlas.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(ForbiddenQueryError, match=r"^<query>:2:1: LOAD is an update"):
        fixture_atlas.query("PREFIX ex: <http://e.org/>\nLOAD <http://127.0.0.1:9/x>")


def test_a_file_that_a_person_named_runs_in_the_sandbox(
    fixture_atlas: Atlas, tmp_path: Path
) -> None:
    path = tmp_path / "count.rq"
    path.write_text(
        "#+ params:\n#+   c: {type: iri}\n"
        "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c\n",
        encoding="utf-8",
    )
    query = load_query_file(path, trusted=False)
    assert query.adhoc
    result = fixture_atlas.run(query, params={"c": "pa:Stage"})
    assert result.rows == [{"c": "https://w3id.org/pipeline-atlas/ont/Stage", "n": 2}]


def test_the_library_never_opens_a_string_as_a_path(fixture_atlas: Atlas, tmp_path: Path) -> None:
    # issue 6: "../../etc/shadow" used to be read and parsed; now it is only ever an id
    path = tmp_path / "count.rq"
    path.write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    for name in (str(path), "../../etc/shadow", str(tmp_path / "missing.rq")):
        with pytest.raises(QueryNotFoundError) as info:
            fixture_atlas.query(name)
        assert str(info.value).startswith(f"no query named '{name}'")


# --- results and formats ---------------------------------------------------------------------


def test_rows_are_plain_values_and_terms_are_rdf(fixture_atlas: Atlas) -> None:
    result = fixture_atlas.query("cq-001")
    assert result.variables == ["stage", "label", "order"]
    assert result.rows[0] == {"stage": f"{STAGE}police-stop", "label": "Police stop", "order": 1}
    assert result.terms[0]["label"] == ox.Literal("Police stop", language="en")
    assert result.terms[0]["order"] == ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))


def test_unbound_values_are_none(fixture_atlas: Atlas) -> None:
    result = fixture_atlas.query(
        "SELECT ?s ?next WHERE { ?s a pa:Stage OPTIONAL { ?s pa:nextStage ?next } } ORDER BY ?s"
    )
    assert result.rows == [
        {"s": f"{STAGE}arrest", "next": None},
        {"s": f"{STAGE}police-stop", "next": f"{STAGE}arrest"},
    ]
    assert result.to("csv") == (f"s,next\r\n{STAGE}arrest,\r\n{STAGE}police-stop,{STAGE}arrest\r\n")


def test_table_format(fixture_atlas: Atlas) -> None:
    assert fixture_atlas.query("cq-001").to("table") == (
        "stage              label        order\n"
        "-----------------  -----------  -----\n"
        "stage:police-stop  Police stop  1\n"
        "stage:arrest       Arrest       2\n"
        "(2 rows)"
    )


def test_csv_and_tsv_formats(fixture_atlas: Atlas) -> None:
    result = fixture_atlas.query("cq-001")
    assert result.to("csv") == (
        f"stage,label,order\r\n{STAGE}police-stop,Police stop,1\r\n{STAGE}arrest,Arrest,2\r\n"
    )
    # SPARQL 1.1 TSV (issue 6, point 5): ?var header, terms as in N-Triples
    assert result.to("tsv") == (
        "?stage\t?label\t?order\n"
        f'<{STAGE}police-stop>\t"Police stop"@en\t1\n'
        f'<{STAGE}arrest>\t"Arrest"@en\t2\n'
    )


def test_every_results_format_reads_back_to_the_same_solutions(fixture_atlas: Atlas) -> None:
    # issue 6, point 5: csv, tsv, json and xml are pyoxigraph's SPARQL result serializers
    result = fixture_atlas.query(
        "SELECT ?s ?next WHERE { ?s a pa:Stage OPTIONAL { ?s pa:nextStage ?next } } ORDER BY ?s"
    )
    xml = result.to("xml")
    assert xml.startswith(
        '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
    )
    assert f'<binding name="next"><uri>{STAGE}arrest</uri></binding>' in xml
    for fmt in ("tsv", "json", "xml"):
        parsed = ox.parse_query_results(
            result.to(fmt), format=ox.QueryResultsFormat.from_extension(fmt)
        )
        assert isinstance(parsed, ox.QuerySolutions), fmt
        assert [v.value for v in parsed.variables] == result.variables, fmt
        assert [{v: s[v] for v in result.variables} for s in parsed] == result.terms, fmt


def test_json_format_is_sparql_results_json(fixture_atlas: Atlas) -> None:
    data = json.loads(fixture_atlas.query("cq-001", params={"lang": "es"}).to("json"))
    assert data == {
        "head": {"vars": ["stage", "label", "order"]},
        "results": {
            "bindings": [
                {
                    "stage": {"type": "uri", "value": f"{STAGE}police-stop"},
                    "label": {"type": "literal", "value": "Parada policial", "xml:lang": "es"},
                    "order": {"type": "literal", "value": "1", "datatype": XSD + "integer"},
                },
                {
                    "stage": {"type": "uri", "value": f"{STAGE}arrest"},
                    "label": {"type": "literal", "value": "Arresto", "xml:lang": "es"},
                    "order": {"type": "literal", "value": "2", "datatype": XSD + "integer"},
                },
            ]
        },
    }


def test_ask_formats(fixture_atlas: Atlas) -> None:
    result = fixture_atlas.query("cq-004", params={"thing": "stage:arrest"})
    assert result.kind == "ask"
    assert bool(result) is True
    assert json.loads(result.to("json")) == {"head": {}, "boolean": True}
    assert [result.to(f) for f in ("table", "csv", "tsv")] == ["true", "true", "true"]
    assert result.to("xml").endswith("<head></head><boolean>true</boolean></sparql>")


def test_construct_formats(fixture_atlas: Atlas) -> None:
    result = fixture_atlas.query("cq-005")
    assert result.kind == "construct"
    assert result.variables == ["subject", "predicate", "object"]
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    assert result.to("ntriples") == (
        f'<{STAGE}arrest> <{label}> "Arrest"@en .\n'
        f'<{STAGE}police-stop> <{label}> "Police stop"@en .\n'
    )
    turtle = result.to("turtle")
    assert sorted(turtle.splitlines()) == sorted(
        [
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
            f"@prefix stage: <{STAGE}> .",
            'stage:arrest rdfs:label "Arrest"@en .',
            'stage:police-stop rdfs:label "Police stop"@en .',
        ]
    )
    assert result.to("table").splitlines()[2] == "stage:arrest       rdfs:label  Arrest"
    # in the result formats, a graph is the solutions of ?subject ?predicate ?object
    assert result.to("tsv").splitlines() == [
        "?subject\t?predicate\t?object",
        f'<{STAGE}arrest>\t<{label}>\t"Arrest"@en',
        f'<{STAGE}police-stop>\t<{label}>\t"Police stop"@en',
    ]
    assert json.loads(result.to("json"))["head"] == {"vars": ["subject", "predicate", "object"]}


def test_graph_formats_only_for_construct(fixture_atlas: Atlas) -> None:
    with pytest.raises(FormatError) as info:
        fixture_atlas.query("cq-001").to("turtle")
    assert str(info.value) == (
        "format 'turtle' is for CONSTRUCT and DESCRIBE results; "
        "use one of table, csv, tsv, json, xml"
    )
    with pytest.raises(FormatError) as info:
        fixture_atlas.query("cq-001").to("yaml")
    assert str(info.value) == "unknown format 'yaml'; use one of table, csv, tsv, json, xml"


def test_literal_values_become_python_values() -> None:
    def lit(value: str, datatype: str) -> ox.Literal:
        return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))

    result = QueryResult.select(
        ["a", "b", "c", "d", "e", "f"],
        [
            {
                "a": lit("7", "nonNegativeInteger"),
                "b": lit("true", "boolean"),
                "c": lit("2.5", "decimal"),
                "d": lit("2024-01-02", "date"),
                "e": ox.BlankNode("b0"),
                "f": lit("x", "integer"),
            }
        ],
    )
    assert result.rows == [{"a": 7, "b": True, "c": 2.5, "d": "2024-01-02", "e": "_:b0", "f": "x"}]
