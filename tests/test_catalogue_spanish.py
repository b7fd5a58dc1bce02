"""The catalogue in English and Spanish (issue 8, point 2): every query of ``queries/`` says its
summary, question, description and parameters in both languages (``summary_es``,
``question_es``, ``description_es``, a parameter's ``description_es``), and the catalogue's RDF,
``/api`` listing, OpenAPI description and ``pipeline-atlas --lang es queries`` carry them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from pipeline_atlas import Atlas
from pipeline_atlas.catalogue import CatalogueQuery, load_catalogue, parse_query_text
from pipeline_atlas.cli import app as cli_app
from pipeline_atlas.paths import ENV_ROOT, ProjectPaths
from pipeline_atlas.server import ServerSettings
from pipeline_atlas.server.app import create_app
from pipeline_atlas.server.describe import catalogue_graph, catalogue_listing, openapi
from pipeline_atlas.store import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = load_catalogue(ROOT / "queries", root=ROOT)
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
EXECUTABLE = ox.NamedNode("http://www.w3.org/ns/shacl#SPARQLExecutable")
SPANISH_MARKS = set("áéíóúñ¿¡ÁÉÍÓÚÑ")


def test_the_catalogue_is_not_empty() -> None:
    assert len(CATALOGUE) > 40
    assert {q.group for q in CATALOGUE} >= {"cq", "qc", "lookup", "stats", "build"}


def test_every_query_says_everything_in_english_and_spanish() -> None:
    missing = {q.source: q.missing_spanish() for q in CATALOGUE}
    missing = {source: keys for source, keys in missing.items() if keys}
    assert not missing, "add the Spanish (header keys): " + "; ".join(
        f"{source}: {', '.join(keys)}" for source, keys in sorted(missing.items())
    )
    for q in CATALOGUE:
        assert q.summary and q.summary_es, q.source
        assert q.question and q.question_es, q.source


def test_the_spanish_is_spanish_and_not_a_copy() -> None:
    for q in CATALOGUE:
        assert q.summary_es != q.summary, q.source
        assert q.question_es != q.question, q.source
        assert q.question_es.endswith("?"), q.source
        assert "¿" in q.question_es, q.source
        assert q.summary_es.endswith("."), q.source
        if q.description:
            assert q.description_es != q.description, q.source
        for p in q.params:
            if p.description:
                assert p.description_es != p.description, (q.source, p.name)
    spanish = " ".join(q.summary_es + q.question_es + q.description_es for q in CATALOGUE)
    assert SPANISH_MARKS & set(spanish)


def test_the_glossary_terms_are_used() -> None:
    text = " ".join(q.question_es + " " + q.summary_es for q in CATALOGUE)
    assert "la cadena del arresto a la deportación" in text
    assert "autoridades de control migratorio" in text
    assert "immigration enforcement" not in text


def test_the_header_keys_parse_and_fall_back_to_english() -> None:
    query = parse_query_text(
        "#+ summary: All: the stages.\n"
        "#+ summary_es: Todas: las etapas.\n"
        "#+ question: Which stages?\n"
        "#+ question_es: ¿Qué etapas?\n"
        "#+ description: Longer.\n"
        "#+ description_es: Más largo.\n"
        "#+ params:\n"
        "#+   s:\n"
        "#+     type: iri\n"
        "#+     description: A stage.\n"
        "#+     description_es: Una etapa.\n"
        "SELECT ?s WHERE { ?s ?p ?o }\n",
        id="q",
    )
    assert query.summary_for("es") == "Todas: las etapas."
    assert query.summary_for("en") == "All: the stages."
    assert query.question_for("es") == "¿Qué etapas?"
    assert query.description_for("es") == "Más largo."
    assert query.params[0].description_for("es") == "Una etapa."
    assert query.missing_spanish() == []
    assert "summary_es" not in query.header and "description" not in query.header
    english = parse_query_text(
        "#+ question: Which stages?\n#+ params:\n#+   s: {description: A stage.}\nASK {}\n", id="q"
    )
    assert english.summary_for("es") == "Which stages?"
    assert english.missing_spanish() == ["summary_es", "question_es", "params.s.description_es"]
    spanish_question = parse_query_text(
        "#+ question: Which?\n#+ question_es: ¿Cuál?\nASK {}\n", id="q"
    )
    assert spanish_question.summary_for("es") == "¿Cuál?"


# --- RDF, /api, OpenAPI ---------------------------------------------------------------------------


def _executables(triples: list[ox.Triple]) -> set[ox.NamedNode]:
    found = {t.subject for t in triples if t.predicate == RDF_TYPE and t.object == EXECUTABLE}
    assert all(isinstance(node, ox.NamedNode) for node in found)
    return {node for node in found if isinstance(node, ox.NamedNode)}


def _check_languages(quads: list[ox.Quad] | list[ox.Triple], queries: list[CatalogueQuery]) -> None:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    executables = _executables(triples)
    assert len(executables) == len(queries)
    by_node = {f"/api/{q.id}": q for q in queries}
    for node in executables:
        query = next(q for path, q in by_node.items() if str(node.value).endswith(path))
        for prop, english, spanish in (
            (RDFS_COMMENT, query.question, query.question_es),
            (RDFS_LABEL, query.summary, query.summary_es),
        ):
            texts = [t.object for t in triples if t.subject == node and t.predicate == prop]
            assert all(isinstance(o, ox.Literal) for o in texts)
            languages = sorted(o.language or "" for o in texts if isinstance(o, ox.Literal))
            assert languages == ["en", "es"], (query.id, prop)
            values = {o.language: o.value for o in texts if isinstance(o, ox.Literal)}
            assert values == {"en": english, "es": spanish}


def test_the_catalogue_rdf_has_one_comment_per_language_per_query() -> None:
    triples = catalogue_graph("http://127.0.0.1:7878", CATALOGUE)
    _check_languages(triples, CATALOGUE)


def test_the_listing_and_openapi_follow_the_language() -> None:
    base = "http://127.0.0.1:7878"
    english = {e["id"]: e for e in catalogue_listing(base, CATALOGUE)}
    spanish = {e["id"]: e for e in catalogue_listing(base, CATALOGUE, lang="es")}
    for q in CATALOGUE:
        assert english[q.id]["question"] == q.question
        assert spanish[q.id]["question"] == q.question_es
        assert spanish[q.id]["summary"] == q.summary_es
        assert english[q.id]["translations"] == spanish[q.id]["translations"]
        assert spanish[q.id]["translations"]["es"]["question"] == q.question_es
        for doc, param in zip(spanish[q.id]["parameters"], q.params, strict=True):
            assert doc["description"] == param.description_es
            assert doc["descriptions"] == {"en": param.description, "es": param.description_es}
    spec = openapi(base, CATALOGUE, version="0", lang="es")
    assert spec["info"]["title"].startswith("Catálogo")
    for q in CATALOGUE:
        operation = spec["paths"][f"/api/{q.id}"]["get"]
        assert operation["summary"] == q.summary_es
        assert operation["description"] == q.question_es
        assert operation["x-translations"]["en"]["question"] == q.question
        described = {p["name"]: p["description"] for p in operation["parameters"]}
        for param in q.params:
            assert described[param.name] == param.description_es


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The endpoint with the real catalogue over an empty store (only the catalogue is read)."""
    atlas = Atlas(EmbeddedStore(), paths=ProjectPaths.at(ROOT))
    with TestClient(create_app(atlas, ServerSettings(workers=1))) as test_client:
        yield test_client
    atlas.close()


