"""The public entry point: the query catalogue over a store.

An :class:`Atlas` runs a catalogue query by id, or SPARQL text; nothing else. Catalogue queries,
which we wrote, run in this process; SPARQL text, which a person wrote, runs in the sandbox
(:class:`~pipeline_atlas.store.sandbox.SandboxedStore`: a worker process with time, memory and row
limits). A string is never opened as a file.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> (root / "ontology").mkdir()
>>> _ = (root / "ontology" / "o.ttl").write_text(
...     "<https://e.org/a> a <https://e.org/Thing> .", encoding="utf-8")
>>> atlas = Atlas.build(reason=False, paths=ProjectPaths.at(root))
>>> atlas.query("SELECT ?s WHERE { ?s a ?c }").rows
[{'s': 'https://e.org/a'}]
>>> atlas.close()
>>> import shutil; shutil.rmtree(root)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import CatalogueQuery, load_catalogue, looks_like_id, resolve_query
from .errors import StoreError
from .namespaces import PREFIXES, shorten
from .paths import ProjectPaths, product_paths, project_paths
from .results import QueryResult
from .store.base import DEFAULT_MAX_ROWS, QueryStore
from .store.embedded import EmbeddedStore
from .store.remote import Credentials, RemoteStore
from .store.sandbox import DEFAULT_LIMITS, Limits, SandboxedStore

__all__ = ["ENV_ENDPOINT", "Atlas", "Stats", "builtin_query", "is_store_dir"]

ENV_ENDPOINT = "PIPELINE_ATLAS_ENDPOINT"
"""Environment variable naming a SPARQL endpoint to use instead of the embedded store."""

ENV_UNION = "PIPELINE_ATLAS_UNION_DEFAULT_GRAPH"
"""Set to ``1`` when the endpoint of :data:`ENV_ENDPOINT` answers with the union default graph."""

STATS_QUERIES = ("stats-graphs", "stats-triples", "stats-classes")


@dataclass(frozen=True)
class Stats:
    """Counts: quads, distinct triples (the union graph), triples per named graph, instances per
    class (IRI → count, largest first)."""

    quads: int
    triples: int
    graphs: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)

    def to_text(self, prefixes: Mapping[str, str] = PREFIXES) -> str:
        """The counts as aligned text for people (IRIs shortened).

        >>> print(Stats(3, 2, {PREFIXES["pag"] + "ontology/o": 3}, {}).to_text())
        triples: 2 (3 quads)
        graphs: 1
          3  pag:ontology/o
        classes: 0
        """
        lines = [f"triples: {self.triples} ({self.quads} quads)", f"graphs: {len(self.graphs)}"]
        width = max((len(str(n)) for n in self.graphs.values()), default=1)
        lines += [f"  {n:>{width}}  {shorten(g, prefixes)}" for g, n in self.graphs.items()]
        lines.append(f"classes: {len(self.classes)}")
        width = max((len(str(n)) for n in self.classes.values()), default=1)
        lines += [f"  {n:>{width}}  {shorten(c, prefixes)}" for c, n in self.classes.items()]
        return "\n".join(lines)


def builtin_query(query_id: str) -> CatalogueQuery:
    """A query of the product's own catalogue (``queries/`` of the checkout or of the installed
    package), by id.

    >>> builtin_query("stats-triples").group
    'stats'
    """
    from .catalogue import find_query

    paths = product_paths()
    return find_query(query_id, load_catalogue(paths.queries, root=paths.root))


def is_store_dir(path: Path) -> bool:
    """Whether ``path`` holds a pyoxigraph (RocksDB) store."""
    return (Path(path) / "CURRENT").is_file()


def _newest_source(paths: ProjectPaths) -> tuple[float, Path] | None:
    from .build.load import source_files

    return max(((f.stat().st_mtime, f) for f in source_files(paths)), default=None)


def _reasoner_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("owlready2") is not None


def _store_time(store: Path) -> float:
    return max((f.stat().st_mtime for f in store.iterdir() if f.is_file()), default=0.0)


class Atlas:
    """The knowledge graph: a store and the query catalogue.

    Make one with :meth:`build` (from the ontology and graph data), :meth:`open` (a store
    directory built before) or :meth:`open_endpoint` (a SPARQL 1.1 endpoint);
    ``Atlas(store)`` wraps any :class:`~pipeline_atlas.store.base.QueryStore`. ``limits`` are
    those of the sandbox that runs SPARQL text.
    """

    def __init__(
        self,
        store: QueryStore,
        *,
        paths: ProjectPaths | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.store = store
        self.paths = paths if paths is not None else project_paths()
        self._limits = limits
        self._catalogue: list[CatalogueQuery] | None = None
        self._sandbox: SandboxedStore | None = None

    def __repr__(self) -> str:
        return f"<Atlas {self.store.describe()}>"

    def __enter__(self) -> Atlas:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the sandbox and release the store."""
        if self._sandbox is not None:
            self._sandbox.close()
            self._sandbox = None
        self.store.close()

    # -- making one ---------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        *,
        store_dir: Path | None = None,
        reason: bool = True,
        paths: ProjectPaths | None = None,
    ) -> Atlas:
        """Load every ``.ttl``/``.nt`` file under ontology/ and graph_data/ (one named graph a
        file) and, with ``reason``, add the reasoner's output as the graph ``pag:inferred``.

        In memory unless ``store_dir`` is given; a store directory is replaced only when the
        whole build succeeded (see :func:`pipeline_atlas.build.build_store`).
        """
        from .build import build_store

        paths = paths if paths is not None else project_paths()
        return cls(build_store(paths, store_dir=store_dir, reason=reason), paths=paths)

    @classmethod
    def open(
        cls, path: Path, *, read_only: bool = True, paths: ProjectPaths | None = None
    ) -> Atlas:
        """Open a store directory made by :meth:`build` (read-only unless told otherwise)."""
        path = Path(path)
        if not is_store_dir(path):
            raise StoreError(f"no store at {path}")
        return cls(EmbeddedStore(path, read_only=read_only), paths=paths)

    @classmethod
    def open_endpoint(
        cls,
        url: str,
        *,
        union_default_graph: bool = False,
        credentials: Credentials | None = None,
        paths: ProjectPaths | None = None,
    ) -> Atlas:
        """Query a SPARQL 1.1 Protocol endpoint (``http://127.0.0.1:7878/query`` for an
        Oxigraph server) that holds the graph (see ``pipeline-atlas push``).

        ``union_default_graph`` declares whether the endpoint's default graph is the union of
        its named graphs; when it is not, queries name the graphs (``default-graph-uri``).
        """
        store = RemoteStore(url, union_default_graph=union_default_graph, credentials=credentials)
        return cls(store, paths=paths)

    @classmethod
    def open_default(
        cls,
        store: Path | None = None,
        *,
        endpoint: str | None = None,
        paths: ProjectPaths | None = None,
        rebuild_stale: bool = False,
        note: Callable[..., None] | None = None,
    ) -> Atlas:
        """The atlas a command or the explorer should use.

        ``endpoint`` (or the ``PIPELINE_ATLAS_ENDPOINT`` environment variable) if given; else
        ``store`` if given; else the project's default store (``build/store``) when it exists;
        else a build in memory. A default store older than a source file is opened anyway with a
        ``note`` (the CLI's choice), or replaced by a fresh build in memory when
        ``rebuild_stale`` (the explorer's choice, so nobody reads stale answers).

        ``note(key, **values)`` is told what happened as a key of the message catalogue
        (:mod:`pipeline_atlas.i18n`, ``cli.note.*``) and its values, so the caller words it in
        its reader's language.
        """
        paths = paths or project_paths()

        def tell(key: str, **values: object) -> None:
            if note is not None:
                note(key, **values)

        endpoint = endpoint or os.environ.get(ENV_ENDPOINT) or None
        if endpoint:
            union = os.environ.get(ENV_UNION, "").strip().lower() in ("1", "true", "yes")
            return cls.open_endpoint(endpoint, union_default_graph=union, paths=paths)
        if store is not None:
            return cls.open(store, paths=paths)
        default = paths.default_store
        if is_store_dir(default):
            newest = _newest_source(paths)
            if newest is None or newest[0] <= _store_time(default):
                return cls.open(default, paths=paths)
            newer = paths.relative(newest[1])
            if not rebuild_stale:
                tell("cli.note.stale", file=newer, store=default)
                return cls.open(default, paths=paths)
            tell("cli.note.stale_rebuild", file=newer, store=default)
        else:
            tell("cli.note.building_in_memory", store=default)
        reason = _reasoner_installed()
        if not reason:
            tell("cli.note.no_reasoner")
        return cls.build(paths=paths, reason=reason)

    # -- queries ------------------------------------------------------------------------------

    def catalogue(self, *, refresh: bool = False) -> list[CatalogueQuery]:
        """The catalogue queries (``queries/**/*.rq``), checked and sorted by id; read once."""
        if self._catalogue is None or refresh:
            self._catalogue = load_catalogue(self.paths.queries, root=self.paths.root)
        return list(self._catalogue)

    def get_query(self, id_or_text: str) -> CatalogueQuery:
        """A catalogue query by id or unique id prefix, or SPARQL text as an ad-hoc query."""
        catalogue = self.catalogue() if looks_like_id(id_or_text) else []
        return resolve_query(id_or_text, catalogue=catalogue)

    def query(
        self,
        id_or_text: str,
        *,
        params: Mapping[str, object] | None = None,
        max_rows: int | None = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        """Run a catalogue query (id or unique prefix) or SPARQL text (in the sandbox).

        ``params`` maps parameter names to values (strings as typed, or Python values); they are
        bound, never pasted. Raises :class:`QueryNotFoundError`, :class:`ParameterError`,
        :class:`SparqlSyntaxError`, :class:`QueryLimitError` (more than ``max_rows`` rows) or
        :class:`QueryStoppedError` (a limit of the sandbox).
        """
        return self.run(self.get_query(id_or_text), params=params, max_rows=max_rows)

    def run(
        self,
        query: CatalogueQuery,
        *,
        params: Mapping[str, object] | None = None,
        max_rows: int | None = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        """Run a query already looked up (:meth:`get_query`) with ``params`` bound; an ad-hoc
        query (a person's text) runs in the sandbox."""
        bindings = query.bind(params)
        store: QueryStore = self.sandbox() if query.adhoc else self.store
        return store.query(
            query.sparql,
            bindings=bindings,
            prefixes=PREFIXES if query.adhoc else None,
            source=query.source,
            max_rows=max_rows,
        )

    @property
    def limits(self) -> Limits:
        """The limits of the sandbox that runs SPARQL text (time, memory, rows, size)."""
        return self._limits

    @limits.setter
    def limits(self, limits: Limits) -> None:
        if limits != self._limits and self._sandbox is not None:
            self._sandbox.close()  # the next person's query starts a worker with the new limits
            self._sandbox = None
        self._limits = limits

    def builtin(self, query_id: str) -> CatalogueQuery:
        """One of the product's own queries (``stats-*``, ``reasoner-clashes``): from this
        atlas's catalogue, or else from the product's ``queries/`` (a project of one's own need
        not copy them)."""
        for query in self.catalogue():
            if query.id == query_id:
                return query
        return builtin_query(query_id)

    def sandbox(self) -> SandboxedStore:
        """The sandbox over this atlas's store (started with the first person's query)."""
        if self._sandbox is None:
            self._sandbox = SandboxedStore.around(self.store, limits=self.limits)
        return self._sandbox

    def stats(self) -> Stats:
        """Counts of quads, triples, triples per graph and instances per class (catalogue
        queries ``stats-*``)."""
        graphs = dict.fromkeys(self.store.named_graphs(), 0)
        for row in self.run(self.builtin("stats-graphs"), max_rows=None).rows:
            graphs[str(row["graph"])] = int(row["triples"] or 0)
        triples = self.run(self.builtin("stats-triples"), max_rows=None).rows
        classes = self.run(self.builtin("stats-classes"), max_rows=None).rows
        return Stats(
            quads=sum(graphs.values()),
            triples=int(triples[0]["triples"] or 0) if triples else 0,
            graphs=dict(sorted(graphs.items())),
            classes={str(r["class"]): int(r["instances"] or 0) for r in classes if r["class"]},
        )
