"""The sandbox for queries that a person wrote: a worker process with time, memory and row limits.

pyoxigraph cannot stop a query: it has no timeout, a query can allocate without bound, and a
query nested some thousands deep overflows its parser's stack and kills the process. So a query
whose text comes from a person (the CLI's ad-hoc queries, the explorer's SPARQL page, the
endpoint) runs in :class:`SandboxedStore`:

1. its text is inspected without a parser (:func:`~pipeline_atlas.catalogue.sparql.inspect_query`):
   updates and ``SERVICE`` are refused (a ``SERVICE`` naming an endpoint of
   ``Limits.allow_service`` excepted), and so are texts that are too long or nested too deep;
2. it runs once, in a worker process that opened the same store (a store directory read-only,
   the content of an in-memory store, or the same remote endpoint), under an address-space limit
   (``memory_mb``) and with at most ``max_rows`` rows or triples; its syntax is checked by the
   store's parser there, before anything is evaluated;
3. the caller waits at most ``timeout`` seconds. A worker that runs past it, runs out of memory
   or crashes is killed and replaced, and the caller gets a one-line
   :class:`~pipeline_atlas.errors.QueryStoppedError` naming the limit. The process that asked is
   never at risk, and the next query is answered normally.

Queries are answered one at a time per sandbox (a lock), which is what a CLI, a notebook or one
explorer process needs.
"""

from __future__ import annotations

import contextlib
import multiprocessing.connection
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..catalogue.sparql import DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, inspect_query
from ..errors import AtlasError, QueryStoppedError, StoreError
from ..results import QueryResult, Term
from .base import DEFAULT_MAX_ROWS, QueryStore, allowing_services

__all__ = ["DEFAULT_LIMITS", "Limits", "SandboxedStore", "open_spec"]

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The limits of a person's query.

    ``timeout`` seconds of waiting for an answer, ``memory_mb`` of address space for the worker
    (``None``: no limit), ``max_rows`` rows or triples, ``max_length`` characters of query text,
    ``max_depth`` levels of nesting; ``start_timeout`` bounds a worker's start (opening or
    loading the store), which does not count against ``timeout``. ``allow_service`` lists the
    endpoints (exact IRIs) that ``SERVICE`` may call (none by default: see
    :func:`~pipeline_atlas.catalogue.sparql.inspect_query`).
    """

    timeout: float = 10.0
    memory_mb: int | None = 2048
    max_rows: int = DEFAULT_MAX_ROWS
    max_length: int = DEFAULT_MAX_LENGTH
    max_depth: int = DEFAULT_MAX_DEPTH
    start_timeout: float = 300.0
    allow_service: tuple[str, ...] = ()

    def with_options(self, **changes: Any) -> Limits:
        """A copy with some limits changed (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


DEFAULT_LIMITS = Limits()


def open_spec(spec: tuple[str, object]) -> QueryStore:
    """Open the store described by a ``sandbox_spec()``: ``("directory", path)``,
    ``("nquads", data)`` or ``("endpoint", (url, union, auth, timeout))``."""
    kind, value = spec
    if kind == "directory":
        from .embedded import EmbeddedStore

        return EmbeddedStore(Path(str(value)), read_only=True)
    if kind == "nquads":
        import pyoxigraph as ox

        from .embedded import EmbeddedStore

        store = EmbeddedStore()
        assert isinstance(value, bytes)
        graphs: dict[str, list[ox.Quad]] = {}
        for quad in ox.parse(value, format=ox.RdfFormat.N_QUADS):
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode):
                graphs.setdefault(graph.value, []).append(quad)
        store.replace_graphs(graphs)
        return store
    if kind == "endpoint":
        from .remote import Credentials, RemoteStore

        assert isinstance(value, tuple)
        url, union, auth, timeout = value
        credentials = Credentials(str(auth[0]), str(auth[1])) if auth else None
        return RemoteStore(
            str(url),
            union_default_graph=bool(union),
            credentials=credentials,
            timeout=float(timeout),
        )
    raise StoreError(f"unknown store kind {kind!r} for the query sandbox")


