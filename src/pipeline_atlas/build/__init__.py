"""Build time: load the project's files into a store, reason, validate, push to a remote store.

Nothing here is imported by ``import pipeline_atlas``; the reasoner (owlready2) and validation
(pySHACL, rdflib) are imported only when used.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> (root / "ontology").mkdir()
>>> _ = (root / "ontology" / "o.ttl").write_text("<https://e.org/a> a <https://e.org/T> .")
>>> store = build_store(ProjectPaths.at(root), reason=False)
>>> store.named_graphs()
['https://w3id.org/pipeline-atlas/graph/ontology/o']
>>> import shutil; shutil.rmtree(root)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import AtlasError, ReasonerError, StoreError
from ..namespaces import INFERRED_GRAPH
from ..paths import ProjectPaths
from ..store.embedded import EmbeddedStore
from .load import parse_files, source_files, staged_store

__all__ = ["build_graphs", "build_store", "infer_graph"]


def infer_graph(graphs: Mapping[str, Sequence[ox.Quad]], *, build_dir: Path) -> list[ox.Triple]:
    """The reasoner's output for parsed graphs (see :func:`pipeline_atlas.build.reason.infer`)."""
    from .reason import infer  # here: owlready2 is slow to load and only the build needs it

    try:
        return infer([q for quads in graphs.values() for q in quads], build_dir=build_dir)
    except AtlasError:
        raise
    except Exception as exc:
        raise ReasonerError(f"the reasoner failed: {type(exc).__name__}: {exc}") from exc


def build_graphs(paths: ProjectPaths, *, reason: bool = True) -> dict[str, list[ox.Quad]]:
    """Every source file parsed into its named graph, with ``reason`` the inferred graph, and
    the dataset's DCAT/VoID description (``pag:metadata``, counts of the other graphs: see
    :mod:`pipeline_atlas.exchange.metadata`) when the files declare the dataset node
    (``graph_data/dataset.ttl``; a project without one gets no description).

    Raises :class:`~pipeline_atlas.errors.TurtleSyntaxError` (file:line:column) for a
    malformed file and :class:`~pipeline_atlas.errors.ReasonerError`.
    """
    files = source_files(paths)
    if not files:
        raise StoreError(f"no .ttl or .nt files under {paths.ontology} or {paths.graph_data}")
    graphs = parse_files(files, root=paths.root)
    if reason:
        name = ox.NamedNode(INFERRED_GRAPH)
        inferred = infer_graph(graphs, build_dir=paths.build)
        graphs[INFERRED_GRAPH] = [ox.Quad(t.subject, t.predicate, t.object, name) for t in inferred]
    from ..exchange import with_metadata

    return with_metadata(graphs)


def build_store(
    paths: ProjectPaths, *, store_dir: Path | None = None, reason: bool = True
) -> EmbeddedStore:
    """An embedded store holding :func:`build_graphs`: in memory, or in ``store_dir``, which is
    replaced only when the whole build succeeded (nothing is written before every file parsed
    and the reasoner answered).

    Replacing a store keeps its pending imports: the import graphs (``pag:import/…``, see
    :mod:`pipeline_atlas.exchange.imports`) of the old store are read (read-only) before the new
    one is staged and carried over into it, so a rebuild never loses partner data that is
    waiting for a maintainer's review.
    """
    carried: dict[str, list[ox.Quad]] = {}
    if store_dir is not None:
        from ..exchange.imports import pending_imports

        carried = pending_imports(Path(store_dir))
    graphs = build_graphs(paths, reason=reason)
    if store_dir is None:
        store = EmbeddedStore()
        store.replace_graphs(graphs)
        return store
    with staged_store(Path(store_dir)) as staging:
        staging.replace_graphs({**graphs, **carried})
    return EmbeddedStore(Path(store_dir))
