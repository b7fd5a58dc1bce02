"""The triple store: a :class:`TripleStore` protocol and :class:`EmbeddedStore` over pyoxigraph.

Every source file (``*.ttl``, ``*.nt`` under ``ontology/`` and ``graph_data/``) becomes its own
named graph, ``pag:`` + its path relative to the project root without the extension. Queries see
the union of all named graphs as their default graph.

Loading is atomic: all files are parsed before anything is written, so a malformed file raises
:class:`~pipeline_atlas.errors.TurtleSyntaxError` (file:line:column) and leaves the store as it was.

pyoxigraph 0.5 has no query timeout or memory limit. What this module can bound is the number of
result rows: ``max_rows`` (default :data:`DEFAULT_MAX_ROWS`) raises
:class:`~pipeline_atlas.errors.QueryLimitError` once a query yields more. A query whose evaluation
is expensive before its first row (a large ``ORDER BY`` or ``GROUP BY``) is not interrupted.

>>> store = EmbeddedStore()
>>> store.load_text('<https://e.org/a> <https://e.org/p> "x" .', graph="https://e.org/g")
1
>>> store.query("SELECT ?s WHERE { ?s ?p ?o }").rows
[{'s': 'https://e.org/a'}]
>>> store.graph_counts()
{'https://e.org/g': 1}
"""

from __future__ import annotations

import contextlib
import gc
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol, TypeVar, cast, runtime_checkable

import pyoxigraph as ox

from .binding import bind_values, keywords
from .errors import (
    ForbiddenQueryError,
    ParameterError,
    QueryLimitError,
    StoreError,
    sparql_error_from,
    turtle_error_from,
)
from .namespaces import PREFIXES
from .paths import ProjectPaths
from .results import QueryResult, ResultKind, Term

__all__ = [
    "DEFAULT_MAX_ROWS",
    "RDF_SUFFIXES",
    "EmbeddedStore",
    "TripleStore",
    "check_sparql",
    "graph_iri",
    "parse_files",
    "source_files",
    "staged_store",
]

DEFAULT_MAX_ROWS = 100_000
"""Result rows a query may yield before :class:`QueryLimitError` (``None`` means no limit)."""

RDF_SUFFIXES: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
}
_SYNTAX_NAMES = {".ttl": "Turtle", ".nt": "N-Triples"}
_T = TypeVar("_T")
_ValueTerm = ox.NamedNode | ox.Literal | ox.BlankNode
_PROJECTION = re.compile(r"variable \?(\w+) in its SELECT projection")


