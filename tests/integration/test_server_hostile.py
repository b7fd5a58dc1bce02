"""Hostile clients against a real uvicorn process on 127.0.0.1 (issue 8, points 3 and 8).

* hypothesis sends raw requests over sockets (random request lines, bad percent-encodings,
  invalid UTF-8, random headers, random methods and paths) and many malformed queries: every
  answer is a well-formed HTTP answer with an expected status, never 500, never a traceback;
* slow clients (slowloris): connections that send their headers or body byte by byte, or
  nothing, are answered 408 and closed by the server, while a normal client keeps getting
  answers; connections past the limit get 503 and are closed;
* ``--allow-service``: a query whose SERVICE names an allowed endpoint (a second Oxigraph
  server) gets that endpoint's answer; an unlisted one (the ``listener``) is refused and never
  contacted.

No assertion on durations: only on answers, their order and their completion (with generous
waits).
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Listener, OxigraphServer, free_port
from pipeline_atlas import Atlas
from pipeline_atlas.paths import ProjectPaths

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "project"
START_TIMEOUT = 120.0
WAIT = 90.0
"""Seconds a slow connection may wait for the server to close it (generous: the limit is 2 s)."""
EXPECTED = frozenset({200, 301, 303, 307, 400, 403, 404, 405, 406, 408, 413, 414, 415, 503})
SIMPLE = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 1"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
HEAVY = settings(
    max_examples=1500,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SERVER_SCRIPT = textwrap.dedent(
    """
    import sys
    from pipeline_atlas import Atlas, Limits
    from pipeline_atlas.server import ServerSettings
    from pipeline_atlas.server.app import serve

    store, port = sys.argv[1], int(sys.argv[2])
    limits = Limits(timeout=3, memory_mb=1024, max_rows=20_000)
    settings = ServerSettings(
        port=port, limits=limits, workers=2, header_timeout=2, body_timeout=2,
        max_connections=60,
    )
    serve(Atlas.open(store), settings, log_level="warning")
    """
)


def http(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with OPENER.open(request, timeout=120) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@dataclass
class Served:
    """A real uvicorn process serving the fixture project's store."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def query(self, text: str, accept: str = "text/csv") -> tuple[int, str]:
        url = f"{self.base}/sparql?" + urllib.parse.urlencode({"query": text})
        return http(url, headers={"Accept": accept})

    def alive(self) -> bool:
        return self.process.poll() is None


