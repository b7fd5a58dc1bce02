"""The endpoint's ASGI app (Starlette) and :func:`serve` (uvicorn).

Every query a client sends runs in a :class:`~pipeline_atlas.server.pool.SandboxPool` (worker
processes with the engine's time, memory and row limits), awaited in a thread, so the server
keeps answering other clients while one query runs or is stopped. Nothing a request carries can
change the store: updates, ``LOAD`` and Graph Store writes are refused with 403 before anything
runs, and the workers open the store read-only (or a copy of it).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from ..atlas import Atlas
from ..catalogue import CatalogueQuery, find_query
from ..catalogue.sparql import inspect_query
from ..errors import (
    AtlasError,
    ForbiddenQueryError,
    FormatError,
    ParameterError,
    QueryLimitError,
    QueryNotFoundError,
    QueryStoppedError,
    SparqlSyntaxError,
    StoreError,
)
from ..i18n import LANGUAGES, t
from ..namespaces import PREFIXES
from ..results import QueryResult
from . import describe, pages
from .formats import GRAPH_FORMATS, Format, negotiate, parse_accept, serialize_graph
from .formats import serialize_result as _serialize_result
from .pool import SandboxPool
from .settings import ServerSettings

__all__ = ["HTTPError", "create_app", "serve"]

STATIC = Path(__file__).resolve().parent / "static"

_JSON_TYPES = ("application/json", "application/sparql-results+json")
_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_UPDATE = "application/sparql-update"
_TERM = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,200}$")
_ONTOLOGY_GRAPHS = PREFIXES["pag"] + "ontology/"
_GRAPH_CACHE = 32
"""Graph Store answers (graph, format) kept written: the store never changes while served."""


class HTTPError(Exception):
    """An error answered with ``status`` and a one-line message (never a traceback)."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def status_of(exc: AtlasError) -> int:
    """The HTTP status for a library error.

    >>> status_of(SparqlSyntaxError("query", 1, 5, "unexpected"))
    400
    >>> status_of(QueryStoppedError("query", "timeout", limit=1.0))
    503
    """
    if isinstance(exc, ForbiddenQueryError):
        return 403
    if isinstance(exc, QueryNotFoundError):
        return 404
    if isinstance(exc, FormatError):
        return 406
    if isinstance(exc, QueryStoppedError):
        return 503
    if isinstance(exc, SparqlSyntaxError | ParameterError | QueryLimitError):
        return 400
    if isinstance(exc, StoreError):
        return 502
    return 400


_PAGES = ("/", "/query", "/api", "/api/openapi.json")


def language(request: Request) -> str:
    """The reader's language: ``?lang=`` on a page (not on ``/api/<id>``, where ``lang`` may
    be a query's parameter), else ``Accept-Language`` (``en`` unless Spanish comes first)."""
    if request.url.path in _PAGES and request.query_params.get("lang") in LANGUAGES:
        return str(request.query_params["lang"])
    for media, quality in parse_accept(request.headers.get("accept-language")):
        code = media.split("-")[0]
        if quality > 0 and code in LANGUAGES:
            return code
    return "en"


def prefers_html(request: Request) -> bool:
    """Whether the client is a browser: it names ``text/html`` at least as high as any RDF or
    JSON type."""
    ranges = parse_accept(request.headers.get("accept"))
    html = max((q for m, q in ranges if m in ("text/html", "application/xhtml+xml")), default=0.0)
    other = max(
        (q for m, q in ranges if m not in ("text/html", "application/xhtml+xml", "*/*")),
        default=0.0,
    )
    return html > 0 and html >= other


def wants_json(request: Request) -> bool:
    """Whether an error should be JSON: the client's first choice is a JSON type."""
    ranges = parse_accept(request.headers.get("accept"))
    return bool(ranges) and ranges[0][0] in _JSON_TYPES


def error_response(request: Request, status: int, message: str, **headers: str) -> Response:
    """A one-line error as text (or JSON, when the client asks for JSON)."""
    message = " ".join(message.split())
    if wants_json(request):
        return JSONResponse({"status": status, "error": message}, status, headers=headers)
    return PlainTextResponse(message + "\n", status, headers=headers)


