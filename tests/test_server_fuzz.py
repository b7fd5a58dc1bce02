"""Hostile input to the endpoint (issue 8, point 8), in-process: hypothesis sends malformed,
huge and pathological queries and requests to the real app (``create_app``, its queries in real
sandboxed workers) through Starlette's TestClient.

The property, for every request: a well-formed HTTP answer whose status is one of
:data:`EXPECTED` (never 500), no traceback in the body, an error in one line; after each test the
store holds the same quads and a normal query is answered. The examples are derandomized (the
same ones on every run) and hypothesis keeps no database, so nothing is written into the
repository. Heavier runs, over a real uvicorn process and raw sockets, are in
tests/integration/test_server_hostile.py.

Also here: ``SERVICE`` and the operator's allow-list (issue 8, point 3), with the ``listener``
fixture standing for another host.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from conftest import Listener
from pipeline_atlas import Atlas, Limits
from pipeline_atlas.catalogue.sparql import service_allow_list
from pipeline_atlas.errors import ParameterError
from pipeline_atlas.paths import ProjectPaths
from pipeline_atlas.server import ServerSettings, create_app

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "project"
EXPECTED = frozenset({200, 301, 303, 307, 400, 403, 404, 405, 406, 408, 413, 414, 415, 503})
"""Statuses a request may get: answers, the app's redirects (``/sparql`` for a browser, the
favicon, a docs folder), and the errors the endpoint names. Never 500."""
SIMPLE = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 1"
FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- the endpoint ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[TestClient, Atlas]]:
    """The endpoint over the fixture project (21 quads, in memory), with short limits."""
    atlas = Atlas.build(reason=False, paths=ProjectPaths.at(FIXTURE))
    limits = Limits(timeout=2, memory_mb=1024, max_rows=20_000)
    app = create_app(atlas, ServerSettings(limits=limits, workers=2))
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        yield client, atlas
    atlas.close()


@pytest.fixture
def client(served: tuple[TestClient, Atlas]) -> Iterator[TestClient]:
    """The endpoint's client; after the test, the store is unchanged and still answers."""
    test_client, atlas = served
    quads = atlas.store.quads_count()  # type: ignore[attr-defined]
    yield test_client
    assert atlas.store.quads_count() == quads  # type: ignore[attr-defined]
    answer = test_client.get("/sparql", params={"query": SIMPLE}, headers={"Accept": "text/csv"})
    assert answer.status_code == 200, answer.text
    assert len(answer.text.splitlines()) == 2


def check(answer: httpx.Response) -> None:
    """The property every answer must have."""
    status = answer.status_code
    body = answer.content.decode("utf-8", "replace")
    assert status in EXPECTED, f"{status}: {body[:500]}"
    assert "Traceback" not in body and 'File "' not in body, body[:500]
    if status >= 400 and answer.request.method != "HEAD":
        assert answer.headers["content-type"].split(";")[0] in ("text/plain", "application/json")
        assert body.strip() and "\n" not in body.strip(), f"not one line: {body[:500]!r}"


# --- strategies ------------------------------------------------------------------------------