def test_the_endpoint_serves_both_languages(client: TestClient) -> None:
    served = load_catalogue(ROOT / "queries", root=ROOT)
    answer = client.get("/api/catalogue", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    _check_languages(list(ox.parse(answer.content, format=ox.RdfFormat.TURTLE)), served)
    cq014 = "cq-014-who-can-block-in-a-city"
    question_es = next(q for q in served if q.id == cq014).question_es
    listing = client.get("/api", params={"lang": "es"}, headers={"Accept": "application/json"})
    entry = next(e for e in listing.json()["queries"] if e["id"] == cq014)
    assert entry["question"] == question_es
    by_header = client.get("/api", headers={"Accept-Language": "es", "Accept": "application/json"})
    assert next(e for e in by_header.json()["queries"] if e["id"] == cq014)["question"] == (
        question_es
    )
    english = client.get("/api", headers={"Accept": "application/json"}).json()["queries"]
    assert next(e for e in english if e["id"] == cq014)["question"].startswith("In my city")
    page = client.get("/api", params={"lang": "es"}, headers={"Accept": "text/html"})
    assert "mi ciudad" in page.text
    spec = client.get("/api/openapi.json", params={"lang": "es"}).json()
    assert spec["paths"][f"/api/{cq014}"]["get"]["description"] == question_es
    query_page = client.get("/query", params={"lang": "es"}, headers={"Accept": "text/html"})
    assert "mi ciudad" in query_page.text


# --- the command line ----------------------------------------------------------------------------


def test_queries_command_shows_the_spanish_summaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_ROOT, str(ROOT))
    runner = CliRunner()
    spanish = runner.invoke(cli_app, ["--lang", "es", "queries"])
    assert spanish.exit_code == 0, spanish.output
    english = runner.invoke(cli_app, ["queries"])
    assert english.exit_code == 0, english.output
    width = max(len(q.id) for q in CATALOGUE)
    assert spanish.stdout.splitlines() == [
        f"{q.id.ljust(width)}  {q.summary_es}".rstrip() for q in CATALOGUE
    ]
    assert english.stdout.splitlines() == [
        f"{q.id.ljust(width)}  {q.summary}".rstrip() for q in CATALOGUE
    ]
    tagged = runner.invoke(cli_app, ["--lang", "es", "queries", "--tag", "headline"])
    assert "la cadena" not in tagged.stdout
    assert all("organismos" in line or "flujos" in line for line in tagged.stdout.splitlines())
