"""A real Virtuoso (Debian ``virtuoso-opensource``) on 127.0.0.1 for the integration tests.

``virtuoso_endpoint`` (session scope, loaded by tests/conftest.py) starts one ``virtuoso-t`` with
an ini of its own in a temporary folder (database, transaction log and error log there; the SQL
port and the HTTP port are free ports of 127.0.0.1; no other listener), polls ``/sparql`` until
it answers, pushes the project's graph (reasoner's output included) through the Graph Store
endpoint ``/sparql-graph-crud-auth`` with HTTP digest authentication (``dba``/``dba``: a fresh
database), and stops the server at the end of the session.

Virtuoso's default graph is the union of every graph it holds, its own system graphs
(``virtrdf#``…) included, so the atlas reads it with ``union_default_graph=False``: the queries
name the project's graphs with ``default-graph-uri``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

import processes
from processes import free_port

VIRTUOSO_START_TIMEOUT = 120.0
"""Seconds a server may take to answer its first query (a fresh database is made first)."""

VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"  # a fresh database's; the server listens on 127.0.0.1 only

INI = """\
; Written by tests/virtuoso_server.py: one test session's Virtuoso, on 127.0.0.1 only.
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = {folder}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {folder}/vsp
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8
EnabledDavVSP        = 0

[SPARQL]
; Virtuoso cuts every answer at ResultSetMaxRows without saying so: above any answer of ours.
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime = 300
; No MaxQueryCostEstimationTime: its estimates of our larger queries (cq-014) are nonsense
; ("the estimated execution time 0 (sec) exceeds the limit of 400 (sec)").
"""


def virtuoso_binary() -> str:
    """``virtuoso-t`` on the PATH (Debian: ``virtuoso-opensource``, ``make system-deps``)."""
    found = shutil.which("virtuoso-t")
    if found is None:
        pytest.fail(
            "no `virtuoso-t`: install Virtuoso (Debian: apt-get install virtuoso-opensource, "
            "or `make system-deps` as root)"
        )
    return found


@dataclass
class VirtuosoServer:
    """A ``virtuoso-t +foreground`` process with its own ini and database in ``folder``."""

    folder: Path
    sql_port: int = 0
    http_port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def graph_store_url(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def log(self) -> Path:
        return self.folder / "virtuoso.log"

    def start(self) -> VirtuosoServer:
        """Start the server and wait until ``/sparql`` answers (polling, never a fixed sleep);
        ports taken in between are retried on others (with a fresh database)."""
        for attempt in range(3):
            self.folder.mkdir(parents=True, exist_ok=True)
            for leftover in self.folder.glob("virtuoso*"):
                leftover.unlink()  # a fresh database each attempt
            (self.folder / "vsp").mkdir(exist_ok=True)
            self.sql_port, self.http_port = free_port(), free_port()
            if self.sql_port == self.http_port:
                continue
            ini = self.folder / "virtuoso.ini"
            ini.write_text(
                INI.format(folder=self.folder, sql_port=self.sql_port, http_port=self.http_port)
            )
            command = [virtuoso_binary(), "+configfile", str(ini), "+foreground"]
            with (self.folder / f"stdout-{attempt}.txt").open("wb") as out:
                self.process = subprocess.Popen(
                    command,
                    cwd=self.folder,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            if self._wait_until_ready():
                return self
        log = self.log.read_text(errors="replace") if self.log.is_file() else ""
        raise RuntimeError(f"Virtuoso did not start: {' '.join(command)}\n{log[-3000:]}")

    def _wait_until_ready(self) -> bool:
        assert self.process is not None
        if processes.wait_until_answers(
            self.process, self.query_url, timeout=VIRTUOSO_START_TIMEOUT, max_delay=0.5
        ):
            return True
        self.stop()
        return False

    def stop(self) -> None:
        """Stop the server (SIGTERM: Virtuoso shuts down cleanly), and wait for it."""
        processes.stop(self.process, timeout=60)
        self.process = None


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """A running Virtuoso with a fresh, empty database; stopped at the end of the session."""
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_endpoint(
    virtuoso_server: VirtuosoServer, reasoned_graphs: dict[str, list[ox.Quad]]
) -> str:
    """The query URL (``/sparql``) of the session's Virtuoso, holding the project's graph with
    the reasoner's output, pushed through ``/sparql-graph-crud-auth`` with digest authentication
    (what ``pipeline-atlas --endpoint URL push --user dba --password dba`` does)."""
    from pipeline_atlas.build.push import graph_store_url, push_graphs
    from pipeline_atlas.store.remote import Credentials

    store = graph_store_url(virtuoso_server.query_url, authenticated=True)
    assert store == virtuoso_server.graph_store_url
    push_graphs(
        reasoned_graphs,
        graph_store=store,
        credentials=Credentials(VIRTUOSO_USER, VIRTUOSO_PASSWORD),
    )
    return virtuoso_server.query_url