KEYWORDS = [
    *("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS"),
    *("GRAPH", "SERVICE", "SILENT", "BIND", "VALUES", "AS", "DISTINCT", "REDUCED", "ORDER", "BY"),
    *("GROUP", "HAVING", "LIMIT", "OFFSET", "PREFIX", "BASE", "FROM", "NAMED", "NOT", "EXISTS"),
    *("IN", "a", "COUNT", "SUM", "MAX", "REGEX", "STR", "LANG", "IRI", "BNODE", "UNDEF"),
    *("INSERT", "DELETE", "DATA", "LOAD", "CLEAR", "DROP", "WITH", "USING", "DEFAULT", "ALL"),
    *("true", "false"),
]
PUNCT = [*"{}()[].;,*=!<>+-/|^?$&", "&&", "||", "^^", "!=", "<=", ">="]
TERMS = [
    "?s",
    "?p",
    "?o",
    "$x",
    "<https://w3id.org/pipeline-atlas/ont/Stage>",
    "<http://127.0.0.1:1/sparql>",
    "<>",
    "<a b>",
    "pa:Stage",
    "skos:prefLabel",
    "rdf:type",
    "_:b0",
    '"x"',
    '"x"@en',
    '"1"^^xsd:integer',
    '"""long\n"""',
    "'",
    '"',
    "42",
    "-1.5e10",
    "# comment\n",
    "\n",
    "\\",
    "\x00",
    "é",
    "\U0001f600",
]
TOKEN = st.sampled_from(KEYWORDS + PUNCT + TERMS)
TOKENS = st.lists(TOKEN, max_size=80).map(" ".join)
STARTS = st.sampled_from(["", "SELECT * WHERE { ", "ASK { ", "CONSTRUCT WHERE { ", "DESCRIBE "])
SPARQLISH = st.tuples(STARTS, TOKENS).map("".join)
TEXT = st.one_of(st.text(max_size=300), SPARQLISH, st.text(string.printable, max_size=300))


def nested(depth: int, opening: str, balanced: bool) -> str:
    closing = {"{": "}", "(": ")", "[": "]"}[opening]
    inner = {"{": " ?s ?p ?o ", "(": "1", "[": " ?p ?o "}[opening]
    return (
        "SELECT * WHERE { " + opening * depth + inner + closing * (depth if balanced else 1) + " }"
    )


NESTED = st.builds(nested, st.integers(1, 3000), st.sampled_from("{(["), st.booleans())


def giant_values(count: int, kind: str) -> str:
    values = {
        "literal": lambda i: f'"{i}"',
        "iri": lambda i: f"<https://e.org/{i}>",
        "number": lambda i: str(i),
        "undef": lambda i: "UNDEF",
    }[kind]
    block = " ".join(values(i) for i in range(count))
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?v {{ {block} }} }}"


def cross_join(patterns: int, count: bool) -> str:
    body = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(patterns))
    head = "(COUNT(*) AS ?n)" if count else "*"
    return f"SELECT {head} WHERE {{ {body} }}"


PERCENT = st.lists(
    st.sampled_from(
        [
            *("%", "%G", "%GG", "%F", "%FF", "%C3", "%C3%A9", "%ED%A0%80", "%00", "%0A", "%25"),
            *("+", "&", "=", "query=", "SELECT", "*", "%7B", "%7D", "?s", "a", ";", "%E2%82"),
        ]
    ),
    max_size=40,
).map("".join)

MEDIA = st.sampled_from(
    [
        "application/sparql-query",
        "application/x-www-form-urlencoded",
        "application/sparql-update",
        "application/sparql-query; charset=latin-1",
        "application/x-www-form-urlencoded;charset=utf-16",
        "APPLICATION/SPARQL-QUERY",
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/json",
        "",
        ";",
        "*/*",
        "application/sparql-results+json",
        "text/turtle",
        "text/csv;q=0",
        "*/*;q=nan",
        "text/*;q=1e400",
        "application/sparql-results+xml;q=-1, text/tab-separated-values",
        "text/html,application/xhtml+xml",
        ",,,;;;",
        "a/b/c/d",
        "x" * 2000,
    ]
)
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=200)
HEADER = st.one_of(MEDIA, HEADER_TEXT, st.lists(MEDIA, max_size=30).map(", ".join))
PATH_PREFIX = st.sampled_from(
    [
        *("/", "/sparql", "/store", "/query", "/api", "/api/", "/api/openapi.json", "/ont/"),
        *("/static/", "/docs/", "/favicon.ico", "/api/cq-001-stages-in-order", "//", "/../"),
        "/%2e%2e/",
    ]
)
PATH_TAIL = st.text(string.ascii_letters + string.digits + "%/._-~:@!$&'()*+,;=", max_size=300)
METHOD = st.sampled_from(
    ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "X"]
)


# --- malformed queries -----------------------------------------------------------------------