@dataclass
class _State:
    """What the app knows after start-up."""

    atlas: Atlas
    settings: ServerSettings
    pool: SandboxPool
    catalogue: list[CatalogueQuery] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    triples: int = 0
    dataset: list[ox.Triple] = field(default_factory=list)
    version: str = "0"
    docs: Path | None = None
    graph_cache: dict[tuple[str, str], bytes] = field(default_factory=dict)
    graph_lock: anyio.Lock = field(default_factory=anyio.Lock)

    def start(self) -> None:
        """Start the workers, read the catalogue and the counts (blocking)."""
        self.pool.start()
        self.catalogue = self.atlas.catalogue()
        self.named_graphs = self.atlas.store.named_graphs()
        try:
            self.triples = self.atlas.stats().triples
        except AtlasError:
            self.triples = 0
        found = self.atlas.store.query(
            "CONSTRUCT { ?d ?p ?o } WHERE { ?d ?p ?o }",
            bindings={"d": ox.NamedNode(describe.DATASET)},
            source="dataset description",
            max_rows=None,
        )
        self.dataset = list(found.triples)
        with contextlib.suppress(metadata.PackageNotFoundError):
            self.version = metadata.version("pipeline-atlas")


# -- helpers ----------------------------------------------------------------------------------


_DRAIN_FACTOR = 8
"""A body over the limit is still read, and thrown away, up to this many times the limit, so
that the client (which sends its whole body before it reads the answer) gets the 413 instead of
a broken connection; past that the connection is closed at once."""


async def _body(request: Request, limit: int, lang: str, timeout: float | None = None) -> bytes:
    """The request body, at most ``limit`` bytes (counted as it streams; 413 past it), in at
    most ``timeout`` seconds (408 past it: a client that sends slowly or never finishes does not
    hold its request open). A body over the limit is drained, not kept, up to
    ``_DRAIN_FACTOR`` times the limit before the 413, so that the client reads the answer."""
    too_large = HTTPError(413, t("cli.server.error.body_too_large", lang, limit=limit))
    declared = request.headers.get("content-length")
    if (
        declared is not None
        and declared.strip().isdigit()
        and int(declared) > limit * _DRAIN_FACTOR
    ):
        raise HTTPError(
            413,
            t("cli.server.error.body_too_large", lang, limit=limit),
            headers={"Connection": "close"},
        )
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit * _DRAIN_FACTOR:
                    raise HTTPError(
                        413,
                        t("cli.server.error.body_too_large", lang, limit=limit),
                        headers={"Connection": "close"},
                    )
                if size <= limit:
                    chunks.append(chunk)
    except TimeoutError:
        message = t("cli.server.error.body_timeout", lang, limit=f"{timeout:g}")
        raise HTTPError(408, message, headers={"Connection": "close"}) from None
    if size > limit:
        raise too_large
    return b"".join(chunks)


