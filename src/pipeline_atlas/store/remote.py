"""A client for any SPARQL 1.1 Protocol endpoint (Oxigraph server, Virtuoso, Fuseki, GraphDB…).

:class:`RemoteStore` is a :class:`~pipeline_atlas.store.base.QueryStore`: it sends the same
prepared text as the embedded store (parameters as a ``VALUES`` block), by HTTP POST, and reads
the answer with pyoxigraph's parsers (:func:`pyoxigraph.parse_query_results` for SELECT and ASK,
:func:`pyoxigraph.parse` for CONSTRUCT and DESCRIBE), so the results are the same objects.

Whether the endpoint's default graph is the union of its named graphs is declared
(``union_default_graph``). When it is not, every query is sent with the store's named graphs as
``default-graph-uri`` parameters, which the protocol defines as their merge: the same union.
The named graphs are the project's (those under ``pag:``, which ``push`` writes) when the store
holds any: a production store's own system graphs (Virtuoso's ``virtrdf#``) and other datasets
stay out of the answers.

:func:`graph_store_put` writes one named graph through the SPARQL 1.1 Graph Store HTTP Protocol
(``pipeline-atlas push``). Only ``http`` and ``https`` URLs are accepted; on loopback no proxy is
used.
"""

from __future__ import annotations

import base64
import dataclasses
import ipaddress
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from ..catalogue.sparql import inspect_query
from ..errors import AtlasError, SparqlSyntaxError, StoreError
from ..namespaces import PREFIXES
from ..results import QueryResult, Term
from .base import (
    DEFAULT_MAX_ROWS,
    PreparedQuery,
    limited,
    prepare_query,
    result_from,
    syntax_error,
)

__all__ = ["DEFAULT_HTTP_TIMEOUT", "Credentials", "RemoteStore", "check_url", "graph_store_put"]

_T = TypeVar("_T")

DEFAULT_HTTP_TIMEOUT = 60.0
"""Seconds to wait for an endpoint's answer."""

_ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "application/sparql-results+xml;q=0.5"
)
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
"""For CONSTRUCT and DESCRIBE: Virtuoso answers them in SPARQL JSON results (``s``, ``p``,
``o`` bindings) when that is what the client prefers."""
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Credentials:
    """A user name and password for an endpoint (HTTP basic or digest, as the server asks)."""

    user: str
    password: str = ""


def check_url(url: str, *, what: str = "endpoint") -> str:
    """``url`` if it is an absolute ``http(s)`` URL; else :class:`StoreError`.

    >>> check_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/query'
    >>> check_url("file:///etc/passwd")
    Traceback (most recent call last):
    ...
    pipeline_atlas.errors.StoreError: the endpoint URL must start with http:// or https://, \
got 'file:///etc/passwd'
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"the {what} URL must start with http:// or https://, got {url!r}")
    return url


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _opener(url: str, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if _is_loopback(url):
        handlers.append(urllib.request.ProxyHandler({}))
    if credentials is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, credentials.user, credentials.password)
        handlers += [
            urllib.request.HTTPBasicAuthHandler(manager),
            urllib.request.HTTPDigestAuthHandler(manager),
        ]
    return urllib.request.build_opener(*handlers)


def _media_type(header: str | None) -> str:
    return (header or "").split(";")[0].strip().lower()


class _HttpError(Exception):
    """An HTTP error status, with the first words of the server's answer."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _exchange(
    opener: urllib.request.OpenerDirector, request: urllib.request.Request, timeout: float
) -> tuple[str, bytes]:
    """Send ``request``; its answer's media type and body. Raises :class:`_HttpError` for an
    error status and ``OSError`` (``URLError`` included) when the server cannot be reached."""
    try:
        with opener.open(request, timeout=timeout) as response:
            return _media_type(response.headers.get("Content-Type")), response.read()
    except urllib.error.HTTPError as exc:
        try:
            body = exc.read(2000).decode("utf-8", "replace")
        except OSError:
            body = ""
        raise _HttpError(exc.code, " ".join(body.split()) or str(exc.reason)) from None