def _worker_main(fd: int) -> None:  # pragma: no cover - runs in the worker (tested from outside)
    """The worker: read the spec and limits, limit memory, open the store, answer queries until
    the connection closes. Its standard error is a file the parent reads after a crash."""
    conn = multiprocessing.connection.Connection(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    spec, memory_mb, allow_service = conn.recv()
    if memory_mb is not None:
        import resource

        limit = memory_mb * _MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        store = open_spec(spec)
    except AtlasError as exc:
        conn.send(("error", exc))
        return
    except Exception as exc:
        conn.send(("error", StoreError(f"the query worker cannot open the store: {exc}")))
        return
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if request[0] == "graphs":
                conn.send(("ok", store.named_graphs()))
                continue
            _, sparql, bindings, prefixes, source, max_rows = request
            with allowing_services(allow_service):
                result = store.query(
                    sparql, bindings=bindings, prefixes=prefixes, source=source, max_rows=max_rows
                )
            conn.send(("ok", result))
        except AtlasError as exc:
            conn.send(("error", exc))
        except MemoryError:
            conn.send(("memory", None))
        except Exception as exc:
            conn.send(("error", StoreError(f"{request[4]}: {type(exc).__name__}: {exc}")))


_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


class _Worker:
    """One worker process: a fresh interpreter (``python -m pipeline_atlas.store._worker``),
    so nothing of the caller's ``__main__`` is imported again, talking over a socket pair."""

    def __init__(self, spec: tuple[str, object], limits: Limits) -> None:
        # closed in stop(); the worker writes its standard error there
        self.stderr = tempfile.TemporaryFile(prefix="pipeline-atlas-worker-")  # noqa: SIM115
        parent, child = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH", "")) if p
        )
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "pipeline_atlas.store._worker", str(child.fileno())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self.stderr,
                pass_fds=(child.fileno(),),
                env=env,
                start_new_session=True,
            )
        finally:
            child.close()
        self.conn = multiprocessing.connection.Connection(parent.detach())
        self.conn.send((spec, limits.memory_mb, limits.allow_service))
        self.ready = False

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise StoreError(f"the query worker did not start within {timeout:g} s")
        try:
            status, payload = self.conn.recv()
        except (EOFError, OSError):
            self.process.wait(5)
            raise StoreError(f"the query worker failed to start: {self.diagnosis()}") from None
        if status == "error":
            raise payload
        self.ready = True

    def _stderr_text(self) -> str:
        with contextlib.suppress(OSError, ValueError):
            self.stderr.seek(0)
            return self.stderr.read(20_000).decode("utf-8", "replace")
        return ""

    def diagnosis(self) -> str:
        """What the dead worker left on its standard error, in a few words."""
        lines = [line.strip() for line in self._stderr_text().splitlines() if line.strip()]
        if lines:
            return " ".join(lines[-2:])[:200]
        code = self.process.returncode
        if code is not None and code < 0:
            with contextlib.suppress(ValueError):
                return f"signal {signal.Signals(-code).name}"
        return f"exit code {code}"

    def out_of_memory(self) -> bool:
        if self.process.returncode == -signal.SIGKILL:
            return True
        text = self._stderr_text()
        return "memory allocation of" in text or "MemoryError" in text

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        with contextlib.suppress(OSError):
            self.stderr.close()