@FUZZ
@given(query=TEXT, how=st.sampled_from(["get", "form", "direct"]))
def test_malformed_queries_get_a_clear_answer(client: TestClient, query: str, how: str) -> None:
    if how == "get":
        answer = client.get("/sparql", params={"query": query})
    elif how == "form":
        answer = client.post("/sparql", data={"query": query})
    else:
        answer = client.post(
            "/sparql",
            content=query.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query"},
        )
    check(answer)


@settings(FUZZ, max_examples=60)
@given(query=NESTED)
def test_deep_nesting_is_refused_or_answered(client: TestClient, query: str) -> None:
    answer = client.post(
        "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    check(answer)
    depth = max(query.count("{"), query.count("("), query.count("["))
    if depth > 101:
        assert answer.status_code == 400
        assert "nested deeper than" in answer.text


@settings(FUZZ, max_examples=24)
@given(
    count=st.sampled_from([1, 10, 1000, 10_000, 20_000, 60_000]),
    kind=st.sampled_from(["literal", "iri", "number", "undef"]),
)
def test_giant_values_blocks(client: TestClient, count: int, kind: str) -> None:
    query = giant_values(count, kind).encode()
    answer = client.post(
        "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    check(answer)
    if len(query) > 1024 * 1024:
        assert answer.status_code == 413
    elif len(query) > 200_000:
        assert answer.status_code == 400
        assert "more than the limit" in answer.text
    else:
        assert answer.status_code == 200, answer.text


@settings(FUZZ, max_examples=12)
@given(patterns=st.integers(1, 4), count=st.booleans())
def test_cross_joins_are_answered_or_stopped(
    client: TestClient, patterns: int, count: bool
) -> None:
    answer = client.get("/sparql", params={"query": cross_join(patterns, count)})
    check(answer)
    if patterns >= 4 and not count:  # 21**4 rows: more than max_rows
        assert answer.status_code == 400
        assert "more than 20000 result rows" in answer.text


@pytest.mark.parametrize("size", [200_001, 1_000_000])
def test_huge_query_texts_are_refused(client: TestClient, size: int) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (size - 29)
    answer = client.post(
        "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    check(answer)
    assert answer.status_code == 400
    assert "more than the limit of 200,000" in answer.text


# --- bad encodings -----------------------------------------------------------------------------


@FUZZ
@given(raw=PERCENT, name=st.sampled_from(["query", "update", "format", "qu%65ry", ""]))
def test_bad_percent_encodings_in_the_query_string(client: TestClient, raw: str, name: str) -> None:
    answer = client.get(f"/sparql?{name}={raw}" if name else f"/sparql?{raw}")
    check(answer)


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=400), PERCENT.map(str.encode)),
    media=st.sampled_from(["application/sparql-query", "application/x-www-form-urlencoded"]),
)
def test_invalid_utf8_and_percent_encodings_in_bodies(
    client: TestClient, body: bytes, media: str
) -> None:
    prefix = b"query=" if media.endswith("urlencoded") and not body.startswith(b"query") else b""
    answer = client.post("/sparql", content=prefix + body, headers={"Content-Type": media})
    check(answer)
    try:
        (prefix + body).decode("utf-8")
    except UnicodeDecodeError:
        assert answer.status_code == 400


# --- headers, paths and methods ----------------------------------------------------------------


@FUZZ
@given(
    content_type=HEADER,
    accept=HEADER,
    language=HEADER,
    query=st.sampled_from([SIMPLE, "ASK {}", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "DROP ALL"]),
)
def test_random_content_type_and_accept(
    client: TestClient, content_type: str, accept: str, language: str, query: str
) -> None:
    headers = {"Content-Type": content_type, "Accept": accept, "Accept-Language": language}
    check(client.post("/sparql", content=query.encode(), headers=headers))
    check(client.get("/sparql", params={"query": query}, headers=headers))
    check(client.get("/store", params={"default": ""}, headers=headers))
    check(client.get("/api/cq-001-stages-in-order", headers=headers))