def start(command: list[str], log: Path, port: int) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(OSError):
            if http(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D")[0] == 200:
                return process
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"the server did not start:\n{log.read_text(errors='replace')}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("hostile") / "store"
    Atlas.build(store_dir=target, reason=False, paths=ProjectPaths.at(FIXTURE)).close()
    return target


@pytest.fixture(scope="module")
def served(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The endpoint with short request timeouts (2 s) and at most 60 connections."""
    log = tmp_path_factory.mktemp("hostile-log") / "serve.log"
    port = free_port()
    command = [sys.executable, "-c", SERVER_SCRIPT, str(store_dir), str(port)]
    process = start(command, log, port)
    server = Served(process, port, log)
    before = server.query(COUNT)
    assert before[0] == 200
    yield server
    try:
        assert server.alive(), log.read_text(errors="replace")
        assert server.query(COUNT) == before  # the store is unchanged
    finally:
        stop(process)
    assert "Traceback" not in log.read_text(errors="replace")


def raw(port: int, data: bytes, *, wait: float = WAIT) -> bytes:
    """Send ``data`` on a new connection and read the answer until the server closes (or
    ``wait`` seconds pass)."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        with contextlib.suppress(OSError):
            sock.sendall(data)
        chunks: list[bytes] = []
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


def statuses(answer: bytes) -> list[int]:
    """The statuses of the HTTP answers in ``answer`` (several when keep-alive pipelines)."""
    found = []
    for line in answer.split(b"\r\n"):
        if line.startswith(b"HTTP/1.1 "):
            found.append(int(line.split()[1]))
    return found


def check_raw(answer: bytes) -> None:
    """A raw answer: empty (the server closed) or HTTP answers with expected statuses."""
    if not answer:
        return
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    codes = [c for c in statuses(answer) if c != 100]  # 100 Continue for `Expect`
    assert codes and all(c in EXPECTED for c in codes), answer[:500]
    assert b"Traceback" not in answer


# --- fuzzing over real HTTP ------------------------------------------------------------------

METHOD = st.sampled_from([b"GET", b"POST", b"HEAD", b"PUT", b"DELETE", b"OPTIONS", b"X", b""])
TARGET = st.one_of(
    st.sampled_from([b"/sparql?query=ASK%7B%7D", b"/", b"/api", b"/store?default", b"*"]),
    st.binary(max_size=200).map(lambda b: b"/sparql?query=" + b),
    st.lists(st.sampled_from([b"%", b"%FF", b"%C3", b"%00", b"/", b"..", b"?", b"#", b" "]))
    .map(b"".join)
    .map(lambda b: b"/" + b),
)
HEADER_LINE = st.one_of(
    st.sampled_from(
        [
            b"Content-Type: application/sparql-query",
            b"Content-Type: application/x-www-form-urlencoded",
            b"Content-Type: \xff\xfe",
            b"Accept: text/csv;q=nan",
            b"Accept: \x00",
            b"Content-Length: -1",
            b"Content-Length: 99999999999999999999",
            b"Content-Length: 5",
            b"Transfer-Encoding: chunked",
            b"Transfer-Encoding: gzip, chunked",
            b"Expect: 100-continue",
            b"Connection: upgrade\r\nUpgrade: h2c",
            b"Host: 127.0.0.1",
            b"X: " + b"x" * 70_000,
            b": no-name",
            b"NoColon",
        ]
    ),
    st.binary(max_size=80),
)
BODY = st.one_of(
    st.just(b""),
    st.binary(max_size=300),
    st.sampled_from([b"query=ASK%7B%7D", b"ASK {}", b"0\r\n\r\n", b"5\r\nASK {\r\n0\r\n\r\n"]),
)


@HEAVY
@given(
    method=METHOD,
    target=TARGET,
    version=st.sampled_from([b"HTTP/1.1", b"HTTP/1.0", b"HTTP/2.0", b"HTTP/9", b""]),
    headers=st.lists(HEADER_LINE, max_size=6),
    body=BODY,
)
def test_raw_requests_get_well_formed_answers(
    served: Served,
    method: bytes,
    target: bytes,
    version: bytes,
    headers: list[bytes],
    body: bytes,
) -> None:
    request = b" ".join(p for p in (method, target, version) if p) + b"\r\n"
    headers = [*headers, b"Connection: close"]  # the server closes after its answer
    request += b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body
    check_raw(raw(served.port, request))


QUERY = st.one_of(
    st.text(max_size=500),
    st.lists(
        st.sampled_from(
            [
                *("SELECT", "*", "WHERE", "{", "}", "(", ")", "?s", "?p", "?o", ".", "FILTER"),
                *("ASK", "OPTIONAL", "UNION", "VALUES", "<x>", "1", "GRAPH", "DESCRIBE", "BIND"),
                *("AS", '"a"'),
            ]
        ),
        max_size=120,
    ).map(" ".join),
)


@HEAVY
@given(query=QUERY, how=st.sampled_from(["get", "form", "direct"]))
def test_malformed_queries_over_http(served: Served, query: str, how: str) -> None:
    url = f"{served.base}/sparql"
    if how == "get":
        status, body = http(url + "?" + urllib.parse.urlencode({"query": query}))
    elif how == "form":
        data = urllib.parse.urlencode({"query": query}).encode()
        status, body = http(url, data=data)
    else:
        headers = {"Content-Type": "application/sparql-query"}
        status, body = http(url, data=query.encode(), headers=headers)
    assert status in EXPECTED, body
    assert "Traceback" not in body


@pytest.mark.parametrize("patterns", [5, 6, 8])
def test_big_cross_joins_are_stopped_while_others_are_answered(
    served: Served, patterns: int
) -> None:
    body = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(patterns))
    hostile = f"SELECT (COUNT(*) AS ?n) WHERE {{ {body} }}"
    outcome: list[tuple[int, str]] = []
    thread = threading.Thread(target=lambda: outcome.append(served.query(hostile)))
    thread.start()
    simple = [served.query(SIMPLE)]
    while thread.is_alive():
        simple.append(served.query(SIMPLE))
    thread.join()
    assert all(status == 200 for status, _ in simple), simple
    status, text = outcome[0]
    assert status in (200, 503), text
    if patterns >= 6:
        assert status == 503 and "time limit of 3 s" in text


# --- slow clients --------------------------------------------------------------------------------


def slow_sender(port: int, parts: list[bytes], pause: float, answers: list[bytes]) -> None:
    """A client that sends ``parts`` one at a time, ``pause`` seconds apart, then waits for
    the server to close; it records what the server answered."""
    received: list[bytes] = []
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        for part in parts:
            try:
                sock.sendall(part)
            except OSError:
                break
            sock.settimeout(pause)
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            received.append(chunk)
            if not chunk:
                break
        sock.settimeout(WAIT)
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                received.append(chunk)
    answers.append(b"".join(received))


def test_slow_clients_are_cut_off_while_a_normal_client_is_answered(served: Served) -> None:
    header = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    trickle = [header] + [b"X-Slow: " + b"a" * i + b"\r\n" for i in range(400)]
    post = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 1000\r\n\r\nASK"
    )
    body_trickle = [post] + [b" "] * 400
    answers: dict[str, list[bytes]] = {"headers": [], "body": [], "silent": []}
    threads = [
        threading.Thread(target=slow_sender, args=(served.port, trickle, 0.2, answers["headers"]))
        for _ in range(15)
    ]
    threads += [
        threading.Thread(target=slow_sender, args=(served.port, body_trickle, 0.2, answers["body"]))
        for _ in range(15)
    ]
    threads += [
        threading.Thread(target=slow_sender, args=(served.port, [b""], 0.2, answers["silent"]))
        for _ in range(15)
    ]
    for thread in threads:
        thread.start()
    normal = [served.query(SIMPLE) for _ in range(5)]  # while the slow ones are connected
    for thread in threads:
        thread.join(timeout=WAIT + 30)
    assert not any(thread.is_alive() for thread in threads)  # the server closed every one
    assert all(status == 200 for status, _ in normal), normal
    for answer in answers["headers"] + answers["silent"]:
        assert statuses(answer) == [408], answer[:300]
        assert b"did not arrive within 2 s" in answer
    for answer in answers["body"]:
        assert statuses(answer) == [408], answer[:300]
        assert b"request body did not arrive within 2 s" in answer
    assert served.query(SIMPLE)[0] == 200