class SandboxedStore:
    """A :class:`~pipeline_atlas.store.base.QueryStore` that runs every query in a worker.

    ``spec`` says how the worker opens the store (see :func:`open_spec`; every store class has
    a ``sandbox_spec()``); ``limits`` are the :class:`Limits`.
    """

    def __init__(
        self,
        spec: tuple[str, object],
        *,
        limits: Limits = DEFAULT_LIMITS,
        union_default_graph: bool = True,
        description: str = "store",
    ) -> None:
        self.spec = spec
        self.limits = limits
        self.union_default_graph = union_default_graph
        self._description = description
        self._lock = threading.Lock()
        self._worker: _Worker | None = None
        self._closed = False

    @classmethod
    def around(cls, store: Any, *, limits: Limits = DEFAULT_LIMITS) -> SandboxedStore:
        """A sandbox over the same data as ``store`` (an embedded or remote store)."""
        spec = store.sandbox_spec()
        return cls(
            spec,
            limits=limits,
            union_default_graph=store.union_default_graph,
            description=store.describe(),
        )

    def describe(self) -> str:
        """The store the worker queries, and that it is sandboxed."""
        return f"{self._description} (sandboxed)"

    def __repr__(self) -> str:
        return f"<SandboxedStore {self.describe()}>"

    @property
    def worker_pid(self) -> int | None:
        """The process id of the current worker (``None`` before the first query)."""
        worker = self._worker
        return worker.process.pid if worker is not None and worker.alive() else None

    def start(self) -> None:
        """Start the worker now (otherwise it starts with the first query)."""
        with self._lock:
            self._ready_worker()

    def _ready_worker(self) -> _Worker:
        if self._closed:
            raise StoreError("the query sandbox is closed")
        if self._worker is None or not self._worker.alive():
            if self._worker is not None:
                self._worker.stop()
            self._worker = _Worker(self.spec, self.limits)
        try:
            self._worker.wait_ready(self.limits.start_timeout)
        except BaseException:
            self._worker.stop()
            self._worker = None
            raise
        return self._worker

    def _replace_worker(self) -> None:
        if self._worker is not None:
            self._worker.stop()
        self._worker = None if self._closed else _Worker(self.spec, self.limits)

    def _ask(self, request: tuple[Any, ...], source: str) -> Any:
        with self._lock:
            worker = self._ready_worker()
            try:
                worker.conn.send(request)
                if not worker.conn.poll(self.limits.timeout):
                    self._replace_worker()
                    raise QueryStoppedError(source, "timeout", limit=self.limits.timeout)
                status, payload = worker.conn.recv()
            except (EOFError, OSError):
                with contextlib.suppress(subprocess.TimeoutExpired):
                    worker.process.wait(5)
                memory = worker.out_of_memory()
                detail = "" if memory else worker.diagnosis()
                self._replace_worker()
                if memory and self.limits.memory_mb is not None:
                    raise QueryStoppedError(
                        source, "memory", limit=float(self.limits.memory_mb)
                    ) from None
                raise QueryStoppedError(source, "crash", detail=detail) from None
            except KeyboardInterrupt:
                self._replace_worker()
                raise
        if status == "ok":
            return payload
        if status == "memory":
            raise QueryStoppedError(source, "memory", limit=float(self.limits.memory_mb or 0))
        raise payload

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        prefixes: Mapping[str, str] | None = None,
        source: str = "<query>",
        max_rows: int | None = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        """Inspect the text, then run it in the worker under the limits (``max_rows`` is capped
        by ``limits.max_rows``)."""
        inspect_query(
            sparql,
            source=source,
            max_length=self.limits.max_length,
            max_depth=self.limits.max_depth,
            allow_service=self.limits.allow_service,
        )
        rows = self.limits.max_rows if max_rows is None else min(max_rows, self.limits.max_rows)
        request = ("query", sparql, dict(bindings or {}), dict(prefixes or {}), source, rows)
        result = self._ask(request, source)
        assert isinstance(result, QueryResult)
        return result

    def named_graphs(self) -> list[str]:
        """The named graphs of the store, as the worker sees them."""
        graphs = self._ask(("graphs",), "named graphs")
        return list(graphs)

    def close(self) -> None:
        """Stop the worker."""
        with self._lock:
            self._closed = True
            if self._worker is not None:
                self._worker.stop()
                self._worker = None