@settings(FUZZ, max_examples=300)
@given(method=METHOD, prefix=PATH_PREFIX, tail=PATH_TAIL, accept=HEADER)
def test_random_paths_and_methods(
    client: TestClient, method: str, prefix: str, tail: str, accept: str
) -> None:
    answer = client.request(method, prefix + tail, headers={"Accept": accept})
    check(answer)


# --- big bodies --------------------------------------------------------------------------------


def chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        part = min(size, total - sent)
        sent += part
        yield b"#" * part


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
@pytest.mark.parametrize("size", [1024 * 1024 + 1, 5 * 1024 * 1024])
@pytest.mark.parametrize("media", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_bodies_over_1_mb_get_413(
    client: TestClient, size: int, declared: bool, media: str
) -> None:
    content: bytes | Iterator[bytes] = b"#" * size if declared else chunks(size)
    answer = client.post("/sparql", content=content, headers={"Content-Type": media})
    check(answer)
    assert answer.status_code == 413


def test_a_body_of_exactly_1_mb_is_read(client: TestClient) -> None:
    query = ("ASK {} #" + "x" * (1024 * 1024)).encode()[: 1024 * 1024]
    answer = client.post(
        "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    check(answer)
    assert answer.status_code == 400  # read, then refused for its length (not 413)
    assert "more than the limit of 200,000" in answer.text


def test_a_long_query_string_gets_414(client: TestClient) -> None:
    answer = client.get("/sparql", params={"query": "ASK {} #" + "x" * 40_000})
    check(answer)
    assert answer.status_code == 414


# --- SERVICE and the operator's allow-list (issue 8, point 3) ------------------------------------


def service_client(atlas: Atlas, allowed: tuple[str, ...]) -> TestClient:
    limits = Limits(timeout=5, memory_mb=1024, allow_service=allowed)
    app = create_app(atlas, ServerSettings(limits=limits, workers=1))
    return TestClient(app, raise_server_exceptions=False)


def test_service_is_refused_by_default_and_nothing_is_contacted(
    served: tuple[TestClient, Atlas], listener: Listener
) -> None:
    client = served[0]
    answer = client.get(
        "/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"}
    )
    assert answer.status_code == 403
    assert "SERVICE is not allowed" in answer.text
    assert not listener.wait_for_connection(timeout=0.5)


def test_an_allowed_service_is_contacted_and_others_are_not(
    served: tuple[TestClient, Atlas], listener: Listener
) -> None:
    atlas = served[1]
    other = "http://127.0.0.1:9/sparql"
    with service_client(atlas, (other,)) as client:
        refused = {
            "unlisted": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
            "variable": (
                f"SELECT * WHERE {{ BIND(<{listener.url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}"
            ),
            "prefixed": (
                f"PREFIX r: <{listener.url[:-6]}> "
                "SELECT * WHERE { SERVICE r:sparql { ?s ?p ?o } }"
            ),
            "one-of-two": (
                f"SELECT * WHERE {{ SERVICE <{other}> {{ ?s ?p ?o }} "
                f"SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"
            ),
        }
        for name, query in refused.items():
            answer = client.get("/sparql", params={"query": query})
            assert answer.status_code == 403, (name, answer.text)
            assert "SERVICE is not allowed" in answer.text, name
            assert "Traceback" not in answer.text
        assert not listener.connections
    # positive control: the same query, its endpoint allowed, reaches the listener
    with service_client(atlas, (listener.url,)) as client:
        answer = client.get("/sparql", params={"query": refused["unlisted"]})
        assert listener.wait_for_connection()
        assert answer.status_code != 500 and "Traceback" not in answer.text
        answer = client.get("/sparql", params={"query": refused["variable"]})
        assert answer.status_code == 403
        assert "is a variable" in answer.text


def test_the_allow_list_takes_only_absolute_http_urls() -> None:
    assert service_allow_list(["https://e.org/sparql"]) == ("https://e.org/sparql",)
    for bad in ["e.org/sparql", "file:///etc/passwd", "http://", "http://e.org/a b", "<x>"]:
        with pytest.raises(ParameterError, match="--allow-service"):
            service_allow_list([bad])