class RemoteStore:
    """A SPARQL 1.1 Protocol endpoint as a read-only store.

    ``endpoint`` is the query URL (Oxigraph: ``http://host:7878/query``; Virtuoso:
    ``http://host:8890/sparql``). ``timeout`` bounds each request in seconds.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        union_default_graph: bool = False,
        credentials: Credentials | None = None,
        timeout: float = DEFAULT_HTTP_TIMEOUT,
    ) -> None:
        self.endpoint = check_url(endpoint)
        self.union_default_graph = union_default_graph
        self.credentials = credentials
        self.timeout = timeout
        self._opener = _opener(self.endpoint, credentials)
        self._graphs: list[str] | None = None

    def __repr__(self) -> str:
        return f"<RemoteStore {self.describe()}>"

    def describe(self) -> str:
        """``SPARQL endpoint <url>``."""
        return f"SPARQL endpoint {self.endpoint}"

    def close(self) -> None:
        """Nothing to release: every request has its own connection."""
        self._graphs = None

    def sandbox_spec(self) -> tuple[str, object]:
        """How a worker process connects to the same endpoint."""
        auth = (self.credentials.user, self.credentials.password) if self.credentials else None
        return ("endpoint", (self.endpoint, self.union_default_graph, auth, self.timeout))

    def named_graphs(self) -> list[str]:
        """The project's named graphs on the endpoint (those under ``pag:``), sorted; all its
        named graphs when none is the project's. Asked once, then remembered."""
        if self._graphs is None:
            from ..atlas import builtin_query  # here: the atlas module imports this one

            text = builtin_query("named-graphs").sparql
            result = self._send(PreparedQuery(text, text, "named graphs"), ())
            graphs = {
                t.value for row in result.terms if isinstance(t := row.get("g"), ox.NamedNode)
            }
            own = {g for g in graphs if g.startswith(PREFIXES["pag"])}
            self._graphs = sorted(own or graphs)
        return list(self._graphs)

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        prefixes: Mapping[str, str] | None = None,
        source: str = "<query>",
        max_rows: int | None = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        """Send a query to the endpoint; see :class:`~pipeline_atlas.store.base.QueryStore`."""
        prepared = prepare_query(sparql, bindings=bindings, prefixes=prefixes, source=source)
        defaults = () if self.union_default_graph else self.named_graphs()
        result = self._send(prepared, defaults, max_rows=max_rows)
        booleans = {
            name: term
            for name, term in (bindings or {}).items()
            if name in result.variables
            and isinstance(term, ox.Literal)
            and term.datatype == _BOOLEAN
        }
        if not booleans:
            return result
        terms = [
            {name: _bound_boolean(t, booleans.get(name)) for name, t in row.items()}
            for row in result.terms
        ]
        return dataclasses.replace(result, terms=terms)

    def _send(
        self, prepared: PreparedQuery, defaults: Sequence[str], *, max_rows: int | None = None
    ) -> QueryResult:
        source = prepared.source
        fields = [("query", prepared.text)] + [("default-graph-uri", g) for g in defaults]
        try:
            form = inspect_query(prepared.text, max_length=None, max_depth=None)
        except AtlasError:
            form = "select"  # an allowed SERVICE call, say: the server's answer tells
        request = urllib.request.Request(
            self.endpoint,
            data=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={
                "Accept": _GRAPH_ACCEPT if form in ("construct", "describe") else _ACCEPT,
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "User-Agent": "pipeline-atlas",
            },
            method="POST",
        )
        try:
            media, data = _exchange(self._opener, request, self.timeout)
        except _HttpError as exc:
            if exc.code == 400:
                raise self._bad_query(exc.message, prepared) from None
            raise StoreError(
                f"{source}: {self.endpoint} answered HTTP {exc.code}: {exc.message}"
            ) from None
        except OSError as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{source}: cannot reach {self.endpoint}: {reason}") from None
        try:
            if media in _RESULT_FORMATS:
                answer = ox.parse_query_results(data, format=_RESULT_FORMATS[media])
                result = result_from(answer, max_rows=max_rows, source=source)
                terms = [{name: _canonical(t) for name, t in row.items()} for row in result.terms]
                return dataclasses.replace(result, terms=terms)
            if media in _GRAPH_FORMATS:
                triples = (
                    ox.Triple(q.subject, q.predicate, _canonical(q.object))
                    for q in ox.parse(data, format=_GRAPH_FORMATS[media])
                )
                return QueryResult.construct(limited(triples, max_rows, source))
        except SyntaxError as exc:
            raise StoreError(
                f"{source}: {self.endpoint} sent an unreadable answer: {exc}"
            ) from None
        raise StoreError(f"{source}: {self.endpoint} answered with unexpected type {media!r}")

    def _bad_query(self, message: str, prepared: PreparedQuery) -> StoreError | SparqlSyntaxError:
        # Oxigraph answers "error at 2:9: expected ..."; others have their own words.
        marker = message.find("error at ")
        if marker >= 0:
            return syntax_error(SyntaxError(message[marker:]), prepared)
        return SparqlSyntaxError(prepared.source, None, None, message[:300])


