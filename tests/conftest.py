"""Shared fixtures.

* ``fixture_project``, ``fixture_atlas``, ``fixture_env``: a small project of our own
  (tests/fixtures/project), never the real graph.
* ``atlas``: the real graph, once embedded (in memory, no reasoner) and once on a real Oxigraph
  server (``integration``), so the competency-question and plan tests run the same assertions on
  both stores. (Not on Virtuoso: it answers some of them differently, see
  tests/integration/test_virtuoso.py.)
* ``virtuoso_server`` / ``virtuoso_endpoint``: a real Virtuoso on 127.0.0.1 holding the graph
  (tests/virtuoso_server.py).
* ``oxigraph_server`` / ``oxigraph_endpoint``: real Oxigraph servers on 127.0.0.1, polled until
  they answer, stopped at the end of the session.
* ``listener``: a TCP listener on 127.0.0.1 that must receive nothing (outbound-request guards).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

import processes
from processes import free_port

try:
    import pipeline_atlas  # noqa: F401
except ModuleNotFoundError:  # a checkout that is not installed: test the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pipeline_atlas.atlas import Atlas
from pipeline_atlas.paths import ENV_ROOT, ProjectPaths, project_paths
from virtuoso_server import virtuoso_endpoint, virtuoso_server  # noqa: F401 (fixtures)

FIXTURE_PROJECT = Path(__file__).resolve().parent / "fixtures" / "project"


@pytest.fixture
def fixture_project(tmp_path: Path) -> ProjectPaths:
    """A private copy of the fixture project that a test may change."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    return ProjectPaths.at(root)


@pytest.fixture(scope="session")
def fixture_atlas() -> Atlas:
    """The fixture project built in memory, without the reasoner (read it, do not change it)."""
    return Atlas.build(reason=False, paths=ProjectPaths.at(FIXTURE_PROJECT))


@pytest.fixture
def fixture_env(fixture_project: ProjectPaths, monkeypatch: pytest.MonkeyPatch) -> ProjectPaths:
    """Point the CLI (``PIPELINE_ATLAS_ROOT``) at a private copy of the fixture project."""
    monkeypatch.setenv(ENV_ROOT, str(fixture_project.root))
    return fixture_project


# --- the real graph on both stores --------------------------------------------------------------


@pytest.fixture(
    scope="session",
    params=[
        "embedded",
        pytest.param("oxigraph", marks=pytest.mark.integration),
    ],
)
def atlas(request: pytest.FixtureRequest) -> Iterator[Atlas]:
    """The real graph, read-only: ``embedded`` is built in memory without the reasoner;
    ``oxigraph`` is a real Oxigraph server holding the graph pushed with the reasoner's output,
    queried with ``default-graph-uri`` (the server is started without ``--union-default-graph``).
    The tests that use it must give the same answers on both."""
    if request.param == "embedded":
        built = Atlas.build(reason=False)
    else:
        url = request.getfixturevalue(f"{request.param}_endpoint")
        built = Atlas.open_endpoint(url, union_default_graph=False)
    yield built
    built.close()


# --- real Oxigraph servers ----------------------------------------------------------------------

OXIGRAPH_START_TIMEOUT = 30.0
"""Seconds a server may take to answer its first query."""