@runtime_checkable
class TripleStore(Protocol):
    """What the library needs from a store; a remote SPARQL endpoint could implement it too."""

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        prefixes: Mapping[str, str] | None = None,
        source: str = "<query>",
        max_rows: int | None = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        """Run a SPARQL query over the union of the named graphs, ``?name`` bound from
        ``bindings``."""
        ...

    def load_files(self, files: Sequence[Path], *, root: Path) -> int:
        """Load RDF files, each into its named graph; return the number of quads added."""
        ...

    def add_triples(self, triples: Iterable[ox.Triple | ox.Quad], *, graph: str) -> int:
        """Add triples to the named graph ``graph``; return how many were given."""
        ...

    def quads_count(self) -> int:
        """The number of quads in the store."""
        ...

    def graph_counts(self) -> dict[str, int]:
        """Named graph IRI → number of triples, sorted by IRI."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...


def graph_iri(file: Path, *, root: Path) -> str:
    """The named-graph IRI for a source file: ``pag:`` + path under ``root`` without extension.

    >>> graph_iri(Path("/p/graph_data/seed/actions.ttl"), root=Path("/p"))
    'https://w3id.org/pipeline-atlas/graph/graph_data/seed/actions'
    """
    relative = Path(file).relative_to(root).with_suffix("")
    return PREFIXES["pag"] + relative.as_posix()


def source_files(paths: ProjectPaths) -> list[Path]:
    """Every ``.ttl``/``.nt`` file under ``ontology/``, then ``graph_data/``, each sorted; files
    in hidden folders are skipped.

    >>> source_files(ProjectPaths.at(Path("/nonexistent")))
    []
    """
    found: list[Path] = []
    for top in (paths.ontology, paths.graph_data):
        if not top.is_dir():
            continue
        found += sorted(
            file
            for file in top.rglob("*")
            if file.suffix in RDF_SUFFIXES
            and file.is_file()
            and not any(part.startswith(".") for part in file.relative_to(top).parts)
        )
    return found


def _display_path(file: Path, root: Path) -> str:
    try:
        return Path(file).relative_to(root).as_posix()
    except ValueError:
        return str(file)


def parse_files(files: Sequence[Path], *, root: Path) -> dict[str, list[ox.Quad]]:
    """Parse every file (nothing is written anywhere); graph IRI → its quads.

    Raises :class:`TurtleSyntaxError` naming ``file:line:column`` (path relative to ``root``).
    """
    graphs: dict[str, list[ox.Quad]] = {}
    for file in files:
        shown = _display_path(file, root)
        suffix = Path(file).suffix
        rdf_format = RDF_SUFFIXES.get(suffix)
        if rdf_format is None:
            raise StoreError(f"{shown}: not an RDF file this store loads (.ttl or .nt)")
        name = ox.NamedNode(graph_iri(file, root=root))
        try:
            quads = [
                ox.Quad(q.subject, q.predicate, q.object, name)
                for q in ox.parse(path=file, format=rdf_format, without_named_graphs=True)
            ]
        except SyntaxError as exc:
            raise turtle_error_from(exc, file=shown, syntax=_SYNTAX_NAMES[suffix]) from None
        except OSError as exc:
            raise StoreError(f"{shown}: cannot read: {exc.strerror or exc}") from None
        graphs[name.value] = quads
    return graphs


_EMPTY: ox.Store | None = None


def _empty_store() -> ox.Store:
    global _EMPTY
    if _EMPTY is None:
        _EMPTY = ox.Store()
    return _EMPTY


def _run(
    store: ox.Store,
    sparql: str,
    *,
    bindings: Mapping[str, Term] | None,
    prefixes: Mapping[str, str] | None,
    source: str,
    union: bool = True,
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run ``sparql`` with ``bindings`` applied, never pasting a user's text into the query.

    Bindings go through pyoxigraph ``substitutions``. pyoxigraph only substitutes variables that a
    SELECT projects; a parameter that is not an output column (a language, a filter value) is
    bound with a ``VALUES`` block written from the RDF term (:mod:`pipeline_atlas.binding`).
    """
    if "SERVICE" in keywords(sparql):
        raise ForbiddenQueryError(
            f"{source}: SERVICE is not allowed: the Atlas answers from its own graph and never "
            "contacts another host"
        )
    substitutions = dict(bindings or {})
    values: dict[str, Term] = {}
    text = sparql
    while True:
        try:
            return store.query(
                text,
                use_default_graph_as_union=union,
                prefixes=dict(prefixes) if prefixes else None,
                substitutions={ox.Variable(k): v for k, v in substitutions.items()} or None,
            )
        except RuntimeError as exc:
            found = _PROJECTION.search(str(exc))
            if not found or found.group(1) not in substitutions:
                raise StoreError(f"{source}: {exc}") from None
            name = found.group(1)
            values[name] = substitutions.pop(name)
            try:
                text = bind_values(sparql, cast(Mapping[str, _ValueTerm], values))
            except ValueError as error:
                raise ParameterError(
                    f"parameter '{name}' cannot be bound: {error}", query=source, param=name
                ) from None


