"""The read-only store boundary: what a query consumer needs, and nothing about loading.

:class:`QueryStore` is the protocol that the Atlas, the CLI, the explorer and (later) the endpoint
use. Two implementations: :class:`~pipeline_atlas.store.embedded.EmbeddedStore` (pyoxigraph in
this process) and :class:`~pipeline_atlas.store.remote.RemoteStore` (any SPARQL 1.1 Protocol
endpoint); :class:`~pipeline_atlas.store.sandbox.SandboxedStore` runs a person's queries on
either, in a worker process with limits. Writing (loading files, pushing graphs) is not part of
it: see :mod:`pipeline_atlas.build`.

Every backend gets a query the same way, from :func:`prepare_query`: parameters bound as a typed
``VALUES`` block, default prefixes as a ``PREFIX`` prologue on the query's first line, so that
every store gives the same answers to the same text. Results are pyoxigraph terms in a
:class:`~pipeline_atlas.results.QueryResult`.

>>> import pyoxigraph as ox
>>> prepared = prepare_query(
...     "SELECT ?s WHERE { ?s a skos:Concept }",
...     bindings={"s": ox.NamedNode("https://e.org/a")},
...     prefixes={"skos": "http://www.w3.org/2004/02/skos/core#"},
... )
>>> prepared.text
'PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?s WHERE { VALUES ( ?s ) \
{ ( <https://e.org/a> ) } ?s a skos:Concept }'
>>> prepared.column_shift
52
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar, runtime_checkable

import pyoxigraph as ox

from ..catalogue.sparql import bind_values, inspect_query, prefix_prologue
from ..errors import ParameterError, QueryLimitError, SparqlSyntaxError, sparql_error_from
from ..results import QueryResult, Term

__all__ = [
    "DEFAULT_MAX_ROWS",
    "PreparedQuery",
    "QueryStore",
    "allowing_services",
    "limited",
    "prepare_query",
    "syntax_error",
]

DEFAULT_MAX_ROWS = 100_000
"""Result rows (or triples) a query may yield before :class:`QueryLimitError` (``None``: no
limit)."""

_T = TypeVar("_T")
_ALLOWED_SERVICES: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "allowed_services", default=()
)


@contextlib.contextmanager
def allowing_services(endpoints: Collection[str]) -> Iterator[None]:
    """Within the block, :func:`prepare_query` lets ``SERVICE`` call ``endpoints`` (exact IRIs,
    each written as a full ``<IRI>``): how a sandboxed worker runs the queries of an endpoint
    whose operator listed ``--allow-service`` URLs. Outside any such block, none is allowed."""
    token = _ALLOWED_SERVICES.set(tuple(endpoints))
    try:
        yield
    finally:
        _ALLOWED_SERVICES.reset(token)


_ValueTerm = ox.NamedNode | ox.Literal | ox.BlankNode


@runtime_checkable
class QueryStore(Protocol):
    """A read-only SPARQL store.

    ``union_default_graph`` is declared, not assumed: ``True`` when the store answers queries
    with its default graph as the union of its named graphs (the embedded store does; an
    Oxigraph server started with ``--union-default-graph`` and Virtuoso do). A remote store
    that does not is sent its named graphs as the protocol's ``default-graph-uri``.
    """

    union_default_graph: bool

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        prefixes: Mapping[str, str] | None = None,
        source: str = "<query>",
        max_rows: int | None = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query with ``?name`` bound from
        ``bindings`` (by :func:`prepare_query`) and ``prefixes`` as default prefixes.

        Raises :class:`SparqlSyntaxError` (``source:line:column``), :class:`QueryLimitError`
        past ``max_rows``, or :class:`~pipeline_atlas.errors.StoreError`.
        """
        ...

    def named_graphs(self) -> list[str]:
        """The IRIs of the store's named graphs, sorted."""
        ...

    def close(self) -> None:
        """Release the store (or its connection)."""
        ...

    def describe(self) -> str:
        """What and where the store is, for messages (``embedded store build/store``)."""
        ...


@dataclass(frozen=True)
class PreparedQuery:
    """A query text as a store runs it, and how to map its error positions back.

    ``column_shift`` is the length of the prologue put before the original first line.
    """

    text: str
    original: str
    source: str
    column_shift: int = 0
    line_offset: int = 0


