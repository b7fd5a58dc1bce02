"""The embedded store: pyoxigraph in this process, in memory or in a directory.

:class:`EmbeddedStore` is a :class:`~pipeline_atlas.store.base.QueryStore` (reading) and also
takes whole named graphs (:meth:`EmbeddedStore.replace_graphs`), which is how
:mod:`pipeline_atlas.build` fills it. Its default graph is the union of its named graphs, except
pending imports (``pag:import/…``, :mod:`pipeline_atlas.exchange.imports`): partner data stays
out of every answer until a maintainer merges it, and a query reaches it only by naming the graph
(``GRAPH <…/graph/import/NAME> { … }``).

pyoxigraph has no query timeout or memory limit and crashes the whole process on a query nested
some thousands deep, so only queries we wrote (the catalogue) run here directly; a person's query
runs in :class:`~pipeline_atlas.store.sandbox.SandboxedStore`, which opens this store again in a
worker process (:meth:`EmbeddedStore.sandbox_spec`).

>>> store = EmbeddedStore()
>>> store.replace_graphs({"https://e.org/g": ox.parse(
...     '<https://e.org/a> <https://e.org/p> "x" .', format=ox.RdfFormat.N_TRIPLES)})
1
>>> store.query("SELECT ?s WHERE { ?s ?p ?o }").rows
[{'s': 'https://e.org/a'}]
>>> store.named_graphs()
['https://e.org/g']
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError
from ..namespaces import IMPORT_GRAPHS
from ..results import QueryResult, Term
from .base import DEFAULT_MAX_ROWS, prepare_query, result_from, syntax_error

__all__ = ["EmbeddedStore"]

_UNKNOWN = object()


class EmbeddedStore:
    """A store over :class:`pyoxigraph.Store`.

    ``EmbeddedStore()`` is in memory; ``EmbeddedStore(path)`` opens (creating) a store directory;
    ``read_only=True`` opens an existing directory for reading only (several processes may).
    """

    union_default_graph = True

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._verified: object = _UNKNOWN
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
        return f"<EmbeddedStore {self.describe()}>"

    def describe(self) -> str:
        """``embedded store in memory`` or ``embedded store <directory>``."""
        return f"embedded store {'in memory' if self.path is None else self.path}"

    @property
    def _raw(self) -> ox.Store:
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

    # -- reading (QueryStore) ---------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Term] | None = None,
        prefixes: Mapping[str, str] | None = None,
        source: str = "<query>",
        max_rows: int | None = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        """Run a query with the default graph as the union of all named graphs.

        >>> s = EmbeddedStore()
        >>> s.query("ASK { ?s ?p 1 }", bindings={"s": ox.NamedNode("https://e.org/b")}).boolean
        False
        """
        prepared = prepare_query(sparql, bindings=bindings, prefixes=prefixes, source=source)
        try:
            verified = self._verified_graphs()
            if verified is None:
                answer = self._raw.query(prepared.text, use_default_graph_as_union=True)
            else:
                answer = self._raw.query(prepared.text, default_graph=verified)
            return result_from(answer, max_rows=max_rows, source=source)
        except SyntaxError as exc:
            raise syntax_error(exc, prepared) from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{source}: {exc}") from None

    def _verified_graphs(self) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None:
        """The named graphs that make the default graph when the store holds pending imports
        (every other graph), else ``None`` (all of them: the union). Read once per opening;
        :meth:`replace_graphs` reads it again."""
        if self._verified is _UNKNOWN:
            graphs = [g for g in self._raw.named_graphs() if isinstance(g, ox.NamedNode)]
            pending = any(g.value.startswith(IMPORT_GRAPHS) for g in graphs)
            verified: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
                g for g in graphs if not g.value.startswith(IMPORT_GRAPHS)
            ]
            self._verified = verified if pending else None
        return self._verified  # type: ignore[return-value]

    def named_graphs(self) -> list[str]:
        """The named graph IRIs, sorted."""
        return sorted(g.value for g in self._raw.named_graphs() if isinstance(g, ox.NamedNode))

    def quads_count(self) -> int:
        """The number of quads in the store."""
        return len(self._raw)

    def quads(self) -> Iterable[ox.Quad]:
        """Every quad of the store (for the reasoner, validation and pushing)."""
        return self._raw.quads_for_pattern(None, None, None, None)

    def dump_nquads(self) -> bytes:
        """The whole store as N-Quads."""
        data = self._raw.dump(format=ox.RdfFormat.N_QUADS)
        return data or b""

    def sandbox_spec(self) -> tuple[str, object]:
        """How a worker process opens this store again: a directory read-only, or (in memory)
        the store's content as N-Quads."""
        if self.path is not None:
            if not self.read_only:
                self._raw.flush()
            return ("directory", str(self.path))
        return ("nquads", self.dump_nquads())

    # -- writing (for pipeline_atlas.build) --------------------------------------------------

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad | ox.Triple]]) -> int:
        """Write whole named graphs (IRI → triples or quads, whose graph is replaced by the
        IRI), replacing graphs of the same name. Return the number of quads written."""
        store = self._raw
        self._verified = _UNKNOWN
        total = 0
        try:
            if next(iter(store.named_graphs()), None) is None and not len(store):
                return self._fill(graphs)
            for iri, triples in graphs.items():
                name = ox.NamedNode(iri)
                if store.contains_named_graph(name):
                    store.remove_graph(name)
                quads = [_in_graph(t, name) for t in triples]
                store.extend(quads)
                store.add_graph(name)
                total += len(quads)
        except OSError as exc:
            raise StoreError(f"cannot write to store {self.path or 'in memory'}: {exc}") from None
        return total

    def _fill(self, graphs: Mapping[str, Iterable[ox.Quad | ox.Triple]]) -> int:
        """An empty store filled with pyoxigraph's bulk loader (no transaction: about twice as
        fast as ``extend``). Only for a store nobody reads yet: the build's staging directory
        (:func:`~pipeline_atlas.build.load.staged_store`, which discards it on failure) or a new
        store in memory."""
        store = self._raw
        count = [0]

        def quads() -> Iterable[ox.Quad]:
            for iri, triples in graphs.items():
                name = ox.NamedNode(iri)
                for t in triples:
                    count[0] += 1
                    yield _in_graph(t, name)

        store.bulk_extend(quads())
        for iri in graphs:
            store.add_graph(ox.NamedNode(iri))
        return count[0]


def _in_graph(t: ox.Quad | ox.Triple, name: ox.NamedNode) -> ox.Quad:
    """``t`` as a quad of the graph ``name`` (a quad already in it is kept as it is)."""
    if isinstance(t, ox.Quad) and t.graph_name == name:
        return t
    return ox.Quad(t.subject, t.predicate, t.object, name)