def test_connections_past_the_limit_get_503_and_the_server_recovers(served: Served) -> None:
    idle: list[socket.socket] = []
    try:
        for _ in range(80):  # the limit is 60
            idle.append(socket.create_connection(("127.0.0.1", served.port), timeout=WAIT))
        answers = []
        for sock in idle:
            sock.settimeout(WAIT)
            with contextlib.suppress(OSError):
                answers.append(sock.recv(65536))
        refused = [a for a in answers if statuses(a) == [503]]
        timed_out = [a for a in answers if statuses(a) == [408]]
        assert len(refused) >= 20 - 1, answers  # the last ones over the limit (give or take one)
        assert len(refused) + len(timed_out) == 80
        assert all(b"too many open connections" in a for a in refused)
    finally:
        for sock in idle:
            sock.close()
    # once the idle connections are gone, a normal client is answered
    deadline = time.monotonic() + WAIT
    status = 0
    while time.monotonic() < deadline and status != 200:
        with contextlib.suppress(OSError):
            status = served.query(SIMPLE)[0]
    assert status == 200


# --- SERVICE and --allow-service -----------------------------------------------------------------


def test_allow_service_reaches_the_listed_endpoint_only(
    store_dir: Path,
    oxigraph_server: Callable[..., OxigraphServer],
    listener: Listener,
    tmp_path: Path,
) -> None:
    other = oxigraph_server()
    triple = b'<https://e.org/a> <https://e.org/p> "from the other store" .\n'
    request = urllib.request.Request(
        f"{other.store_url}?default",
        data=triple,
        headers={"Content-Type": "application/n-triples"},
        method="POST",
    )
    with OPENER.open(request, timeout=30) as answer:
        assert answer.status in (200, 201, 204)
    port = free_port()
    command = [sys.executable, "-m", "pipeline_atlas", "serve", "--store", str(store_dir)]
    command += ["--port", str(port), "--workers", "1", "--timeout", "10"]
    command += ["--allow-service", other.query_url]
    process = start(command, tmp_path / "serve.log", port)
    try:
        served = Served(process, port, tmp_path / "serve.log")
        allowed = f"SELECT ?o WHERE {{ SERVICE <{other.query_url}> {{ ?s ?p ?o }} }}"
        status, body = served.query(allowed, "application/sparql-results+json")
        assert status == 200, body
        values = [b["o"]["value"] for b in json.loads(body)["results"]["bindings"]]
        assert values == ["from the other store"]
        for refused in (
            f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ BIND(<{listener.url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE <{other.query_url}> {{ SERVICE <{listener.url}> {{}} }} }}",
        ):
            status, body = served.query(refused)
            assert status == 403, body
            assert "SERVICE is not allowed" in body
        assert not listener.connections
    finally:
        stop(process)


def test_serve_refuses_a_bad_allow_service_url(store_dir: Path) -> None:
    command = [sys.executable, "-m", "pipeline_atlas", "serve", "--store", str(store_dir)]
    command += ["--allow-service", "file:///etc/passwd"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode != 0
    assert "--allow-service" in result.stderr and "Traceback" not in result.stderr
