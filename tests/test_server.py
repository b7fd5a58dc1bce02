"""The SPARQL endpoint (issue 8, points 1-3), driven in-process with Starlette's TestClient.

The app is the real one (`create_app`), its queries run in real sandboxed worker processes; only
the HTTP transport is in-process. Tests with a real uvicorn process are in
tests/integration/test_server_*.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from pipeline_atlas import Atlas, Limits
from pipeline_atlas.cli import app as cli_app
from pipeline_atlas.paths import ProjectPaths
from pipeline_atlas.server import ServerSettings, create_app
from pipeline_atlas.server.formats import GRAPH_FORMATS, RESULT_FORMATS
from pipeline_atlas.server.pages import CSP

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "project"
STATIC = ROOT / "src" / "pipeline_atlas" / "server" / "static"
SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 3"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The endpoint over the fixture project (small), with short limits."""
    atlas = Atlas.build(reason=False, paths=ProjectPaths.at(FIXTURE))
    settings = ServerSettings(limits=Limits(timeout=5, memory_mb=1024), workers=2)
    with TestClient(create_app(atlas, settings)) as test_client:
        yield test_client
    atlas.close()


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real graph (no reasoner) in a store directory, for the endpoint and the CLI."""
    target = tmp_path_factory.mktemp("server") / "store"
    Atlas.build(store_dir=target, reason=False).close()
    return target


@pytest.fixture(scope="module")
def real(real_store: Path) -> Iterator[tuple[TestClient, Atlas]]:
    """The endpoint over the real graph (embedded store directory, read-only)."""
    atlas = Atlas.open(real_store)
    with TestClient(create_app(atlas, ServerSettings(workers=1))) as test_client:
        yield test_client, atlas
    atlas.close()


def count(client: TestClient) -> int:
    answer = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"})
    assert answer.status_code == 200, answer.text
    return int(answer.text.splitlines()[1])


# --- the SPARQL 1.1 Protocol -----------------------------------------------------------------


def test_get_post_form_and_post_direct_give_the_same_answer(client: TestClient) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    by_get = client.get("/sparql", params={"query": SELECT}, headers=accept)
    by_form = client.post("/sparql", data={"query": SELECT}, headers=accept)
    direct = client.post(
        "/sparql",
        content=SELECT.encode(),
        headers={**accept, "Content-Type": "application/sparql-query"},
    )
    for answer in (by_get, by_form, direct):
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("application/sparql-results+json")
    assert by_get.json() == by_form.json() == direct.json()
    assert len(by_get.json()["results"]["bindings"]) == 3


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize("query", [SELECT, "ASK { ?s ?p ?o }"], ids=["select", "ask"])
def test_select_and_ask_in_every_result_format(client: TestClient, fmt, query: str) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": fmt.media_type})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == fmt.media_type
    if fmt.name == "csv":  # lossy: pyoxigraph does not read it back
        rows = list(csv.reader(io.StringIO(answer.text)))
        assert rows == [["true"]] if query.startswith("ASK") else len(rows) == 4
        return
    parsed = ox.parse_query_results(answer.content, format=_results_format(fmt.name))
    if query.startswith("ASK"):
        assert bool(parsed) is True
    else:
        assert len(list(parsed)) == 3


def _results_format(name: str) -> ox.QueryResultsFormat:
    return {
        "json": ox.QueryResultsFormat.JSON,
        "xml": ox.QueryResultsFormat.XML,
        "csv": ox.QueryResultsFormat.CSV,
        "tsv": ox.QueryResultsFormat.TSV,
    }[name]


_RDF = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize(
    "query", [CONSTRUCT, "DESCRIBE <https://w3id.org/pipeline-atlas/ont/Stage>"]
)
def test_construct_and_describe_in_every_graph_format(client: TestClient, fmt, query: str) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": fmt.media_type})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == fmt.media_type
    quads = list(ox.parse(answer.content, format=_RDF[fmt.name]))
    assert quads
    if query.startswith("CONSTRUCT"):
        assert len(quads) == 3


def test_the_format_parameter_overrides_accept(client: TestClient) -> None:
    answer = client.get(
        "/sparql", params={"query": SELECT, "format": "tsv"}, headers={"Accept": "text/csv"}
    )
    assert answer.headers["content-type"].startswith("text/tab-separated-values")


def test_default_formats(client: TestClient) -> None:
    select = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "*/*"})
    graph = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "*/*"})
    assert select.headers["content-type"].startswith("application/sparql-results+json")
    assert graph.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (SELECT, "text/turtle"),
        (CONSTRUCT, "application/sparql-results+json"),
        (SELECT, "image/png"),
    ],
)
def test_an_unsupported_accept_is_406_with_the_formats_that_would_do(
    client: TestClient, query: str, accept: str
) -> None:
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert answer.status_code == 406
    assert "\n" not in answer.text.strip()
    assert "text/csv" in answer.text or "text/turtle" in answer.text


def test_a_bad_query_is_400_with_the_parser_line_and_column(client: TestClient) -> None:
    answer = client.post("/sparql", data={"query": "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER( }"})
    assert answer.status_code == 400
    assert re.match(r"query:3:\d+: SPARQL syntax error", answer.text), answer.text
    assert "Traceback" not in answer.text
    as_json = client.get(
        "/sparql", params={"query": "SELECT ?x WHERE {"}, headers={"Accept": "application/json"}
    )
    assert as_json.status_code == 400
    assert as_json.json()["error"].startswith("query:1:")


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"update": "DROP ALL"}},
        {"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"data": {"query": "DELETE WHERE { ?s ?p ?o }"}},
        {"data": {"query": "LOAD <http://127.0.0.1:9/x.ttl>"}},
        {"data": {"query": "CLEAR ALL"}},
        {
            "content": b"DROP ALL",
            "headers": {"Content-Type": "application/sparql-update"},
        },
        {
            "content": b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
            "headers": {"Content-Type": "application/sparql-query"},
        },
    ],
    ids=["update-form", "insert", "delete", "load", "clear", "update-direct", "insert-direct"],
)
def test_updates_and_load_are_403_and_the_store_is_unchanged(
    client: TestClient, request_kwargs: dict[str, object]
) -> None:
    before = count(client)
    answer = client.post("/sparql", **request_kwargs)  # type: ignore[arg-type]
    assert answer.status_code == 403, answer.text
    assert count(client) == before


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE", "PATCH"])
def test_graph_store_writes_are_403_and_the_store_is_unchanged(
    client: TestClient, method: str
) -> None:
    before = count(client)
    answer = client.request(
        method,
        "/store?default",
        content=b"<urn:a> <urn:b> <urn:c> .",
        headers={"Content-Type": "text/turtle"},
    )
    assert answer.status_code == 403
    assert count(client) == before


def test_service_is_refused_and_nothing_is_contacted(client: TestClient, listener) -> None:  # type: ignore[no-untyped-def]
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    answer = client.get("/sparql", params={"query": query})
    assert answer.status_code == 403
    assert "SERVICE is not allowed" in answer.text
    assert listener.connections == []


def test_dataset_parameters_are_refused_clearly(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": SELECT, "default-graph-uri": "https://e.org/g"})
    assert answer.status_code == 400
    assert "default-graph-uri" in answer.text


def test_a_body_over_one_megabyte_is_413(client: TestClient) -> None:
    body = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1024 * 1024)
    direct = client.post(
        "/sparql", content=body.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    form = client.post("/sparql", data={"query": body})
    assert direct.status_code == 413
    assert form.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the bytes are counted as they come
        for _ in range(20):
            yield b"#" + b"x" * 65_535

    streamed = client.post(
        "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}
    )
    assert streamed.status_code == 413


def test_an_over_long_get_is_414(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } #" + "x" * 40_000})
    assert answer.status_code == 414
    assert "POST" in answer.text


def test_a_query_nested_too_deep_is_400_naming_the_limit(client: TestClient) -> None:
    nested = "SELECT * WHERE " + "{" * 20_000 + " ?s ?p ?o " + "}" * 20_000
    answer = client.post("/sparql", data={"query": nested})
    assert answer.status_code == 400
    assert "nested deeper than 100 levels" in answer.text


def test_a_query_past_the_time_limit_is_503_and_the_next_is_answered() -> None:
    atlas = Atlas.build(reason=False, paths=ProjectPaths.at(FIXTURE))
    settings = ServerSettings(limits=Limits(timeout=1, memory_mb=1024), workers=1)
    values = " ".join(f'"{i}"' for i in range(150))
    slow = (
        "SELECT (COUNT(*) AS ?n) WHERE { "
        + " ".join(f"VALUES ?v{k} {{ {values} }}" for k in range(4))
        + " }"
    )
    with TestClient(create_app(atlas, settings)) as local:
        stopped = local.post("/sparql", data={"query": slow})
        assert stopped.status_code == 503
        assert "time limit of 1 s" in stopped.text
        assert local.get("/sparql", params={"query": SELECT}).status_code == 200
    atlas.close()


def test_errors_never_carry_a_traceback(client: TestClient) -> None:
    for answer in (
        client.get("/sparql", params={"query": "SELEKT"}),
        client.post(
            "/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}
        ),
        client.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"}),
        client.post("/sparql", data={}),
        client.get("/store", params={"graph": "not an iri"}),
    ):
        assert 400 <= answer.status_code < 500, answer.text
        assert "Traceback" not in answer.text
        assert len(answer.text.strip().splitlines()) == 1


def test_cors_headers_only_when_asked() -> None:
    atlas = Atlas.build(reason=False, paths=ProjectPaths.at(FIXTURE))
    origin = {"Origin": "https://research.example"}
    with TestClient(create_app(atlas, ServerSettings(workers=1))) as closed:
        answer = closed.get("/sparql", params={"query": SELECT}, headers=origin)
        assert "access-control-allow-origin" not in answer.headers
    settings = ServerSettings(workers=1, cors=("https://research.example",))
    with TestClient(create_app(atlas, settings)) as opened:
        answer = opened.get("/sparql", params={"query": SELECT}, headers=origin)
        assert answer.headers["access-control-allow-origin"] == "https://research.example"
    atlas.close()


# --- Graph Store reads, service description ---------------------------------------------------


def test_graph_store_reads_a_named_graph_and_the_default_graph(client: TestClient) -> None:
    graphs = client.get(
        "/sparql",
        params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "text/csv"},
    ).text.split()[1:]
    assert graphs
    named = client.get("/store", params={"graph": graphs[0]}, headers={"Accept": "text/turtle"})
    assert named.status_code == 200
    assert list(ox.parse(named.content, format=ox.RdfFormat.TURTLE))
    default = client.get("/store?default", headers={"Accept": "application/n-triples"})
    assert default.status_code == 200
    assert len(default.text.splitlines()) >= len(named.text.splitlines()) // 2
    unknown = client.get("/store", params={"graph": "https://e.org/no-such-graph"})
    assert unknown.status_code == 404


def test_the_service_description_and_void(client: TestClient) -> None:
    answer = client.get("/", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    triples = list(ox.parse(answer.content, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = ox.NamedNode("http://testserver/sparql")
    assert ox.Quad(endpoint, RDF_TYPE, ox.NamedNode(sd + "Service")) in triples
    assert any(q.predicate == ox.NamedNode(sd + "endpoint") for q in triples)
    assert any(q.predicate == ox.NamedNode(sd + "namedGraph") for q in triples)
    assert any(q.predicate == ox.NamedNode(sd + "resultFormat") for q in triples)
    void = "http://rdfs.org/ns/void#"
    assert any(
        q.predicate == ox.NamedNode(void + "sparqlEndpoint") and q.object == endpoint
        for q in triples
    )
    as_jsonld = client.get("/", headers={"Accept": "application/ld+json"})
    assert list(ox.parse(as_jsonld.content, format=ox.RdfFormat.JSON_LD))


def test_the_home_page_for_browsers_in_both_languages(client: TestClient) -> None:
    english = client.get("/", headers={"Accept": "text/html"})
    spanish = client.get("/", headers={"Accept": "text/html", "Accept-Language": "es"})
    assert english.headers["content-security-policy"] == CSP
    for page in (english, spanish):
        assert page.status_code == 200
        for link in ('href="/query"', 'href="/api"'):
            assert link in page.text
    assert "Query the graph" in english.text
    assert "Consultar el grafo" in spanish.text
    assert client.get("/?lang=es", headers={"Accept": "text/html"}).text == spanish.text


# --- the query page ----------------------------------------------------------------------------


def test_the_query_page_loads_yasgui_from_the_machine_only(client: TestClient) -> None:
    page = client.get("/query")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "connect-src 'self'" in page.headers["content-security-policy"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/static/yasgui/yasgui.min.js" in sources
    assert "/static/yasgui/yasgui.min.css" in sources
    assert all(s.startswith(("/", "#", "?")) for s in sources), sources
    for asset in sources:
        if asset.startswith("/static/"):
            assert client.get(asset).status_code == 200, asset
    config = re.search(
        r'<script type="application/json" id="atlas-config">(.*?)</script>', page.text, re.S
    )
    assert config is not None
    data = json.loads(config.group(1).replace("<\\/", "</"))
    assert data["endpoint"] == "/sparql"
    ids = {e["id"] for e in data["examples"]}
    assert ids == {
        q.id
        for q in Atlas(ox_store(), paths=ProjectPaths.at(FIXTURE)).catalogue()
        if q.group == "cq"
    }
    script = (STATIC / "query.js").read_text(encoding="utf-8")
    assert not re.search(r"https?://", script)


def ox_store():  # type: ignore[no-untyped-def]
    from pipeline_atlas.store import EmbeddedStore

    return EmbeddedStore()


def test_the_bundled_yasgui_is_recorded_with_its_integrity_and_licence() -> None:
    readme = (STATIC / "yasgui" / "README.txt").read_text(encoding="utf-8")
    assert "@zazuko/yasgui" in readme
    assert "sha512-" in readme
    assert "MIT" in readme
    from pipeline_atlas.server.fetch_assets import verify

    assert verify() == []


# --- the catalogue as a web API ---------------------------------------------------------------


def test_cq014_as_csv_equals_the_command_line(
    real: tuple[TestClient, Atlas], real_store: Path
) -> None:
    client, _ = real
    answer = client.get(
        "/api/cq-014-who-can-block-in-a-city",
        params={"city": "oakland"},
        headers={"Accept": "text/csv"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    result = CliRunner().invoke(
        cli_app,
        [
            "query",
            "cq-014",
            "--param",
            "city=oakland",
            "--format",
            "csv",
            "--store",
            str(real_store),
        ],
    )
    assert result.exit_code == 0, result.output
    assert answer.text.splitlines() == result.stdout.splitlines()
    assert len(list(csv.reader(io.StringIO(answer.text)))) > 5


def test_api_errors(real: tuple[TestClient, Atlas]) -> None:
    client, _ = real
    unknown = client.get("/api/cq-014-who-can-block-in-a-town")
    assert unknown.status_code == 404
    assert "cq-014-who-can-block-in-a-city" in unknown.text
    missing = client.get("/api/cq-014-who-can-block-in-a-city")
    assert missing.status_code == 400
    assert "'city' is required" in missing.text
    extra = client.get(
        "/api/cq-014-who-can-block-in-a-city", params={"city": "oakland", "town": "x"}
    )
    assert extra.status_code == 400
    assert "no parameter 'town'" in extra.text


def test_parameters_are_bound_not_pasted(real: tuple[TestClient, Atlas]) -> None:
    client, atlas = real
    before = atlas.stats().quads
    hostile = "oakland> } } ; DROP ALL ; SELECT * { <x"
    answer = client.get("/api/cq-014-who-can-block-in-a-city", params={"city": hostile})
    assert answer.status_code in (200, 400)
    assert atlas.stats().quads == before


def test_api_lists_every_catalogue_query(real: tuple[TestClient, Atlas]) -> None:
    client, atlas = real
    listing = client.get("/api").json()["queries"]
    assert [q["id"] for q in listing] == [q.id for q in atlas.catalogue()]
    cq014 = next(q for q in listing if q["id"] == "cq-014-who-can-block-in-a-city")
    assert cq014["question"].startswith("In my city")
    assert cq014["example"].endswith("/api/cq-014-who-can-block-in-a-city?city=oakland")
    assert {p["name"] for p in cq014["parameters"]} == {"city", "lang"}
    page = client.get("/api", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "cq-014-who-can-block-in-a-city" in page.text


def test_openapi_has_a_path_per_query(real: tuple[TestClient, Atlas]) -> None:
    client, atlas = real
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert set(spec["paths"]) == {f"/api/{q.id}" for q in atlas.catalogue()}
    operation = spec["paths"]["/api/cq-014-who-can-block-in-a-city"]["get"]
    city = next(p for p in operation["parameters"] if p["name"] == "city")
    assert city["required"] is True
    assert city["example"] == "oakland"
    assert city["schema"]["type"] == "string"


def test_the_catalogue_as_rdf_has_one_executable_per_query(real: tuple[TestClient, Atlas]) -> None:
    client, atlas = real
    for accept, fmt in (
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
    ):
        answer = client.get("/api/catalogue", headers={"Accept": accept})
        assert answer.status_code == 200
        quads = list(ox.parse(answer.content, format=fmt))
        executables = {
            q.subject
            for q in quads
            if q.predicate == RDF_TYPE and q.object == ox.NamedNode(SH + "SPARQLExecutable")
        }
        assert len(executables) == len(atlas.catalogue())
        selects = [q for q in quads if q.predicate == ox.NamedNode(SH + "select")]
        assert selects
        comments = [q for q in quads if q.predicate.value.endswith("#comment")]
        assert any(isinstance(q.object, ox.Literal) and q.object.language == "en" for q in comments)


def test_an_ontology_term_answers_turtle_and_sends_browsers_to_the_docs(
    real: tuple[TestClient, Atlas],
) -> None:
    client, _ = real
    turtle = client.get("/ont/Stage", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    triples = list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
    stage = ox.NamedNode("https://w3id.org/pipeline-atlas/ont/Stage")
    assert triples and all(q.subject == stage for q in triples)
    assert client.get("/ont/NoSuchTerm", headers={"Accept": "text/turtle"}).status_code == 404
    if (ROOT / "docs" / "reference" / "es" / "index.html").is_file():
        browser = client.get(
            "/ont/Stage",
            headers={"Accept": "text/html", "Accept-Language": "es"},
            follow_redirects=False,
        )
        assert browser.status_code == 303
        assert browser.headers["location"] == "/docs/reference/es/index.html#Stage"


def test_serve_is_a_command_with_safe_defaults() -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for option in (
        "--host",
        "--port",
        "--store",
        "--endpoint",
        "--cors",
        "--timeout",
        "--memory-mb",
        "--max-rows",
        "--workers",
    ):
        assert option in result.output
    settings = ServerSettings()
    assert settings.host == "127.0.0.1"
    assert settings.cors == ()
    assert settings.max_body == 1024 * 1024