def _kind(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ResultKind:
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    if isinstance(result, ox.QueryTriples):
        return "construct"
    return "select"


def check_sparql(
    sparql: str,
    *,
    source: str = "<query>",
    line_offset: int = 0,
    bindings: Mapping[str, Term] | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> ResultKind:
    """Parse a query without running it on data; return its kind (select, ask, construct).

    Raises :class:`SparqlSyntaxError` with ``source:line:column`` (``line_offset`` added to the
    line), or :class:`ParameterError` if a binding cannot be applied.

    >>> check_sparql("ASK { ?s ?p ?o }")
    'ask'
    >>> check_sparql("SELECT ?s WHERE {\\n ?s ?p }", source="q.rq")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pipeline_atlas.errors.SparqlSyntaxError: q.rq:2:9: SPARQL syntax error: expected ...
    """
    try:
        result = _run(
            _empty_store(),
            sparql,
            bindings=bindings,
            prefixes=prefixes,
            source=source,
            union=False,
        )
    except SyntaxError as exc:
        raise sparql_error_from(exc, source=source, line_offset=line_offset, text=sparql) from None
    return _kind(result)


class EmbeddedStore:
    """A :class:`TripleStore` over :class:`pyoxigraph.Store`, in memory or in a directory.

    ``EmbeddedStore()`` is in memory; ``EmbeddedStore(path)`` opens (creating) a store directory;
    ``read_only=True`` opens an existing directory for reading only (several processes may).
    """

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if self.path is None:
                self._store: ox.Store | None = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self._store = ox.Store(self.path)
        except OSError as exc:
            hint = " (is another process using it?)" if "lock" in str(exc).lower() else ""
            raise StoreError(f"cannot open store {self.path}{hint}: {exc}") from None

    def __repr__(self) -> str:
        where = "memory" if self.path is None else str(self.path)
        return f"<EmbeddedStore {where}: {self.quads_count()} quads>"

    @property
    def raw(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store`."""
        if self._store is None:
            raise StoreError(f"store {self.path or 'in memory'} is closed")
        return self._store

    def close(self) -> None:
        """Flush and release the store (its directory can then be moved or reopened)."""
        if self._store is not None:
            if self.path is not None and not self.read_only:
                self._store.flush()
            self._store = None
            gc.collect()

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        prefixes: Mapping[str, str] | None = None,
        source: str = "<query>",
        line_offset: int = 0,
        max_rows: int | None = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        """Run a SPARQL query with the default graph as the union of all named graphs.

        ``bindings`` maps variable names (no ``?``) to terms, applied with pyoxigraph
        ``substitutions`` (or, for a variable the SELECT does not project, a ``VALUES`` block
        written from the term) — a user's text is never pasted into the query. ``prefixes``
        are default prefixes for the query text; ``source`` and ``line_offset`` place syntax
        errors; more than ``max_rows`` results raise :class:`QueryLimitError`.

        >>> s = EmbeddedStore()
        >>> s.load_text('<https://e.org/a> <https://e.org/p> 1 .', graph="https://e.org/g")
        1
        >>> s.query("ASK { ?s ?p 1 }", bindings={"s": ox.NamedNode("https://e.org/b")}).boolean
        False
        """
        try:
            result = _run(self.raw, sparql, bindings=bindings, prefixes=prefixes, source=source)
            if isinstance(result, ox.QueryBoolean):
                return QueryResult.ask(bool(result))
            if isinstance(result, ox.QueryTriples):
                return QueryResult.construct(_limited(result, max_rows, source))
            names = [v.value for v in result.variables]
            solutions = (
                {name: _term(solution[name]) for name in names}
                for solution in _limited(result, max_rows, source)
            )
            return QueryResult.select(names, solutions)
        except SyntaxError as exc:
            raise sparql_error_from(
                exc, source=source, line_offset=line_offset, text=sparql
            ) from None
        except OSError as exc:
            raise StoreError(f"{source}: {exc}") from None

    def load_files(self, files: Sequence[Path], *, root: Path) -> int:
        """Load files, each into its own named graph (replacing a graph of that name).

        All files are parsed first; a syntax error raises before anything is written. The
        quads are then added in one transaction.
        """
        return self.load_graphs(parse_files(files, root=root))

    def load_text(self, data: str, *, graph: str, syntax: str = "turtle") -> int:
        """Load Turtle or N-Triples text (``syntax``) into ``graph``; return the triples added."""
        rdf_format = ox.RdfFormat.TURTLE if syntax == "turtle" else ox.RdfFormat.N_TRIPLES
        name = ox.NamedNode(graph)
        try:
            quads = [
                ox.Quad(q.subject, q.predicate, q.object, name)
                for q in ox.parse(data, format=rdf_format, without_named_graphs=True)
            ]
        except SyntaxError as exc:
            raise turtle_error_from(exc, file=f"<{graph}>", syntax=syntax.capitalize()) from None
        return self.load_graphs({graph: quads})

    def add_triples(self, triples: Iterable[ox.Triple | ox.Quad], *, graph: str) -> int:
        """Add triples (or quads, whose graph is replaced) to the named graph ``graph``."""
        name = ox.NamedNode(graph)
        quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
        try:
            self.raw.extend(quads)
            self.raw.add_graph(name)
        except OSError as exc:
            raise StoreError(f"cannot write graph {graph}: {exc}") from None
        return len(quads)

    def load_graphs(self, graphs: Mapping[str, Sequence[ox.Quad]]) -> int:
        """Write parsed graphs (IRI → quads, as :func:`parse_files` gives), replacing graphs of
        the same name; the quads are added in one transaction. Return the number of quads."""
        store = self.raw
        try:
            for iri in graphs:
                if store.contains_named_graph(ox.NamedNode(iri)):
                    store.remove_graph(ox.NamedNode(iri))
            store.extend(q for quads in graphs.values() for q in quads)
            for iri in graphs:
                store.add_graph(ox.NamedNode(iri))
        except OSError as exc:
            raise StoreError(f"cannot write to store {self.path or 'in memory'}: {exc}") from None
        return sum(len(quads) for quads in graphs.values())

    def quads_count(self) -> int:
        """The number of quads in the store."""
        return len(self.raw)

    def named_graphs(self) -> list[str]:
        """The named graph IRIs, sorted."""
        return sorted(g.value for g in self.raw.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_counts(self) -> dict[str, int]:
        """Named graph IRI → its number of triples (empty graphs included), sorted by IRI."""
        counts = dict.fromkeys(self.named_graphs(), 0)
        result = self.raw.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        assert isinstance(result, ox.QuerySolutions)
        for solution in result:
            graph, count = solution["g"], solution["n"]
            if isinstance(graph, ox.NamedNode) and isinstance(count, ox.Literal):
                counts[graph.value] = int(count.value)
        return dict(sorted(counts.items()))


def _term(value: object) -> Term | None:
    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        return value
    return None


def _limited(items: Iterable[_T], max_rows: int | None, source: str) -> Iterator[_T]:
    for count, item in enumerate(items, start=1):
        if max_rows is not None and count > max_rows:
            raise QueryLimitError(source, max_rows)
        yield item


@contextlib.contextmanager
def staged_store(target: Path) -> Iterator[EmbeddedStore]:
    """Build a store directory atomically: yield a fresh store in a sibling temporary directory
    and, if the block succeeds, replace ``target`` with it. On any error ``target`` is untouched
    and the temporary directory is removed.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "store"
    >>> with staged_store(target) as s:
    ...     s.load_text("<https://e.org/a> <https://e.org/p> 1 .", graph="https://e.org/g")
    1
    >>> EmbeddedStore(target, read_only=True).quads_count()
    1
    >>> import shutil; shutil.rmtree(target.parent)
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    store = EmbeddedStore(staging)
    try:
        yield store
        store.close()
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            old.rmdir()
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(target)
    finally:
        store.close()
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