_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
_CANONICAL_BOOLEANS = {"1": "true", "0": "false"}


def _canonical(term: _T) -> _T:
    """``term`` with a boolean in its canonical form: Virtuoso stores ``xsd:boolean`` values
    as numbers and answers ``"1"^^xsd:boolean`` for ``true`` (the same value, another lexical
    form; the embedded store and Oxigraph answer ``"true"``).

    >>> _canonical(ox.Literal("0", datatype=_BOOLEAN))
    <Literal value=false datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#boolean>>
    """
    if (
        isinstance(term, ox.Literal)
        and term.datatype == _BOOLEAN
        and term.value in _CANONICAL_BOOLEANS
    ):
        return ox.Literal(_CANONICAL_BOOLEANS[term.value], datatype=_BOOLEAN)  # type: ignore[return-value]
    return term


_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _bound_boolean(term: _T, bound: ox.Literal | None) -> _T:
    """``bound`` where ``term`` is that boolean as Virtuoso answers a boolean bound by the
    ``VALUES`` block: it reads the constant as a number and answers ``"0"^^xsd:integer`` for
    ``false`` (a column named after a parameter holds the parameter's value on every row).

    >>> false = ox.Literal(False)
    >>> _bound_boolean(ox.Literal("0", datatype=_INTEGER), false) == false
    True
    >>> _bound_boolean(ox.Literal("1", datatype=_INTEGER), false)
    <Literal value=1 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    if (
        bound is not None
        and isinstance(term, ox.Literal)
        and term.datatype == _INTEGER
        and _CANONICAL_BOOLEANS.get(term.value) == bound.value
    ):
        return bound  # type: ignore[return-value]
    return term


def graph_store_put(
    url: str,
    graph: str,
    ntriples: bytes,
    *,
    credentials: Credentials | None = None,
    timeout: float = DEFAULT_HTTP_TIMEOUT,
) -> None:
    """Replace the named graph ``graph`` at the Graph Store endpoint ``url`` with ``ntriples``
    (SPARQL 1.1 Graph Store HTTP Protocol, ``PUT url?graph=…``)."""
    check_url(url, what="Graph Store")
    separator = "&" if "?" in url else "?"
    target = f"{url}{separator}{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(
        target,
        data=ntriples,
        headers={"Content-Type": "application/n-triples", "User-Agent": "pipeline-atlas"},
        method="PUT",
    )
    try:
        if credentials is not None:
            _authorize(request, credentials, timeout)
        _exchange(_opener(url, credentials), request, timeout)
    except _HttpError as exc:
        raise StoreError(
            f"cannot write graph {graph} to {url}: HTTP {exc.code}: {exc.message}"
        ) from None
    except OSError as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreError(f"cannot reach the Graph Store {url}: {reason}") from None


def _authorize(request: urllib.request.Request, credentials: Credentials, timeout: float) -> None:
    """Give ``request`` its ``Authorization`` header before its body is sent.

    A server that wants authentication (Virtuoso's ``/sparql-graph-crud-auth``: HTTP digest)
    answers a request without it with 401 and closes the connection, often before a large body
    has been read: urllib, which authenticates only after the 401, then fails with a broken pipe.
    So the challenge is fetched first with a body-less ``HEAD`` of the same URL, and the answer
    to it (digest or basic) goes with the ``PUT``. A server that does not ask gets nothing.
    """
    url = request.full_url
    probe = urllib.request.Request(url, headers={"User-Agent": "pipeline-atlas"}, method="HEAD")
    try:
        with _opener(url, None).open(probe, timeout=timeout):
            return  # no challenge
    except urllib.error.HTTPError as exc:
        if exc.code != 401:
            return  # the PUT itself will say what is wrong
        challenges = exc.headers.get_all("WWW-Authenticate") or []
    for challenge in challenges:
        scheme, _, rest = challenge.strip().partition(" ")
        if scheme.lower() == "digest":
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, url, credentials.user, credentials.password)
            handler = urllib.request.HTTPDigestAuthHandler(manager)
            fields = urllib.request.parse_keqv_list(
                [part for part in urllib.request.parse_http_list(rest) if "=" in part]
            )
            answer = handler.get_authorization(request, fields)
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
                return
    for challenge in challenges:
        if challenge.strip().lower().startswith("basic"):
            token = f"{credentials.user}:{credentials.password}".encode()
            request.add_unredirected_header(
                "Authorization", f"Basic {base64.b64encode(token).decode('ascii')}"
            )
            return