def prepare_query(
    sparql: str,
    *,
    bindings: Mapping[str, Term] | None = None,
    prefixes: Mapping[str, str] | None = None,
    source: str = "<query>",
    allow_service: Collection[str] | None = None,
) -> PreparedQuery:
    """The text every backend runs: ``bindings`` as a ``VALUES`` block at the start of the
    top-level ``WHERE`` group (values written from RDF terms, never from a person's text), and
    the ``prefixes`` the query uses without declaring them as a prologue on line 1.

    Every backend's query passes here, so updates and ``SERVICE`` (which would make the store
    contact another host) are refused here too, whoever wrote the text
    (:class:`~pipeline_atlas.errors.ForbiddenQueryError`), unless ``SERVICE`` names an endpoint
    of ``allow_service`` (by default, those of the enclosing :func:`allowing_services` block:
    none). Raises :class:`ParameterError` when a value cannot be bound.
    """
    allowed = tuple(_ALLOWED_SERVICES.get() if allow_service is None else allow_service)
    if not _passes_inspection(sparql, allowed):
        # again, to raise the error with this query's source
        inspect_query(sparql, source=source, max_length=None, max_depth=None, allow_service=allowed)
    text = sparql
    if bindings:
        try:
            text = bind_values(sparql, {k: _value_term(k, v, source) for k, v in bindings.items()})
        except ValueError as error:
            names = ", ".join(f"'{name}'" for name in bindings)
            plural = "s" if len(bindings) > 1 else ""
            raise ParameterError(
                f"parameter{plural} {names} cannot be bound: {error}", query=source
            ) from None
    prologue = prefix_prologue(text, prefixes) if prefixes else ""
    return PreparedQuery(prologue + text, sparql, source, column_shift=len(prologue))


_INSPECTION_CACHE_MAX_LENGTH = 20_000


@functools.lru_cache(maxsize=256)
def _inspected(sparql: str, allowed: tuple[str, ...]) -> bool:
    try:
        inspect_query(sparql, max_length=None, max_depth=None, allow_service=allowed)
    except Exception:  # any refusal: prepare_query inspects again and raises it
        return False
    return True


def _passes_inspection(sparql: str, allowed: tuple[str, ...]) -> bool:
    """Whether ``sparql`` passes :func:`inspect_query`, remembered for the last texts asked
    (the catalogue's, run again and again: tokenising them took most of the library's own time
    per query); long texts are inspected each time, not kept."""
    if len(sparql) > _INSPECTION_CACHE_MAX_LENGTH:
        return False
    return _inspected(sparql, allowed)


def _value_term(name: str, term: Term, source: str) -> _ValueTerm:
    if isinstance(term, ox.Triple):
        raise ParameterError(f"parameter '{name}' cannot be a quoted triple", query=source)
    return term


def syntax_error(exc: SyntaxError, prepared: PreparedQuery) -> SparqlSyntaxError:
    """The :class:`SparqlSyntaxError` for the parser's error on ``prepared.text``, with the line
    and column of the text the person wrote."""
    error = sparql_error_from(exc, source=prepared.source, text=prepared.text)
    line, column = error.line, error.column
    if line == 1 and column is not None and prepared.column_shift:
        column = max(column - prepared.column_shift, 1)
    if line is not None:
        line += prepared.line_offset
    return SparqlSyntaxError(prepared.source, line, column, error.reason)


def limited(items: Iterable[_T], max_rows: int | None, source: str) -> Iterator[_T]:
    """``items``, raising :class:`QueryLimitError` once there are more than ``max_rows``."""
    for count, item in enumerate(items, start=1):
        if max_rows is not None and count > max_rows:
            raise QueryLimitError(source, max_rows)
        yield item


def result_from(
    answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    *,
    max_rows: int | None,
    source: str,
) -> QueryResult:
    """A materialised :class:`QueryResult` from pyoxigraph's answer (a store's, or one parsed by
    :func:`pyoxigraph.parse_query_results`), at most ``max_rows`` rows or triples."""
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult.ask(bool(answer))
    if isinstance(answer, ox.QueryTriples):
        return QueryResult.construct(limited(answer, max_rows, source))
    names = [v.value for v in answer.variables]
    # each row made once, with every variable (unbound: None), as QueryResult.select would
    rows: list[dict[str, Term | None]] = [
        {name: solution[name] for name in names} for solution in limited(answer, max_rows, source)
    ]
    return QueryResult("select", names, rows)
