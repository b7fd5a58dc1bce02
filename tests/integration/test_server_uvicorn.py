"""`pipeline-atlas serve` as a real process (uvicorn) on 127.0.0.1: real HTTP clients (urllib,
SPARQLWrapper, rdflib's SPARQLStore), the engine issue's three hostile queries each stopped while
a concurrent client keeps getting answers, and `serve --endpoint` over a real Oxigraph server
(issue 8, points 1, 3 and 7)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import processes
from conftest import free_port
from pipeline_atlas import Atlas

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120.0
"""Seconds the server may take to start (its workers load the store first)."""

VALUES_150 = " ".join(f'"{i}"' for i in range(150))
NESTED = "SELECT * WHERE " + "{" * 20_000 + " ?s ?p ?o " + "}" * 20_000
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
VALUES_COUNT = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{k} {{ {VALUES_150} }}" for k in range(4))
    + " }"
)
SIMPLE = "SELECT ?stage WHERE { ?stage a <https://w3id.org/pipeline-atlas/ont/Stage> }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    finished: float = 0.0


def http(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> Answer:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with OPENER.open(request, timeout=120) as response:
            body = response.read().decode("utf-8", "replace")
            return Answer(response.status, body, dict(response.headers), time.monotonic())
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        return Answer(error.code, body, dict(error.headers), time.monotonic())


@dataclass
class Server:
    """A `pipeline-atlas serve` process."""

    args: list[str]
    log: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    def query(self, text: str, accept: str = "application/sparql-results+json") -> Answer:
        body = urllib.parse.urlencode({"query": text}).encode()
        return http(
            self.sparql,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )

    def start(self) -> Server:
        for _attempt in range(3):
            self.port = free_port()
            command = [sys.executable, "-m", "pipeline_atlas", *self.args, "--port", str(self.port)]
            with self.log.open("wb") as out:
                self.process = subprocess.Popen(
                    command,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    cwd=ROOT,
                )
            if self._ready():
                return self
            self.stop()
        raise RuntimeError(f"serve did not start:\n{self.log.read_text(errors='replace')}")

    def _ready(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT
        delay = 0.05
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            with contextlib.suppress(OSError):
                if http(f"{self.sparql}?query=ASK%7B%7D").status == 200:
                    return True
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        return False

    def stop(self) -> None:
        processes.stop(self.process, timeout=20)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("serve") / "store"
    Atlas.build(store_dir=target, reason=False).close()
    return target


@pytest.fixture(scope="module")
def server(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    args = ["serve", "--store", str(store_dir), "--timeout", "3", "--workers", "2"]
    args += ["--memory-mb", "1024"]
    started = Server(args, tmp_path_factory.mktemp("serve-log") / "serve.log").start()
    yield started
    started.stop()


def test_it_listens_on_127_0_0_1_and_answers(server: Server) -> None:
    answer = server.query(SIMPLE)
    assert answer.status == 200
    assert len(json.loads(answer.body)["results"]["bindings"]) >= 4
    assert http(f"{server.base}/", headers={"Accept": "text/turtle"}).status == 200


@pytest.mark.parametrize(
    ("hostile", "status", "message"),
    [
        (NESTED, 400, "nested deeper than 100 levels"),
        (CROSS_JOIN, 503, "time limit of 3 s"),
        (VALUES_COUNT, 503, "time limit of 3 s"),
    ],
    ids=["nested-20000", "cross-join", "values-count"],
)
def test_a_hostile_query_is_stopped_while_another_client_is_answered(
    server: Server, hostile: str, status: int, message: str
) -> None:
    before = server.query(COUNT, "text/csv").body
    outcome: dict[str, Answer] = {}
    started = threading.Event()

    def attack() -> None:
        started.set()
        outcome["hostile"] = server.query(hostile)

    thread = threading.Thread(target=attack)
    thread.start()
    started.wait()
    simple: list[Answer] = []
    while thread.is_alive() or not simple:
        simple.append(server.query(SIMPLE))
        if len(simple) >= 3 and not thread.is_alive():
            break
    thread.join()
    stopped = outcome["hostile"]
    assert stopped.status == status, stopped.body
    assert message in stopped.body
    assert "Traceback" not in stopped.body
    assert all(a.status == 200 for a in simple), [a.body for a in simple if a.status != 200]
    if status == 503:  # the other client was answered while the hostile query ran
        assert any(a.finished < stopped.finished for a in simple)
    assert server.query(COUNT, "text/csv").body == before


def test_updates_and_writes_over_http_leave_the_store_unchanged(server: Server) -> None:
    before = server.query(COUNT, "text/csv").body
    update = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert http(server.sparql, data=update, headers=form).status == 403
    assert server.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }").status == 403
    turtle = {"Content-Type": "text/turtle"}
    for method in ("PUT", "POST", "DELETE"):
        answer = http(
            f"{server.base}/store?default",
            data=b"<urn:a> <urn:b> <urn:c> .",
            headers=turtle,
            method=method,
        )
        assert answer.status == 403
    assert server.query(COUNT, "text/csv").body == before


def test_a_body_over_one_megabyte_is_413(server: Server) -> None:
    body = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * (1024 * 1024)
    answer = http(server.sparql, data=body, headers={"Content-Type": "application/sparql-query"})
    assert answer.status == 413


def test_an_over_long_get_is_414_not_a_dropped_connection(server: Server) -> None:
    query = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } #" + "x" * 40_000)
    answer = http(f"{server.sparql}?query={query}")
    assert answer.status == 414
    assert "POST" in answer.body
    under = urllib.parse.quote("ASK { ?s ?p ?o } #" + "x" * 20_000)  # over h11's default 16 KB
    assert http(f"{server.sparql}?query={under}").status == 200


def test_cq014_over_http_equals_the_command_line(server: Server, store_dir: Path) -> None:
    answer = http(
        f"{server.base}/api/cq-014-who-can-block-in-a-city?city=oakland",
        headers={"Accept": "text/csv"},
    )
    assert answer.status == 200
    command = [
        sys.executable,
        "-m",
        "pipeline_atlas",
        "query",
        "cq-014",
        "--param",
        "city=oakland",
        "--format",
        "csv",
        "--store",
        str(store_dir),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, timeout=300, check=True
    )
    assert answer.body.splitlines() == done.stdout.splitlines()


def test_sparqlwrapper_gets_the_embedded_answer(server: Server, store_dir: Path) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server.sparql)
    client.setQuery(SIMPLE)
    client.setReturnFormat(JSON)
    got = client.query().convert()
    assert isinstance(got, dict)
    stages = sorted(b["stage"]["value"] for b in got["results"]["bindings"])
    with Atlas.open(store_dir) as atlas:
        assert stages == sorted(str(r["stage"]) for r in atlas.query(SIMPLE).rows)


def test_rdflib_sparqlstore_gets_the_embedded_answer(server: Server, store_dir: Path) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(SPARQLStore(server.sparql, returnFormat="json"))
    stages = sorted(str(row[0]) for row in graph.query(SIMPLE))
    with Atlas.open(store_dir) as atlas:
        assert stages == sorted(str(r["stage"]) for r in atlas.query(SIMPLE).rows)
    ask = graph.query("ASK { ?s a <https://w3id.org/pipeline-atlas/ont/Stage> }")
    assert ask.askAnswer is True


def test_the_query_page_and_its_assets_come_from_the_server(server: Server) -> None:
    page = http(f"{server.base}/query", headers={"Accept": "text/html"})
    assert page.status == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in (
        "/static/yasgui/yasgui.min.js",
        "/static/yasgui/yasgui.min.css",
        "/static/query.js",
    ):
        assert http(f"{server.base}{asset}").status == 200


def test_serve_endpoint_answers_as_the_oxigraph_server(
    oxigraph_endpoint: str, tmp_path: Path
) -> None:
    proxy = Server(
        ["serve", "--endpoint", oxigraph_endpoint, "--workers", "1"], tmp_path / "serve.log"
    ).start()
    try:
        answer = http(
            f"{proxy.base}/api/cq-014-who-can-block-in-a-city?city=oakland",
            headers={"Accept": "application/sparql-results+json"},
        )
        assert answer.status == 200, answer.body
        with Atlas.open_endpoint(oxigraph_endpoint) as direct:
            expected = direct.query("cq-014", params={"city": "oakland"}).to("json")
        assert json.loads(answer.body) == json.loads(expected)
        mine = proxy.query(SIMPLE)
        assert mine.status == 200
        with Atlas.open_endpoint(oxigraph_endpoint) as direct:
            rows = direct.query(SIMPLE).rows
        assert len(json.loads(mine.body)["results"]["bindings"]) == len(rows)
    finally:
        proxy.stop()
