"""The public entry point: build or open the knowledge graph, list and run the catalogue queries.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> (root / "ontology").mkdir()
>>> _ = (root / "ontology" / "o.ttl").write_text(
...     "<https://e.org/a> a <https://e.org/Thing> .", encoding="utf-8")
>>> atlas = Atlas.build(reason=False, paths=ProjectPaths.at(root))
>>> atlas.query("SELECT ?s WHERE { ?s a ?c }").rows
[{'s': 'https://e.org/a'}]
>>> atlas.stats().graphs
{'https://w3id.org/pipeline-atlas/graph/ontology/o': 1}
>>> import shutil; shutil.rmtree(root)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import AtlasError, ReasonerError, StoreError
from .namespaces import INFERRED_GRAPH, PREFIXES, shorten
from .paths import ProjectPaths, project_paths
from .queries import CatalogueQuery, load_catalogue, resolve_query
from .results import QueryResult
from .store import (
    DEFAULT_MAX_ROWS,
    EmbeddedStore,
    TripleStore,
    parse_files,
    source_files,
    staged_store,
)

__all__ = ["Atlas", "Stats", "is_store_dir"]


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


def _newest_source(paths: ProjectPaths) -> tuple[float, Path] | None:
    return max(((f.stat().st_mtime, f) for f in source_files(paths)), default=None)


def _store_time(store: Path) -> float:
    return max((f.stat().st_mtime for f in store.iterdir() if f.is_file()), default=0.0)


def is_store_dir(path: Path) -> bool:
    """Whether ``path`` holds a pyoxigraph (RocksDB) store."""
    return (Path(path) / "CURRENT").is_file()


def _infer(store: EmbeddedStore, *, build_dir: Path) -> list[ox.Triple | ox.Quad]:
    from .reason import infer  # imported here: owlready2 is slow to load and only build needs it

    try:
        inferred = infer(store.raw, build_dir=build_dir)
    except AtlasError:
        raise
    except Exception as exc:
        raise ReasonerError(f"the reasoner failed: {type(exc).__name__}: {exc}") from exc
    return [t for t in inferred if isinstance(t, ox.Triple | ox.Quad)]


class Atlas:
    """The knowledge graph: a store, the project's files and the query catalogue.

    Make one with :meth:`build` (from the ontology and graph data) or :meth:`open` (a store
    directory built before); ``Atlas(store)`` wraps any :class:`TripleStore`.
    """

    def __init__(self, store: TripleStore, *, paths: ProjectPaths | None = None) -> None:
        self.store = store
        self.paths = paths if paths is not None else project_paths()
        self._catalogue: list[CatalogueQuery] | None = None

    def __repr__(self) -> str:
        return f"<Atlas {self.store!r}>"

    def __enter__(self) -> Atlas:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store (a store directory can then be opened by another process)."""
        self.store.close()

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
        whole build succeeded. Raises :class:`TurtleSyntaxError` (file:line:column) for a
        malformed file, before anything is written, and :class:`ReasonerError`.
        """
        paths = paths if paths is not None else project_paths()
        files = source_files(paths)
        if not files:
            raise StoreError(f"no .ttl or .nt files under {paths.ontology} or {paths.graph_data}")
        graphs = parse_files(files, root=paths.root)

        def fill(store: EmbeddedStore) -> None:
            store.load_graphs(graphs)
            if reason:
                store.add_triples(_infer(store, build_dir=paths.build), graph=INFERRED_GRAPH)

        if store_dir is None:
            store = EmbeddedStore()
            fill(store)
            return cls(store, paths=paths)
        with staged_store(Path(store_dir)) as staging:
            fill(staging)
        return cls(EmbeddedStore(Path(store_dir)), paths=paths)

    @classmethod
    def open(
        cls, path: Path, *, read_only: bool = True, paths: ProjectPaths | None = None
    ) -> Atlas:
        """Open a store directory made by :meth:`build` (read-only unless told otherwise)."""
        path = Path(path)
        if not is_store_dir(path):
            raise StoreError(
                f"no store at {path}; build one with `pipeline-atlas build --store {path}`"
            )
        return cls(EmbeddedStore(path, read_only=read_only), paths=paths)

    @classmethod
    def open_default(
        cls,
        store: Path | None = None,
        *,
        paths: ProjectPaths | None = None,
        rebuild_stale: bool = False,
        note: Callable[[str], None] | None = None,
    ) -> Atlas:
        """The atlas a command or the explorer should use.

        ``store`` if given; else the project's default store (``build/store``) when it exists;
        else a build in memory. A default store older than a source file is opened anyway with a
        ``note`` (the CLI's choice), or replaced by a fresh build in memory when
        ``rebuild_stale`` (the explorer's choice, so nobody reads stale answers).
        """
        paths = paths or project_paths()
        tell = note or (lambda _message: None)
        if store is not None:
            return cls.open(store, paths=paths)
        default = paths.default_store
        if is_store_dir(default):
            newest = _newest_source(paths)
            if newest is None or newest[0] <= _store_time(default):
                return cls.open(default, paths=paths)
            if not rebuild_stale:
                tell(
                    f"{paths.relative(newest[1])} is newer than the store {default}; "
                    "run `pipeline-atlas build` to refresh it"
                )
                return cls.open(default, paths=paths)
            tell(f"the store {default} is older than {paths.relative(newest[1])}; building anew")
        else:
            tell(
                f"no store at {default}; building the graph in memory "
                "(`pipeline-atlas build` keeps one)"
            )
        return cls.build(paths=paths)

    def catalogue(self, *, refresh: bool = False) -> list[CatalogueQuery]:
        """The catalogue queries (``queries/**/*.rq``), checked and sorted by id; read once."""
        if self._catalogue is None or refresh:
            self._catalogue = load_catalogue(self.paths.queries, root=self.paths.root)
        return list(self._catalogue)

    def get_query(self, name_or_text: str) -> CatalogueQuery:
        """A query by id, unique id prefix, ``.rq`` path, or SPARQL text (see
        :func:`~pipeline_atlas.queries.resolve_query`)."""
        catalogue: Sequence[CatalogueQuery] = []
        text = name_or_text.strip()
        if text and not any(ch.isspace() or ch in "{}" for ch in text):
            catalogue = self.catalogue()
        return resolve_query(name_or_text, catalogue=catalogue, root=self.paths.root)

    def query(
        self,
        name_or_text: str,
        *,
        params: Mapping[str, object] | None = None,
        max_rows: int | None = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        """Run a catalogue query (id or unique prefix), an ``.rq`` file or SPARQL text.

        ``params`` maps parameter names to values (strings as typed, or Python values); they are
        bound, never pasted. Raises :class:`QueryNotFoundError`, :class:`ParameterError`,
        :class:`SparqlSyntaxError` or :class:`QueryLimitError` (more than ``max_rows`` rows).
        """
        return self.run(self.get_query(name_or_text), params=params, max_rows=max_rows)

    def run(
        self,
        query: CatalogueQuery,
        *,
        params: Mapping[str, object] | None = None,
        max_rows: int | None = DEFAULT_MAX_ROWS,
    ) -> QueryResult:
        """Run a query already looked up (:meth:`get_query`) with ``params`` bound."""
        bindings = query.bind(params)
        return self.store.query(
            query.sparql,
            bindings=bindings,
            prefixes=PREFIXES if query.adhoc else None,
            source=query.source,
            max_rows=max_rows,
        )

    def stats(self) -> Stats:
        """Counts of quads, triples, triples per graph and instances per class."""
        triples = self.store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
            source="stats",
            max_rows=None,
        ).rows
        classes = self.store.query(
            "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } "
            "GROUP BY ?class ORDER BY DESC(?n) ?class",
            source="stats",
            max_rows=None,
        ).rows
        return Stats(
            quads=self.store.quads_count(),
            triples=int(triples[0]["n"] or 0) if triples else 0,
            graphs=self.store.graph_counts(),
            classes={str(r["class"]): int(r["n"] or 0) for r in classes if r["class"]},
        )
