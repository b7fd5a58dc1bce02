"""Loading: the project's RDF files, parsed into named graphs, and store directories built
atomically.

Every source file (``*.ttl``, ``*.nt`` under ``ontology/`` and ``graph_data/``) becomes its own
named graph, ``pag:`` + its path relative to the project root without the extension. All files
are parsed before anything is written, so a malformed file raises
:class:`~pipeline_atlas.errors.TurtleSyntaxError` (file:line:column) and leaves every store as it
was; :func:`staged_store` replaces a store directory only when the whole build succeeded.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import StoreError, turtle_error_from
from ..namespaces import IMPORT_GRAPHS, PREFIXES
from ..paths import ProjectPaths
from ..store.base import QueryStore
from ..store.embedded import EmbeddedStore

__all__ = [
    "RDF_SUFFIXES",
    "graph_iri",
    "graphs_of",
    "parse_files",
    "parse_text",
    "source_files",
    "staged_store",
]

RDF_SUFFIXES: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
}
_SYNTAX_NAMES = {".ttl": "Turtle", ".nt": "N-Triples"}


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


def parse_text(data: str, *, graph: str, syntax: str = "turtle") -> dict[str, list[ox.Quad]]:
    """Parse Turtle or N-Triples text (``syntax``) as the named graph ``graph``.

    >>> parse_text('<https://e.org/a> <https://e.org/p> 1 .', graph="https://e.org/g")
    ... # doctest: +ELLIPSIS
    {'https://e.org/g': [<Quad subject=<NamedNode value=https://e.org/a> ...>]}
    """
    rdf_format = ox.RdfFormat.TURTLE if syntax == "turtle" else ox.RdfFormat.N_TRIPLES
    name = ox.NamedNode(graph)
    try:
        quads = [
            ox.Quad(q.subject, q.predicate, q.object, name)
            for q in ox.parse(data, format=rdf_format, without_named_graphs=True)
        ]
    except SyntaxError as exc:
        raise turtle_error_from(exc, file=f"<{graph}>", syntax=syntax.capitalize()) from None
    return {graph: quads}


@contextlib.contextmanager
def staged_store(target: Path) -> Iterator[EmbeddedStore]:
    """Build a store directory atomically: yield a fresh store in a sibling temporary directory
    and, if the block succeeds, replace ``target`` with it. On any error ``target`` is untouched
    and the temporary directory is removed.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "store"
    >>> with staged_store(target) as s:
    ...     s.replace_graphs({"https://e.org/g": ox.parse(
    ...         "<https://e.org/a> <https://e.org/p> 1 .", format=ox.RdfFormat.TURTLE)})
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


def group_quads(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Quad]]:
    """Quads grouped by named graph IRI (``""`` for the default graph)."""
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in quads:
        graph = quad.graph_name
        name = graph.value if isinstance(graph, ox.NamedNode) else ""
        graphs.setdefault(name, []).append(quad)
    return graphs


def graphs_of(source: Any, *, pending: bool = False) -> dict[str, list[ox.Quad]]:
    """Every named graph of a store (or an Atlas's store): graph IRI → its quads; pending
    imports (``pag:import/…``, partner data not yet merged) only with ``pending``, so that what
    is validated, pushed and exported is the verified graph.

    An embedded store is read directly; any other :class:`QueryStore` answers the catalogue
    query ``graph-quads``.
    """
    graphs = _all_graphs_of(source)
    if pending:
        return graphs
    return {name: quads for name, quads in graphs.items() if not name.startswith(IMPORT_GRAPHS)}


def _all_graphs_of(source: Any) -> dict[str, list[ox.Quad]]:
    store: QueryStore = getattr(source, "store", source)
    if isinstance(store, EmbeddedStore):
        return group_quads(store.quads())
    from ..atlas import builtin_query

    query = builtin_query("graph-quads")
    result = store.query(query.sparql, source=query.source, max_rows=None)
    quads: list[ox.Quad] = []
    for row in result.terms:
        g, s, p, o = row["g"], row["s"], row["p"], row["o"]
        if (
            isinstance(g, ox.NamedNode)
            and isinstance(s, ox.NamedNode | ox.BlankNode)
            and isinstance(p, ox.NamedNode)
            and o is not None
        ):
            quads.append(ox.Quad(s, p, o, g))
    return group_quads(quads)
