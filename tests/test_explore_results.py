"""A person's SPARQL in the explorer (pipeline_atlas.explore.results): run only in the sandbox,
its answer as table, chart, map, CSV and JSON, its errors in English and Spanish with line and
column, a stopped query followed by a normal one, SERVICE refused, and the catalogue's examples."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from cqtools import STAGES_EN, STAGES_ES
from pipeline_atlas import Atlas
from pipeline_atlas.explore import results
from pipeline_atlas.explore.results import (
    QueryProblem,
    ResultView,
    catalogue_examples,
    editor_text,
    limits_text,
    run_user_query,
)
from pipeline_atlas.store.sandbox import Limits, SandboxedStore

STAGE = "https://w3id.org/pipeline-atlas/id/stage/"
CQ1 = "cq-001-stages-in-order"


@pytest.fixture(scope="module")
def atlas() -> Iterator[Atlas]:
    with Atlas.open_default() as opened:
        yield opened
        results.close_sandboxes(opened)


@pytest.fixture(scope="module")
def examples(atlas: Atlas) -> dict[str, results.Example]:
    return {e.id: e for e in catalogue_examples(atlas)}


@pytest.fixture(scope="module")
def stages(atlas: Atlas, examples: dict[str, results.Example]) -> ResultView:
    return run_user_query(atlas, examples[CQ1].text, example=CQ1)


# The examples ----------------------------------------------------------------------------------


def test_examples_are_the_competency_questions_then_the_lookups(atlas: Atlas) -> None:
    found = catalogue_examples(atlas, lang="es")
    ids = [e.id for e in found]
    assert ids[:20] == sorted(q.id for q in atlas.catalogue() if q.group == "cq")
    assert ids[0] == CQ1
    assert {"places", "programs-in-place", "county-geometry"} <= set(ids[20:])
    assert not any(i.startswith(("qc-", "stats-")) for i in ids)
    first = found[0]
    assert first.title == "Las etapas de la cadena, en orden."
    assert first.label == f"{CQ1}: Las etapas de la cadena, en orden."
    assert first.question.startswith("¿En qué orden pasa una persona")
    assert first.text.startswith("PREFIX pa: <https://w3id.org/pipeline-atlas/ont/>\n")
    assert "#+" not in first.text
    assert [(p.name, p.default, p.description) for p in first.params] == [
        ("lang", "en", "Idioma de las etiquetas, en o es.")
    ]


def test_editor_text_drops_only_the_header(atlas: Atlas) -> None:
    query = atlas.get_query(CQ1)
    header = [line for line in query.sparql.splitlines() if line.startswith("#+")]
    assert len(header) == 13
    assert editor_text(query).splitlines() == query.sparql.splitlines()[13:]


# The answer ------------------------------------------------------------------------------------


def test_stages_table_csv_and_json(stages: ResultView) -> None:
    assert stages.columns == ("stage", "stageLabel", "order", "next")
    assert stages.rows == (
        ("stage:police-stop", STAGES_EN[0], "1", "stage:police-arrest-and-lockup"),
        ("stage:police-arrest-and-lockup", STAGES_EN[1], "2", "stage:state-crime-conviction"),
        ("stage:state-crime-conviction", STAGES_EN[2], "3", "stage:federal-crime-conviction"),
        ("stage:federal-crime-conviction", STAGES_EN[3], "4", ""),
    )
    assert stages.to_csv() == (
        "stage,stageLabel,order,next\r\n"
        f"{STAGE}police-stop,Police Stop,1,{STAGE}police-arrest-and-lockup\r\n"
        f"{STAGE}police-arrest-and-lockup,Police Arrest & Local Police Department Lockup,2,"
        f"{STAGE}state-crime-conviction\r\n"
        f"{STAGE}state-crime-conviction,State Crime Conviction,3,"
        f"{STAGE}federal-crime-conviction\r\n"
        f"{STAGE}federal-crime-conviction,Federal Crime Conviction,4,\r\n"
    )
    doc = json.loads(stages.to_json())
    assert doc["head"] == {"vars": ["stage", "stageLabel", "order", "next"]}
    bindings = doc["results"]["bindings"]
    assert [b["stageLabel"] for b in bindings] == [
        {"type": "literal", "value": label, "xml:lang": "en"} for label in STAGES_EN
    ]
    assert bindings[0]["order"] == {
        "type": "literal",
        "value": "1",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }
    assert "next" not in bindings[3]
    # two IRI columns besides the label: no chart; no WKT: no map
    assert stages.chart_spec() is None
    assert stages.chart_text() == ""
    assert stages.map_figure() is None


def test_an_example_runs_with_the_page_language(
    atlas: Atlas, examples: dict[str, results.Example]
) -> None:
    view = run_user_query(atlas, examples[CQ1].text, lang="es", example=CQ1)
    assert [row[1] for row in view.rows] == STAGES_ES
    # the same text as a person's own: nothing bound, the query's default (English)
    own = run_user_query(atlas, examples[CQ1].text, lang="es")
    assert [row[1] for row in own.rows] == STAGES_EN


def test_an_example_with_a_required_parameter(
    atlas: Atlas, examples: dict[str, results.Example]
) -> None:
    text = examples["programs-in-place"].text
    view = run_user_query(
        atlas, text, example="programs-in-place", params=(("place", "long-beach"),)
    )
    assert [(row[1], row[3]) for row in view.rows] == [
        ("Long Beach Justice Fund", "Long Beach"),
        ("L.A. Justice Fund", "Los Angeles County"),
        ("LA Immigrant Community Legal Defense Program", "Los Angeles County"),
    ]
    with pytest.raises(QueryProblem) as caught:
        run_user_query(atlas, text, lang="es", example="programs-in-place")
    assert caught.value.kind == "parameter"
    assert caught.value.message == (
        'El ejemplo necesita un valor para su parámetro "place": complételo arriba.'
    )


def test_a_count_per_class_is_a_bar_chart(atlas: Atlas) -> None:
    view = run_user_query(atlas, editor_text(atlas.get_query("stats-classes")), lang="es")
    assert view.columns == ("class", "instances")
    spec = view.chart_spec("es")
    assert spec is not None
    assert spec["mark"] == {"type": "bar", "tooltip": True}
    assert spec["encoding"]["y"]["field"] == "class"
    assert spec["encoding"]["y"]["title"] == "class"
    assert spec["encoding"]["x"] == {
        "field": "instances",
        "type": "quantitative",
        "title": "instances",
    }
    values = spec["data"]["values"]
    assert values == [{"class": row[0], "instances": int(row[1])} for row in view.rows]
    assert {"class": "pa:County", "instances": 58} in values
    assert "http" not in json.dumps(spec)  # data inline, nothing loaded
    text = view.chart_text("es")
    assert text.startswith("Gráfico de barras de instances por class: ")
    assert "pa:County: 58" in text
    assert spec["description"] == text


def test_a_counties_wkt_is_a_map(atlas: Atlas) -> None:
    view = run_user_query(
        atlas,
        "SELECT ?name ?shape WHERE { jurisdiction:fresno-county rdfs:label ?name ;"
        ' geo:hasGeometry/geo:asWKT ?shape . FILTER(lang(?name) = "es") }',
    )
    figure = view.map_figure("es")
    assert figure is not None
    assert figure.svg.count('<path class="shape"') == 1
    assert "<title>Condado de Fresno</title>" in figure.svg
    assert figure.text == "Un mapa de 1 forma del resultado: Condado de Fresno."
    assert view.chart_spec() is None


def test_ask_answers_are_one_cell(atlas: Atlas) -> None:
    view = run_user_query(atlas, "ASK { ?s a pa:County }")
    assert (view.columns, view.rows) == (("ask",), (("true",),))
    assert json.loads(view.to_json()) == {"head": {}, "boolean": True}


# Errors ----------------------------------------------------------------------------------------


def test_a_syntax_error_has_line_and_column_in_both_languages(atlas: Atlas) -> None:
    with pytest.raises(QueryProblem) as caught:
        run_user_query(atlas, "SELECT (1 AS ?x) {")
    assert (caught.value.kind, caught.value.line, caught.value.column) == ("syntax", 1, 19)
    assert caught.value.message.startswith("Syntax error at line 1, column 19. The engine says: ")
    with pytest.raises(QueryProblem) as caught:
        run_user_query(atlas, "SELECT ?x WHERE {\n  ?x a foo:Stage }", lang="es")
    assert (caught.value.line, caught.value.column) == (2, 17)
    assert caught.value.message == (
        "Error de sintaxis en la línea 2, columna 17. El motor dice (en inglés): "
        "the prefix foo: is not declared (add a PREFIX line)"
    )


def test_service_is_refused_before_anything_runs(
    atlas: Atlas, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_worker(*args: object, **kwargs: object) -> None:
        raise AssertionError("the query reached the worker")

    monkeypatch.setattr(SandboxedStore, "_ask", no_worker)
    with pytest.raises(QueryProblem) as caught:
        run_user_query(atlas, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert (caught.value.kind, caught.value.line, caught.value.column) == ("service", 1, 18)
    assert caught.value.message == (
        "SERVICE is not allowed (line 1, column 18): the atlas answers from its own graph and "
        "never contacts another host."
    )
    with pytest.raises(QueryProblem) as caught:
        run_user_query(atlas, "DELETE WHERE { ?s ?p ?o }", lang="es")
    assert caught.value.kind == "update"
    assert caught.value.message.startswith("No se permiten modificaciones (línea 1, columna 1)")


def test_a_query_past_the_time_limit_is_stopped_and_the_next_one_answers(atlas: Atlas) -> None:
    limits = Limits(timeout=1.0)
    cross_join = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryProblem) as caught:
        run_user_query(atlas, cross_join, lang="es", limits=limits)
    assert caught.value.kind == "timeout"
    assert caught.value.message == (
        "La consulta se detuvo al llegar al límite de 1 segundos. Pruebe una consulta más "
        "acotada o añada un LIMIT; la siguiente consulta se ejecutará con normalidad."
    )
    view = run_user_query(atlas, "SELECT (COUNT(*) AS ?n) WHERE { ?s a pa:Stage }", limits=limits)
    assert view.rows == (("4",),)


def test_too_many_rows(atlas: Atlas) -> None:
    with pytest.raises(QueryProblem) as caught:
        run_user_query(atlas, "SELECT ?s WHERE { ?s a pa:County }", limits=Limits(max_rows=10))
    assert caught.value.kind == "rows"
    assert caught.value.message == (
        "The answer has more than 10 rows, the limit. Add a LIMIT to the query."
    )


def test_sessions_share_the_sandbox_from_many_threads(atlas: Atlas) -> None:
    fresh = Atlas(atlas.store, paths=atlas.paths)  # no sandbox started yet
    texts = [f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a pa:Stage }} LIMIT {i + 1}" for i in range(8)]
    starts: list[int] = []
    original = SandboxedStore.around.__func__  # type: ignore[attr-defined]

    def counted(cls: type[SandboxedStore], store: object, **kwargs: object) -> SandboxedStore:
        starts.append(threading.get_ident())
        return original(cls, store, **kwargs)  # type: ignore[no-any-return]

    try:
        SandboxedStore.around = classmethod(counted)  # type: ignore[method-assign,assignment]
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda text: run_user_query(fresh, text).rows, texts))
    finally:
        SandboxedStore.around = classmethod(original)  # type: ignore[method-assign,assignment]
        if fresh._sandbox is not None:
            fresh._sandbox.close()
    assert answers == [(("4",),)] * 8
    assert len(starts) == 1  # one worker for every session


def test_limits_in_words(atlas: Atlas) -> None:
    assert limits_text(atlas) == (
        "Each query may run for at most 10 seconds, use at most 2,048 MB of memory and return "
        "at most 100,000 rows."
    )
    assert limits_text(atlas, lang="es", limits=Limits(timeout=5, max_rows=500)) == (
        "Cada consulta puede durar como máximo 5 segundos, usar como máximo 2,048 MB de memoria "
        "y devolver como máximo 500 filas."
    )