def _decode(data: bytes, lang: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPError(400, t("cli.server.error.not_utf8", lang, position=exc.start)) from None


def _form_fields(body: str, lang: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(
            body, keep_blank_values=True, strict_parsing=False, errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        raise HTTPError(400, t("cli.server.error.bad_form", lang)) from None


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _graph_response(
    request: Request, triples: list[ox.Triple], lang: str, *, prefixes: dict[str, str]
) -> Response:
    fmt = negotiate(
        request.headers.get("accept"), "graph", override=request.query_params.get("format")
    )
    if fmt is None:
        raise _not_acceptable(request, GRAPH_FORMATS, lang)
    return Response(
        serialize_graph(triples, fmt, prefixes=prefixes),
        media_type=fmt.content_type,
        headers={"Vary": "Accept"},
    )


def _not_acceptable(request: Request, formats: tuple[Format, ...], lang: str) -> HTTPError:
    wanted = request.query_params.get("format") or request.headers.get("accept", "")
    wanted = wanted if len(wanted) <= 120 else wanted[:117] + "..."
    return HTTPError(
        406,
        t(
            "cli.server.error.not_acceptable",
            lang,
            wanted=wanted,
            formats=", ".join(f.media_type for f in formats),
        ),
    )


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


# -- the app ----------------------------------------------------------------------------------


class _Guard:
    """Pure ASGI middleware: a query string over the limit gets 414 and a declared body over
    the limit 413, before any handler runs; every answer gets ``nosniff``."""

    def __init__(self, app: ASGIApp, settings: ServerSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        lang = language(request)
        if len(scope.get("query_string", b"")) > self.settings.max_url:
            answer = error_response(
                request, 414, t("cli.server.error.url_too_long", lang, limit=self.settings.max_url)
            )
            await answer(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(atlas: Atlas, settings: ServerSettings | None = None) -> Starlette:
    """The endpoint over ``atlas`` (its store, its catalogue), with ``settings``.

    The sandboxed workers start with the app (its lifespan) and stop with it.
    """
    settings = settings or ServerSettings()
    pool = SandboxPool(atlas.store, settings.limits, settings.workers)
    state = _State(atlas, settings, pool)
    docs = Path(settings.docs_dir) if settings.docs_dir else atlas.paths.root / "docs"
    state.docs = docs if docs.is_dir() else None

    def handled(
        handler: Callable[[Request, str], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            lang = language(request)
            try:
                return await handler(request, lang)
            except HTTPError as exc:
                return error_response(request, exc.status, exc.message, **exc.headers)
            except AtlasError as exc:
                return error_response(request, status_of(exc), str(exc))
            except ClientDisconnect:  # gone while sending its body: nobody reads the answer
                return Response(status_code=400)

        return run

    async def run_query(
        query: CatalogueQuery | str, params: dict[str, str] | None, accept_format: Format
    ) -> Response:
        if isinstance(query, str):
            result: QueryResult = await pool.query(query, prefixes=PREFIXES, source="query")
        else:
            bindings = query.bind(params)
            result = await pool.query(query.sparql, bindings=bindings, source=query.id)
        data = await anyio.to_thread.run_sync(_serialize_result, result, accept_format)
        return Response(data, media_type=accept_format.content_type, headers={"Vary": "Accept"})

    # -- /sparql --------------------------------------------------------------------------

    async def sparql(request: Request, lang: str) -> Response:
        fields: list[tuple[str, str]] = list(request.query_params.multi_items())
        if request.method == "POST":
            media = _media(request)
            if media == _UPDATE:
                raise HTTPError(403, t("cli.server.error.update", lang))
            body = await _body(request, settings.max_body, lang, settings.body_timeout)
            if media == _FORM:
                fields += _form_fields(_decode(body, lang), lang)
            elif media == _DIRECT:
                fields.append(("query", _decode(body, lang)))
            else:
                raise HTTPError(415, t("cli.server.error.content_type", lang, type=media or "-"))
        names = [name for name, _ in fields]
        if "update" in names:
            raise HTTPError(403, t("cli.server.error.update", lang))
        if "default-graph-uri" in names or "named-graph-uri" in names:
            raise HTTPError(400, t("cli.server.error.dataset", lang))
        queries = [value for name, value in fields if name == "query"]
        if not queries:
            if request.method == "GET" and prefers_html(request):
                return RedirectResponse("/query", 303)
            if request.method == "GET":
                return await home(request, lang)
            raise HTTPError(400, t("cli.server.error.no_query", lang))
        if len(queries) > 1:
            raise HTTPError(400, t("cli.server.error.two_queries", lang))
        text = queries[0]
        limits = settings.limits
        form = inspect_query(
            text,
            source="query",
            max_length=limits.max_length,
            max_depth=limits.max_depth,
            allow_service=limits.allow_service,
        )
        override = next((v for n, v in fields if n == "format"), None)
        fmt = negotiate(request.headers.get("accept"), form, override=override)
        if fmt is None:
            raise _not_acceptable(request, describe_formats(form), lang)
        return await run_query(text, None, fmt)

    # -- /store ---------------------------------------------------------------------------

    async def store_read(request: Request, lang: str) -> Response:
        params = request.query_params
        graph = params.getlist("graph")
        default = "default" in params
        if (len(graph) == 1) == default or len(graph) > 1:
            raise HTTPError(400, t("cli.server.error.store_params", lang))
        if default:
            text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
            bindings: dict[str, ox.NamedNode] = {}
        else:
            try:
                node = ox.NamedNode(graph[0])
            except ValueError:
                raise HTTPError(400, t("cli.server.error.bad_iri", lang, iri=graph[0])) from None
            if node.value not in state.named_graphs:
                raise HTTPError(404, t("cli.server.error.unknown_graph", lang, iri=node.value))
            text = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
            bindings = {"g": node}
        fmt = negotiate(request.headers.get("accept"), "graph", override=params.get("format"))
        if fmt is None:
            raise _not_acceptable(request, GRAPH_FORMATS, lang)
        key = (graph[0] if graph else "", fmt.name)
        data = state.graph_cache.get(key)
        if data is None:  # the store never changes: each graph is written once per format
            async with state.graph_lock:
                data = state.graph_cache.get(key)
                if data is None:

                    def read() -> bytes:
                        found = atlas.store.query(
                            text, bindings=bindings, source="graph store", max_rows=None
                        )
                        return serialize_graph(found.triples, fmt, prefixes=dict(PREFIXES))

                    data = await anyio.to_thread.run_sync(read)
                    if len(state.graph_cache) >= _GRAPH_CACHE:
                        state.graph_cache.pop(next(iter(state.graph_cache)))
                    state.graph_cache[key] = data
        return Response(data, media_type=fmt.content_type, headers={"Vary": "Accept"})

    async def store_write(request: Request, lang: str) -> Response:
        raise HTTPError(
            403, t("cli.server.error.store_write", lang), headers={"Allow": "GET, HEAD"}
        )

    # -- / --------------------------------------------------------------------------------

    async def home(request: Request, lang: str) -> Response:
        if prefers_html(request):
            return pages.html(pages.home(lang, docs=state.docs is not None))
        triples = describe.service_description(
            _base(request),
            named_graphs=state.named_graphs,
            triples=state.triples,
            dataset=state.dataset,
        )
        return _graph_response(request, triples, lang, prefixes=describe.DESCRIBE_PREFIXES)

    # -- /query ---------------------------------------------------------------------------

    async def query_page(request: Request, lang: str) -> Response:
        examples = pages.examples(state.catalogue)
        return pages.html(pages.query_page(lang, examples), yasgui=True)

    # -- /api -----------------------------------------------------------------------------

    async def api_index(request: Request, lang: str) -> Response:
        listing = describe.catalogue_listing(_base(request), state.catalogue, lang=lang)
        if prefers_html(request):
            return pages.html(pages.api_page(lang, listing))
        return JSONResponse({"queries": listing})

    async def api_openapi(request: Request, lang: str) -> Response:
        return JSONResponse(
            describe.openapi(_base(request), state.catalogue, version=state.version, lang=lang)
        )

    async def api_catalogue(request: Request, lang: str) -> Response:
        triples = describe.catalogue_graph(_base(request), state.catalogue)
        return _graph_response(request, triples, lang, prefixes=describe.DESCRIBE_PREFIXES)

    async def api_query(request: Request, lang: str) -> Response:
        name = request.path_params["query_id"]
        query = find_query(name, state.catalogue)
        params: dict[str, str] = {}
        override = None
        for key, value in request.query_params.multi_items():
            if key == "format":
                override = value
                continue
            if key in params:
                raise ParameterError(
                    t("cli.server.error.param_twice", lang, name=key), query=query.id
                )
            params[key] = value
        query.bind(params)  # a bad or missing parameter is a 400 before anything runs
        form = describe.query_form(query)
        fmt = negotiate(request.headers.get("accept"), form, override=override)
        if fmt is None:
            raise _not_acceptable(request, describe_formats(form), lang)
        return await run_query(query, params, fmt)

    # -- /ont/<Term> ----------------------------------------------------------------------

    async def ontology_term(request: Request, lang: str) -> Response:
        term = request.path_params["term"]
        if not _TERM.match(term):
            raise HTTPError(404, t("cli.server.error.unknown_term", lang, term=term))
        node = ox.NamedNode(PREFIXES["pa"] + term)
        text = (
            "CONSTRUCT { ?t ?p ?o } WHERE { GRAPH ?g { ?t ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{_ONTOLOGY_GRAPHS}")) }}'
        )
        result = await anyio.to_thread.run_sync(
            lambda: atlas.store.query(text, bindings={"t": node}, source="term", max_rows=None)
        )
        if not result.triples:
            raise HTTPError(404, t("cli.server.error.unknown_term", lang, term=term))
        if prefers_html(request) and state.docs is not None:
            page = state.docs / "reference" / lang / "index.html"
            if page.is_file():
                return RedirectResponse(f"/docs/reference/{lang}/index.html#{term}", 303)
        return _graph_response(request, result.triples, lang, prefixes=dict(PREFIXES))

    routes: list[Route | Mount] = [
        Route("/", handled(home), methods=["GET"]),
        Route("/sparql", handled(sparql), methods=["GET", "POST"]),
        Route("/store", handled(store_read), methods=["GET"]),
        Route("/store", handled(store_write), methods=["PUT", "POST", "DELETE", "PATCH"]),
        Route("/query", handled(query_page), methods=["GET"]),
        Route("/api", handled(api_index), methods=["GET"]),
        Route("/api/openapi.json", handled(api_openapi), methods=["GET"]),
        Route("/api/catalogue", handled(api_catalogue), methods=["GET"]),
        Route("/api/{query_id}", handled(api_query), methods=["GET"]),
        Route("/ont/{term:path}", handled(ontology_term), methods=["GET"]),
        Route("/favicon.ico", lambda _request: RedirectResponse("/static/favicon.svg", 301)),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    if state.docs is not None:
        routes.append(Mount("/docs", StaticFiles(directory=state.docs, html=True), name="docs"))

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(state.start)
        try:
            yield
        finally:
            pool.close()

    middleware = [Middleware(_Guard, settings=settings)]
    if settings.cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors),
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
            )
        )
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.atlas_state = state
    app.state.pool = pool
    return app


def describe_formats(form: str) -> tuple[Format, ...]:
    """The formats a result of ``form`` can be written in."""
    from .formats import RESULT_FORMATS

    return RESULT_FORMATS if form in ("select", "ask") else GRAPH_FORMATS


def _raw_answer(status: int, reason: str, message: str) -> bytes:
    body = (message + "\n").encode("utf-8")
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def guarded_protocol(settings: ServerSettings) -> type[Any]:
    """uvicorn's h11 protocol with two guards uvicorn lacks: a connection must send a request's
    line and headers within ``settings.header_timeout`` seconds (else 408 and closed; uvicorn
    alone waits forever, so slow clients could hold connections open without end), and at most
    ``settings.max_connections`` connections are open at once (a new one past it gets 503 and is
    closed, so the process never runs out of file descriptors)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    timeout_message = t(
        "cli.server.error.header_timeout", "en", limit=f"{settings.header_timeout:g}"
    )
    busy_message = t("cli.server.error.busy", "en", limit=settings.max_connections)

    class GuardedH11Protocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > settings.max_connections:
                transport.write(_raw_answer(503, "Service Unavailable", busy_message))
                transport.close()
                return
            self._arm_header_timer()

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_header_timer()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:
                self._cancel_header_timer()  # the request's headers are in (or it failed)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
                self._arm_header_timer()  # the next request on this connection

        def send_400_response(self, msg: str) -> None:
            # Bad bytes after a request that the app is still answering (a broken chunked
            # body, a bad pipelined request): uvicorn would answer 400 in the middle of the
            # app's answer, and the app's own answer would then fail in h11 (a traceback in the
            # log). Either let the app finish and close, or answer 400 and tell the app the
            # client is gone.
            cycle = self.cycle
            if cycle is not None and not cycle.response_complete:
                if cycle.response_started:
                    cycle.keep_alive = False
                    return
                cycle.disconnected = True
                cycle.message_event.set()
            super().send_400_response(msg)

        def _arm_header_timer(self) -> None:
            self._cancel_header_timer()
            self._header_timer = self.loop.call_later(
                settings.header_timeout, self._header_timed_out
            )

        def _cancel_header_timer(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _header_timed_out(self) -> None:
            self._header_timer = None
            if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
                return
            self.transport.write(_raw_answer(408, "Request Timeout", timeout_message))
            self.transport.close()

    return GuardedH11Protocol


def serve(atlas: Atlas, settings: ServerSettings, *, log_level: str = "info") -> None:
    """Run the endpoint on uvicorn (h11, with :func:`guarded_protocol`) until interrupted."""
    import uvicorn

    app = create_app(atlas, settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        http=guarded_protocol(settings),
        log_level=log_level,
        # the request line may carry a query string up to the app's limit (414 past it)
        h11_max_incomplete_event_size=settings.max_url + 16 * 1024,
        timeout_keep_alive=5,
    )