def oxigraph_binary() -> str:
    """The Oxigraph server: the one beside this Python (the ``dev`` extra installs it), else the
    one on the PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        pytest.fail("no `oxigraph` server: install the dev extra (pip install -e '.[dev]')")
    return found


@dataclass
class OxigraphServer:
    """An ``oxigraph serve`` process on 127.0.0.1 with its own data directory."""

    location: Path
    union_default_graph: bool = False
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    def start(self) -> OxigraphServer:
        """Start the server and wait until it answers a query (polling, never a fixed sleep);
        a port taken in between is retried on another one."""
        for _attempt in range(3):
            self.port = free_port()
            command = [oxigraph_binary(), "serve", "--location", str(self.location)]
            command += ["--bind", f"127.0.0.1:{self.port}"]
            if self.union_default_graph:
                command.append("--union-default-graph")
            log = self.location.with_suffix(".log")
            with log.open("wb") as out:
                self.process = subprocess.Popen(
                    command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
                )
            if self._wait_until_ready():
                return self
        raise RuntimeError(
            f"the Oxigraph server did not start: {' '.join(command)}\n"
            + log.read_text(errors="replace")
        )

    def _wait_until_ready(self) -> bool:
        assert self.process is not None
        if processes.wait_until_answers(
            self.process, self.query_url, timeout=OXIGRAPH_START_TIMEOUT, max_delay=0.2
        ):
            return True
        self.stop()
        return False

    def stop(self) -> None:
        processes.stop(self.process, timeout=10)
        self.process = None


@pytest.fixture(scope="session")
def oxigraph_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., OxigraphServer]]:
    """Start Oxigraph servers: ``oxigraph_server(union_default_graph=False)``; each has a fresh
    data directory and is stopped at the end of the session."""
    started: list[OxigraphServer] = []

    def start(*, union_default_graph: bool = False) -> OxigraphServer:
        location = tmp_path_factory.mktemp("oxigraph") / "data"
        server = OxigraphServer(location, union_default_graph=union_default_graph)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (between the xdist workers of one session)."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def session_dir(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A directory of this test session that every xdist worker of it shares."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the workers' base directories sit side by side in the session's
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def reasoner_build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build directory whose reasoner cache (``reasoner/<key>.nt``) holds HermiT's answer for
    the project's graph. HermiT runs once per test session, here (the directory is new each
    session; xdist workers share it and wait for the first): the inferred graph, the reasoner
    tests, validation and the pushed graph all read that answer."""
    from pipeline_atlas.build.load import parse_files, source_files
    from pipeline_atlas.build.reason import cache_key, infer, reasoner_input

    folder = session_dir(tmp_path_factory, "reasoner-build")
    paths = project_paths()
    quads = [q for qs in parse_files(source_files(paths), root=paths.root).values() for q in qs]
    with file_lock(folder / "reasoner.lock"):
        if not (folder / "reasoner" / f"{cache_key(reasoner_input(quads))}.nt").is_file():
            infer(quads, build_dir=folder)
    return folder


@pytest.fixture(scope="session")
def unreasoned_graphs() -> Iterator[dict[str, list[ox.Quad]]]:
    """The real graph as a store built in memory without the reasoner gives it (the dataset's
    description included): graph IRI → quads. Read it, do not change it."""
    from pipeline_atlas.build.load import graphs_of

    atlas = Atlas.build(reason=False)
    try:
        yield graphs_of(atlas)
    finally:
        atlas.close()


@pytest.fixture(scope="session")
def reasoned_graphs(reasoner_build_dir: Path) -> dict[str, list[ox.Quad]]:
    """The project's graphs with the reasoner's output (``pag:inferred``), from the session's
    reasoner cache."""
    from pipeline_atlas.build import build_graphs

    paths = project_paths()
    return build_graphs(ProjectPaths.at(paths.root, build=reasoner_build_dir), reason=True)


@pytest.fixture(scope="session")
def project_with_reasoner_cache(
    reasoner_build_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> ProjectPaths:
    """The real project seen through symbolic links, with the session's reasoner cache as its
    ``build/reasoner``: point ``PIPELINE_ATLAS_ROOT`` at it to run the CLI in a subprocess
    without starting Java again."""
    real = project_paths()
    root = tmp_path_factory.mktemp("project")
    for name in ("ontology", "graph_data", "queries"):
        (root / name).symlink_to(real.root / name, target_is_directory=True)
    (root / "build").mkdir()
    (root / "build" / "reasoner").symlink_to(reasoner_build_dir / "reasoner")
    return ProjectPaths.at(root)


@pytest.fixture(scope="session")
def oxigraph_endpoint(
    oxigraph_server: Callable[..., OxigraphServer], reasoned_graphs: dict[str, list[ox.Quad]]
) -> str:
    """The query URL of a real Oxigraph server (without ``--union-default-graph``) that holds
    the project's graph, reasoner's output included, pushed through the Graph Store Protocol."""
    from pipeline_atlas.build.push import graph_store_url, push_graphs

    server = oxigraph_server(union_default_graph=False)
    push_graphs(reasoned_graphs, graph_store=graph_store_url(server.query_url))
    return server.query_url


# --- a listener that must receive nothing --------------------------------------------------------


@dataclass
class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it accepts (and closes it)."""

    port: int
    connections: list[tuple[str, int]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def wait_for_connection(self, timeout: float = 5.0) -> bool:
        """Whether a connection arrived within ``timeout`` seconds (for a positive control)."""
        deadline = time.monotonic() + timeout
        while not self.connections and time.monotonic() < deadline:
            time.sleep(0.01)
        return bool(self.connections)


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A listener on a free port of 127.0.0.1, in a thread, for the duration of one test."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.05)
    record = Listener(port=int(server.getsockname()[1]))
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, peer = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            record.connections.append(peer)
            conn.close()  # an answer-less close: the client errors out at once

    thread = threading.Thread(target=accept, name="listener", daemon=True)
    thread.start()
    try:
        yield record
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()
